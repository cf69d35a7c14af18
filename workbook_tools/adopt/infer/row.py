"""convert_row: one legacy row (values by registration field key, after column mapping) to
the form's values, every change recorded as a Conversion.

Steps, in order: several legacy columns of one field combined (地址 joined, free text
joined, otherwise the first value kept and the others moved to 备注); each value converted
by its field type (values.py); 手机/电话 split and moved (phones.py); 所属区域 filled or
inferred (region.py); 客户类型 inferred (kind.py); 负责业务员 filled from ``owner``; the
numbers and values left over appended to 备注. Keys that are not registration fields pass
through untouched.
"""

from __future__ import annotations

from functools import partial
from typing import Any, Callable

from workbook_tools.schema.model import Field, Schema
from workbook_tools.validate.common import display
from workbook_tools.adopt.infer import kind, region as regions
from workbook_tools.adopt.infer.model import (
    EXTRA_NUMBERS, EXTRA_VALUE, HOW_EXTRA_COLUMN, HOW_JOIN_ADDRESS, HOW_JOIN_TEXT, HOW_OWNER_GIVEN,
    HOW_PHONE_EXTRA, HOW_REGION_GIVEN, Conversion,
)
from workbook_tools.adopt.infer.phones import split_phones
from workbook_tools.adopt.infer.values import (
    DEFAULT_CHOICE_THRESHOLD, ChoiceMatcher, convert_code, convert_date, convert_text,
)

FORM = "registration"
EXTRAS_KEY = "remarks"  # where numbers and values left over go (备注)


def _empty(value: Any) -> bool:
    return value is None or (value.__class__ is str and not value.strip())


class _Changes:
    """Per-field record: the value before any step, the value after the last, every how."""

    __slots__ = ("row", "by_key")

    def __init__(self, row: int) -> None:
        self.row = row
        self.by_key: dict[str, tuple] = {}

    def add(self, key: str, before: Any, after: Any, how: str, score: float | None = None) -> None:
        entry = self.by_key.get(key)
        if entry is not None:  # a second step on the same cell: keep the first before, join the hows
            before, how = entry[0], f"{entry[2]}，{how}"
            score = score if score is not None else entry[3]
        self.by_key[key] = (before, after, how, score)

    def conversions(self) -> list[Conversion]:
        row = self.row
        return [Conversion(row, key, before, after, how, score)
                for key, (before, after, how, score) in self.by_key.items() if before != after]


