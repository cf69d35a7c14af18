"""手机 and 电话 from legacy cells: a cell holding several numbers is split, a mobile in the
电话 column moves to 手机 (when 手机 has none) and a landline in the 手机 column to 电话;
numbers left over go to 备注 as 其他号码：… — never dropped.

Each number is read by validate's parse_phone (the Chinese numbering plan from
phonenumbers' metadata), so a number adopt moves is one validation accepts. A cell
holding one number that already fits its column is left as typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from workbook_tools.validate.common import nfkc
from workbook_tools.validate.contact import parse_phone
from workbook_tools.validate.phoneplan import FIXED_LINE, FIXED_LINE_OR_MOBILE, MOBILE, UNKNOWN
from workbook_tools.adopt.infer.model import (
    HOW_FULL_WIDTH, HOW_NUMBER_TEXT, HOW_PHONE_EXTRA, HOW_PHONE_SPLIT, HOW_PHONE_TO_MOBILE, HOW_PHONE_TO_PHONE,
)

MOBILE_KINDS = frozenset({MOBILE, FIXED_LINE_OR_MOBILE})
_LABEL = re.compile(r"(?:手机号?码?|移动电话|联系电话|办公电话|固定电话|电话号?码?|座机|固话|办公|"
                    r"住宅|家庭|宅电|tel|phone|mobile|mob|cell)\s*[:：]?", re.IGNORECASE)
_SEPARATOR = re.compile(r"\s*(?:[/,;、|\n]|或|及)\s*")
_SPACES = re.compile(r"\s+")


@dataclass(slots=True)
class Piece:
    """One number of a cell: the text as typed, how it reads, the field it came from."""
    text: str
    nsn: str
    kind: int
    extension: str
    origin: str

    @property
    def is_mobile(self) -> bool:
        return self.kind in MOBILE_KINDS and not self.extension

    @property
    def known(self) -> bool:
        return self.kind != UNKNOWN

    def display(self) -> str:
        """As validation writes it: 13812345678, 0755-12345678(-123), 4008001234."""
        if not self.known:
            return self.text
        if self.kind == FIXED_LINE:
            area = 2 if self.nsn.startswith(("10", "2")) else 3
            text = f"0{self.nsn[:area]}-{self.nsn[area:]}"
        else:
            text = self.nsn
        return f"{text}-{self.extension}" if self.extension else text

    def same(self, other: "Piece") -> bool:
        return self.known and other.known and (self.nsn, self.extension) == (other.nsn, other.extension)


@dataclass(slots=True)
class PhoneResult:
    mobile: Any
    phone: Any
    extras: list[str] = field(default_factory=list)
    changes: list[tuple[str, Any, Any, str]] = field(default_factory=list)  # field, before, after, how
    mobile_nsn: str = ""      # the mobile number, for the region's last resort (its segment)
    landline_nsn: str = ""    # the landline, for its area code


def _read(text: str, origin: str) -> Piece:
    nsn, kind, extension, _ = parse_phone(text)
    return Piece(text, nsn, kind, extension, origin)


def pieces(raw: Any, origin: str) -> list[Piece]:
    """The numbers of one cell (a list: several legacy columns), in order."""
    if raw is None:
        return []
    if isinstance(raw, list):
        return [p for item in raw for p in pieces(item, origin)]
    if raw.__class__ in (int, float):
        if raw.__class__ is float and not raw.is_integer():
            return [Piece(str(raw), "", UNKNOWN, "", origin)]
        return [_read(str(int(raw)), origin)]
    text = nfkc(str(raw)).strip()
    if not text:
        return []
    single = _read(text, origin)
    if single.known:
        return [single]
    out = []
    for chunk in _SEPARATOR.split(_LABEL.sub(" / ", text)):
        chunk = chunk.strip(" -:：")
        if chunk:
            out.extend(_chunk(chunk, origin))
    return out


def _chunk(chunk: str, origin: str) -> list[Piece]:
    """A chunk between separators: one number, or several written with spaces between."""
    piece = _read(chunk, origin)
    if piece.known or " " not in chunk:
        return [piece]
    tokens = [_read(t, origin) for t in _SPACES.split(chunk)]
    return tokens if all(t.known for t in tokens) else [piece]


def split_phones(mobile: Any, phone: Any, mobile_key: str = "mobile", phone_key: str = "phone") -> PhoneResult:
    """The 手机 and 电话 values of one row, converted (see the module docstring)."""
    if _is_ascii(mobile) and _is_ascii(phone):  # the usual row: one plain number per column
        quick = _quick(mobile, phone, mobile_key, phone_key)
        if quick is not None:
            return quick
    m_pieces, p_pieces = pieces(mobile, mobile_key), pieces(phone, phone_key)
    if _fits(m_pieces, p_pieces):
        return _as_typed(mobile, phone, m_pieces, p_pieces, mobile_key, phone_key)
    mobiles = [p for p in m_pieces + p_pieces if p.is_mobile]
    landlines = [p for p in p_pieces + m_pieces if p.known and not p.is_mobile]
    new_mobile = mobiles[0] if mobiles else _unknown(m_pieces)
    new_phone = landlines[0] if landlines else _phone_fallback(p_pieces, new_mobile)
    used = [p for p in (new_mobile, new_phone) if p is not None]
    extras: list[Piece] = []
    for p in m_pieces + p_pieces:
        if not any(p is u or p.same(u) for u in used + extras):
            extras.append(p)
    result = PhoneResult(
        mobile=_value(new_mobile, mobile_key, m_pieces, mobile),
        phone=_value(new_phone, phone_key, p_pieces, phone),
        extras=[p.display() for p in extras],
        mobile_nsn=new_mobile.nsn if new_mobile and new_mobile.is_mobile else "",
        landline_nsn=new_phone.nsn if new_phone and new_phone.kind == FIXED_LINE else "")
    _record(result, mobile_key, mobile, m_pieces, new_mobile, new_phone, result.mobile)
    _record(result, phone_key, phone, p_pieces, new_phone, new_mobile, result.phone)
    return result


def _half(raw: Any) -> Any:
    """A value as typed, full-width digits made half-width, a whole number as its digits."""
    if raw.__class__ is str and not raw.isascii():
        return nfkc(raw)
    if raw.__class__ is int or (raw.__class__ is float and raw.is_integer()):
        return str(int(raw))
    return raw


def _value(piece: Piece | None, key: str, own: list[Piece], raw: Any) -> Any:
    """A column's new value: its own single number stays as typed; a moved or split one is
    written as validation writes it."""
    if piece is None:
        return None
    if piece.origin == key and len(own) == 1 and not isinstance(raw, list):
        return _half(raw)
    return piece.display()


def _is_ascii(raw: Any) -> bool:
    return raw is None or (raw.__class__ is str and raw.isascii())


def _quick(mobile: str | None, phone: str | None, mobile_key: str, phone_key: str) -> PhoneResult | None:
    """Both columns plain text with at most one number each, where it belongs; else None."""
    m = _read(mobile.strip(), mobile_key) if mobile else None
    if m is not None and not m.is_mobile:
        return None
    p = _read(phone.strip(), phone_key) if phone else None
    if p is not None and (not p.known or (p.is_mobile and m is None)):
        return None
    return PhoneResult(mobile=mobile, phone=phone, mobile_nsn=m.nsn if m else "",
                       landline_nsn=p.nsn if p is not None and p.kind == FIXED_LINE else "")


def _fits(m_pieces: list[Piece], p_pieces: list[Piece]) -> bool:
    """One number (or none) per column, each where it belongs: nothing to move."""
    if len(m_pieces) > 1 or len(p_pieces) > 1:
        return False
    if m_pieces and m_pieces[0].known and not m_pieces[0].is_mobile:
        return False  # a landline in the 手机 column
    return not (p_pieces and p_pieces[0].is_mobile and not m_pieces)  # a mobile 电话, 手机 empty


def _as_typed(mobile, phone, m_pieces, p_pieces, mobile_key, phone_key) -> PhoneResult:
    result = PhoneResult(mobile=_half(mobile), phone=_half(phone))
    for key, raw, new in ((mobile_key, mobile, result.mobile), (phone_key, phone, result.phone)):
        if new != raw:
            how = HOW_FULL_WIDTH if raw.__class__ is str else HOW_NUMBER_TEXT
            result.changes.append((key, raw, new, how))
    result.mobile_nsn = m_pieces[0].nsn if m_pieces and m_pieces[0].is_mobile else ""
    if p_pieces and p_pieces[0].kind == FIXED_LINE:
        result.landline_nsn = p_pieces[0].nsn
    return result


def _unknown(own: list[Piece]) -> Piece | None:
    """A column's unreadable value stays in it (validation reports it) when nothing better."""
    return next((p for p in own if not p.known), None)


def _phone_fallback(p_pieces: list[Piece], new_mobile: Piece | None) -> Piece | None:
    """No landline anywhere: the 电话 column keeps a mobile of its own, else its unreadable value."""
    for p in p_pieces:
        if p.is_mobile and not (p is new_mobile or (new_mobile is not None and p.same(new_mobile))):
            return p
    return _unknown(p_pieces)


def _record(result: PhoneResult, key: str, before: Any, own: list[Piece], new: Piece | None,
            other: Piece | None, after: Any) -> None:
    """One Conversion for a column whose value changed, saying why."""
    if after == before:
        return
    if new is not None and new.origin != key:
        how = HOW_PHONE_TO_MOBILE if new.is_mobile else HOW_PHONE_TO_PHONE
    elif len(own) > 1:
        how = HOW_PHONE_SPLIT
    elif new is None and own:
        gone = own[0]
        moved = other is not None and (gone is other or gone.same(other))
        how = (HOW_PHONE_TO_MOBILE if gone.is_mobile else HOW_PHONE_TO_PHONE) if moved else HOW_PHONE_EXTRA
    else:
        how = HOW_FULL_WIDTH if before.__class__ is str else HOW_NUMBER_TEXT
    result.changes.append((key, before, after, how))
