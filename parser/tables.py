"""Responsibilities read from task tables (STT | Nội dung | Đơn vị chủ trì | Đơn vị phối
hợp | Thời gian): per data row the task, its lead and supporting units and the timing; a
group row (a Roman numeral, its title across the table) names the group of the rows below.

Why here and not in the OCR stage: which column holds what is read from the header titles,
typed with or without marks and damaged by OCR, so titles are matched fuzzily on folded
text. Tables come from text pages (rebuilt from flattened text) and scans alike: each cell
points into the page's raw text, and its words are read from the restored text, so units
come out with their diacritics and every unit carries its span.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from diacritics.models import RestoredPage
from ocr.models import Cell, OcrPage, Table

from .doc import Doc, clean, fold
from .models import Responsibility, RespRole, Span
from .units import unit_name
from .when import cadence, deadline

# column roles by their title words (folded); the first role that matches a title wins, so
# "Đơn vị chủ trì thực hiện" is the lead column and "Thời gian thực hiện" the timing one
_ROLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("lead", ("chu tri",)),
    ("support", ("phoi hop",)),
    ("timing", ("thoi gian", "thoi han", "hoan thanh", "tien do")),
    ("task", ("noi dung", "cong viec", "nhiem vu", "hoat dong")),
    ("unit", ("don vi thuc hien", "co quan thuc hien", "trach nhiem", "don vi")),
    ("person", ("nguoi thuc hien", "nguoi phu trach", "can bo thuc hien", "ho va ten", "ho ten")),
)
_NUMBER = re.compile(r"^\s*(s\s*t\s*t|t\s*t|so\s+tt|so\s+thu\s+tu)\s*$")
_GROUP_LABEL = re.compile(r"^\s*([IVXL]{1,5}|[A-Z])\s*[.)]?\s*$")
# words a unit's name starts with (folded); after a plural quantifier they may be lower case
_HEADS = ("so", "phong", "van phong", "ban", "ubnd", "uy ban", "trung tam", "cong an",
          "thanh tra", "chi cuc", "cuc", "doi", "bo", "nganh", "don vi", "co quan", "dia phuong",
          "xa", "phuong", "huyen", "tinh uy", "hoi", "doan", "vien", "truong", "kho bac",
          "bo chi huy", "bao", "dai", "cong ty", "to", "lanh dao", "nguoi dung dau")
_HEAD = re.compile(r"(?:" + "|".join(sorted(_HEADS, key=len, reverse=True)) + r")\b")
_PLURAL = re.compile(r"(?:cac|nhung|tat ca(?: cac)?)\s+")
_BULLET = "-+•*"


@dataclass(frozen=True, slots=True)
class CellText:
    """A cell's words read from the restored page: `text` with, per character, its offset
    in the restored page text; `line_starts` are where the cell's printed lines begin."""

    text: str
    where: tuple[int, ...]
    line_starts: frozenset[int]

    def __post_init__(self) -> None:
        if len(self.where) != len(self.text):
            raise ValueError("one page offset per character")


def column_roles(titles: Sequence[str]) -> dict[str, int]:
    """Which column holds the row number, task, lead / supporting units and timing, from
    the header titles (fuzzy on folded text, so `Chu tri` or an OCR `chủ trỉ` still count)."""
    roles: dict[str, int] = {}
    for k, title in enumerate(titles):
        f = " ".join(re.findall(r"\w+", fold(title)))
        if _NUMBER.match(f) or (k == 0 and 0 < len(f) <= 4):  # STT, or its OCR misreading
            roles.setdefault("no", k)
            continue
        role = next((r for r, words in _ROLES
                     if any(w in f if r in ("unit", "person") else _like(w, f) for w in words)), None)
        if role is not None:
            roles.setdefault(role, k)
    if "lead" not in roles and "unit" in roles:
        roles["lead"] = roles["unit"]
    if "lead" not in roles and "person" in roles:
        roles["lead"] = roles["person"]
    return roles


def _like(word: str, title: str) -> bool:
    if word in title:
        return True
    return len(title) >= len(word) - 1 and fuzz.partial_ratio(word, title) >= 84


def _task_table(roles: dict[str, int]) -> bool:
    return "task" in roles and ("lead" in roles or "support" in roles)


def cell_text(page: RestoredPage, cell: Cell) -> CellText:
    """The cell's text as restored: its printed lines found in the page (a cell broken by
    a page break spans other cells' lines, which are skipped), mapped through the offsets."""
    pieces = _raw_pieces(page, cell)
    text, where, starts = "", list[int](), set[int]()
    for ra, rb in pieces:
        a, b = bisect.bisect_left(page.offsets, ra), bisect.bisect_left(page.offsets, rb)
        part = page.text[a:b]
        lead = len(part) - len(part.lstrip())
        part = part.strip()
        if not part:
            continue
        if text:
            text += " "
            where.append(where[-1] + 1)
        starts.add(len(text))
        where += range(a + lead, a + lead + len(part))
        text += part
    return CellText(text, tuple(where), frozenset(starts))


