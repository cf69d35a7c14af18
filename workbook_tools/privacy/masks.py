"""Pure masking functions, one per rule of the 权限分配表 (schema ``mask:``).

Every function takes the value as typed (str, number or None) and returns the text a
person without full access may see. Empty values stay empty (nothing to hide). A value
that does not have the expected shape is masked entirely — it is never passed through,
because a malformed 身份证号 is still somebody's 身份证号.

    mask_id_card("110101199003071234")   → "110101********1234"
    mask_mobile("13812345678")            → "138****5678"
    mask_phone("0755-12345678-123")       → "0755-************"
    mask_bank_account("6222021234567890") → "************7890"
    mask_email("zhangsan@example.com")    → "z***@example.com"
    mask_address("广东省深圳市南山区科技园路1号") → "广东省深圳市南山区****"
    mask_person_name("欧阳娜娜")           → "欧阳**"
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Callable

STAR = "*"
FULL = "******"  # what an entirely masked value looks like (its length is not revealed)

_ID18 = re.compile(r"^\d{17}[\dX]$")
_ID15 = re.compile(r"^\d{15}$")
_MOBILE = re.compile(r"^(?:\+?86)?(1\d{10})$")
_LANDLINE = re.compile(r"^\(?(0\d{2,3})\)?[-\s]?(\d[\d\s-]{4,})$")
_ACCOUNT = re.compile(r"^\d{8,30}$")
_EMAIL = re.compile(r"^([^@\s]+)@([^@\s]+\.[^@\s]+)$")
_DISTRICT = re.compile(r"(?<!自治)[区县旗]")
_CITY = re.compile(r"市")
_CJK = re.compile(r"^[\u3400-\u9fff·]+$")
_ORG_WORDS = ("公司", "厂", "店", "中心", "集团", "银行", "学校", "学院", "大学", "医院", "协会",
              "事务所", "工作室", "合作社", "研究所", "研究院", "商行", "部", "局", "站", "社", "馆",
              "院", "所", "处", "会", "队", "场", "行", "坊", "园", "楼", "城", "超市")
COMPOUND_SURNAMES = frozenset(
    "欧阳 太史 端木 上官 司马 东方 独孤 南宫 万俟 闻人 夏侯 诸葛 尉迟 公羊 赫连 澹台 皇甫 宗政 濮阳 "
    "公冶 太叔 申屠 公孙 慕容 仲孙 钟离 长孙 宇文 司徒 鲜于 司空 闾丘 子车 亓官 司寇 巫马 公西 颛孙 "
    "壤驷 公良 漆雕 乐正 宰父 谷梁 拓跋 夹谷 轩辕 令狐 段干 百里 呼延 东郭 南门 羊舌 微生 公户 公玉 "
    "公仪 梁丘 公仲 公上 公门 公山 公坚 左丘 公伯 西门 公祖 第五 公乘 贯丘 公皙 南荣 东里 东宫 仲长 "
    "子书 子桑 即墨 达奚 褚师 吴铭".split())


def _text(value: Any) -> str:
    """The value as compact half-width text: NFKC, no spaces; 1.3812345678E10 → digits."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value))
    return re.sub(r"[\s\u3000\u00a0]+", " ", text).strip()


def _digits(text: str) -> str:
    return re.sub(r"[\s-]", "", text)


def mask_full(value: Any) -> Any:
    """The whole value hidden (empty stays empty)."""
    return FULL if _text(value) else _empty(value)


def _empty(value: Any) -> Any:
    return "" if value is None or isinstance(value, str) else value


def mask_id_card(value: Any) -> Any:
    """18-digit: first 6 and last 4 kept (110101********123X); 15-digit: first 6, last 3."""
    text = _text(value)
    if not text:
        return _empty(value)
    code = _digits(text).upper()
    if _ID18.match(code):
        return code[:6] + STAR * 8 + code[-4:]
    if _ID15.match(code):
        return code[:6] + STAR * 6 + code[-3:]
    return FULL


def mask_mobile(value: Any) -> Any:
    """138****5678 (a +86 prefix is dropped); a landline typed here keeps its area code."""
    text = _text(value)
    if not text:
        return _empty(value)
    match = _MOBILE.match(_digits(text))
    if not match:
        return _landline(text) if _LANDLINE.match(text) else FULL
    number = match.group(1)
    return number[:3] + STAR * 4 + number[-4:]


