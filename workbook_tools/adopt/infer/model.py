"""What adopt's value conversion records: one Conversion per changed cell, and the Chinese
``how`` texts it uses (stable wording: the 迁移说明 sheet and the README quote them)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Conversion:
    """One value adopt converted or inferred: ``row`` is the 0-based index into the rows
    list, ``field`` the registration field key, ``how`` says why in Chinese, ``score`` is
    the fuzzy score (0–100) where one applies."""

    row: int
    field: str
    before: object
    after: object
    how: str
    score: float | None = None


# choice values
HOW_CHOICE_SPELLING = "规范为标准写法"
HOW_CHOICE_ALIAS = "按别名改为标准选项"
HOW_CHOICE_FUZZY = "按相似度匹配到标准选项"
# 所属区域, in the order of trust (docs/architecture.md)
HOW_REGION_GIVEN = "按指定的区域填写"
HOW_REGION_PLACE = "由所属区域中的地名“{place}”推断（{province}→{region}）"
HOW_REGION_ADDRESS = "由地址中的“{place}”推断（{province}→{region}）"
HOW_REGION_AREA_CODE = "由电话区号“{place}”推断（{province}→{region}）"
HOW_REGION_USCC = "由统一社会信用代码的登记机关代码“{place}”推断（{province}→{region}）"
HOW_REGION_ID_CARD = "由身份证号前两位“{place}”推断（{province}→{region}）"
HOW_REGION_MOBILE = "由手机号段归属地“{place}”推断（{province}→{region}）"
# 客户类型 and 负责业务员
HOW_TYPE_USCC = "由统一社会信用代码推断为公司"
HOW_TYPE_NAME = "由名称中的“{word}”推断为公司"
HOW_TYPE_PERSON = "由身份证号和个人姓名推断为个人"
HOW_OWNER_GIVEN = "按指定的负责业务员填写"
# dates
HOW_DATE_TEXT = "文字日期改为日期"
HOW_DATE_NUMBER = "八位数字改为日期"
HOW_DATE_SERIAL = "Excel 日期序号改为日期"
HOW_DATE_TIME = "去掉时间，只保留日期"
# phones
HOW_PHONE_SPLIT = "拆分一格中的多个号码"
HOW_PHONE_TO_MOBILE = "手机号移入手机列"
HOW_PHONE_TO_PHONE = "座机号移入电话列"
HOW_PHONE_EXTRA = "多余的号码移入备注"
# codes and text
HOW_FULL_WIDTH = "全角字符改为半角"
HOW_UPPER = "小写字母改为大写"
HOW_SEPARATORS = "去掉空格和横线"
HOW_NUMBER_TEXT = "数字改为文本"
# several legacy columns mapped to one field
HOW_JOIN_ADDRESS = "合并多列地址"
HOW_JOIN_TEXT = "合并多列内容"
HOW_EXTRA_COLUMN = "另一列的值移入备注"
# customer_id
HOW_NEW_ID = "新编客户编号（前缀“{prefix}”）"

# what the remarks carry (备注: 其他号码：…；客户名称（另一列）：…)
EXTRA_NUMBERS = "其他号码：{numbers}"
EXTRA_VALUE = "{label}（另一列）：{value}"


def compact_code(value: Any) -> str:
    """A code or name compared as identity: full-width folded (NFKC), spaces removed, upper-case."""
    if value is None:
        return ""
    if value.__class__ is str and value.isascii() and " " not in value:
        return value.upper()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "".join(unicodedata.normalize("NFKC", str(value)).split()).upper()
