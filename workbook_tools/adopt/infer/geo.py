"""Where a customer is: a province (short name, schema/places.py) from a place name in a
text, an administrative code (身份证号, 统一社会信用代码), a landline area code or a
mobile number's segment.

Place names come from python-stdnum's GB/T 2260 table (the one the 身份证号 check uses:
provinces, prefecture cities, counties and districts of every era); a name two provinces
share (鼓楼区, 朝阳区) decides nothing. Phone locations come from phonenumbers' geocoder
data for China (``description_for_valid_number(..., "zh")``: 江苏省苏州市), looked up once
per area code or 7-digit mobile segment.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from phonenumbers import PhoneNumber
from stdnum import numdb

from workbook_tools.schema.places import PROVINCE_BY_CODE, PROVINCE_NAMES
from workbook_tools.validate.identity import region_known

SCAN_START = 12        # a place name must start within the first characters of a text
_ERA = re.compile(r"^\[\d*-\d*\]")
_SPACES = re.compile(r"[\s\u3000\u00a0]+")
_LEADING = ("中华人民共和国", "中国")
_STREET_AFTER = frozenset("路街道巷弄里")  # 南京路: a street named after a city, not the city
AMBIGUOUS = ""        # a place name two provinces share


def _stdnum_places() -> dict[str, tuple[set[str], set[str]]]:
    """Every place name of GB/T 2260 → (province codes using it now, codes that used it
    before: 海口 was in 广东 until 1988). Prefecture cities also without 市 (苏州), 新区
    without 新区 (浦东); generic district names (城区, 东区) are left out."""
    places: dict[str, tuple[set[str], set[str]]] = {}

    def add(name: str, province: str, current: bool) -> None:
        if len(name) >= 2 and "辖" not in name and not (len(name) == 2 and name.endswith("区")):
            places.setdefault(name, (set(), set()))[0 if current else 1].add(province)

    for _, low, _high, props, children in numdb.get("cn/loc").prefixes:
        if low not in PROVINCE_BY_CODE:
            continue
        for _, code, _chigh, cprops, _ in children:
            for raw in cprops.get("county", "").split(","):  # [-1986]渡口市,[1987-]攀枝花市
                era = _ERA.match(raw)
                current = era is None or era.group(0).endswith("-]")
                name = raw[era.end():].strip() if era else raw.strip()
                add(name, low, current)
                if name.endswith("市") and code.endswith("00") and len(name) >= 3:
                    add(name[:-1], low, current)
                elif name.endswith("新区") and len(name) >= 4:
                    add(name[:-2], low, current)
    return places


def _province(current: set[str], past: set[str]) -> str:
    codes = current or past
    return PROVINCE_BY_CODE[next(iter(codes))] if len(codes) == 1 else AMBIGUOUS


@lru_cache(maxsize=1)
def place_table() -> tuple[dict[str, str], dict[str, tuple[int, ...]]]:
    """(place name → province short name or AMBIGUOUS, first character → the lengths of
    the names starting with it, longest first)."""
    table = {name: _province(*codes) for name, codes in _stdnum_places().items()}
    table.update(PROVINCE_NAMES)  # a province's own names always decide
    lengths: dict[str, set[int]] = {}
    for name in table:
        lengths.setdefault(name[0], set()).add(len(name))
    return table, {c: tuple(sorted(ls, reverse=True)) for c, ls in lengths.items()}


def place_in(text: str) -> tuple[str, str] | None:
    """(province, the place name found) for the first place name in ``text``, or None.

    The longest name at the earliest position decides (吉林市 over 吉林); a name two
    provinces share ends the search (no guess); a city name followed by 路/街 is a street."""
    text = _SPACES.sub("", unicodedata.normalize("NFKC", text))
    for lead in _LEADING:
        if text.startswith(lead) and len(text) > len(lead):
            text = text[len(lead):]
            break
    return _scan(text[:SCAN_START + 8])


@lru_cache(maxsize=65536)
def _scan(head: str) -> tuple[str, str] | None:
    table, lengths_by_first = place_table()
    for start in range(min(len(head) - 1, SCAN_START)):
        for length in lengths_by_first.get(head[start], ()):
            name = head[start:start + length]
            if len(name) < length or name not in table:
                continue
            after = head[start + length:start + length + 1]
            if after and after in _STREET_AFTER and not name.endswith(("省", "市", "区", "县")):
                continue
            province = table[name]
            return (province, name) if province else None
    return None


def province_of_code(code: str) -> str | None:
    """The province of a 6-digit administrative code stdnum knows (310115 → 上海)."""
    if len(code) == 6 and code.isdigit() and region_known(code):
        return PROVINCE_BY_CODE.get(code[:2])
    return None


_AREA_CODES: dict[str, str | None] = {}
_MOBILE_SEGMENTS: dict[str, tuple[str, str] | None] = {}


def province_of_area_code(area: str, nsn: str) -> str | None:
    """The province of a landline area code (512 → 江苏), from the geocoder's description
    of ``nsn`` (a national number in that area); cached per area code."""
    if area not in _AREA_CODES:
        _AREA_CODES[area] = _province_of_description(_describe(nsn))
    return _AREA_CODES[area]


def province_of_mobile(nsn: str) -> tuple[str, str] | None:
    """(province, the geocoder's place) of a mobile number's 7-digit segment, or None
    (segments the data does not place: 中国)."""
    segment = nsn[:7]
    if segment in _MOBILE_SEGMENTS:
        return _MOBILE_SEGMENTS[segment]
    text = _describe(nsn)
    province = _province_of_description(text)
    found = (province, text) if province else None
    _MOBILE_SEGMENTS[segment] = found
    return found


def _describe(nsn: str) -> str:
    """The geocoder's Chinese place for a Chinese national number (江苏省苏州市, or 中国).
    Imported here: loading the geocoder's index costs a second, needed only when a row
    has no better evidence than a phone number."""
    from phonenumbers import geocoder
    return geocoder.description_for_valid_number(PhoneNumber(country_code=86, national_number=int(nsn)), "zh")


def _province_of_description(text: str) -> str | None:
    found = place_in(text) if text else None
    return found[0] if found else None
