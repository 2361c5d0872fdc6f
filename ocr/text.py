"""Text pages (text files, real PDF text layers, DOCX) as OcrPages.

Why: later stages see one shape whatever the source; a text page simply has no boxes and
full confidence. A table that the text holds flattened (one cell line per line) is rebuilt
into the same `Table` artefact an OCRed grid gives, its cells pointing into the page text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ingest.models import Page, TextTable

from .flattened import CutTable, Seg, cut_continued, cut_table, find_table
from .models import Cell, Line, OcrPage, OcrSource, Table, Word
from .piped import cut_piped, find_piped

_WORD = re.compile(r"\S+")


def text_page(doc_id: str, index: int, text: str, source: OcrSource = "text",
              known: tuple[TextTable, ...] | None = None) -> OcrPage:
    """Build an OcrPage from plain text, keeping the text exactly (lines and spacing);
    only line endings are normalised to "\\n". `known`: the page's tables as its file
    gave them (a Word file), taken as they are instead of found in the text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines: list[Line] = []
    words: list[Word] = []
    pos = 0
    for i, raw in enumerate(text.split("\n")):
        lines.append(Line(raw, None, block=0, start=pos, end=pos + len(raw)))
        for m in _WORD.finditer(raw):
            words.append(Word(m.group(), None, 100.0, 0, i, pos + m.start(), pos + m.end()))
        pos += len(raw) + 1
    tables = flattened_tables(lines) if known is None else tuple(_known(t, text) for t in known)
    return OcrPage(doc_id, index, source, text, tuple(lines), tuple(words), tables=tables)


def page_from_text(page: Page) -> OcrPage:
    """The OcrPage of an ingested text or text-layer page."""
    if page.text is None or page.source == "image":
        raise ValueError(f"page {page.index} of {page.doc_id[:12]} is not a text page")
    source: OcrSource = "text-layer" if page.source == "text-layer" else "text"
    return text_page(page.doc_id, page.index, page.text, source, page.tables)


def _known(t: TextTable, text: str) -> Table:
    cells = tuple(Cell(c.row, c.col, c.text, None, c.row_span, c.col_span, start=c.start, end=c.end)
                  for c in t.cells)
    first = min((c.start for c in t.cells), default=0)
    return Table(cells, t.n_rows, t.n_cols, None, after_line=text.count("\n", 0, first) - 1)


class _Folded:
    """The page's lines with whitespace folded (what the table finder reads), blank ones
    left out unless they are rare, and the way back from a piece of a folded line to page
    offsets."""

    def __init__(self, lines: Sequence[Line]) -> None:
        self.index: list[int] = []  # folded line -> page line
        self.words: list[list[tuple[int, int]]] = []  # per folded line, its words' page spans
        self.text: list[str] = []
        blank = sum(not ln.text.strip() for ln in lines)
        keep = blank < 0.15 * len(lines)  # rare blank lines are empty cells (DOCX), not spacing
        for i, ln in enumerate(lines):
            spans = [(ln.start + m.start(), ln.start + m.end()) for m in _WORD.finditer(ln.text)]
            if spans or keep:
                self.index.append(i)
                self.words.append(spans)
                self.text.append(" ".join(_WORD.findall(ln.text)))

    def page_span(self, seg: Seg) -> tuple[int, int]:
        """Page offsets of folded-line piece (i, a, b): each folded word is the page word
        it came from, one space apart."""
        i, a, b = seg
        start = end = -1
        pos = 0
        for ws, we in self.words[i]:
            n = we - ws
            if start < 0 and a < pos + n:
                start = ws + max(0, a - pos)
            if pos < b:
                end = ws + min(n, b - pos)
            pos += n + 1
        return start, max(start, end)


def flattened_tables(lines: Sequence[Line]) -> tuple[Table, ...]:
    """Tables found flattened in the page's lines, one cell line per line or one row per
    line with ` | ` between cells (none when no header is recognisable)."""
    folded = _Folded(lines)
    out: list[Table] = []
    pos = 0
    while (cut := _next_table(folded.text, pos)) is not None:
        if any(not r.group for r in cut.rows):  # a table has rows of cells
            out.append(_table(cut, folded))
        pos = max(cut.end, cut.first + 1)
    return tuple(out)


def continued_table(page: OcrPage, n_cols: int,
                    widths: Sequence[int | None] | None = None) -> Table | None:
    """The rows a text page holds of a flattened table begun on the page before (its
    header is there, so its column count and the widths of its body columns in characters
    are given); None when the page does not start with such rows. Rows only, from row 0;
    a first row with no number goes on with the last row of the page before."""
    folded = _Folded(page.lines)
    cut = cut_continued(folded.text, n_cols, widths)
    if cut is None or not cut.rows:
        return None
    return _table(cut, folded, header=False)


def _next_table(lines: Sequence[str], pos: int) -> CutTable | None:
    """The first table of either shape at or after lines[pos]."""
    cell = find_table(lines, pos)
    row = find_piped(lines, pos) if any("|" in x for x in lines[pos:]) else None
    if row is not None and (cell is None or row[0] <= cell[0]):
        return cut_piped(lines, *row)
    return cut_table(lines, *cell) if cell is not None else None


def _cell(row: int, col: int, segs: Sequence[Seg], folded: _Folded, span: int = 1) -> Cell | None:
    segs = [s for s in segs if s[2] > s[1]]
    if not segs:
        return None
    text = " ".join(folded.text[i][a:b] for i, a, b in segs)
    start, end = folded.page_span(segs[0])[0], folded.page_span(segs[-1])[1]
    return Cell(row, col, text, None, 1, span, start=start, end=end)


def _table(cut: CutTable, folded: _Folded, header: bool = True) -> Table:
    """The Table artefact of a cut table: row 0 the header (unless it is on an earlier
    page), a group row as its label and one cell spanning the other columns; empty cells
    are left out."""
    n = cut.n_cols
    cells = [_cell(0, k, segs, folded) for k, segs in enumerate(cut.header)] if header else []
    for r, row in enumerate(cut.rows, start=int(header)):
        cells.append(_cell(r, 0, [row.label], folded))
        if row.group:
            cells.append(_cell(r, 1, row.cells[0], folded, n - 1))
            continue
        cells += [_cell(r, k, segs, folded) for k, segs in enumerate(row.cells, start=1)]
    after = folded.index[cut.first] - 1 if folded.index else -1
    return Table(tuple(c for c in cells if c is not None), len(cut.rows) + int(header), n, None,
                 after_line=after)
