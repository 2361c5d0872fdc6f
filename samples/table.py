"""Flattened tables for the renderer: finding and cutting a table out of its flattened
text lives in the OCR stage (`ocr.flattened`), which rebuilds the same tables for text
pages; here the cut table becomes what the renderer draws (cell texts, group rows, column
widths)."""

from __future__ import annotations

from dataclasses import dataclass

from ocr.flattened import cut_table, find_table, seg_text
from ocr.segment import split_cells

__all__ = ["TableSpec", "auto_widths", "find_table", "parse_table", "split_cells"]


@dataclass(frozen=True)
class TableSpec:
    """A table recovered from text: rows of cell texts (row 0 the header), the rows that
    are group rows (label and a title spanning the rest), and relative column widths."""

    rows: tuple[tuple[str, ...], ...]
    group_rows: frozenset[int]
    widths: tuple[float, ...]

    def __post_init__(self) -> None:
        if not self.rows or len(self.widths) != len(self.rows[0]):
            raise ValueError("a table needs a header row and one width per column")


def parse_table(lines: list[str]) -> TableSpec:
    """The table in `lines` (as found by find_table) as cell texts, for the renderer."""
    cut = cut_table(lines, 0, len(lines))
    out: list[tuple[str, ...]] = [tuple(seg_text(lines, t) for t in cut.header)]
    groups: set[int] = set()
    for row in cut.rows:
        label = seg_text(lines, [row.label])
        if row.group:
            groups.add(len(out))
        out.append((label, *(seg_text(lines, c) for c in row.cells)))
    return TableSpec(tuple(out), frozenset(groups), auto_widths(out, groups))


def auto_widths(
    rows: list[tuple[str, ...]] | list[list[str]], group_rows: set[int] | frozenset[int]
) -> tuple[float, ...]:
    """Relative column widths: wide enough for the longest word (header included), else
    growing with the square root of the column's mean text length, as a typist sizes them."""
    n = len(rows[0])
    body = [r for i, r in enumerate(rows) if i not in group_rows]
    weights = []
    for k in range(n):
        texts = [r[k] for r in body if len(r) > k]
        word = max((len(w) for t in texts for w in t.split()), default=1)
        mean = sum(len(t) for t in texts[1:]) / max(1, len(texts) - 1)
        weights.append(max(0.6 * word + 1.0, mean**0.5))
    return tuple(w / sum(weights) for w in weights)
