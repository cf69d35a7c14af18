"""Which legacy column goes to which registration field.

Three steps, each recorded with how and (for fuzzy matches) the score: the schema's
labels and aliases; then a normalised fuzzy match of the header against every label and
alias (rapidfuzz); then the user's map file (``源列: 字段`` / ``源列: 忽略``), which wins.
Ambiguous headers (电话, 类型, 级别 …) are decided by the column's values, not by the
header alone. A column mapping nowhere is kept in the 其他信息 columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, Sequence

from rapidfuzz import fuzz

from workbook_tools.schema.model import Form, header_variants, normalize_choice, normalize_header

FUZZY_MIN = 80          # a fuzzy header match below this score is not taken
CONTAINED_SCORE = 85.0  # "客户手机" ends with the alias 手机 (at most 2 characters more)
VALUE_SHARE = 0.6       # share of a column's distinct values that must fit a field to decide by content
SAMPLE_ROWS = 500

HOW_LABEL, HOW_ALIAS, HOW_FUZZY = "标准列名", "别名", "模糊匹配"
HOW_MAP, HOW_VALUES, HOW_KEPT, HOW_IGNORED = "映射文件", "按内容判断", "未匹配，保留在其他信息", "映射文件：忽略"
IGNORE_WORDS = frozenset({"忽略", "其他信息", "其它信息", "不导入", "ignore"})

# Headers of real registers that name something the registration form has no field for:
# never fuzzy-matched to a field (最后跟进时间 is not 最近交易时间), kept in 其他信息.
NOT_FIELDS = frozenset(normalize_header(h) for h in (
    "客户状态", "成交状态", "最后跟进时间", "下次联系时间", "公司规模", "最后跟进记录", "跟进状态",
    "微信", "微信号", "QQ", "需求", "所属部门", "部门", "更新时间", "更新人", "修改人", "最后修改时间",
    "是否锁定", "锁定状态", "序号", "性别", "生日", "客户阶段", "最新跟进记录", "未跟进天数",
))
# Headers whose meaning depends on what the column holds: decided by the values.
AMBIGUOUS = frozenset(normalize_header(h) for h in (
    "类型", "类别", "级别", "等级", "性质", "分类", "电话", "联系电话", "电话号码", "号码", "联系方式",
    "客户类型", "客户类别",
))
PHONE_FIELDS = ("mobile", "phone")
_MOBILE = re.compile(r"(?:\+?86)?1[3-9]\d{9}")
_LANDLINE = re.compile(r"(?:\+?86)?0\d{2,3}\d{7,8}(?:\d{1,6})?|[2-9]\d{6,7}")
_PHONE_JUNK = re.compile(r"[\s\-—－()（）]")


@dataclass(frozen=True)
class ColumnMap:
    """One legacy column and where it goes."""

    index: int            # position in the table's columns
    letter: str           # sheet column letter
    header: str
    field: str | None     # registration field key; None: kept in 其他信息
    how: str
    score: float | None = None

    @property
    def kept(self) -> bool:
        return self.field is None


class Mapper:
    """Maps headers of one form; ``overrides``: the map file (normalised header → field
    key, or None for 忽略)."""

    def __init__(self, form: Form, overrides: dict[str, str | None] | None = None):
        self.form = form
        self.overrides = overrides or {}
        self.names: dict[str, str] = {}   # normalised label/alias → key
        for field in form.fields:
            for name in field.header_names():
                self.names.setdefault(normalize_header(name), field.key)
        self._cache: dict[str, tuple[str | None, str, float | None]] = {}

    def header(self, text: Any) -> tuple[str | None, str, float | None]:
        """(field key or None, how, score) for a header text."""
        text = "" if text is None else str(text)
        if text not in self._cache:
            self._cache[text] = self._header(text)
        return self._cache[text]

    def _header(self, text: str) -> tuple[str | None, str, float | None]:
        variants = header_variants(text)
        for variant in variants:
            if variant in self.overrides:
                key = self.overrides[variant]
                return (key, HOW_MAP, None) if key else (None, HOW_IGNORED, None)
        key = self.form.match_header(text)
        if key is not None:
            label = normalize_header(self.form.field(key).label)
            return key, HOW_LABEL if label in variants else HOW_ALIAS, None
        if not variants[0] or any(v in NOT_FIELDS for v in variants):
            return None, HOW_KEPT, None
        return self._fuzzy(variants[-1])

    def _fuzzy(self, text: str) -> tuple[str | None, str, float | None]:
        best: tuple[float, str] | None = None
        for name, key in self.names.items():
            score = fuzz.ratio(text, name)
            if len(name) >= 2 and text.endswith(name) and len(text) - len(name) <= 2:
                score = max(score, CONTAINED_SCORE)
            if best is None or score > best[0]:
                best = (score, key)
        if best is not None and best[0] >= FUZZY_MIN:
            return best[1], HOW_FUZZY, round(best[0], 1)
        return None, HOW_KEPT, None if best is None else round(best[0], 1)

    def columns(self, headers: Sequence[tuple[str, str]], samples: Sequence[list]) -> list[ColumnMap]:
        """Map a table's columns: ``headers`` (letter, header text) and per column a sample
        of its values (for the value-based decisions)."""
        out = []
        for i, (letter, text) in enumerate(headers):
            key, how, score = self.header(text) if str(text or "").strip() else (None, HOW_KEPT, None)
            out.append(ColumnMap(i, letter, str(text or ""), key, how, score))
        return by_values(self.form, out, samples)

    def is_mapped(self, text: Any) -> bool:
        return self.header(text)[0] is not None


def by_values(form: Form, columns: list[ColumnMap], samples: Sequence[list]) -> list[ColumnMap]:
    """Decide ambiguous headers by the values they hold (not for map-file choices)."""
    out = list(columns)
    for i, col in enumerate(out):
        if col.how in (HOW_MAP, HOW_IGNORED):
            continue
        norm = header_variants(col.header)[-1]
        if norm not in AMBIGUOUS and not (col.field and form.field(col.field).choices):
            continue
        taken = {c.field for j, c in enumerate(out) if j != i and c.field}
        decided = _decide(form, col, samples[i], taken, norm in AMBIGUOUS)
        if decided is not None:
            out[i] = decided
    return out


def _decide(form: Form, col: ColumnMap, values: list, taken: set, ambiguous: bool) -> ColumnMap | None:
    texts = list(dict.fromkeys(str(v).strip() for v in values if v is not None and str(v).strip()))
    if not texts:
        return None
    phones = _phone_kind(texts)
    if phones is not None and (ambiguous or col.field in PHONE_FIELDS):
        if phones != col.field and (phones not in taken or col.field is None):
            share = _share(texts, _MOBILE if phones == "mobile" else _LANDLINE)
            return replace(col, field=phones, how=HOW_VALUES, score=round(100 * share, 1))
        return None
    if col.field is not None and _fits(form.field(col.field), texts) >= VALUE_SHARE:
        return None
    best = max(((_fits(f, texts), f.key) for f in form.fields if f.choices and f.key not in taken),
               default=(0.0, None))
    if best[1] is not None and best[0] >= VALUE_SHARE and (ambiguous or col.field is not None):
        return replace(col, field=best[1], how=HOW_VALUES, score=round(100 * best[0], 1))
    return None


def _fits(field, texts: list[str]) -> float:
    lookup = field.choice_lookup()
    return sum(1 for t in texts if any(v in lookup for v in _forms(t))) / len(texts)


def _forms(text: str) -> tuple[str, ...]:
    """The text, then what a CRM level says in brackets (“A（重点客户）” → 重点客户); the
    letter alone only for the plain field (信誉等级 A) when nothing else fits."""
    inner = re.findall(r"[(（](.*?)[)）]", text)
    return (normalize_choice(text), *(normalize_choice(i) for i in inner))


def _share(texts: list[str], pattern: re.Pattern) -> float:
    return sum(1 for t in texts if pattern.fullmatch(_PHONE_JUNK.sub("", t))) / len(texts)


def _phone_kind(texts: list[str]) -> str | None:
    """mobile / phone when most values are numbers of that kind, else None."""
    mobile, landline = _share(texts, _MOBILE), _share(texts, _LANDLINE)
    if mobile >= VALUE_SHARE and mobile > landline:
        return "mobile"
    if landline >= VALUE_SHARE:
        return "phone"
    return None
