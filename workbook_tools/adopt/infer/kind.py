"""客户类型 when the legacy file has none: 公司 for a 统一社会信用代码 or a name with an
organisation word (公司, 厂, 店, 中心 …); 个人 for a 身份证号 with a person-like name
(privacy.masks.looks_like_person: 2–5 Chinese characters, no organisation word).
Anything else is left empty for a person to decide (validation reports it)."""

from __future__ import annotations

import re
from typing import Any

from workbook_tools.privacy.masks import looks_like_person
from workbook_tools.schema.model import Field, normalize_choice
from workbook_tools.adopt.infer.model import HOW_TYPE_NAME, HOW_TYPE_PERSON, HOW_TYPE_USCC

COMPANY, PERSON = "公司", "个人"
# organisation words anywhere in a name, longest first
ORG_WORDS = ("有限责任公司", "股份有限公司", "有限公司", "公司", "集团", "中心", "商行", "银行", "工作室",
             "事务所", "合作社", "研究所", "研究院", "学校", "学院", "大学", "医院", "诊所", "酒店", "宾馆",
             "饭店", "超市", "商场", "商店", "门市", "经营部", "批发部", "专卖", "商贸", "贸易", "实业",
             "协会", "委员会", "基金会")
# organisation words a name ends with (王记五金店, 红星机械厂, 城南供销社)
ORG_ENDINGS = ("厂", "店", "部", "局", "站", "社", "馆", "院", "所", "行", "场", "坊", "铺", "处", "队")
_ORG = re.compile("|".join(ORG_WORDS))
_CODE = re.compile(r"[0-9A-Z]{15,18}", re.ASCII)
_ID_CARD = re.compile(r"\d{17}[\dX]|\d{15}", re.ASCII)


def organisation_word(name: str) -> str | None:
    """The organisation word a customer name contains (公司, …厂), or None."""
    match = _ORG.search(name)
    if match:
        return match.group(0)
    if len(name) >= 3 and name.endswith(ORG_ENDINGS):
        return name[-1]
    return None


def type_values(field: Field) -> tuple[str | None, str | None]:
    """The schema's spelling of 公司 and 个人 (by value or alias), None where it has none."""
    lookup = field.choice_lookup()
    return lookup.get(normalize_choice(COMPANY)), lookup.get(normalize_choice(PERSON))


def infer_type(values: tuple[str | None, str | None], name: Any, uscc: Any, id_card: Any,
               ) -> tuple[str, str] | None:
    """(客户类型 value, how) from the converted name, USCC and 身份证号, or None;
    ``values`` is type_values(field)."""
    company, person = values
    if company and isinstance(uscc, str) and _CODE.fullmatch(uscc):
        return company, HOW_TYPE_USCC
    text = name.strip() if isinstance(name, str) else ""
    word = organisation_word(text) if text else None
    if company and word:
        return company, HOW_TYPE_NAME.format(word=word)
    if person and text and isinstance(id_card, str) and _ID_CARD.fullmatch(id_card) and looks_like_person(text):
        return person, HOW_TYPE_PERSON
    return None
