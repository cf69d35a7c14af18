"""Numbers, dates, choices, customer ids: codes and exact Chinese messages."""

from __future__ import annotations

import datetime as dt

import pytest
from test_validate_support import cell_findings, codes, parsed

CREATED = "建档日期"          # date, required, allow_future: false
NEXT = "最新修订日期"


# --- dates ---------------------------------------------------------------------------------------
def test_real_date_cells_are_accepted():
    assert cell_findings(CREATED, dt.date(2024, 1, 15)) == []
    assert cell_findings(CREATED, dt.datetime(2024, 1, 15, 9, 30)) == []
    assert parsed(CREATED, dt.datetime(2024, 1, 15, 9, 30)) == dt.date(2024, 1, 15)


@pytest.mark.parametrize("raw", ["2025-11-22", "2025/11/22", "2025.11.22", "2025年11月22日",
                                 "20251122", 20251122.0, "２０２５年１１月２２日", "2025-11-22 00:00:00"])
def test_text_dates_are_read_with_a_warning(raw):
    shown = "20251122" if raw == 20251122.0 else raw
    assert cell_findings(CREATED, raw) == [(
        "warning", "date-text",
        f"建档日期“{shown}”是文本日期，已按 2025-11-22 读取；请把单元格设为日期格式后重新输入 2025-11-22",
    )]
    assert parsed(CREATED, raw) == dt.date(2025, 11, 22)


@pytest.mark.parametrize("raw, time", [("2025-07-24T01:23:22.623Z", "01:23:22.623"),
                                       ("2025-07-24T09:05:00+08:00", "09:05:00"),
                                       ("2025-07-24 10:30", "10:30"), ("2025年7月24日 8:00", "8:00")])
def test_timestamps_keep_the_date_part_with_a_note(raw, time):
    """ISO 8601 timestamps from system exports and dates typed with a time of day."""
    assert cell_findings(CREATED, raw) == [(
        "warning", "date-time-dropped",
        f"建档日期“{raw}”带有时间 {time}，已按日期 2025-07-24 读取，时间部分不保留；"
        "请把单元格设为日期格式后重新输入 2025-07-24",
    )]
    assert parsed(CREATED, raw) == dt.date(2025, 7, 24)


def test_short_month_and_day():
    assert codes(CREATED, "2026.3.5") == ["date-text"]
    assert parsed(CREATED, "2026.3.5") == dt.date(2026, 3, 5)


def test_impossible_date():
    assert cell_findings(CREATED, "2026-02-30") == [(
        "error", "date-impossible",
        "建档日期“2026-02-30”不是真实存在的日期；请核对月和日（例如 2 月没有 30 日）",
    )]
    assert codes(CREATED, "2026-13-01") == ["date-impossible"]
    assert parsed(CREATED, "2026-02-30") is None


@pytest.mark.parametrize("raw", ["1899-12-31", "2101-01-01", dt.date(1850, 1, 1), "18991231"])
def test_out_of_range_years(raw):
    assert codes(CREATED, raw) == ["date-out-of-range"]


def test_out_of_range_message():
    assert cell_findings(CREATED, "1899-12-31")[0][2] == (
        "建档日期“1899-12-31”的年份不在 1900–2100 年之间；请核对年份"
    )


def test_future_date_in_a_past_only_field():
    assert cell_findings(CREATED, dt.date(2026, 11, 22)) == [(
        "error", "date-future",
        "建档日期“2026-11-22”晚于今天（2026-06-01），不能是将来的日期；请核对后改正",
    )]
    assert codes(CREATED, dt.date(2026, 11, 22), as_of=dt.date(2026, 12, 1)) == []
    # the day itself is not the future
    assert codes(CREATED, dt.date(2026, 6, 1)) == []


def test_future_dates_are_fine_where_allowed():
    result = cell_findings("下次跟进日期", dt.date(2030, 1, 1))
    assert result == []


