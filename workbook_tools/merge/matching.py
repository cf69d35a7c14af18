"""Which company customers look like one firm, and why: candidate pairs from several
blocking keys, then a judgement on the names plus the contact evidence.

Names (see merge/profiles.py for the core, the base and the industry words) match when
  - the cores are equal (after 繁简 folding: 華強電子 = 华强电子), or
  - the bases are equal and one name only drops industry words (润和科技 / 润和), or
  - the cores (at least 4 characters) are one edit apart (Levenshtein distance 1:
    华夏贸易 / 华厦贸易, 润合科技 / 润和科技); never when the edit is a digit, a Chinese
    numeral or a Latin letter (1号 / 2号, 第一 / 第二, ABB / ABC are different firms).
How much more is needed depends on the distinctive part, the base (the core without
industry words):
  - equal cores, or a base of 6+ characters: the name alone;
  - a base of 4–5 characters: the same city (named, in the address or by area code);
  - a shorter base (华为 / 华美): contact evidence, i.e. the same landline prefix
    (area code + 6 digits), address, e-mail, or contact person in the same city.
The landline prefix and the address suffice with a matching name anywhere; the e-mail and
the contact person only when the two are not in different cities. Without contact
evidence, names that locate different cities (北京… / 上海…, different area codes) are two
firms.

Blocking (so 300,000 customers never mean 45 billion comparisons, and a typo in one key
still meets its partner through another): the base's first two and last two characters
and its pinyin initials (cores with a base of 4+ characters), the landline prefix, the
address, the e-mail and the contact person; within a block only cores one edit apart
are looked at (rapidfuzz Levenshtein, cdist on big blocks). The blocks are found by hash
over the profile columns (merge/profile_table.py); a pair found counts when its two keys
are equal, so a hash collision adds nothing.
"""

from __future__ import annotations

import itertools
from array import array
from typing import Callable, Iterable, Iterator, Sequence

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from workbook_tools.merge.chinese import initials
from workbook_tools.merge.profile_table import Part, ProfileTable, hash_groups
from workbook_tools.merge.profiles import ADDRESS_KEY, ADDRESS_SHORTEST, Profile, landline_parts

LONG_BASE = 6       # a base this long may match on the name alone
MID_BASE = 4        # a base this long may match with the same city
MIN_TYPO_CORE = 4   # one-character differences count only between cores this long
ALONE, SAME_CITY, CONTACT = 0, 1, 2     # what a name match needs besides the name
SAME_NAME = "名称规范化后相同"
FOLDED_NAME = "繁简转换后名称相同"
NUMERALS = frozenset("0123456789〇零一二三四五六七八九十")
_SMALL = 48         # blocks up to this size are compared pair by pair
_CHUNK = 2048


def candidate_pairs(table: ProfileTable) -> set[tuple[int, int]]:
    """Pairs (k < l, company numbers in ``table``) whose names may match: one edit apart in a
    shared block, or the same base with one name dropping industry words. The blocks of
    one kind of key at a time, found by hash (a pair kept when the two keys are equal: the
    same pairs as exact blocks, without a dict of every company's key)."""
    found: set[tuple[int, int]] = set()
    long_core = table.lengths("core") >= MIN_TYPO_CORE
    for column, part, shortest in _KEYS:
        key = table.key(column, part, shortest)
        present = long_core & (table.lengths(column) >= shortest)
        for group in hash_groups(table.hashes(column, part), present):
            numbers = group.tolist()
            found.update((k, j) for k, j in _close(list(zip(numbers, map(table.core, numbers))))
                         if key(k) == key(j))
    found.update(_dropped_words(table))
    return found


def _tel(phone: str) -> str:
    return landline_parts(phone)[1]


# (column, part, shortest): a key from the base for bases long enough (3: its partner may have
# the character it lost), the landline prefix, the address's start, the e-mail, the contact
_KEYS: tuple[tuple[str, Part, int], ...] = (
    ("base", slice(0, 2), MID_BASE - 1), ("base", slice(-2, None), MID_BASE - 1),
    ("base", initials, MID_BASE - 1), ("phone", _tel, 1),
    ("address", slice(0, ADDRESS_KEY), ADDRESS_SHORTEST), ("email", None, 1), ("contact", None, 1),
)


