"""mobile, phone, email, postal_code and url fields.

Phones: full-width digits, spaces, hyphens, brackets and a +86/0086 prefix are normalised,
an extension may follow a landline (0755-12345678-123, 010-12345678转123), and the number
is checked against the Chinese numbering plan (phoneplan.py, phonenumbers' metadata).
Spaces, hyphens and full-width brackets are ordinary formatting and pass silently;
full-width digits get a ``value-normalized`` warning (they break look-ups elsewhere).
Canonical forms: 13812345678, 0755-12345678(-123), 4008001234.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from workbook_tools.validate.common import NO_ISSUES, nfkc, one
from workbook_tools.validate.phoneplan import (
    FIXED_LINE, FIXED_LINE_OR_MOBILE, MOBILE, UNKNOWN, number_plan,
)

_PREFIX = re.compile(r"^(?:\+\s*86|0086|\(\s*\+?\s*86\s*\)|86(?=[\s\-]*1[3-9]\d{9}$))[\s\-]*")
_EXTENSION = re.compile(r"\s*(?:转|分机|ext\.?|x|#)\s*(\d{1,6})$", re.IGNORECASE | re.ASCII)
_GROUP_SPLIT = re.compile(r"[\s\-()]+")
_MULTIPLE = re.compile(r"\d\s*(?:[/,;、|]|或|及)\s*[+(]?\d|\d{11}\s+1\d{10}")
_DIGITS = re.compile(r"\d+", re.ASCII)
_PLAIN_LANDLINE = re.compile(r"(0\d{2,3})-(\d{7,8})", re.ASCII)  # 0571-88886666, the usual form
_FULL_WIDTH_DIGIT = re.compile("[０-９]")
_NO_AREA_CODE = re.compile(r"[2-9]\d{6,7}", re.ASCII)
_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})",
    re.ASCII | re.IGNORECASE,
)
_POSTCODE = re.compile(r"\d{6}", re.ASCII)
_HOST = re.compile(r"(?:\w(?:[\w-]{0,61}\w)?\.)+(?:[^\W\d_]{2,63}|xn--[a-z0-9-]{1,59})", re.IGNORECASE)
# http(s)://host[:port][/path] or a bare host with an ASCII name (no ':' in the path): the
# common forms, accepted without urlsplit, whose checks they would pass
_PLAIN_URL = re.compile(r"(?:https?://)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}"
                        r"(?::\d{1,5})?(?:/[\x21-\x39\x3b-\x7e]*)?", re.ASCII | re.IGNORECASE)
_MOBILE_TYPES = frozenset({MOBILE, FIXED_LINE_OR_MOBILE})


def _classify(digits: str) -> tuple[str, int]:
    """(national significant number, PhoneNumberType); a leading 0 is the trunk prefix."""
    nsn = digits[1:] if digits.startswith("0") else digits
    return nsn, (number_plan().number_type(nsn) if nsn else UNKNOWN)


def _format(nsn: str, kind: int, extension: str) -> str:
    if kind == FIXED_LINE:
        area = 2 if nsn.startswith(("10", "2")) else 3
        text = f"0{nsn[:area]}-{nsn[area:]}"
    else:
        text = nsn
    return f"{text}-{extension}" if extension else text


def parse_phone(text: str) -> tuple[str, int, str, bool]:
    """(nsn, PhoneNumberType, extension, prefixed) for normalised phone text; ``prefixed``
    says a trunk 0 or +86 preceded the number. For an unknown number: the digits as typed
    (or the text when it is not digits) instead of the nsn."""
    if text.isdigit() and text.isascii() and not text.startswith(("86", "0086")):
        nsn, kind = _classify(text)  # the common case: 13812345678, 075512345678
        return (nsn if kind != UNKNOWN else text), kind, "", text.startswith("0")
    plain = _PLAIN_LANDLINE.fullmatch(text)
    if plain:
        nsn, kind = _classify(plain.group(1) + plain.group(2))
        if kind != UNKNOWN:
            return nsn, kind, "", True
    stripped = text.strip()
    text = _PREFIX.sub("", stripped)
    international = text != stripped
    extension = ""
    match = _EXTENSION.search(text)
    if match:
        extension, text = match.group(1), text[: match.start()]
    groups = [g for g in _GROUP_SPLIT.split(text) if g]
    if not groups or not all(_DIGITS.fullmatch(g) for g in groups):
        return text, UNKNOWN, extension, international
    prefixed = international or groups[0].startswith("0")
    digits = "".join(groups)
    nsn, kind = _classify(digits)
    if kind != UNKNOWN:
        return nsn, kind, extension, prefixed
    if not extension and len(groups) >= 2 and len(groups[-1]) <= 6:
        main, kind_main = _classify("".join(groups[:-1]))
        if kind_main == FIXED_LINE:  # 0755-12345678-123: the last group is an extension
            return main, kind_main, groups[-1], prefixed
    return digits, UNKNOWN, extension, prefixed


def _phone(raw: Any) -> tuple[str, int, str, tuple] | None:
    """(nsn, type, extension, issues) for any raw cell, or None when it cannot be a number."""
    cls = raw.__class__
    if cls is float or cls is int:
        if cls is float and not raw.is_integer():
            return None
        stripped = text = str(int(raw))
    elif cls is str:
        stripped = raw.strip()
        text = nfkc(stripped)
        if not text.isdigit() and not _PLAIN_LANDLINE.fullmatch(text) and _MULTIPLE.search(text):
            return "", UNKNOWN, "", one("phone-multiple")
    else:
        return None
    nsn, kind, extension, prefixed = parse_phone(text)
    if kind == FIXED_LINE and not prefixed:  # 75512345678: the area code lost its 0
        return nsn, kind, extension, one("phone-leading-zero-lost", parsed=_format(nsn, kind, extension))
    if kind != UNKNOWN and _FULL_WIDTH_DIGIT.search(stripped):  # not for （0755） brackets
        return nsn, kind, extension, one("value-normalized", parsed=_format(nsn, kind, extension))
    return nsn, kind, extension, NO_ISSUES


def check_mobile(raw: Any, field: Any, ctx: Any) -> tuple[Any, tuple]:
    got = _phone(raw)
    if got is None:
        return None, one("mobile-invalid")
    nsn, kind, extension, issues = got
    if issues and issues[0][0] == "phone-multiple":
        return None, issues
    if kind in _MOBILE_TYPES and not extension:
        return nsn, issues
    if kind == FIXED_LINE:
        return _format(nsn, kind, extension), issues + one("mobile-is-landline")
    return None, issues + one("mobile-invalid")


def check_phone(raw: Any, field: Any, ctx: Any) -> tuple[Any, tuple]:
    """A landline (with area code, optional extension), a mobile, or a 400/800 number."""
    got = _phone(raw)
    if got is None:
        return None, one("phone-invalid")
    nsn, kind, extension, issues = got
    if issues and issues[0][0] == "phone-multiple":
        return None, issues
    if kind != UNKNOWN:
        return _format(nsn, kind, extension), issues
    if _NO_AREA_CODE.fullmatch(nsn):
        return None, issues + one("phone-no-area-code")
    return None, issues + one("phone-invalid")


def check_email(raw: Any, field: Any, ctx: Any) -> tuple[Any, tuple]:
    if raw.__class__ is not str:
        return None, one("email-invalid")
    stripped = raw.strip()
    text = nfkc(stripped)
    if len(text) > 254 or not _EMAIL.fullmatch(text) or len(text.partition("@")[0]) > 64:
        return None, one("email-invalid")
    return text, (NO_ISSUES if text == stripped else one("value-normalized", parsed=text))


def check_postal_code(raw: Any, field: Any, ctx: Any) -> tuple[Any, tuple]:
    cls = raw.__class__
    if cls is float or cls is int:
        if cls is float and not raw.is_integer():
            return None, one("postal-code-invalid")
        number = int(raw)
        if 100_000 <= number <= 999_999:
            return str(number), NO_ISSUES
        if 10_000 <= number <= 99_999:  # 010000 typed into a General cell
            text = f"{number:06d}"
            return text, one("postal-code-leading-zero-lost", parsed=text)
        return None, one("postal-code-invalid")
    if cls is not str:
        return None, one("postal-code-invalid")
    stripped = raw.strip()
    text = nfkc(stripped)
    if not _POSTCODE.fullmatch(text):
        return None, one("postal-code-invalid")
    return text, (NO_ISSUES if text == stripped else one("value-normalized", parsed=text))


def check_url(raw: Any, field: Any, ctx: Any) -> tuple[Any, tuple]:
    """http(s)://…, www.… or a bare domain name (example.com/path)."""
    if raw.__class__ is not str:
        return None, one("url-invalid")
    text = nfkc(raw.strip())
    if _PLAIN_URL.fullmatch(text):  # www.example.com/…, https://example.com: nothing to split
        return text, NO_ISSUES
    has_scheme = text.lower().startswith(("http://", "https://"))
    if not text or any(c.isspace() for c in text) or ("://" in text and not has_scheme):
        return None, one("url-invalid")
    try:
        host = urlsplit(text if has_scheme else "http://" + text).hostname
    except ValueError:
        return None, one("url-invalid")
    if not host or not _HOST.fullmatch(host):
        return None, one("url-invalid")
    return text, NO_ISSUES
