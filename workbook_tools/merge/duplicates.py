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
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Sequence

import numpy as np
from rapidfuzz import fuzz, process

from workbook_tools.merge.matching import candidate_pairs, judge, judged
from workbook_tools.validate.names import block_key, normalize_company_name
from workbook_tools.merge.profiles import Profile, build_profiles
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
    """Evidence per pair of ids; a pair is ordered by the customers' master positions."""

    def __init__(self, customers: Sequence[Any]) -> None:
        self.position = {c.id: i for i, c in enumerate(customers)}
        self.evidence: dict[tuple[str, str], list[str]] = defaultdict(list)

    def add(self, a: str, b: str, text: str) -> None:
        pair = (a, b) if self.position[a] <= self.position[b] else (b, a)
        self.evidence[pair].append(text)

    def add_all(self, a: str, b: str, texts: list[str]) -> None:
        """Add each text not already listed for the pair (an identifier may repeat a contact)."""
        pair = (a, b) if self.position[a] <= self.position[b] else (b, a)
        have = self.evidence[pair]
        have.extend(t for t in texts if t not in have)


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


def find_suspected_duplicates(customers: Sequence[Any], form: Form, threshold: float, *,
                              industry_words: Iterable[str] | None = None,
                              placeholders: Iterable[str] | None = None) -> list[SuspectedDuplicate]:
    """``customers``: objects with ``.id`` and ``.values`` (field key → value), in master
    order; pairs are listed in that order. ``industry_words`` / ``placeholders``: the
    schema settings (defaults: schema/settings.py)."""
    pairs = _Pairs(customers)
    for type_, label in IDENTIFIERS:
        for f in form.fields:
            if f.type == type_:
                pairs.add_groups(_groups(customers, f.key), label)
    all_names = _normalised_names(customers, form)
    companies = _company_names(customers, form, all_names)
    profiles = build_profiles(customers, form, set(companies), industry_words=industry_words,
                              placeholders=placeholders)
    all_names.update((p.cid, p.core) for p in profiles if p.core)
    profiles = [p for p in profiles if p.core]
    by_core: dict[str, list[Profile]] = defaultdict(list)
    for p in profiles:
        by_core[p.core].append(p)
    for group in by_core.values():
        _same_core(pairs, group)
    named = set()
    for a, b, evidence in judged(profiles, candidate_pairs(profiles)):
        pairs.add_all(a.cid, b.cid, evidence)
        named.add((a.cid, b.cid))
    for core_a, core_b, score in similar_names(list(by_core), threshold):
        a, b = by_core[core_a][0], by_core[core_b][0]
        if (a.cid, b.cid) not in named and (b.cid, a.cid) not in named:
            evidence = judge(a, b, f"{SIMILAR_NAME} {score:.1f}")
            if evidence:
                pairs.add_all(a.cid, b.cid, evidence)
    pos = pairs.position
    return [SuspectedDuplicate(a, b, tuple(ev), _score(all_names.get(a), all_names.get(b)))
            for (a, b), ev in sorted(pairs.evidence.items(), key=lambda kv: (pos[kv[0][0]], pos[kv[0][1]]))]


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
            pairs.add_all(a.cid, b.cid, [evidence[0] + suffix, *evidence[1:]])


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
