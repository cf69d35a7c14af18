"""Suspected duplicates: different 客户编号 that look like one customer. Listed pairwise
with the evidence for a person to decide; never merged automatically.

Evidence: the same 统一社会信用代码, 身份证号 or 手机 (certain); names that match as
merge/matching.py decides (the same core after 繁简 folding, a dropped industry word,
one character apart), with the contact evidence that supports them; or a fuzzy name
score (rapidfuzz ``fuzz.ratio`` on the cores) above ``fuzzy_threshold``. Names are
compared only for company customers (person names collide too often).
"""

from __future__ import annotations

import itertools
import unicodedata
from array import array
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Sequence

import numpy as np
from rapidfuzz import fuzz, process

from workbook_tools.merge.matching import candidate_pairs, judge, judged
from workbook_tools.merge.packed import repeated_hashes
from workbook_tools.merge.profile_table import ProfileTable, exact_groups, hash_groups
from workbook_tools.merge.profiles import CHUNK, Profile, RowTexts, matcher_words, profile_rows
from workbook_tools.validate.names import block_key, normalize_company_name
from workbook_tools.merge.rows import code_text, is_empty
from workbook_tools.schema.model import Form

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
    """Evidence per pair of customers, by their master positions (i < j)."""

    def __init__(self) -> None:
        self.evidence: dict[tuple[int, int], list[str]] = defaultdict(list)

    def add(self, a: int, b: int, text: str) -> None:
        self.evidence[(a, b) if a <= b else (b, a)].append(text)

    def add_all(self, a: int, b: int, texts: list[str]) -> None:
        """Add each text not already listed for the pair (an identifier may repeat a contact)."""
        have = self.evidence[(a, b) if a <= b else (b, a)]
        have.extend(t for t in texts if t not in have)

    def add_groups(self, groups: Iterable[list[int]], label: str) -> None:
        """All pairs of a small group; a large group (a shared placeholder value?) as a star."""
        for group in groups:
            if len(group) < 2:
                continue
            group = sorted(group)
            if len(group) <= MAX_GROUP:
                pairs, text = itertools.combinations(group, 2), label
            else:
                pairs, text = ((group[0], o) for o in group[1:]), f"{label}（共{len(group)}个客户）"
            for a, b in pairs:
                self.add(a, b, text)


def find_suspected_duplicates(customers: Sequence[Any], form: Form, threshold: float, *,
                              industry_words: Iterable[str] | None = None,
                              placeholders: Iterable[str] | None = None) -> list[SuspectedDuplicate]:
    """``customers``: objects with ``.id`` and ``.values`` (field key → value), in master
    order; pairs are listed in that order. ``industry_words`` / ``placeholders``: the
    schema settings (defaults: schema/settings.py). Customers are known by their position,
    companies by their number in a column table of profiles, grouped by hash first (no dict
    of every customer's id, name or key: benchmarks/README.md)."""
    pairs = _Pairs()
    fields = [(f.key, label) for type_, label in IDENTIFIERS for f in form.fields if f.type == type_]
    groups, table = _scan(customers, form, [key for key, _ in fields], matcher_words(industry_words),
                          RowTexts(form, placeholders))
    for found, (_, label) in zip(groups, fields):
        pairs.add_groups(found.values(), label)
    del groups
    firsts = _same_cores(pairs, table)
    named = set()
    for a, b, evidence in judged(table, candidate_pairs(table)):
        pairs.add_all(a.index, b.index, evidence)
        named.add((a.index, b.index))
    for k, j, score in _similar_firsts(table, firsts, threshold):
        a, b = table.profile(k), table.profile(j)
        if (a.index, b.index) not in named and (b.index, a.index) not in named:
            evidence = judge(a, b, f"{SIMILAR_NAME} {score:.1f}")
            if evidence:
                pairs.add_all(a.index, b.index, evidence)
    name = _Names(customers, form, table)
    return [SuspectedDuplicate(customers[a].id, customers[b].id, tuple(ev), _score(name(a), name(b)))
            for (a, b), ev in sorted(pairs.evidence.items())]


class _Names:
    """The name a pair's score compares: a company's folded core, else the normalised name."""

    def __init__(self, customers: Sequence[Any], form: Form, table: ProfileTable) -> None:
        self.customers, self.key, self.table = customers, _name_key(form), table
        self.positions = np.frombuffer(table.positions, dtype=np.int64)   # ascending: master order

    def __call__(self, position: int) -> str | None:
        at = int(np.searchsorted(self.positions, position))
        if at < len(self.positions) and self.positions[at] == position:
            return self.table.core(at)
        return normalize_company_name(str(self.customers[position].values.get(self.key) or "")) or None