def _raw_pieces(page: RestoredPage, cell: Cell) -> list[tuple[int, int]]:
    """Raw page spans of the cell's lines, in order: the lines under its span whose words
    continue the cell's text (all of the span when they do not add up to it)."""
    if cell.start < 0:
        return []
    want, pos, out = cell.text.split(), 0, []
    for ln in page.raw.lines:
        if ln.end <= cell.start or ln.start >= cell.end:
            continue
        a, b = max(ln.start, cell.start), min(ln.end, cell.end)
        words = page.raw.text[a:b].split()
        if words and want[pos:pos + len(words)] == words:
            out.append((a, b))
            pos += len(words)
    return out if pos == len(want) else [(cell.start, cell.end)]


def unit_spans(cell: CellText) -> list[tuple[int, int]]:
    """(start, end) in `cell.text` of each unit a cell lists: parts cut at bullets that
    begin a printed line, at semicolons, and at a comma (or `và`) before a new unit name
    when what precedes is itself a whole name (`Văn phòng, các phòng chuyên môn` is two
    units; `Các phòng, đơn vị liên quan` is one: its head nouns share `liên quan`)."""
    text = cell.text
    cuts = {(i, i) for i in cell.line_starts if text[i:i + 1] in _BULLET}
    folded = fold(text)
    cuts |= {(i, i) for i in cell.line_starts  # a printed line that starts another unit
             if i and _named_line(cell, folded, i) and _whole_name(folded[:i])}
    cuts |= {(m.start(), m.end()) for m in re.finditer(";", text)}
    for m in re.finditer(r",\s*|\s+và\s+", text):
        before = folded[max([b for _, b in cuts if b <= m.start()], default=0):m.start()]
        if _starts_unit(text, folded, m.end()) and _whole_name(before):
            cuts.add((m.start(), m.end()))
    edges = [(0, 0), *sorted(cuts), (len(text), len(text))]
    out = []
    for (_, a), (b, _) in zip(edges, edges[1:], strict=False):
        a, b = _trim(text, a, b)
        if sum(c.isalpha() for c in text[a:b]) >= 2:
            out.append((a, b))
    return out


def _lines(cell: CellText) -> list[tuple[int, int]]:
    """A cell of people's names: one name a printed line (or between commas)."""
    edges = sorted(set(cell.line_starts) | {m.end() for m in re.finditer(r"[,;]\s*", cell.text)} | {0})
    out = []
    for a, b in zip(edges, [*edges[1:], len(cell.text)], strict=True):
        a, b = _trim(cell.text, a, b)
        if sum(c.isalpha() for c in cell.text[a:b]) >= 2:
            out.append((a, b))
    return out


def _starts_unit(text: str, folded: str, i: int) -> bool:
    """A unit name begins at i: a capitalised head word (Sở, Phòng, UBND ...) or a plural
    quantifier before one (các phòng ...)."""
    plural = _PLURAL.match(folded, i)
    if plural:
        return bool(_HEAD.match(folded, plural.end()))
    return text[i:i + 1].isupper() and bool(_HEAD.match(folded, i))


def _named_line(cell: CellText, folded: str, i: int) -> bool:
    """The printed line at i starts a unit with its name (`Sở Tài chính`, not the `Sở` a
    narrow column wrapped after `Văn phòng`)."""
    end = min([j for j in cell.line_starts if j > i], default=len(folded))
    head = _HEAD.match(folded, i)
    return (_starts_unit(cell.text, folded, i) and head is not None
            and bool(re.search(r"\w", folded[head.end():end])))


def _whole_name(folded: str) -> bool:
    """Not a bare plural head (`các phòng`), which shares the words after the comma."""
    words = re.sub(r"[^\w\s]", " ", folded).split()
    plural = _PLURAL.match(" ".join(words))
    if not words or plural is None:
        return bool(words)
    rest = " ".join(words)[plural.end():]
    head = _HEAD.match(rest)
    return head is None or bool(rest[head.end():].strip())


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    junk = " ,;:.\t" + _BULLET
    while a < b and text[a] in junk:
        a += 1
    while b > a and text[b - 1] in junk:
        b -= 1
    return a, b


@dataclass(frozen=True, slots=True)
class _Row:
    cells: dict[int, Cell]
    group: bool


