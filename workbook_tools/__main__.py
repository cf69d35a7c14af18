from workbook_tools.cli import main

main()
