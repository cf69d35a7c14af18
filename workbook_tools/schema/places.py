"""China's 34 provincial-level divisions (GB/T 2260): code, short name and official suffixes.

The schema's province → 区域 table (`provinces:` on the region choices) names provinces by
their short or full name; the loader checks them against this table. The company-name
normaliser strips these names, and adopt's region inference maps what it finds (an
address, an ID or USCC region code, a phone's location) to a province here.
"""

from __future__ import annotations

import unicodedata

# (GB/T 2260 code — the first two digits of every code in the province, short name, suffixes)
PROVINCE_TABLE: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("11", "北京", ("市",)), ("12", "天津", ("市",)), ("13", "河北", ("省",)), ("14", "山西", ("省",)),
    ("15", "内蒙古", ("自治区",)), ("21", "辽宁", ("省",)), ("22", "吉林", ("省",)),
    ("23", "黑龙江", ("省",)), ("31", "上海", ("市",)), ("32", "江苏", ("省",)), ("33", "浙江", ("省",)),
    ("34", "安徽", ("省",)), ("35", "福建", ("省",)), ("36", "江西", ("省",)), ("37", "山东", ("省",)),
    ("41", "河南", ("省",)), ("42", "湖北", ("省",)), ("43", "湖南", ("省",)), ("44", "广东", ("省",)),
    ("45", "广西", ("壮族自治区", "自治区")), ("46", "海南", ("省",)), ("50", "重庆", ("市",)),
    ("51", "四川", ("省",)), ("52", "贵州", ("省",)), ("53", "云南", ("省",)), ("54", "西藏", ("自治区",)),
    ("61", "陕西", ("省",)), ("62", "甘肃", ("省",)), ("63", "青海", ("省",)),
    ("64", "宁夏", ("回族自治区", "自治区")), ("65", "新疆", ("维吾尔自治区", "自治区")),
    ("71", "台湾", ("省",)), ("81", "香港", ("特别行政区",)), ("82", "澳门", ("特别行政区",)),
)

# short name → official suffixes (北京 → 市); the company-name normaliser strips both forms
PROVINCES: dict[str, tuple[str, ...]] = {short: suffixes for _, short, suffixes in PROVINCE_TABLE}
# province code (2 digits) → short name
PROVINCE_BY_CODE: dict[str, str] = {code: short for code, short, _ in PROVINCE_TABLE}
# every written form (北京, 北京市, 广西, 广西壮族自治区, 广西自治区) → short name
PROVINCE_NAMES: dict[str, str] = {
    name: short for _, short, suffixes in PROVINCE_TABLE for name in (short, *(short + s for s in suffixes))
}


def province_short(name: str) -> str | None:
    """The short name of a province written in any of its forms (上海市 → 上海), or None."""
    text = unicodedata.normalize("NFKC", str(name)).strip()
    return PROVINCE_NAMES.get(text)
