"""所属区域 when the legacy value is missing or a place name (上海浦东 → 华东).

Order of trust (docs/architecture.md), the first evidence naming a province decides:
1. the explicit default region (adopt --region) — fills every row inference would fill;
2. a place name in the 所属区域 value itself (上海浦东, 江苏苏州);
3. the province or city in 地址 (where the customer is now);
4. the landline's area code (where its office is now);
5. the 统一社会信用代码's registration-authority code (where the company was registered);
6. the 身份证号's region code (where the person was first registered);
7. the mobile number's segment (where the number was issued).
The province maps to a region through the schema's province → 区域 table (``provinces:``
on the region choices); a province no region lists decides "no region": the row is left
for validation to report rather than guessed from weaker evidence.
"""

from __future__ import annotations

import re
from typing import Any

from workbook_tools.schema.model import Field, normalize_choice
from workbook_tools.adopt.infer import geo
from workbook_tools.adopt.infer.model import (
    HOW_REGION_ADDRESS, HOW_REGION_AREA_CODE, HOW_REGION_GIVEN, HOW_REGION_ID_CARD, HOW_REGION_MOBILE,
    HOW_REGION_PLACE, HOW_REGION_USCC,
)

_USCC = re.compile(r"[0-9A-HJ-NP-RTUWXY]{2}(\d{6})[0-9A-HJ-NP-RTUWXY]{10}", re.ASCII)
_ID_CARD = re.compile(r"(\d{6})(?:\d{11}[\dX]|\d{9})", re.ASCII)


def given_region(field: Field, given: str) -> str:
    """The explicit region as the schema spells it (华东区 → 华东); unknown names as given."""
    return field.choice_lookup().get(normalize_choice(given), given)


def infer(field: Field, *, address: Any, landline: str, uscc: Any, id_card: Any,
          mobile: str) -> tuple[str, str] | None:
    """(region, how) from the row's evidence in the order of trust, or None."""
    found = _evidence(address, landline, uscc, id_card, mobile)
    if found is None:
        return None
    province, place, how = found
    region = field.province_lookup().get(province)
    if region is None:
        return None
    return region, how.format(place=place, province=province, region=region)


def place_how(field: Field, text: str, given: str | None) -> tuple[str, str] | None:
    """(region, how) for a 所属区域 value holding a place name; the explicit region wins."""
    found = geo.place_in(text)
    if found is None:
        return None
    if given:
        return given_region(field, given), HOW_REGION_GIVEN
    province, place = found
    region = field.province_lookup().get(province)
    if region is None:
        return None
    return region, HOW_REGION_PLACE.format(place=place, province=province, region=region)


def _evidence(address: Any, landline: str, uscc: Any, id_card: Any,
              mobile: str) -> tuple[str, str, str] | None:
    """(province, what to quote, how template) from the first source that names a province."""
    if isinstance(address, str) and address.strip():
        found = geo.place_in(address)
        if found:
            return found[0], found[1], HOW_REGION_ADDRESS
    if landline:
        area = landline[:2] if landline.startswith(("10", "2")) else landline[:3]
        province = geo.province_of_area_code(area, landline)
        if province:
            return province, "0" + area, HOW_REGION_AREA_CODE
    match = _USCC.fullmatch(uscc) if isinstance(uscc, str) else None
    if match and (province := geo.province_of_code(match.group(1))):
        return province, match.group(1), HOW_REGION_USCC
    match = _ID_CARD.fullmatch(id_card) if isinstance(id_card, str) else None
    if match and (province := geo.province_of_code(match.group(1))):
        return province, match.group(1)[:2], HOW_REGION_ID_CARD
    if mobile:
        found = geo.province_of_mobile(mobile)
        if found:
            return found[0], found[1], HOW_REGION_MOBILE
    return None