def _rows(table: Table) -> list[_Row]:
    """Rows with their cells by column; a row is a group row when it holds one title
    beside its label, in a cell spanning several columns or after a Roman numeral (or a
    letter)."""
    out = []
    above: dict[int, Cell] = {}  # a cell merged downward, by column: it serves the rows it spans
    for r, row in enumerate(table.rows()):
        by_col = {c.col: c for c in row}
        for col, cell in above.items():
            if cell.row + cell.row_span > r and col not in by_col and row:
                by_col[col] = cell
        above.update({c.col: c for c in row if c.row_span > 1})
        wide = any(c.col_span >= 2 for c in row)
        label = by_col.get(0)
        roman = label is not None and bool(_GROUP_LABEL.match(label.text))
        few = len([c for c in row if c.text.strip()]) <= 2  # a header may merge cells too
        out.append(_Row(by_col, (wide or roman) and few))
    return out


def _numbered(row: _Row) -> bool:
    label = row.cells.get(0)
    return label is not None and bool(re.fullmatch(r"\s*\d{1,3}(\.\d{1,2})*\s*[.)]?\s*", label.text))


def _title_row(row: _Row) -> bool:
    """A row that may be a header: no group row, no row number, only short cells (a data
    row's task or units may well contain title words)."""
    return not row.group and not _numbered(row) and all(len(c.text) <= 60 for c in row.cells.values())


def _titles(row: _Row, n_cols: int) -> list[str]:
    """The header words over each column (a merged cell's over each it spans)."""
    titles = [""] * n_cols
    for c in row.cells.values():
        for col in range(c.col, min(n_cols, c.col + c.col_span)):
            titles[col] = c.text
    return titles


def _sub_header(row: _Row, n_cols: int) -> bool:
    """A second header row: title-like, and most of its cells name a column role."""
    texts = [t for t in _titles(row, n_cols) if t.strip()]
    roles = column_roles([f"x {t}" for t in texts])  # no cell taken for the number column
    return _title_row(row) and bool(texts) and 2 * len(set(roles.values())) >= len(texts)


def _group_title(page: RestoredPage, row: _Row) -> str:
    widest = max(row.cells.values(), key=lambda c: (c.col_span, len(c.text)))
    return clean(cell_text(page, widest).text) or clean(widest.text)


@dataclass
class _Task:
    """A logical row: its parts (page position, page, row), a row broken by a page break
    having one part on each page, and the group it is in."""

    parts: list[tuple[int, RestoredPage, _Row]]
    group: str | None


class _Reader:
    """Reads the task tables of a document, page after page (a table continued on the next
    page without its header keeps the columns of the last one, and a first row there with
    no number goes on with the row before)."""

    def __init__(self, pages: Sequence[RestoredPage]) -> None:
        self.doc = Doc(pages)
        self.roles: dict[str, int] = {}
        self.n_cols = 0
        self.group: str | None = None
        self.tasks: list[_Task] = []

    def table(self, k: int, page: RestoredPage, table: Table) -> None:
        rows = _rows(table)
        start = self._header(table, rows)
        if start is None:
            return
        for r, row in enumerate(rows[start:]):
            if row.group:
                self.group = _group_title(page, row)
            elif r == 0 and start == 0 and self.tasks and not _numbered(row):
                self.tasks[-1].parts.append((k, page, row))
            else:
                self.tasks.append(_Task([(k, page, row)], self.group))

    def _header(self, table: Table, rows: list[_Row]) -> int | None:
        """Index of the first body row (after the header), None for a table of no tasks.
        A header may take two rows (`Đơn vị thực hiện` over `Chủ trì` | `Phối hợp`): the
        titles of a column are all the header words above it."""
        for r, row in enumerate(rows[:3]):
            if not _title_row(row):
                continue
            titles = _titles(row, table.n_cols)
            end = r + 1
            while end < len(rows) and end <= r + 2 and _sub_header(rows[end], table.n_cols):
                titles = [f"{a} {b}" for a, b in zip(titles, _titles(rows[end], table.n_cols),
                                                     strict=True)]
                end += 1
            roles = column_roles(titles)
            if _task_table(roles):
                self.roles, self.n_cols, self.group = roles, table.n_cols, None
                return end
        return 0 if self.roles and table.n_cols == self.n_cols else None

    def duties(self) -> list[Responsibility]:
        return [d for t in self.tasks for d in self._duties(t)]

    def _duties(self, t: _Task) -> list[Responsibility]:
        task = " ".join(filter(None, (self._text(p, row, "task") for _, p, row in t.parts)))
        timing = next(filter(None, (self._text(p, row, "timing") for _, p, row in t.parts)), None)
        out = []
        people = self.roles.get("person") == self.roles.get("lead")
        for k, page, row in t.parts:
            for role, ct, a, b in self._units(page, row):
                unit = unit_name(ct.text[a:b])
                span = self._span(k, ct.where[a], ct.where[b - 1] + 1)
                out.append(Responsibility(unit[:1].upper() + unit[1:], role, "table", task,
                                          span, person=unit if people and role == "lead" else None,
                                          deadline=_deadline(timing), cadence=_cadence(timing),
                                          group=t.group))
        return out

    def _units(self, page: RestoredPage, row: _Row) -> list[tuple[RespRole, CellText, int, int]]:
        """(role, cell text, start, end) of every unit in the row's lead and support cells."""
        out: list[tuple[RespRole, CellText, int, int]] = []
        for role in ("lead", "support"):
            cell = row.cells.get(self.roles.get(role, -1))
            if cell is not None and cell.text.strip():
                ct = cell_text(page, cell)
                spans = _lines(ct) if role == "lead" and self.roles.get("person") == self.roles["lead"] \
                    else unit_spans(ct)
                out += [("lead" if role == "lead" else "support", ct, a, b) for a, b in spans]
        return out

    def _text(self, page: RestoredPage, row: _Row, role: str) -> str:
        cell = row.cells.get(self.roles.get(role, -1))
        return clean(cell_text(page, cell).text) if cell is not None else ""

    def _span(self, k: int, start: int, end: int) -> Span:
        return self.doc.span(self.doc.starts[k] + start, self.doc.starts[k] + end)