def _same_cores(pairs: "_Pairs", table: ProfileTable) -> bytes:
    """Judge the companies that share a name core (:func:`_same_core`); return for each
    company 1 if it is the first with its core, else 0."""
    firsts = np.ones(len(table), dtype=np.uint8)
    for group in hash_groups(table.hashes("core")):
        for same in exact_groups(group, table.core):
            firsts[same[1:]] = 0
            _same_core(pairs, [table.profile(k) for k in same])
    return firsts.tobytes()


def _same_core(pairs: "_Pairs", group: list[Profile]) -> None:
    """Customers with one name core: every pair of a small group, a large group as a star
    around its first customer (each pair still judged: different cities are two firms)."""
    if len(group) < 2:
        return
    if len(group) <= MAX_GROUP:
        combos, suffix = itertools.combinations(group, 2), ""
    else:
        combos, suffix = ((group[0], o) for o in group[1:]), f"（共{len(group)}个客户）"
    for a, b in combos:
        evidence = judge(a, b)
        if evidence:
            pairs.add_all(a.index, b.index, [evidence[0] + suffix, *evidence[1:]])


def _code(value: Any) -> str:
    if type(value) is str and value.isascii():
        return value.replace(" ", "").upper()
    if is_empty(value):
        return ""
    return unicodedata.normalize("NFKC", code_text(value)).replace(" ", "").upper()


def _scan(customers: Sequence[Any], form: Form, keys: list[str], words: dict, texts: RowTexts
          ) -> tuple[list[dict[str, list[int]]], ProfileTable]:
    """One read of each customer (a packed row is decoded once): the positions grouped by the
    normalised value of each identifier field ``keys`` — only values held by more than one
    customer, found by hash first (a dict of a million numbers would be ≈ 0.2 GB a field) —
    and the profiles of the company customers (客户类型 not 个人) with a name, CHUNK at a time."""
    held = [(array("q"), array("q")) for _ in keys]    # (position, hash of the value) per field
    name = _name_key(form)
    type_key = "customer_type" if "customer_type" in form.keys else None
    table, shared = ProfileTable(), {}
    chunk: list[tuple[int, list[str]]] = []
    for i, c in enumerate(customers):
        values = c.values
        for (positions, hashes), value in zip(held, map(values.get, keys)):
            if value is not None:
                key = _code(value)
                if key:
                    positions.append(i)
                    hashes.append(hash(key))
        if (type_key is None or values.get(type_key) != PERSON) and \
                normalize_company_name(str(values.get(name) or "")):
            chunk.append((i, texts(values)))
            if len(chunk) == CHUNK:
                _profile(table, chunk, words, shared)
    _profile(table, chunk, words, shared)
    return [_shared(customers, key, *pair) for key, pair in zip(keys, held)], table.close()


def _profile(table: ProfileTable, chunk: list, words: dict, shared: dict) -> None:
    table.add(profile_rows(chunk, words, shared))
    chunk.clear()


def _shared(customers: Sequence[Any], key: str, positions: array, hashes: array) -> dict[str, list[int]]:
    """Positions by normalised value, for the values whose hash more than one customer has
    (compared exactly: a hash collision makes two groups, not one)."""
    repeated = repeated_hashes(hashes)
    groups: dict[str, list[int]] = defaultdict(list)
    if repeated:
        found = np.isin(np.frombuffer(hashes, dtype=np.int64), np.fromiter(repeated, dtype=np.int64))
        at = np.frombuffer(positions, dtype=np.int64)[found]
        for i in at.tolist():
            groups[_code(customers[i].values.get(key))].append(i)
    return groups


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
        yield from _scored(block, threshold)


def _scored(block: list[str], threshold: float) -> Iterator[tuple[str, str, float]]:
    if len(block) < 2:
        return
    if len(block) <= 4:
        yield from _small_block(block, threshold)
    else:
        yield from _big_block(block, threshold)


def _similar_firsts(table: ProfileTable, firsts: bytes, threshold: float) -> Iterator[tuple[int, int, float]]:
    """:func:`similar_names` of the distinct cores (``firsts``: 1 for the first company of
    each), as (company, company, score); the blocks hold company numbers, names read per block."""
    blocks: dict[str, array] = {}
    for k, core in itertools.compress(enumerate(table.cores()), firsts):
        if len(core) >= 2:
            block = blocks.get(key := block_key(core))
            if block is None:
                block = blocks[key] = array("q")
            block.append(k)
    for block in blocks.values():
        names = [table.core(k) for k in block]
        number = dict(zip(names, block))
        for a, b, score in _scored(names, threshold):
            yield number[a], number[b], score


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