def _close(block: list[tuple[int, str]]) -> Iterator[tuple[int, int]]:
    """Pairs of the block ((number, core), ascending numbers, cores at least MIN_TYPO_CORE long)
    whose cores differ by exactly one edit (equal cores are the exact groups' business)."""
    if len(block) <= _SMALL:
        for (i, a), (j, b) in itertools.combinations(block, 2):
            if a != b and abs(len(a) - len(b)) <= 1 and Levenshtein.distance(a, b, score_cutoff=1) == 1:
                yield i, j
        return
    numbers = [k for k, _ in block]
    cores = [core for _, core in block]
    for start in range(0, len(block), _CHUNK):
        matrix = process.cdist(cores[start:start + _CHUNK], cores[start:], scorer=Levenshtein.distance,
                               score_cutoff=1, dtype=np.int8, workers=-1 if len(block) > 4096 else 1)
        for r, c in np.argwhere(np.triu(matrix == 1, 1)):
            yield numbers[start + r], numbers[start + c]


def _dropped_words(table: ProfileTable) -> Iterator[tuple[int, int]]:
    """Same base, one name's industry words a proper part (in order) of the other's: each
    (base, fewer words) looked up by hash among the (base, words) of every company."""
    words = table.word_tuple
    own = np.fromiter(map(hash, zip(table.bases(), table.word_tuples())), dtype=np.int64, count=len(table))
    order = np.argsort(own, kind="stable")
    own = own[order]
    for k, j in _asked(table, own, order):
        base, fewer = table.base(j), words(j)
        if base == table.base(k) and len(fewer) < len(words(k)) \
                and fewer in itertools.combinations(words(k), len(fewer)):
            yield (k, j) if k < j else (j, k)


def _asked(table: ProfileTable, own: np.ndarray, order: np.ndarray) -> Iterator[tuple[int, int]]:
    """(k, j): the hash of company k's base with fewer of its words is company j's own (``own``
    sorted, ``order`` its company numbers); asked _CHUNK * 32 at a time."""
    asked, askers = array("q"), array("q")
    last = len(table) - 1
    for k, base, mine in zip(itertools.count(), table.bases(), table.word_tuples()):
        if mine and len(mine) <= 4:
            for n in range(len(mine)):
                for fewer in itertools.combinations(mine, n):
                    asked.append(hash((base, fewer)))
                    askers.append(k)
        if len(asked) >= _CHUNK * 32 or k == last:
            queries = np.frombuffer(asked, dtype=np.int64)
            lo, hi = np.searchsorted(own, queries, "left"), np.searchsorted(own, queries, "right")
            hit = np.flatnonzero(hi > lo)
            for q, start, end in zip(hit.tolist(), lo[hit].tolist(), hi[hit].tolist()):
                for j in order[start:end].tolist():
                    yield askers[q], j
            del queries
            asked, askers = array("q"), array("q")


def name_relation(a: Profile, b: Profile, similar: str = "") -> tuple[str, int] | None:
    """(why the names match, what else they need: ALONE, SAME_CITY or CONTACT) or None."""
    if a.core == b.core:
        return (SAME_NAME if a.plain == b.plain else FOLDED_NAME), ALONE
    alone = _needs(min(len(a.base), len(b.base)))
    if a.base == b.base:
        short, long_ = (a.words, b.words) if len(a.words) < len(b.words) else (b.words, a.words)
        if _subsequence(short, long_):
            extra = list(long_)
            for w in short:
                extra.remove(w)
            return f"名称仅差行业词“{'、'.join(extra)}”", alone
    if min(len(a.core), len(b.core)) >= MIN_TYPO_CORE and abs(len(a.core) - len(b.core)) <= 1 \
            and Levenshtein.distance(a.core, b.core, score_cutoff=1) == 1:
        changed = _edited(a.core, b.core)
        # 1号 / 2号, 一分厂 / 二分厂: numbered firms; ABB / ABC: Latin letters are acronyms
        if not NUMERALS.intersection(changed) and not any(map(str.isascii, changed)):
            if len(a.core) != len(b.core):   # a dropped character: the longer base is the right one
                alone = _needs(max(len(a.base), len(b.base)))
            return f"名称相差一字（{_edit_text(a.core, b.core)}）", alone
    if similar:
        return similar, ALONE
    return None


