Attribute VB_Name = "WorkbookTools"
' Buttons of workbook-tools (see docs/excel-buttons.md).
' Each button runs one Python function of workbook_tools.buttons through xlwings' RunPython,
' which is defined in the xlwings module of this VBA project. No logic here: the work is done
' by the same Python library functions the workbook-tools command calls.
' Keep this file ASCII: the VBA project is stored in code page 1252.
Option Explicit

' Registration workbooks: check the entries of this workbook in place
Public Sub ValidateButton()
    RunPython "import workbook_tools.buttons as b; b.validate()"
End Sub

' Head-office workbook: merge the regional workbooks into the master archive
Public Sub MergeButton()
    RunPython "import workbook_tools.buttons as b; b.merge()"
End Sub

' Head-office workbook: summary workbook of the latest master archive
Public Sub SummaryButton()
    RunPython "import workbook_tools.buttons as b; b.summary()"
End Sub

' Head-office workbook: weekly visit plans from the latest master archive
Public Sub PlanButton()
    RunPython "import workbook_tools.buttons as b; b.plan()"
End Sub
