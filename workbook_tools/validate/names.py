"""Company names normalised for duplicate detection (merge's suspected duplicates, adopt's
duplicate listing).

Plain fuzzy scores mislead on Chinese company names ("北京华为技术有限公司" vs
"华为技术（北京）有限公司" score 72.7). We compare the *core* of the name instead:
NFKC (full-width → half-width), lower case, bracketed parts removed, spaces and
punctuation removed, legal-form suffixes and place-name prefixes/suffixes stripped.
Names only *suggest* a duplicate; a person decides.
"""

from __future__ import annotations

import re
import unicodedata

from workbook_tools.schema.places import PROVINCES

# Provincial capitals and other large cities that commonly prefix company names.
CITIES: tuple[str, ...] = (
    "石家庄", "太原", "沈阳", "大连", "长春", "哈尔滨", "南京", "苏州", "无锡", "常州", "南通",
    "徐州", "扬州", "杭州", "宁波", "温州", "绍兴", "嘉兴", "金华", "台州", "合肥", "芜湖",
    "福州", "厦门", "泉州", "南昌", "济南", "青岛", "烟台", "潍坊", "淄博", "临沂", "郑州",
    "洛阳", "武汉", "宜昌", "长沙", "广州", "深圳", "珠海", "佛山", "东莞", "中山", "惠州",
    "汕头", "海口", "三亚", "南宁", "桂林", "成都", "绵阳", "贵阳", "昆明", "拉萨", "西安",
    "兰州", "西宁", "银川", "乌鲁木齐", "呼和浩特", "包头", "唐山", "保定", "廊坊", "秦皇岛",
    "鞍山", "吉林市", "大庆", "昆山", "义乌", "宜兴", "江阴",
)

# Legal-form and organisational suffixes, longest first.
LEGAL_SUFFIXES: tuple[str, ...] = (
    "集团股份有限公司", "集团有限责任公司", "集团有限公司", "股份有限公司", "有限责任公司",
    "有限公司", "股份公司", "集团公司", "分公司", "总公司", "公司", "集团",
)


def _place_names() -> list[str]:
    names = set()
    for short, suffixes in PROVINCES.items():
        names.add(short)
        names.update(short + s for s in suffixes)
    for city in CITIES:
        names.add(city)
        names.add(city if city.endswith("市") else city + "市")
    return sorted(names, key=len, reverse=True)


def _index(words, at: int) -> dict[str, tuple[str, ...]]:
    """Words grouped by their first (at=0) or last (at=-1) character, longest first."""
    out: dict[str, list[str]] = {}
    for w in sorted(set(words), key=len, reverse=True):
        out.setdefault(w[at], []).append(w)
    return {k: tuple(v) for k, v in out.items()}


_PLACES = _place_names()
_PLACE_SET = frozenset(_PLACES)


def _place_keys() -> dict[str, tuple[str, str]]:
    keys = {}
    for city in CITIES:
        short = city.removesuffix("市") if len(city) > 2 else city
        keys[city] = keys[short + "市"] = ("市", short)
    for short, suffixes in PROVINCES.items():
        for name in (short, *(short + s for s in suffixes)):
            keys[name] = ("省", short)
    return keys


_PLACE_KEYS = _place_keys()
_SUFFIX_BY_LAST = _index((*_PLACES, *LEGAL_SUFFIXES), -1)
_PREFIX_BY_FIRST = _index(_PLACES, 0)
_HAS_BRACKET = re.compile(r"[(\[【〔{<《]")
_BRACKETED = re.compile(r"[(\[【〔{<《][^()\[\]【】〔〕{}<>《》]*[)\]】〕}>》]")
_NOISE = re.compile(r"[^\w]|_")


def normalize_company_name(name: str, places: list[str] | None = None) -> str:
    """The comparable core of a company name; '' for an empty name. The place names
    stripped from either end are appended to ``places`` when given.

    >>> normalize_company_name("华为技术（北京）有限公司") == normalize_company_name("北京华为技术有限公司")
    True
    """
    if not name:
        return ""
    s = unicodedata.normalize("NFKC", str(name)).lower()
    if places is not None and _HAS_BRACKET.search(s):
        places.extend(p for p in (b[1:-1] for b in _BRACKETED.findall(s)) if p in _PLACE_SET)
    while _HAS_BRACKET.search(s):
        stripped = _BRACKETED.sub("", s)
        if stripped == s:
            break
        s = stripped
    if not s.isalnum():
        s = _NOISE.sub("", s)
    return _strip_affixes(s, places)


def _strip_affixes(s: str, places: list[str] | None = None) -> str:
    """Strip legal-form suffixes and place names from the end, then place names from the
    start, each until none is left. Only the longest matching affix is tried, and never
    the whole name ("上海市" stays). Removing one end never enables a strip at the other,
    so one pass per end suffices. Affixes are indexed by their last / first character."""
    while s:
        for a in _SUFFIX_BY_LAST.get(s[-1], ()):
            if s.endswith(a):
                break
        else:
            break
        if len(a) == len(s):
            break
        if places is not None and a in _PLACE_SET:
            places.append(a)
        s = s[: -len(a)]
    while s:
        for a in _PREFIX_BY_FIRST.get(s[0], ()):
            if s.startswith(a):
                break
        else:
            break
        if len(a) == len(s):
            break
        if places is not None:
            places.append(a)
        s = s[len(a):]
    return s


def leading_places(text: str) -> tuple[list[str], str]:
    """The place names (province, city) an address starts with, and the rest of it:
    "广东省深圳市南山区…" → (["广东省", "深圳市"], "南山区…"). ``text`` is already
    normalised (NFKC, no spaces or punctuation)."""
    found: list[str] = []
    while text:
        for a in _PREFIX_BY_FIRST.get(text[0], ()):
            if text.startswith(a):
                break
        else:
            break
        found.append(a)
        text = text[len(a):]
    return found, text


def place_key(place: str) -> tuple[str, str]:
    """("省", short name) for a provincial-level place, ("市", city) for a city; the
    official suffix dropped (北京市 → 北京, 深圳市 → 深圳)."""
    return _PLACE_KEYS[place]


def block_key(normalized: str) -> str:
    """Blocking key for fuzzy comparison: the first two characters of the core name."""
    return normalized[:2]