def _needs(base_length: int) -> int:
    return ALONE if base_length >= LONG_BASE else SAME_CITY if base_length >= MID_BASE else CONTACT


def _subsequence(short: tuple, long_: tuple) -> bool:
    rest = iter(long_)
    return len(short) < len(long_) and all(w in rest for w in short)


def _edited(a: str, b: str) -> str:
    op = Levenshtein.editops(a, b)[0]
    return (a[op.src_pos] if op.tag != "insert" else "") + (b[op.dest_pos] if op.tag != "delete" else "")


def _edit_text(a: str, b: str) -> str:
    op = Levenshtein.editops(a, b)[0]
    if op.tag == "replace":
        return f"{a[op.src_pos]}/{b[op.dest_pos]}"
    if op.tag == "delete":
        return f"少“{a[op.src_pos]}”"
    return f"多“{b[op.dest_pos]}”"


def contact_evidence(a: Profile, b: Profile) -> list[str]:
    """What besides the name says one firm: the landline prefix and the address locate it
    (enough on their own); the e-mail and the contact person count within one city."""
    out = []
    if a.tel and a.tel == b.tel:
        out.append("固定电话相同" if a.phone == b.phone else "固定电话前段相同")
    if a.address_key and a.address_key == b.address_key:
        out.append("地址相同" if a.address == b.address else "地址前段相同")
    if a.email and a.email == b.email and not places_differ(a, b):
        out.append("相同邮箱")      # a shared info@ mailbox is no proof across cities
    if a.contact and a.contact == b.contact and _same_place(a, b):
        out.append("联系人相同且同城")
    return out


def _same_place(a: Profile, b: Profile) -> bool:
    return bool(same_place(a, b))


def same_place(a: Profile, b: Profile) -> str:
    """The city both customers are in (the same area code, or the same province when a
    side names no city); "" when unknown or different."""
    if a.area and b.area and a.area != b.area:
        return ""
    if a.cities and b.cities:
        shared = a.cities & b.cities
        return min(shared) if shared else ""
    if a.area and a.area == b.area:
        return f"区号 {a.area}"
    shared = a.provinces & b.provinces
    return min(shared) if shared else ""


def places_differ(a: Profile, b: Profile) -> bool:
    """The two name or locate different cities / provinces, or have different area codes."""
    return bool((a.provinces and b.provinces and a.provinces.isdisjoint(b.provinces))
                or (a.cities and b.cities and a.cities.isdisjoint(b.cities))
                or (a.area and b.area and a.area != b.area))


def judge(a: Profile, b: Profile, similar: str = "") -> list[str] | None:
    """The evidence for one candidate pair, or None when it is not a suspected duplicate."""
    relation = name_relation(a, b, similar)
    if relation is None:
        return None
    name, needs = relation
    evidence = contact_evidence(a, b)
    if evidence:
        return [name, *evidence]
    if needs == CONTACT or places_differ(a, b):
        return None
    if needs == SAME_CITY:
        place = same_place(a, b)
        return [name, f"同在{place}"] if place else None
    return [name]


def judged(table: ProfileTable, pairs: Iterable[tuple[int, int]]
           ) -> Iterator[tuple[Profile, Profile, list[str]]]:
    """The pairs (company numbers) that are suspected duplicates, in order, with their evidence."""
    last, a = -1, None
    for k, j in sorted(pairs):
        if k != last:
            last, a = k, table.profile(k)
        b = table.profile(j)
        evidence = judge(a, b)
        if evidence:
            yield a, b, evidence
