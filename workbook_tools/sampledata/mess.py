"""The everyday mess staff put into regional workbooks.

``plan`` decides, for the whole set and under the seed, which file gets which kind of
mess (every kind lands in at least one file); ``apply`` then injects one file's share
into its model on its own, so files can be built in parallel. Injected problems are
recorded as ``Pending`` and end up in manifest.json.

Layout and header mess: merged title row, blank row before the header, alias and
multi-line headers, an unknown column, a 填表人 footer. Row mess: a customer kept by
two regions, a near-duplicate company, a duplicate row, blank rows. Cell mess: ``cellmess``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from workbook_tools.sampledata import cellmess
from workbook_tools.sampledata.sheet import (
    BLANK_BEFORE_HEADER, FOOTER, HEADER, TITLE, Column, FileModel, Pending, Row, Sheet,
)
from workbook_tools.sampledata.vocabulary import Vocabulary

REG = "registration"
# Header aliases staff use; picked when the schema lists them, else any alias of the field.
PREFERRED_ALIASES = {"mobile": "手机号码", "customer_name": "公司名称", "credit": "信用等级"}
OTHER_ALIAS_FIELDS = ("phone", "created", "owner", "postal_code", "email", "address", "revised")
MULTILINE_FIELD = "uscc"
EXTRA_COLUMN = "微信号"
BLANK_ROW_RATE = 0.007
SHARED_KIND = "cross_region_conflict"


@dataclass(frozen=True)
class SharedRole:
    """This file keeps a row for the customer of another region (or is its home)."""

    customer_id: str
    region: str  # home region of the customer
    code: str
    home: bool
    other_file: str


@dataclass
class FilePlan:
    title: bool = False
    blank_before_header: bool = False
    footer: bool = False
    aliases: tuple[tuple[str, str], ...] = ()  # (field key, alias header)
    multiline: bool = False
    extra_column: bool = False
    near_duplicate: bool = False
    duplicate_row: bool = False
    blank_rows: int = 0
    cells: tuple[int, ...] = ()  # count per cellmess.SPECS entry
    shared: SharedRole | None = None


def plan(rng: random.Random, files: list[tuple[str, str, str, int, str]], vocab: Vocabulary) -> list[FilePlan]:
    """One plan per file; ``files``: (file name, region, code, customers, reserved 客户编号)."""
    n = len(files)
    plans = [FilePlan() for _ in files]
    titled = some(rng, n)
    untitled = [i for i in range(n) if i not in titled]
    for i in titled:
        plans[i].title = True
    # header row 3 (title + blank) in one file, 2 (blank only) in another
    for i in [rng.choice(titled)] + ([rng.choice(untitled)] if untitled else []):
        plans[i].blank_before_header = True
    for i in some(rng, n):
        plans[i].footer = True
    for i in some(rng, n):
        plans[i].aliases = _aliases(rng, vocab)
    for attr in ("multiline", "extra_column", "near_duplicate", "duplicate_row"):
        setattr(plans[rng.randrange(n)], attr, True)
    customers = [f[3] for f in files]
    for i, count in enumerate(cellmess.plan_counts(rng, customers, BLANK_ROW_RATE)):
        plans[i].blank_rows = count
    cells = [cellmess.plan_counts(rng, customers, spec.rate) for spec in cellmess.SPECS]
    for i, p in enumerate(plans):
        p.cells = tuple(column[i] for column in cells)
    if n > 1:
        _share(rng, files, plans)
    return plans


def some(rng: random.Random, n: int, share: float = 0.5) -> list[int]:
    """Random file indexes: at least one and, when there are several files, not all."""
    k = max(1, round(n * share))
    return sorted(rng.sample(range(n), min(k, n - 1) if n > 1 else 1))


def _aliases(rng: random.Random, vocab: Vocabulary) -> tuple[tuple[str, str], ...]:
    form = vocab.registration
    keys = [k for k in PREFERRED_ALIASES if k in form.keys]
    keys += rng.sample([k for k in OTHER_ALIAS_FIELDS if k in form.keys], 1)
    out = []
    for key in keys:
        options = [a for a in form.field(key).aliases if form.match_header(a) == key]
        if options:
            preferred = PREFERRED_ALIASES.get(key)
            out.append((key, preferred if preferred in options else rng.choice(options)))
    return tuple(out)


def _share(rng: random.Random, files, plans: list[FilePlan]) -> None:
    """One customer kept in two files (of different regions when there are several)."""
    home = rng.randrange(len(files))
    name, region, code, _, cid = files[home]
    guests = [i for i, f in enumerate(files) if f[1] != region] or [i for i in range(len(files)) if i != home]
    guest = rng.choice(guests)
    plans[home].shared = SharedRole(cid, region, code, True, files[guest][0])
    plans[guest].shared = SharedRole(cid, region, code, False, name)


def apply(rng: random.Random, f: FileModel, p: FilePlan, vocab: Vocabulary, week_label: str) -> None:
    """Inject one file's share of the mess into its model."""
    reg = f.sheets[REG]
    if p.title:
        reg.title = f"{f.region}区{reg.name}（{week_label}）"
        f.add(Pending(reg, TITLE, None, "title_row", reg.title, "表头上方有合并单元格的标题行"))
    if p.blank_before_header:
        reg.blank_before_header = True
        f.add(Pending(reg, BLANK_BEFORE_HEADER, None, "blank_before_header", "", "表头上方有空行"))
    if p.footer:
        reg.footer = f"填表人：{f.clerk}"
        f.add(Pending(reg, FOOTER, None, "footer_row", reg.footer, "数据下方有“填表人”落款行"))
    _headers(rng, f, p, vocab)
    if p.shared:
        _mark_shared(f, p.shared)
    if p.near_duplicate:
        _near_duplicate(rng, f, vocab)
    if p.duplicate_row:
        _duplicate_row(rng, f)
    _blank_rows(rng, f, p.blank_rows)
    cellmess.apply(rng, f, vocab, p.cells)


