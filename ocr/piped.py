"""Tables flattened one row per line, cells joined by ` | ` (text saved from a Word file).

Why: besides the one-cell-per-line shape (ocr/flattened.py), text exported from DOCX keeps
a table as rows of cells joined by ` | `; a cell holding several paragraphs goes on over
the next lines until its row has all its separators. The header row is recognised by its
titles as for flattened tables; the result is the same `CutTable`, so the page gets the
same `Table` artefact.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .flattened import CutRow, CutTable, Seg, recognisable, seg_text

_ROW_START = re.compile(r"^\s*(?:[IVXL]{1,5}|\d{1,3})?\.?\s*\|")
_GROUP = re.compile(r"^[IVXL]{1,5}\.?$")


def _cells(line: str, i: int) -> list[Seg]:
    """The pieces of a line between its `|` separators, spaces trimmed."""
    out, a = [], 0
    for b in [m.start() for m in re.finditer(r"\|", line)] + [len(line)]:
        piece = line[a:b]
        lead = len(piece) - len(piece.lstrip())
        out.append((i, a + lead, a + lead + len(piece.strip())))
        a = b + 1
    return out


def _rows(lines: Sequence[str], j: int, n: int) -> list[list[int]]:
    """Line indices of each row from lines[j]: a row starts on a line with a separator once
    the previous row has its n-1 separators (or at a row label and a separator)."""
    rows: list[list[int]] = []
    seps = n - 1
    for i in range(j, len(lines)):
        line = lines[i]
        complete = seps >= n - 1
        if complete and "|" not in line:
            break
        if complete or _ROW_START.match(line):
            rows.append([i])
            seps = line.count("|")
        else:
            rows[-1].append(i)
            seps += line.count("|")
    return rows


def find_piped(lines: Sequence[str], start: int = 0) -> tuple[int, int] | None:
    """(first, end) of the first piped table at or after `start`: a line of recognisable
    column titles between separators, then rows."""
    for i in range(start, len(lines)):
        if lines[i].count("|") < 2:
            continue
        titles = [seg_text(lines, [s]) for s in _cells(lines[i], i)]
        if recognisable([t for t in titles if t]):
            rows = _rows(lines, i + 1, len(titles))
            if rows:
                return i, rows[-1][-1] + 1
    return None


def _row_cells(lines: Sequence[str], ix: list[int], n: int) -> list[list[Seg]]:
    """A row's n cells: the first piece of a continuation line goes on the open cell."""
    cells: list[list[Seg]] = [[]]
    for i in ix:
        for k, seg in enumerate(_cells(lines[i], i)):
            if k:
                cells.append([])
            if seg[2] > seg[1]:
                cells[-1].append(seg)
    cells = cells[: n - 1] + [[s for c in cells[n - 1:] for s in c]]
    return cells + [[] for _ in range(n - len(cells))]


def cut_piped(lines: Sequence[str], first: int, end: int) -> CutTable:
    """The piped table in lines[first:end]: the header's titles, then each row, a row whose
    label is a Roman numeral and that holds one other cell being a group row."""
    header = _cells(lines[first], first)
    n = len(header)
    out: list[CutRow] = []
    for ix in _rows(lines, first + 1, n):
        cells = _row_cells(lines, ix, n)
        label = cells[0][0] if cells[0] else (ix[0], 0, 0)
        filled = [c for c in cells[1:] if c]
        if _GROUP.match(seg_text(lines, [label])) and len(filled) == 1:
            out.append(CutRow(label, True, (tuple(filled[0]),)))
        else:
            out.append(CutRow(label, False, tuple(tuple(c) for c in cells[1:])))
    return CutTable(first, end, tuple((s,) if s[2] > s[1] else () for s in header), tuple(out))