class RowConverter:
    """Everything convert_row needs from the schema, prepared once per schema."""

    def __init__(self, schema: Schema) -> None:
        form = schema.form(FORM)
        self.fields = {f.key: f for f in form.fields}
        threshold = float(schema.settings.get("choice_fuzzy_threshold", DEFAULT_CHOICE_THRESHOLD))
        self.choices = {f.key: ChoiceMatcher(f, threshold) for f in form.fields if f.type == "choice"}
        self.mobile_key = self._first(form, "mobile")
        self.phone_key = "phone" if "phone" in self.fields else self._first(form, "phone")
        self.uscc_key, self.id_key = self._first(form, "uscc"), self._first(form, "id_card")
        self.region = self.fields.get("region")
        self.region_values = frozenset(self.region.choice_values) if self.region else frozenset()
        self.type_field = self.fields.get("customer_type")
        self.type_values = kind.type_values(self.type_field) if self.type_field else (None, None)
        self.extras_key = EXTRAS_KEY if EXTRAS_KEY in self.fields else None
        # field key → its value converter, looked up once per cell (手机/电话 are converted together)
        self.converters = {f.key: self._converter(f) for f in form.fields
                           if f.key not in (self.mobile_key, self.phone_key)}
        self.plain = frozenset(k for k, fn in self.converters.items() if fn is convert_text)

    @staticmethod
    def _first(form: Any, type_: str) -> str | None:
        return next((f.key for f in form.fields if f.type == type_), None)

    def convert(self, values: dict[str, Any], row: int, given_region: str | None,
                owner: str | None) -> tuple[dict[str, Any], list[Conversion]]:
        out = dict(values)
        changes = _Changes(row)
        extras: list[str] = []
        converters, plain = self.converters, self.plain
        for key, raw in values.items():
            if raw is None or key not in converters:
                continue
            if raw.__class__ is list:
                raw = out[key] = self._combine(self.fields[key], raw, changes, extras)
                if raw is None:
                    continue
            elif key in plain and (raw.__class__ is not str or raw.isascii()):
                continue  # a plain-text field: only full-width characters would change
            new, how, score = converters[key](raw)
            out[key] = new  # a midnight datetime becomes its date quietly
            if how:
                changes.add(key, raw, new, how, score)
        phones = self._phones(out, changes, extras)
        self._region(out, changes, phones, given_region)
        self._customer_type(out, changes)
        if owner and "owner" in self.fields and _empty(out.get("owner")):
            changes.add("owner", out.get("owner"), owner, HOW_OWNER_GIVEN)
            out["owner"] = owner
        self._extras(out, changes, extras)
        return out, changes.conversions()

    def _converter(self, field: Field) -> Callable[[Any], tuple[Any, str | None, float | None]]:
        ftype = field.type
        if ftype == "choice":
            return self.choices[field.key].convert
        if ftype == "date":
            return convert_date
        if ftype in ("id_card", "uscc", "customer_id"):
            return partial(convert_code, upper=True, compact=True, number_ok=True)
        if ftype == "bank_account":
            return partial(convert_code, upper=False, compact=True, number_ok=True)
        if ftype in ("email", "url"):
            return partial(convert_code, upper=False, compact=False, number_ok=False)
        return convert_text

    def _combine(self, field: Field, raw: list, changes: _Changes, extras: list[str]) -> Any:
        """Several legacy columns of one field: 地址 parts joined (江苏省 + 苏州市 + …), free
        text and 所属区域 parts joined, otherwise the first value kept, the others to 备注."""
        parts = list(dict.fromkeys(p.strip() if p.__class__ is str else p for p in raw if not _empty(p)))
        if len(parts) <= 1:
            return parts[0] if parts else None
        texts = [display(p) for p in parts]
        if field.key == "address":
            new, how = _join_address(texts), HOW_JOIN_ADDRESS
        elif field is self.region:
            new, how = "".join(texts), HOW_JOIN_TEXT
        elif field.is_free_text:
            new, how = "；".join(texts), HOW_JOIN_TEXT
        else:
            new, how = parts[0], HOW_EXTRA_COLUMN
            extras.extend(EXTRA_VALUE.format(label=field.label, value=t) for t in texts[1:])
        changes.add(field.key, raw, new, how)
        return new

    def _phones(self, out: dict, changes: _Changes, extras: list[str]):
        if self.mobile_key is None or self.phone_key is None:
            return None
        mobile, phone = out.get(self.mobile_key), out.get(self.phone_key)
        if mobile is None and phone is None:
            return None
        result = split_phones(mobile, phone, self.mobile_key, self.phone_key)
        for key, value in ((self.mobile_key, result.mobile), (self.phone_key, result.phone)):
            if key in out or value is not None:
                out[key] = value
        for key, before, after, how in result.changes:
            changes.add(key, before, after, how)
        if result.extras:
            extras.append(EXTRA_NUMBERS.format(numbers="、".join(result.extras)))
        return result

    def _region(self, out: dict, changes: _Changes, phones: Any, given: str | None) -> None:
        field = self.region
        if field is None:
            return
        current = out.get("region")
        if not _empty(current) and current in self.region_values:
            return
        if _empty(current):
            if given:
                found = regions.given_region(field, given), HOW_REGION_GIVEN
            else:
                found = regions.infer(
                    field, address=out.get("address"),
                    landline=phones.landline_nsn if phones else "",
                    uscc=out.get(self.uscc_key) if self.uscc_key else None,
                    id_card=out.get(self.id_key) if self.id_key else None,
                    mobile=phones.mobile_nsn if phones else "")
        else:
            found = regions.place_how(field, display(current), given)
        if found:
            changes.add("region", current, found[0], found[1])
            out["region"] = found[0]

    def _customer_type(self, out: dict, changes: _Changes) -> None:
        field = self.type_field
        if field is None or not _empty(out.get(field.key)):
            return
        found = kind.infer_type(self.type_values, out.get("customer_name"),
                                out.get(self.uscc_key) if self.uscc_key else None,
                                out.get(self.id_key) if self.id_key else None)
        if found:
            changes.add(field.key, out.get(field.key), found[0], found[1])
            out[field.key] = found[0]

    def _extras(self, out: dict, changes: _Changes, extras: list[str]) -> None:
        if not extras:
            return
        key = self.extras_key or EXTRAS_KEY
        before = out.get(key)
        texts = ([] if _empty(before) else [display(before)]) + extras
        after = "；".join(texts)
        numbers = sum(e.startswith(EXTRA_NUMBERS[:4]) for e in extras)
        hows = [HOW_PHONE_EXTRA] * bool(numbers) + [HOW_EXTRA_COLUMN] * (numbers < len(extras))
        changes.add(key, before, after, "，".join(hows))
        out[key] = after


def _join_address(parts: list[str]) -> str:
    """江苏省 + 苏州市 + 吴中区… → 江苏省苏州市吴中区…; a part already contained is skipped,
    a part that repeats what came before replaces it."""
    text = ""
    for part in parts:
        if part in text:
            continue
        text = part if text and part.startswith(text) else text + part
    return text


_CONVERTERS: dict[int, tuple[Schema, RowConverter]] = {}


def converter(schema: Schema) -> RowConverter:
    """The RowConverter of a schema object (kept with the schema: ids are not reused)."""
    entry = _CONVERTERS.get(id(schema))
    if entry is None or entry[0] is not schema:
        entry = _CONVERTERS[id(schema)] = (schema, RowConverter(schema))
    return entry[1]


def convert_row(schema: Schema, values: dict[str, object], *, row: int, region: str | None = None,
                owner: str | None = None) -> tuple[dict[str, object], list[Conversion]]:
    """One legacy row converted: (values by field key, the conversions made). ``values``
    are the raw legacy values after column mapping (a list where several columns map to
    one field); ``region`` is the explicit default region (fills every row whose 所属区域
    is empty or a place name, before any inference); ``owner`` fills an empty 负责业务员."""
    return converter(schema).convert(values, row, region, owner)
