"""Chinese text folded for comparison: 繁体 → 简体 (OpenCC's maintained t2s tables, not a
hand-made list) and pinyin initials (pypinyin) as a blocking key that survives a
homophone typo (润合 / 润和 → "rh")."""

from __future__ import annotations

from functools import lru_cache
from typing import Sequence

import opencc
from pypinyin import Style, lazy_pinyin


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(texts: Sequence[str]) -> list[str]:
    """Each text in simplified characters (電子 → 电子, 臺灣 → 台湾); ASCII-only texts are
    returned as they are. One OpenCC call for the whole batch (line breaks in a text
    become spaces, so the batch splits back exactly)."""
    out = list(texts)
    todo = [i for i, t in enumerate(out) if t and not t.isascii()]
    if not todo:
        return out
    joined = "\n".join(out[i].replace("\n", " ").replace("\r", " ") for i in todo)
    for i, text in zip(todo, _converter().convert(joined).split("\n")):
        out[i] = text
    return out


@lru_cache(maxsize=65536)
def _initial(char: str) -> str:
    if char.isascii():
        return char
    return lazy_pinyin(char, style=Style.FIRST_LETTER, errors=lambda c: c)[0][:1] or char


def initials(text: str) -> str:
    """Pinyin initials, one per character (华夏 → "hx"); other characters as they are."""
    return "".join(map(_initial, text))