def _deadline(timing: str | None) -> str | None:
    """A timing cell is a deadline unless it only states a cadence (`Hằng năm`)."""
    if not timing:
        return None
    return deadline(timing) or (None if cadence(timing) else timing)


def _cadence(timing: str | None) -> str | None:
    return cadence(timing) if timing else None


def _continued(pages: Sequence[RestoredPage], k: int, n_cols: int,
               before: tuple[Table, ...]) -> tuple[Table, ...]:
    """A text page with no table after a page whose task table runs to its end: the rows
    of that table flattened on this page (text files break pages inside tables too)."""
    from ocr.text import continued_table

    if not k or not n_cols or not before or pages[k].raw.source == "ocr":
        return ()
    prev = pages[k - 1].raw
    last = max((c.end for c in before[-1].cells), default=-1)
    if last < len(prev.text.rstrip()) - 80:  # prose after the table: it ended there
        return ()
    table = continued_table(pages[k].raw, n_cols, _widths(prev, before[-1]))
    return (table,) if table is not None else ()


def _widths(page: OcrPage, table: Table) -> list[int | None]:
    """Per body column of a flattened table, the width its printed lines show (the 90th
    percentile of their lengths), for cutting its rows continued on the next page."""
    out: list[int | None] = []
    for col in range(1, table.n_cols):
        cells = [c for c in table.cells if c.col == col and c.col_span == 1 and c.row and c.start >= 0]
        lengths = sorted(len(ln.text.strip()) for c in cells for ln in page.lines
                         if c.start <= ln.start and ln.end <= c.end + 1 and ln.text.strip())
        out.append(lengths[int(0.9 * (len(lengths) - 1))] if len(lengths) >= 5 else None)
    return out


def read_tables(pages: Sequence[RestoredPage]) -> tuple[list[Responsibility],
                                                      list[tuple[int, int, int]]]:
    """The task tables' responsibilities (see table_responsibilities) and where every
    table read lies: (page index, start, end) in restored page text, which prose readers
    leave to the table reader."""
    reader = _Reader(pages)
    areas: list[tuple[int, int, int]] = []
    before: tuple[Table, ...] = ()  # the tables read on the page before
    for k, page in enumerate(pages):
        before = page.raw.tables or _continued(pages, k, reader.n_cols, before)
        for table in before:
            reader.table(k, page, table)
            areas += _area(page, table)
    seen: set[tuple[str, str, str]] = set()
    out = []
    for r in reader.duties():
        key = (" ".join(re.findall(r"\w+", fold(r.unit))), r.role, r.task)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out, areas


def _area(page: RestoredPage, table: Table) -> list[tuple[int, int, int]]:
    spans = [(c.start, c.end) for c in table.cells if c.start >= 0]
    if not spans:
        return []
    ra, rb = min(a for a, _ in spans), max(b for _, b in spans)
    return [(page.index, bisect.bisect_left(page.offsets, ra), bisect.bisect_left(page.offsets, rb))]


def table_responsibilities(pages: Sequence[RestoredPage]) -> list[Responsibility]:
    """Per data row of every task table: one Responsibility per lead unit and per
    supporting unit (source "table"), with the task, timing and group; the same unit in
    the same role for the same task is listed once."""
    return read_tables(pages)[0]


def table_areas(pages: Sequence[RestoredPage]) -> list[tuple[int, int, int]]:
    """(page index, start, end) in restored page text of every table read (continued
    ones included): prose readers leave these to the table reader."""
    return read_tables(pages)[1]
