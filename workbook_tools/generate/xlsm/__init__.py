"""Macro-enabled workbooks: form buttons (VML), the VBA project (MS-OVBA compression in a
compound file), ``excel enable`` on filled forms, ``excel setup`` and the 总部工具 workbook."""
