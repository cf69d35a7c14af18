"""When a header row found on a sheet is accepted as a form's table, and why not.

Three rules on top of the column count (io/header.py):

* Named form (``--form registration``): any header row mapping at least one required
  field of that form is accepted — the user has said what the sheet is.
* Title: a sheet whose name, or a title above its header (``公司 项目备案表``), names
  another kind of table is not read as this form. Chinese table names end with what
  they list (客户联系人导入模板 lists 联系人, 新增询价客户名录 lists 客户), so the last
  table word in the title decides.
* Customer identity (the customer form, neither named nor titled): the matched columns must
  include 客户编号 or 客户名称 plus at least one field describing the customer itself
  (类型, 区域, 行业, 地址, 证件…), not only its contact persons (联系人, 手机, 邮箱) or
  the record keeping every CRM export has (负责人, 创建时间). A 联系人导入模板 is
  thereby refused even under a neutral sheet name.

Every refusal is a Chinese reason shown by inspect and in the validation report.
"""

from __future__ import annotations

import re

from workbook_tools.schema.model import Form, normalize_header

# Words that name a kind of table other than the schema's forms (the forms' own titles
# and aliases are added per form). Checked only in sheet names and title rows.
OTHER_TABLE_WORDS = (
    "项目", "联系人", "报价", "询价", "合同", "回款", "收款", "应收", "应付", "订单", "订货",
    "发货", "出货", "送货", "供应商", "供方", "成本", "总账", "总帐", "明细账", "明细帐",
    "账目", "帐目", "对账", "对帐", "考勤", "出勤", "工资", "薪资", "员工", "产品", "库存",
    "采购", "发票", "开票", "费用", "报销",
)
# The customer form's own word besides its title and aliases.
CUSTOMER_WORDS = ("客户",)
# A title row ends with a table word; group headers above columns (发货情况, 联系人信息) do not.
_TITLE_END = re.compile(r"(表|单|名录|名单|模板|清单|台账|台帐|明细|记录|档案|资料|卡|汇总|目录)$")
_JOINED = re.compile(r"[及和与、&/]$")  # 客户及联系人信息表: both are listed
_NOTE = re.compile(r"[(（][^()（）]*[)）]")  # 客户信息表（含联系人）: a note, not the table's name
MAX_TITLE_CHARS = 40

# Fields that do not tell a customer list from a list of its contacts or any CRM export.
IDENTITY_NAME = "customer_name"
CONTACT_LEVEL = frozenset({"contact", "title", "mobile", "phone", "fax", "email", "remarks"})
RECORD_KEEPING = frozenset({"owner", "created", "revised", "filled_by"})
# The customer's address, unless the rows are people (a person column is present).
WHERE = frozenset({"address", "postal_code"})
PERSON_HEADERS = frozenset({"姓名", "联系人姓名", "联系人"})
EXAMPLE_FIELDS = ("customer_type", "region", "industry", "address", "uscc")


def is_customer_form(form: Form) -> bool:
    """The form whose rows are customers (its id field is a 客户编号)."""
    try:
        return form.field(form.id_field).type == "customer_id"
    except KeyError:
        return False


def is_title_text(text: str) -> bool:
    """A text above the header that reads like a table title (ends with 表/名录/模板…)."""
    norm = normalize_header(text)
    return 0 < len(norm) <= MAX_TITLE_CHARS and ":" not in norm and _TITLE_END.search(norm) is not None


def enough_fields(form: Form, keys: set[str], titled: bool, named: bool,
                  minimum: int, minimum_titled: int) -> bool:
    """Whether ``keys`` (matched fields of one row) may be ``form``'s header."""
    if len(keys) >= (minimum_titled if titled else minimum):
        return True
    return named and any(form.field(k).required for k in keys)


