"""Draw a ruled table on the renderer's pages, with its truth (cells row by row).

Why apart from render.py: a table has its own geometry (column edges, wrapped cells, rows
that move to the next page) and its own truth record; the renderer only hands it a canvas.
A table that does not fit is continued on the next page, row by row, each page holding
one `TableTruth` of the rows drawn there.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PIL import ImageFont

from .table import TableSpec

FontFn = Callable[[str, int, int], ImageFont.FreeTypeFont]


@dataclass(frozen=True)
class CellTruth:
    row: int
    col: int
    text: str
    row_span: int = 1
    col_span: int = 1

    def __post_init__(self) -> None:
        if self.row < 0 or self.col < 0 or self.row_span < 1 or self.col_span < 1:
            raise ValueError(f"bad cell position {self}")


@dataclass(frozen=True)
class TableTruth:
    n_rows: int
    n_cols: int
    cells: tuple[CellTruth, ...]
    box: tuple[int, int, int, int]  # px on the page: x0, y0, x1, y1

    def __post_init__(self) -> None:
        if any(
            c.row + c.row_span > self.n_rows or c.col + c.col_span > self.n_cols for c in self.cells
        ):
            raise ValueError("a cell lies outside its table")

    def grid(self) -> list[list[str]]:
        """The table as rows of texts (spanned cells repeated nowhere, left empty)."""
        out = [[""] * self.n_cols for _ in range(self.n_rows)]
        for c in self.cells:
            out[c.row][c.col] = c.text
        return out


def wrap(s: str, width: float, f: ImageFont.FreeTypeFont) -> list[str]:
    """Greedy word wrap to `width` pixels; a word longer than the width stays whole."""
    out, cur = [], ""
    for word in s.split():
        cand = f"{cur} {word}".strip()
        if cur and f.getlength(cand) > width:
            out.append(cur)
            cur = word
        else:
            cur = cand
    return out + ([cur] if cur else [])


def wrap_cell(s: str, width: float, f: ImageFont.FreeTypeFont) -> list[str]:
    """Wrap a cell, each `- item` after a sentence end starting on its own line."""
    items = re.split(r"(?<=[.;:])\s+(?=[-+•]\s)", " ".join(s.split()))
    return [line for item in items for line in wrap(item, width, f)]


def _cells(spec: TableSpec, r: int) -> list[tuple[int, int, str]]:
    """(col, col_span, text) of row r: a group row puts its label first and spans the rest."""
    n, row = len(spec.widths), spec.rows[r]
    if r in spec.group_rows:
        if len(row) == 1:
            return [(0, n, row[0])]
        return [(0, 1, row[0]), (1, n - 1, " ".join(row[1:]))]
    cells = list(row[:n]) + [""] * (n - len(row))
    return [(k, 1, cells[k]) for k in range(n)]


class _Fragment:
    """The rows of one table drawn on one page."""

    def __init__(self, y0: int) -> None:
        self.y0, self.rows, self.cells = y0, 0, []  # type: ignore[var-annotated]


Laid = tuple[list[tuple[int, int, list[str]]], int, ImageFont.FreeTypeFont]


def _layout(c: Any, spec: TableSpec, edges: list[int], font: FontFn) -> list[Laid]:
    """Per row: its cells' wrapped lines, its height, its font (header and groups bold)."""
    px = round(c.px * 0.92)
    regular, bold = font(c.style.font, px, 0), font(c.style.font, px, 1)
    lh, pad = round(px * 1.25), round(px * 0.35)
    rows: list[Laid] = []
    for r in range(len(spec.rows)):
        f = bold if r == 0 or r in spec.group_rows else regular
        laid = [
            (col, span, wrap_cell(text, edges[col + span] - edges[col] - 2 * pad, f))
            for col, span, text in _cells(spec, r)
        ]
        rows.append((laid, max(1, *(len(ls) for _, _, ls in laid)) * lh + 2 * pad, f))
    return rows


def draw_table(c: Any, spec: TableSpec, font: FontFn) -> None:
    """Draw `spec` on canvas `c` (render._Canvas) from c.y down, across pages as needed;
    the header and group rows stay with the row after them."""
    total = c.right - c.left
    edges = [c.left + round(sum(spec.widths[:k]) * total) for k in range(len(spec.widths) + 1)]
    rows = _layout(c, spec, edges, font)
    c.y += c.lh // 3
    frag = _Fragment(c.y)
    for r, (laid, height, f) in enumerate(rows):
        keep = r == 0 or r in spec.group_rows
        need = height + (rows[r + 1][1] if keep and r + 1 < len(rows) else 0)
        if c.y + need > c.bottom and c.y > c.top:
            _close(c, frag, edges, len(spec.widths))
            c.new_page()
            frag = _Fragment(c.y)
        _draw_row(c, frag, laid, edges, height, f, centre_all=r == 0)
        c.y += height
    _close(c, frag, edges, len(spec.widths))
    c.y += c.lh // 3


def _draw_row(
    c: Any,
    frag: _Fragment,
    laid: list[tuple[int, int, list[str]]],
    edges: list[int],
    height: int,
    f: ImageFont.FreeTypeFont,
    centre_all: bool,
) -> None:
    """Ruled cells with their lines (labels and header centred); truth one cell per line."""
    lh, pad, lw = round(f.size * 1.25), round(f.size * 0.35), max(1, c.style.dpi // 150)
    for col, span, ls in laid:
        x0, x1 = edges[col], edges[col + span]
        c.draw.rectangle((x0, c.y, x1, c.y + height), outline=(0, 0, 0), width=lw)
        for k, s in enumerate(ls):
            x = (x0 + x1 - f.getlength(s)) / 2 if centre_all or col == 0 else x0 + pad
            c.draw.text((round(x), c.y + pad + k * lh), s, font=f, fill=(0, 0, 0))
        text = " ".join(ls)
        frag.cells.append(CellTruth(frag.rows, col, text, 1, span))
        if text:
            c.pages[-1][1].append(text)
    frag.rows += 1


def _close(c: Any, frag: _Fragment, edges: list[int], n_cols: int) -> None:
    if frag.rows:
        box = (edges[0], frag.y0, edges[-1], c.y)
        c.pages[-1][2].append(TableTruth(frag.rows, n_cols, tuple(frag.cells), box))