def test_unreadable_and_incomplete_dates():
    assert cell_findings(CREATED, "去年三月") == [(
        "error", "date-invalid", "建档日期“去年三月”不是可识别的日期；请按 2026-11-22 的格式填写",
    )]
    assert cell_findings(CREATED, "2025年11月") == [(
        "error", "date-incomplete",
        "建档日期“2025年11月”只有年月，缺少日；请填写完整日期，如 2025-11-01",
    )]
    assert codes(CREATED, "11/22/2025") == ["date-invalid"]
    assert codes(CREATED, True) == ["date-invalid"]


def test_excel_serial_number():
    assert cell_findings(CREATED, 45000.0) == [(
        "warning", "date-serial",
        "建档日期是数字 45000，已按 Excel 日期序号读取为 2023-03-15；请把单元格设为日期格式",
    )]


# --- numbers -------------------------------------------------------------------------------------
AMOUNT, STAFF = "交易金额(元)", "员工人数"


def test_number_cells():
    assert cell_findings(AMOUNT, 1200.5) == []
    assert parsed(AMOUNT, 1200.0) == 1200
    assert parsed(STAFF, 35.0) == 35


@pytest.mark.parametrize("raw, value", [("￥1,200.50", 1200.5), ("1,200", 1200), ("１２００", 1200),
                                        ("1200元", 1200), ("¥ 3,000", 3000)])
def test_numbers_typed_as_text_are_read_with_a_warning(raw, value):
    assert cell_findings(AMOUNT, raw) == [(
        "warning", "number-text",
        f"交易金额(元)“{raw}”是文本格式的数字，已按 {value} 读取；请把单元格设为数值格式，并去掉￥、逗号、全角数字或单位",
    )]
    assert parsed(AMOUNT, raw) == value


def test_not_a_number():
    assert cell_findings(AMOUNT, "面议") == [(
        "error", "number-invalid", "交易金额(元)“面议”不是数字；请只填写数字，不要带单位或文字",
    )]
    assert codes(AMOUNT, "1,20") == ["number-invalid"]
    assert codes(AMOUNT, True) == ["number-invalid"]


def test_negative_amount_and_count():
    assert cell_findings(AMOUNT, -50.0) == [(
        "error", "number-below-min", "交易金额(元)不能小于 0，本行为“-50”；请改正",
    )]
    assert codes("联系周期(天)", 0.0) == ["number-below-min"]


def test_integer_fields_reject_fractions():
    assert cell_findings(STAFF, 12.5) == [(
        "error", "number-not-integer", "员工人数应为整数，“12.5”带有小数；请填写整数",
    )]


# --- choices -------------------------------------------------------------------------------------
def test_canonical_and_alias_choices_are_accepted_and_canonicalised():
    assert cell_findings("客户类别", "A类客户") == []
    assert parsed("客户类别", "A类客户") == "重要客户"
    assert parsed("信誉等级", "a") == "A"
    assert parsed("所属区域", " 华东区 ") == "华东"


def test_unknown_choice_lists_the_allowed_values():
    assert cell_findings("客户类别", "VIP") == [(
        "error", "choice-invalid",
        "客户类别“VIP”不在可选值中；请从下拉列表中选择：重要客户、主要客户、普通客户、潜在客户",
    )]


# --- customer ids ---------------------------------------------------------------------------------
def test_customer_id_pattern():
    assert cell_findings("客户编号", "HD0001") == []
    assert cell_findings("客户编号", "KH001") == [(
        "error", "pattern-mismatch",
        "客户编号“KH001”格式不正确，应为：区域前缀加至少4位数字，如 HD0001"
        "（HD华东 HN华南 HB华北 HZ华中 XN西南 XB西北 DB东北）；请按此格式改正",
    )]


def test_customer_id_case_is_normalised():
    assert codes("客户编号", "hd0001") == ["value-normalized"]
    assert parsed("客户编号", "hd0001") == "HD0001"
