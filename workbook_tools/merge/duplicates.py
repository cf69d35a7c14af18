"""Suspected duplicates: different 客户编号 that look like one customer. Listed pairwise
with the evidence for a person to decide; never merged automatically.

Evidence: same 统一社会信用代码, 身份证号 or 手机; the same company name after
normalisation; or a fuzzy name score (rapidfuzz ``fuzz.ratio`` on normalised names)
above the threshold. Names are compared only for company customers (person names
collide too often), within blocks of the same first two characters, so 300,000
customers never mean 45 billion comparisons.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Sequence

import numpy as np
from rapidfuzz import fuzz, process

from workbook_tools.validate.names import block_key, normalize_company_name
from workbook_tools.merge.rows import code_text, is_empty
from workbook_tools.schema.model import Form

SAME_NAME = "名称规范化后相同"
SIMILAR_NAME = "名称相似度"
IDENTIFIERS = (("uscc", "相同统一社会信用代码"), ("id_card", "相同身份证号"), ("mobile", "相同手机"))
PERSON = "个人"
MAX_GROUP = 10      # larger groups of one shared value are listed as a star around the first id
_CHUNK = 2048       # rows per cdist call in a big block
_THREADED = 512     # blocks larger than this are scored by cdist on every core


@dataclass(frozen=True, slots=True)
class SuspectedDuplicate:
    id_a: str
    id_b: str
    evidence: tuple[str, ...]
    score: float | None     # name similarity after normalisation (0-100), None without names

    @property
    def evidence_text(self) -> str:
        return "；".join(self.evidence)


class _Pairs:
    """Evidence per pair of ids; a pair is ordered by the customers' master positions."""

    def __init__(self, customers: Sequence[Any]) -> None:
        self.position = {c.id: i for i, c in enumerate(customers)}
        self.evidence: dict[tuple[str, str], list[str]] = defaultdict(list)

    def add(self, a: str, b: str, text: str) -> None:
        pair = (a, b) if self.position[a] <= self.position[b] else (b, a)
        self.evidence[pair].append(text)

    def first(self, ids: Iterable[str]) -> str:
        return min(ids, key=self.position.__getitem__)

    def add_groups(self, groups: Iterable[list[str]], label: str) -> None:
        """All pairs of a small group; a large group (a shared placeholder value?) as a star."""
        for ids in groups:
            if len(ids) < 2:
                continue
            ids = sorted(ids, key=self.position.__getitem__)
            if len(ids) <= MAX_GROUP:
                pairs, text = itertools.combinations(ids, 2), label
            else:
                pairs, text = ((ids[0], o) for o in ids[1:]), f"{label}（共{len(ids)}个客户）"
            for a, b in pairs:
                self.add(a, b, text)


def find_suspected_duplicates(customers: Sequence[Any], form: Form, threshold: float,
                              ) -> list[SuspectedDuplicate]:
    """``customers``: objects with ``.id`` and ``.values`` (field key → value), in master
    order; pairs are listed in that order."""
    pairs = _Pairs(customers)
    for type_, label in IDENTIFIERS:
        for f in form.fields:
            if f.type == type_:
                pairs.add_groups(_groups(customers, f.key), label)
    all_names = _normalised_names(customers, form)
    by_name: dict[str, list[str]] = defaultdict(list)
    for cid, norm in _company_names(customers, form, all_names).items():
        by_name[norm].append(cid)
    pairs.add_groups(by_name.values(), SAME_NAME)
    for a, b, score in similar_names(list(by_name), threshold):
        pairs.add(pairs.first(by_name[a]), pairs.first(by_name[b]), f"{SIMILAR_NAME} {score:.1f}")
    pos = pairs.position
    return [SuspectedDuplicate(a, b, tuple(ev), _score(all_names.get(a), all_names.get(b)))
            for (a, b), ev in sorted(pairs.evidence.items(), key=lambda kv: (pos[kv[0][0]], pos[kv[0][1]]))]


def _code(value: Any) -> str:
    if type(value) is str and value.isascii():
        return value.replace(" ", "").upper()
    if is_empty(value):
        return ""
    return unicodedata.normalize("NFKC", code_text(value)).replace(" ", "").upper()


def _groups(customers: Iterable[Any], field_key: str) -> Iterable[list[str]]:
    """Ids grouped by the normalised value of one identifier field."""
    groups: dict[str, list[str]] = defaultdict(list)
    for c in customers:
        value = c.values.get(field_key)
        if value is not None:
            key = _code(value)
            if key:
                groups[key].append(c.id)
    return groups.values()


def _normalised_names(customers: Iterable[Any], form: Form) -> dict[str, str]:
    key = _name_key(form)
    out = {}
    for c in customers:
        norm = normalize_company_name(str(c.values.get(key) or ""))
        if norm:
            out[c.id] = norm
    return out


def _company_names(customers: Sequence[Any], form: Form, names: dict[str, str]) -> dict[str, str]:
    """id → normalised name, company customers only (客户类型 not 个人)."""
    type_key = "customer_type" if "customer_type" in form.keys else None
    if type_key is None:
        return names
    persons = {c.id for c in customers if c.values.get(type_key) == PERSON}
    return {cid: n for cid, n in names.items() if cid not in persons}


def _name_key(form: Form) -> str:
    for f in form.fields:
        if f.key == "customer_name" or f.label == "客户名称":
            return f.key
    return "customer_name"


def _score(a: str | None, b: str | None) -> float | None:
    if not a or not b:
        return None
    return round(fuzz.ratio(a, b), 1)


def similar_names(names: Sequence[str], threshold: float) -> Iterator[tuple[str, str, float]]:
    """Pairs of distinct names (same first two characters) scoring above ``threshold``."""
    blocks: dict[str, list[str]] = defaultdict(list)
    for name in names:
        if len(name) >= 2:
            blocks[block_key(name)].append(name)
    for block in blocks.values():
        if len(block) < 2:
            continue
        if len(block) <= 4:
            yield from _small_block(block, threshold)
        else:
            yield from _big_block(block, threshold)


def _small_block(block: list[str], threshold: float) -> Iterator[tuple[str, str, float]]:
    for a, b in itertools.combinations(block, 2):
        score = fuzz.ratio(a, b, score_cutoff=threshold)
        if score > threshold:
            yield a, b, score


def _big_block(block: list[str], threshold: float) -> Iterator[tuple[str, str, float]]:
    for start in range(0, len(block), _CHUNK):
        queries = block[start:start + _CHUNK]
        # threads pay off only on large blocks: starting them costs ≈ 0.15 ms a call
        workers = -1 if len(block) - start > _THREADED else 1
        matrix = process.cdist(queries, block[start:], scorer=fuzz.ratio,
                               score_cutoff=threshold, workers=workers)
        hits = np.argwhere(np.triu(matrix, 1) > threshold)
        for i, j in hits:
            yield queries[i], block[start + j], float(matrix[i, j])
