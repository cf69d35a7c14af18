"""The 填表说明 sheet: what each column means, generated from the schema."""

from __future__ import annotations

import jinja2
from rich.cells import cell_len

from workbook_tools.generate.context import TemplateInfo
from workbook_tools.io.pagesetup import page_header
from workbook_tools.schema.model import Field, Form

INSTRUCTIONS_SHEET = "填表说明"
TABLE_HEADER = ("列名", "是否必填", "类型", "说明", "可选值", "示例")
# Column widths follow the content (display cells: a Chinese character is two), between these
# bounds; the prose columns 说明 and 可选值 wrap at their most, the others are as wide as they need.
MIN_WIDTHS = (10, 10, 8, 24, 20, 12)
MAX_WIDTHS = (40, 40, 24, 50, 44, 40)
LINE_HEIGHT = 16  # points per line of a wrapped note spanning the table
SENSITIVE_MARK = "（敏感信息）"
CHOICE_SEPARATOR = "／"

TYPE_NAMES = {
    "text": "文本", "integer": "整数", "decimal": "小数", "money": "金额", "date": "日期",
    "choice": "下拉选择", "mobile": "手机号", "phone": "电话", "email": "电子邮件",
    "postal_code": "邮编", "id_card": "身份证号", "uscc": "统一社会信用代码", "url": "网址",
    "customer_id": "客户编号", "bank_account": "银行账号",
}
DEFAULT_EXAMPLES = {
    "date": "2026-11-22", "mobile": "13812345678", "phone": "0755-12345678",
    "email": "zhangsan@example.com", "postal_code": "518000", "url": "www.example.com",
}

_ENV = jinja2.Environment(trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
                          autoescape=False, keep_trailing_newline=False)

HEAD_TEMPLATE = _ENV.from_string("""\
{{ form.title }} 填表说明
{% if form.description %}
{{ form.description }}
{% endif %}
表格版本：{{ schema.stamp }}　表单：{{ form.key }}　生成工具：{{ generator }}（合并和校验时据此识别表格，请勿删除本页）
{% if scope %}
{{ scope }}
{% endif %}
""")

TIPS_TEMPLATE = _ENV.from_string("""\
带 * 的列（橙色表头）必须填写；其余列按上表说明填写，没有的可以留空。
{% if has_code %}
编号、证件号、电话、邮编等列已设为文本格式，请勿改为数字格式，否则长数字会变成 1.1E+17 或丢掉开头的 0。
{% endif %}
{% if has_date %}
日期写成 2026-11-22 这样的格式。
{% endif %}
{% if has_choice %}
有下拉箭头的列请从下拉列表中选择，不要输入列表以外的内容。
{% endif %}
不要修改、删除或移动表头（第 1 行），表头已锁定保护；每条记录占一行，不要合并单元格，中间不要留空行。
已预留 {{ rows }} 行带格式的空行，不够时可以插入行或在下方继续填写。
填表人、填表日期可以写在表格下方（空一行后写“填表人：张三”），也可以不写。
""")


def _lines(template: jinja2.Template, **context) -> list[str]:
    return [line for line in template.render(**context).splitlines() if line.strip()]


def required_text(field: Field, form: Form) -> str:
    """必填 / 条件必填：客户类型为个人时 / 选填."""
    if field.required:
        return "必填"
    if field.required_if:
        conds = "且".join(f"{_label(form, key)}为{value}" for key, value in field.required_if)
        return f"条件必填：{conds}时"
    return "选填"


def _label(form: Form, key: str) -> str:
    try:
        return form.field(key).label
    except KeyError:
        return key


def choices_text(field: Field) -> str:
    """Allowed values joined with ／, each with its help: A（按时回款）／B（…）."""
    return CHOICE_SEPARATOR.join(f"{c.value}（{c.help}）" if c.help else c.value
                                 for c in field.choices)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def notes_text(field: Field) -> str:
    """The 说明 cell: help, then constraints, then the sensitive-data mark."""
    parts = [field.help.rstrip("。；;")] if field.help else []
    if field.min is not None and field.max is not None:
        parts.append(f"范围 {_number(field.min)}～{_number(field.max)}")
    elif field.min is not None:
        parts.append(f"不小于 {_number(field.min)}")
    elif field.max is not None:
        parts.append(f"不大于 {_number(field.max)}")
    if field.type == "date" and not field.allow_future:
        parts.append("不能晚于今天")
    if field.unique:
        parts.append("不能重复")
    text = "；".join(parts)
    return text + SENSITIVE_MARK if field.sensitive else text