def refusal(form: Form, forms: list[Form], keys: set[str], headers: list[str],
            titles: list[tuple[str, str]], named: bool, titled: bool, row: int) -> str | None:
    """Why the header row ``row`` (1-based sheet row) is not ``form``'s table, or None.
    ``headers``: the row's texts; ``titles``: (where, text) of the sheet name and titles;
    ``named``/``titled``: the caller / the sheet's title named the form."""
    for where, text in titles:
        word = other_table_word(form, forms, text)
        if word:
            return f"{where}“{text.strip()}”说明这是“{word}”类表格，不是{form.title}"
    if named or titled or not is_customer_form(form):
        return None
    return _identity_refusal(form, keys, headers, row)


def other_table_word(form: Form, forms: list[Form], text: str) -> str | None:
    """The word naming another kind of table when it is the last table word of ``text``."""
    norm = _NOTE.sub("", normalize_header(text))
    own = [*form.title_names(), *(CUSTOMER_WORDS if is_customer_form(form) else ())]
    other = [*OTHER_TABLE_WORDS, *(n for f in forms if f.key != form.key for n in f.title_names())]
    own_end = max((_last_end(norm, w) for w in own), default=-1)
    best, best_end = None, -1
    for word in other:
        end = _last_end(norm, word)
        if end > best_end and not _listed_with(norm, end - len(normalize_header(word)), own_end):
            best, best_end = word, end
    return best if best_end > own_end else None


def _last_end(norm: str, word: str) -> int:
    at = norm.rfind(normalize_header(word))
    return -1 if at < 0 else at + len(normalize_header(word))


def _listed_with(norm: str, start: int, own_end: int) -> bool:
    """客户及联系人…: the other word is joined to an own word, so both are listed."""
    return own_end == start - 1 and _JOINED.search(norm[:start]) is not None


def _identity_refusal(form: Form, keys: set[str], headers: list[str], row: int) -> str | None:
    label = {f.key: f.label for f in form.fields}
    found = "、".join(label[f.key] for f in form.fields if f.key in keys)
    identity = {form.id_field, IDENTITY_NAME}
    if not keys & identity:
        names = "或".join(label[k] for k in (form.id_field, IDENTITY_NAME) if k in label)
        return (f"第 {row} 行识别出的列（{found}）中没有{names}，"
                f"无法确定每行是哪位客户，不按{form.title}读取")
    person = "contact" in keys or any(normalize_header(h) in PERSON_HEADERS for h in headers)
    own = keys - identity - CONTACT_LEVEL - RECORD_KEEPING - (WHERE if person else frozenset())
    if own:
        return None
    examples = "、".join(label[k] for k in EXAMPLE_FIELDS if k in label)
    return (f"第 {row} 行只识别出客户名称和联系人、记录信息（{found}），缺少客户本身的信息"
            f"（如{examples}），像是联系人等其他表格，不按{form.title}读取")


def better_form(form: Form, forms: list[Form], keys: set[str], headers: list[str], row: int,
                minimum: int) -> str | None:
    """For a header of the named ``form``: the reason to refuse it when another form
    recognises the row with enough columns and more of them (a visit sheet is not read
    as customers because the user named the customer form for a whole folder)."""
    best, most = None, max(len(keys), minimum - 1)
    for other in forms:
        if other.key != form.key:
            found = len({k for k in map(other.match_header, headers) if k is not None})
            if found > most:
                best, most = other, found
    return None if best is None else f"第 {row} 行是{best.title}的表头（识别出 {most} 列），不是{form.title}"


def near_miss(form: Form, keys: set[str], row: int, named: bool, minimum: int) -> str:
    """Why the best row that fell short of the threshold was not taken as a header."""
    label = {f.key: f.label for f in form.fields}
    found = "、".join(label[f.key] for f in form.fields if f.key in keys)
    if named:
        required = "、".join(f.label for f in form.fields if f.required)
        return f"第 {row} 行只识别出 {found}，其中没有{form.title}的必填列（{required}）"
    text = f"第 {row} 行只识别出 {len(keys)} 列（{found}），自动识别至少需要 {minimum} 列"
    if any(form.field(k).required for k in keys):
        text += f"；指定表格类型后（如 --form {form.key}）有 1 个必填列即可"
    return text
