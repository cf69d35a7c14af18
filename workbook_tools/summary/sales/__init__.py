"""The sales side of the summary (seed 004, 附表五/六/七): 业务员统计 with 业绩 per period,
客户综合销售力分析 and 对比分析, counted from the master's 交易记录 (or the typed totals).

    periods(as_of, "month", "previous") -> Periods   (period.py: 本期 and its comparison period)
    build_deals(customers, trades, as_of, classes) -> Deals
    sales_sheet / strength_sheet / compare_sheet -> SummarySheet
"""

from workbook_tools.summary.sales.compare import COMPARE_SHEET, compare_sheet
from workbook_tools.summary.sales.deals import DEFAULT_VALUE_CLASSES, Deals, build_deals
from workbook_tools.summary.sales.people import FOUR_WEEK_DAYS, SALES_SHEET, WEEK_DAYS, in_window, sales_sheet
from workbook_tools.summary.sales.period import COMPARES, KINDS, Period, Periods, periods
from workbook_tools.summary.sales.strength import STRENGTH_SHEET, strength_sheet

__all__ = [
    "COMPARES", "COMPARE_SHEET", "DEFAULT_VALUE_CLASSES", "Deals", "FOUR_WEEK_DAYS", "KINDS", "Period",
    "Periods", "SALES_SHEET", "STRENGTH_SHEET", "WEEK_DAYS", "build_deals", "compare_sheet", "in_window",
    "periods", "sales_sheet", "strength_sheet",
]