def _headers(rng: random.Random, f: FileModel, p: FilePlan, vocab: Vocabulary) -> None:
    reg = f.sheets[REG]
    for key, alias in p.aliases:
        reg.columns[reg.col(key)].header = alias
        label = vocab.registration.field(key).label
        f.add(Pending(reg, HEADER, key, "alias_header", alias, f"表头使用别名“{alias}”（标准名称：{label}）"))
    if p.multiline and MULTILINE_FIELD in vocab.registration.keys:
        column = reg.columns[reg.col(MULTILINE_FIELD)]
        label = vocab.registration.field(MULTILINE_FIELD).label
        column.header = label[: len(label) // 2] + "\n" + label[len(label) // 2:]
        f.add(Pending(reg, HEADER, MULTILINE_FIELD, "multiline_header", column.header, "表头单元格内有换行"))
    if p.extra_column:
        _extra_column(rng, f)


def _extra_column(rng: random.Random, f: FileModel) -> None:
    """A column the template does not have (微信号), right after 手机."""
    reg = f.sheets[REG]
    at = reg.col("mobile") + 1 if "mobile" in (c.key for c in reg.columns) else len(reg.columns)
    reg.columns.insert(at, Column(EXTRA_COLUMN, None, "text", 14))
    for row in reg.rows:
        if row:
            wechat = None
            if rng.random() < 0.4:
                wechat = f"wxid_{rng.randrange(16 ** 8):08x}" if rng.random() < 0.5 else row.meta.pinyin
            row.insert(at, wechat)
    f.add(Pending(reg, HEADER, None, "unknown_column", EXTRA_COLUMN, f"模板中没有的列“{EXTRA_COLUMN}”",
                  header=EXTRA_COLUMN))


def index_of(rows: list[Row], row: Row) -> int:
    """Position of this very row object (list.index would also match an equal copy)."""
    return next(i for i, r in enumerate(rows) if r is row)


def row_dict(sheet: Sheet, row: Row) -> dict:
    return {c.key: v for c, v in zip(sheet.columns, row) if c.key}


def make_row(sheet: Sheet, values: dict, meta) -> Row:
    return Row([values.get(c.key) if c.key else None for c in sheet.columns], meta)


def _mark_shared(f: FileModel, role: SharedRole) -> None:
    reg = f.sheets[REG]
    i_id, i_mobile = reg.col("customer_id"), reg.col("mobile")
    row = next(r for r in reg.rows if r and r[i_id] == role.customer_id)
    text = f"客户编号 {role.customer_id} 同时出现在 {role.other_file}：手机号不同、最新修订日期不同"
    f.add(Pending(reg, row, "mobile", SHARED_KIND, row[i_mobile], text))


def _near_duplicate(rng: random.Random, f: FileModel, vocab: Vocabulary) -> None:
    """The same company registered twice under two 客户编号: 北京华为技术有限公司 / 华为技术（北京）有限公司."""
    reg = f.sheets[REG]
    i_type, i_mobile = reg.col("customer_type"), reg.col("mobile")
    candidates = [r for r in f.clean_rows(REG) if r[i_type] == vocab.company and r[i_mobile] and r.meta.parts]
    if len(candidates) < 2:
        return
    first, second = sorted(rng.sample(range(len(candidates)), 2))
    first, second = candidates[first], candidates[second]
    values, company = row_dict(reg, second), row_dict(reg, first)
    for key in ("customer_type", "industry", "ownership", "address", "postal_code", "uscc", "legal_rep",
                "registered_capital", "website", "phone", "bank", "bank_account"):
        if key in company:
            values[key] = company[key]
    place, brand, word, form = first.meta.parts
    values["customer_name"] = f"{brand}{word}（{place}）{form}"
    second[:] = make_row(reg, values, first.meta)
    f.add(Pending(reg, first, None, "near_duplicate_original", company["customer_name"],
                  "疑似重复客户的另一条：{related}", related=(f.name, reg, second)))
    f.add(Pending(reg, second, "customer_name", "near_duplicate", values["customer_name"],
                  f"与 {{related}} 的“{company['customer_name']}”是同一家公司（名称写法不同、统一社会信用代码相同），"
                  "但客户编号不同", related=(f.name, reg, first)))


def _duplicate_row(rng: random.Random, f: FileModel) -> None:
    reg = f.sheets[REG]
    candidates = f.clean_rows(REG)
    if not candidates:
        return
    original = rng.choice(candidates)
    copy = Row(original, original.meta)
    reg.rows.insert(index_of(reg.rows, original) + 1 + rng.choice((0, 0, 3, 10)), copy)
    f.touched.add(id(original))
    f.add(Pending(reg, copy, None, "duplicate_row", copy[reg.col("customer_id")], "与 {related} 完全重复",
                  related=(f.name, reg, original)))


def _blank_rows(rng: random.Random, f: FileModel, count: int) -> None:
    reg = f.sheets[REG]
    for _ in range(count):
        blank = Row()
        reg.rows.insert(rng.randrange(1, max(2, len(reg.rows))), blank)
        f.add(Pending(reg, blank, None, "blank_row", "", "数据中间有空行"))
