"""workbook_tools: customer-archive (客户档案) workbooks driven by one declarative schema."""

__version__ = "0.1.0"
