"""One piece of a sheet's matched cells → column lists, a column at a time.

Per-cell Python work is what a stream reader pays for; here a column whose cells are all
plain inline texts is decoded with one join/decode/split, and a column of plain numbers with
one ``map(float)`` — the per-cell loop runs only for the rest (dates, shared strings, rich
text), through the same Decoder.
"""

from __future__ import annotations

from operator import itemgetter

from workbook_tools.io.stream.cells import INLINE, NUMBER, Decoder, column_index, plain_text

_LETTERS, _ROW, _ATTRS, _ITEXT, _VTEXT, _OTHER = map(itemgetter, range(6))


def piece_columns(cells: list[tuple], decoder: Decoder, wanted: list[int],
                  first_row: int) -> tuple[list[int], dict[int, list]]:
    """(row numbers, {column: values}) of the rows of ``cells`` (findall tuples of
    cell_pattern) from ``first_row`` on; '' where a row has no cell in a column."""
    keys = list(dict.fromkeys(map(_ROW, cells)))        # rows in order, each once
    rows = list(map(int, keys))
    position = dict(zip(keys, range(len(keys))))
    by_column = _dense_groups(cells, len(keys)) or _groups(cells)
    out = {c: [""] * len(rows) for c in wanted}
    for letters, group in by_column.items():
        values = column_values(group, decoder)
        target = out[column_index(letters.decode())]
        if len(group) == len(rows):                     # a cell in every row: in row order
            target[:] = values
        else:
            for i, value in zip(map(position.__getitem__, map(_ROW, group)), values):
                target[i] = value
    if rows and rows[0] < first_row:
        keep = next((i for i, r in enumerate(rows) if r >= first_row), len(rows))
        rows = rows[keep:]
        out = {c: v[keep:] for c, v in out.items()}
    return rows, out


def _dense_groups(cells: list[tuple], rows: int) -> dict[bytes, list] | None:
    """When every row has the same columns (a dense table: the usual case), each column's
    cells are every k-th cell — found by slicing, without a loop over the cells."""
    if not rows or len(cells) % rows:
        return None
    k = len(cells) // rows
    groups = {}
    for j in range(k):
        group = cells[j::k]
        letters = set(map(_LETTERS, group))
        if len(letters) != 1:
            return None
        groups[letters.pop()] = group
    return groups if len(groups) == k else None


def _groups(cells: list[tuple]) -> dict[bytes, list]:
    by_column: dict[bytes, list] = {}
    for cell in cells:
        group = by_column.get(cell[0])
        if group is None:
            group = by_column[cell[0]] = []
        group.append(cell)
    return by_column


def column_values(group: list[tuple], decoder: Decoder) -> list:
    """The values of one column's cells, in order."""
    kinds = {decoder.kind(a)[0] for a in set(map(_ATTRS, group))}
    if len(kinds) == 1 and not any(map(_OTHER, group)):
        kind = kinds.pop()
        if kind == INLINE and not any(map(_VTEXT, group)):
            return _texts(list(map(_ITEXT, group)))
        if kind == NUMBER and not any(map(_ITEXT, group)) and all(map(_VTEXT, group)):
            return list(map(float, map(_VTEXT, group)))
    value = decoder.value
    return [value(a, i, v, o) for _, _, a, i, v, o in group]


def _texts(texts: list[bytes]) -> list[str]:
    joined = b"\x00".join(texts)  # XML text never holds NUL
    if b"&" in joined or b"_x" in joined or b"\r" in joined:
        return [plain_text(t) if t else "" for t in texts]
    return joined.decode("utf-8").split("\x00")