def mask_phone(value: Any) -> Any:
    """A landline keeps its area code (0755-********); a mobile is masked as a mobile."""
    text = _text(value)
    if not text:
        return _empty(value)
    if _MOBILE.match(_digits(text)):
        return mask_mobile(text)
    return _landline(text)


def _landline(text: str) -> str:
    match = _LANDLINE.match(text)
    if not match:
        return FULL
    return f"{match.group(1)}-" + STAR * len(_digits(match.group(2)))


def mask_bank_account(value: Any) -> Any:
    """Only the last 4 digits: ************7890."""
    text = _text(value)
    if not text:
        return _empty(value)
    digits = _digits(text)
    if not _ACCOUNT.match(digits):
        return FULL
    return STAR * (len(digits) - 4) + digits[-4:]


def mask_email(value: Any) -> Any:
    """First letter of the user name and the domain: z***@example.com."""
    text = _text(value)
    if not text:
        return _empty(value)
    match = _EMAIL.match(text.replace(" ", ""))
    if not match:
        return FULL
    return f"{match.group(1)[0]}***@{match.group(2)}"


def mask_address(value: Any) -> Any:
    """Cut after the district (区/县/旗, else the city): 广东省深圳市南山区****."""
    text = _text(value).replace(" ", "")
    if not text:
        return _empty(value)
    end = _cut(text)
    if end < 2 or end >= len(text):
        return FULL
    return text[:end] + STAR * 4


def _cut(text: str) -> int:
    """Where the address is cut: after the first 区/县/旗 (not 自治区), else after the last 市."""
    match = _DISTRICT.search(text, 2)
    if match:
        return match.end()
    cities = [m.end() for m in _CITY.finditer(text)]
    return cities[-1] if cities else 0


def mask_person_name(value: Any) -> Any:
    """Surname kept, given name starred: 张* / 欧阳**; a non-Chinese name keeps its first letter."""
    text = _text(value).replace(" ", "")
    if not text:
        return _empty(value)
    if len(text) == 1:
        return STAR
    if _CJK.match(text):
        keep = 2 if text[:2] in COMPOUND_SURNAMES and len(text) > 2 else 1
        return text[:keep] + STAR * (len(text) - keep)
    return text[0] + STAR * 3


def looks_like_person(name: str) -> bool:
    """A 2–4 character Chinese name with no organisation word (公司, 厂, 店, …)."""
    text = _text(name).replace(" ", "")
    return bool(_CJK.match(text)) and 2 <= len(text) <= 5 and not any(w in text for w in _ORG_WORDS)


def mask_customer_name(value: Any) -> Any:
    """A company name as it is; a natural person's name (个人客户) masked like a person."""
    text = _text(value)
    if not text:
        return _empty(value)
    return mask_person_name(text) if looks_like_person(text) else value


MASKS: dict[str, Callable[[Any], Any]] = {
    "id_card": mask_id_card,
    "mobile": mask_mobile,
    "phone": mask_phone,
    "bank_account": mask_bank_account,
    "email": mask_email,
    "address": mask_address,
    "person_name": mask_person_name,
    "customer_name": mask_customer_name,
    "full": mask_full,
}

# What each rule keeps, for the 权限分配表 (README, 发放说明).
DESCRIPTIONS = {
    "id_card": "保留前 6 位和后 4 位，如 110101********123X",
    "mobile": "保留前 3 位和后 4 位，如 138****5678",
    "phone": "只保留区号，如 0755-********",
    "bank_account": "只保留后 4 位，如 ************7890",
    "email": "保留用户名首字母和域名，如 z***@example.com",
    "address": "保留到区/县，如 广东省深圳市南山区****",
    "person_name": "只保留姓，如 张* / 欧阳**",
    "customer_name": "公司名称不变；个人客户的姓名只保留姓",
    "full": "全部隐藏（******）",
}


def mask_value(rule: str, value: Any) -> Any:
    """Mask ``value`` by a rule name or a field type (id_card, mobile, phone, bank_account,
    email, address, person_name, customer_name, full); any other name masks entirely."""
    return MASKS.get(rule, mask_full)(value)