def example_text(field: Field) -> str:
    if field.example:
        return field.example
    if field.type == "choice" and field.choices:
        return field.choices[0].value
    return DEFAULT_EXAMPLES.get(field.type, "")


def field_rows(form: Form) -> list[tuple[str, ...]]:
    """One row per column of the data sheet, in the 填表说明 table's column order."""
    return [
        (field.label, required_text(field, form), TYPE_NAMES.get(field.type, field.type),
         notes_text(field), choices_text(field), example_text(field))
        for field in form.fields
    ]


def head_lines(info: TemplateInfo) -> list[str]:
    return _lines(HEAD_TEMPLATE, form=info.form, schema=info.schema,
                  generator=info.generator, scope=info.scope_text())


# The self-checking forms (generate/checks): the column, the colours, and what a paste removes.
CHECK_TIPS = (
    "最右边的“检查结果”列由公式自动检查本行，空白表示没有发现问题，否则用与总部校验相同的话列出问题；"
    "填错的单元格显示为红色（错误，必须改正）或黄色（警告，请核对）。",
    "粘贴会清除单元格的下拉列表和位数限制（数据验证），粘贴整个单元格还可能带走红黄标色；"
    "“检查结果”列不受粘贴影响，粘贴后请以它为准。",
)


def tip_lines(info: TemplateInfo) -> list[str]:
    types = {f.type for f in info.form.fields}
    lines = _lines(TIPS_TEMPLATE, rows=info.rows, has_date="date" in types,
                   has_choice="choice" in types, has_code=any(f.is_code for f in info.form.fields))
    return lines + list(CHECK_TIPS) if info.checks else lines


def table_widths(rows: list[tuple[str, ...]]) -> list[int]:
    """The 填表说明 table's column widths: the widest text + 2, between MIN_WIDTHS and MAX_WIDTHS."""
    need = [max(cell_len(text) for text in column) + 2 for column in zip(TABLE_HEADER, *rows)]
    return [min(max(n, low), high) for n, low, high in zip(need, MIN_WIDTHS, MAX_WIDTHS)]


def _note(ws, row: int, text: str, width: int, formats) -> None:
    """A wrapped note merged across the table, its row as high as its lines (Excel does not fit
    the height of merged cells)."""
    ws.merge_range(row, 0, row, len(TABLE_HEADER) - 1, text, formats.note())
    lines = -(-cell_len(text) // (width - 2))
    if lines > 1:
        ws.set_row(row, LINE_HEIGHT * lines)


def write_instructions(ws, info: TemplateInfo, formats) -> None:
    """Fill the 填表说明 sheet: heading lines, the column table, rules, tips."""
    last_col = len(TABLE_HEADER) - 1
    rows = field_rows(info.form)
    widths = table_widths(rows)
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    head = head_lines(info)
    ws.merge_range(0, 0, 0, last_col, head[0], formats.title())
    ws.set_row(0, 26)
    for row, line in enumerate(head[1:], start=1):
        _note(ws, row, line, sum(widths), formats)
    row = len(head) + 1
    for col, text in enumerate(TABLE_HEADER):
        ws.write_string(row, col, text, formats.table_header())
    for values in rows:
        row += 1
        for col, text in enumerate(values):
            ws.write_string(row, col, text, formats.table_cell(highlight=col == 1 and text == "必填"))
    row = _write_section(ws, row + 2, "填写规则", [r.message for r in info.form.rules], sum(widths), formats)
    row = _write_section(ws, row + 1, "注意事项", tip_lines(info), sum(widths), formats)
    _page_setup(ws, info)


def _write_section(ws, row: int, title: str, lines: list[str], width: int, formats) -> int:
    """A bold title and numbered lines; returns the row after the section."""
    if not lines:
        return row
    ws.write_string(row, 0, title, formats.section())
    for n, line in enumerate(lines, start=1):
        _note(ws, row + n, f"{n}. {line}", width, formats)
    return row + len(lines) + 1


def _page_setup(ws, info) -> None:
    ws.set_header(page_header(f"{info.form.title} · {INSTRUCTIONS_SHEET}"))
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_footer("&C第 &P 页，共 &N 页")
