"""Ruled tables rebuilt from text that holds them flattened, one printed cell line per line.

Why: text extracted from a plan (or a DOCX read cell by cell) loses its table; each printed
line of each cell becomes a source line: the header titles wrapped in their narrow columns,
then per row a label (`01`, or a Roman group label `I`) and the cell lines column after
column. We find a table by its header (short lines whose titles are typical column titles:
STT, nội dung, chủ trì, phối hợp, thời gian ...) followed by a row label, read the column
count and widths from the header wrapping, and cut each row's lines into cells with a small
dynamic programme: cells start on capitals or dashes, and a line must fit its column.
Every cell keeps where its text came from (line, start, end), so the OCR stage can give it
a span in the page text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from .segment import dashed_columns, data_caps, segment

_ROMAN = r"[IVXL]{1,5}"
_GROUP = re.compile(rf"^({_ROMAN})\.?(?:\s+(\S.*))?$")
_ROW = re.compile(r"^(\d{1,3}(?:\.\d{1,2}){0,2})\.?$")  # 1, 01, 1., 1.2
_END = re.compile(r"^\d{1,2}\.\s+\S|^Nơi nhận|^Noi nhan")
_HEADING = re.compile(rf"^{_ROMAN}\.\s+(\S.*)$")
_NUMBER_TITLE = re.compile(r"^(stt|tt|so tt|so thu tu)\b")
# words of typical column titles (marks stripped): a run of short lines is a table header
# only when its titles read like these
_TITLE_VOCAB = re.compile(
    r"\b(stt|tt|noi dung|cong viec|nhiem vu|chu tri|phoi hop|thoi gian|thoi han|hoan thanh|"
    r"ghi chu|don vi|co quan|ket qua|san pham|kinh phi|tien do|hoat dong|trach nhiem|"
    r"thuc hien|so luong|dia diem|ten)\b")

# how typical titles begin: in a header typed in capitals, a line that begins otherwise
# goes on with the title above it (`ĐƠN VỊ CHỦ` / `TRÌ`)
_TITLE_HEAD = re.compile(
    r"(stt|tt|so tt|noi dung|nhiem vu|ten|don vi|co quan|thoi gian|thoi han|ghi chu|ket qua|"
    r"san pham|kinh phi|tien do|dia diem|hoat dong|so luong|ho va ten|chuc vu|muc tieu|"
    r"chi tieu|hinh thuc|linh vuc|du kien|nguon|phan cong|trach nhiem)\b")

Seg = tuple[int, int, int]  # (line index, start, end) of a piece of text in the given lines


@dataclass(frozen=True)
class CutRow:
    """A body row: its label, and per column after the label the pieces of its cell (a
    group row has one cell, its title)."""

    label: Seg
    group: bool
    cells: tuple[tuple[Seg, ...], ...]


@dataclass(frozen=True)
class CutTable:
    """A table found in lines[first:end]: per column the pieces of its header title, then
    the body rows. Pieces index the lines given to `cut_table`."""

    first: int
    end: int
    header: tuple[tuple[Seg, ...], ...]
    rows: tuple[CutRow, ...]

    def __post_init__(self) -> None:
        if len(self.header) < 2 or self.end < self.first:
            raise ValueError("a table has at least two columns")

    @property
    def n_cols(self) -> int:
        return len(self.header)


def fold(text: str) -> str:
    """Lower case without marks (đ → d), for matching titles typed with or without them."""
    nfd = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in nfd if not unicodedata.combining(c)).lower()


def seg_text(lines: Sequence[str], segs: Sequence[Seg]) -> str:
    return " ".join(lines[i][a:b] for i, a, b in segs)


def _title_word(word: str) -> bool:
    return len(word) > 1 and word[0].isupper() and word[1:].isalpha() and word[1:].islower()


def _short(line: str) -> bool:
    return len(line) <= 30 and not line.endswith((".", ";", ":", ","))


def _is_label(line: str) -> bool:
    """A row label: a bare number, or a Roman group number alone or before a capital (not
    a heading in capitals, which ends the table)."""
    g = _GROUP.match(line)
    if g is None:
        return bool(_ROW.match(line))
    return (g.group(2) is None or g.group(2)[:1].isupper()) and not _ends(line)


def _ends(line: str) -> bool:
    """A line no table goes on past: a numbered heading (`III. KINH PHÍ`, in capitals; a
    group row `II. Công tác kiểm tra` may print its numeral so), `1. ...`, `Nơi nhận`."""
    h = _HEADING.match(line)
    if h:
        return not any(c.islower() for c in h.group(1))
    return bool(_END.match(line))


def _body_label(lines: Sequence[str], i: int) -> bool:
    """A row label in a table's body; there a numbered line in capitals is a group row, not
    the heading after the table, when a numbered row follows it closely."""
    if _is_label(lines[i]):
        return True
    g = _GROUP.match(lines[i])
    return (g is not None and g.group(2) is not None and _ends(lines[i])
            and any(_ROW.match(x) for x in lines[i + 1:i + 4]))


def _header_line(line: str) -> bool:
    """A line that may belong to a header: not prose (short, no closing punctuation), not a
    heading, not a row label."""
    return (
        0 < len(line) <= 80
        and not line.endswith((".", ";", ":", ","))
        and not _ends(line)
        and not _is_label(line)
    )


def recognisable(titles: Sequence[str]) -> bool:
    """Column titles that read as a table header: three or more, at least two of them
    typical titles (the row-number column counts)."""
    hits = sum(bool(_TITLE_VOCAB.search(fold(t))) for t in titles)
    return len(titles) >= 3 and hits >= 2


def _header_start(lines: Sequence[str], i: int, j: int) -> int:
    """Where the header begins in the run lines[i:j]: at its row-number title (STT, TT) if
    there is one, else where the run of short (wrapped title) lines begins."""
    numbered = [k for k in range(i, j) if _NUMBER_TITLE.match(fold(lines[k]))]
    if numbered:
        return numbered[-1]
    h = j
    while h > i and _short(lines[h - 1]):
        h -= 1
    return h


def find_table(lines: Sequence[str], start: int = 0) -> tuple[int, int] | None:
    """(first, end) line indices of the first table at or after `start`: a header whose
    titles are recognisable, immediately followed by a row label. Lines are expected
    without blank ones and with whitespace folded."""
    i = start
    while i < len(lines):
        j = i
        while j < len(lines) and _header_line(lines[j]):
            j += 1
        if j > i and j < len(lines) and _body_label(lines, j):
            h = _header_start(lines, i, j)
            titles, _ = _titles(lines, h, j)
            if j - h >= 1 and recognisable([seg_text(lines, t) for t in titles]):
                return h, _table_end(lines, j)
        i = j + 1
    return None


def _table_end(lines: Sequence[str], j: int) -> int:
    """Where the body starting at lines[j] ends: at a numbered heading or `Nơi nhận`, or at
    a line much wider than any cell line so far (prose again, once a few rows were seen)."""
    end, widest, rows, group = j, 0, 0, False
    while end < len(lines) and (not _ends(lines[end]) or _body_label(lines, end)):
        line = lines[end]
        if _body_label(lines, end):
            rows, group = rows + 1, not _ROW.match(line)
        elif not group:
            if rows >= 3 and widest and len(line) > max(50, 1.6 * widest):
                break
            widest = max(widest, len(line))
        end += 1
    return end


def _pieces(line: str, i: int) -> list[Seg]:
    """A header line cut where a new title starts: at a capitalised word, or in a line of
    capitals (where every word is one) at a typical title's first words."""
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", line)]
    if _capitals(line):
        rest = [fold(line[a:]) for a, _ in words]
        starts = [k for k, r in enumerate(rest) if k == 0 or _TITLE_HEAD.match(r)]
    else:
        starts = [k for k, (a, b) in enumerate(words) if k == 0 or _title_word(line[a:b])]
    ends = starts[1:] + [len(words)]
    return [(i, words[a][0], words[b - 1][1]) for a, b in zip(starts, ends, strict=True)]


def _capitals(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters)


def _new_title(piece: str) -> bool:
    """A header piece that begins a title rather than going on with the one before."""
    if _capitals(piece):
        return bool(_TITLE_HEAD.match(fold(piece)))
    return piece[:1].isupper()


def _titles(lines: Sequence[str], h: int, j: int) -> tuple[list[list[Seg]], list[int | None]]:
    """Column titles of header lines[h:j] and a width in characters for each (None when
    the title shares its line with another, so its column may be wider than seen)."""
    titles: list[list[Seg]] = []
    shared: list[bool] = []
    for i in range(h, j):
        pieces = _pieces(lines[i], i)
        for k, (li, a, b) in enumerate(pieces):
            if k == 0 and titles and not _new_title(lines[li][a:b]):
                titles[-1].append((li, a, b))
            else:
                titles.append([(li, a, b)])
                shared.append(len(pieces) > 1)
    caps = [
        None if sh or len(t) == 1 else max(b - a for _, a, b in t)
        for t, sh in zip(titles, shared, strict=True)
    ]
    return _nest(lines, titles, caps)


_CHILD = re.compile(r"(chu tri|phoi hop)\b")
_PARENT = re.compile(r".*\b(thuc hien|don vi|co quan|trach nhiem)\b")


def _nest(lines: Sequence[str], titles: list[list[Seg]],
          caps: list[int | None]) -> tuple[list[list[Seg]], list[int | None]]:
    """A header of two rows flattened: `Đơn vị thực hiện` spans `Chủ trì` | `Phối hợp`,
    which come last. The sub-titles take the place of the title above them."""
    text = [fold(seg_text(lines, t)) for t in titles]
    m = len(titles)
    while m > 0 and _CHILD.match(text[m - 1]) and len(text[m - 1].split()) <= 4:
        m -= 1
    parent = next((p for p in range(m - 1, -1, -1) if _PARENT.match(text[p])
                   and not _CHILD.search(text[p])), None)
    if m == len(titles) or len(titles) - m < 2 or parent is None:
        return titles, caps
    children = range(m, len(titles))
    nested = titles[:parent] + [titles[parent] + titles[c] for c in children] + titles[parent + 1:m]
    widths = caps[:parent] + [caps[c] for c in children] + caps[parent + 1:m]
    return nested, widths


def _rows(lines: Sequence[str], a: int, b: int) -> list[tuple[int, list[int]]]:
    """Row label indices with the line indices under each, in lines[a:b]. A number is a
    row label only where the numbering goes on (a `10` in a quantity column is a cell)."""
    rows: list[tuple[int, list[int]]] = []
    last: str | None = None
    for i in range(a, b):
        line = lines[i]
        if (_body_label(lines, i) and (not rows or rows[-1][1] or _GROUP.match(lines[rows[-1][0]]))
                and _follows(last, line)):
            rows.append((i, []))
            last = line if _ROW.match(line) else last
        elif rows:
            rows[-1][1].append(i)
    return rows


def _follows(last: str | None, line: str) -> bool:
    """Whether row number `line` can come after row number `last`: the same (printed
    twice), the next (or the one after), a sub-number of these, or 1 again."""
    if last is None or not _ROW.match(line):
        return True
    prev = [int(x) for x in last.rstrip(".").split(".")]
    cur = [int(x) for x in line.rstrip(".").split(".")]
    return cur[0] in (prev[0], prev[0] + 1, prev[0] + 2) or cur == [1]  # +2: a number skipped


def _whole(lines: Sequence[str], i: int) -> Seg:
    return (i, 0, len(lines[i]))


def _group_row(lines: Sequence[str], label: int, under: list[int]) -> CutRow:
    g = _GROUP.match(lines[label])
    assert g is not None
    title = ([(label, g.start(2), g.end(2))] if g.group(2) else []) + [_whole(lines, i) for i in under]
    return CutRow((label, 0, g.end(1)), True, (tuple(title),))


def cut_table(lines: Sequence[str], first: int, end: int) -> CutTable:
    """The table in lines[first:end] (as found by find_table): header titles, group rows (a
    Roman label, its title spanning the other columns) and data rows cut into cells."""
    label = next(i for i in range(first, end) if _body_label(lines, i))
    titles, caps = _titles(lines, first, label)
    rows = _rows(lines, label, end)
    return CutTable(first, end, tuple(tuple(t) for t in titles), tuple(_body(lines, rows, caps[1:])))


def cut_continued(lines: Sequence[str], n_cols: int,
                  widths: Sequence[int | None] | None = None) -> CutTable | None:
    """The rest of a table whose header was on an earlier page: the lines before the first
    row label go on with the last row there (an unnumbered row), rows follow. `widths`:
    the body columns' widths in characters seen there. None when the page does not start
    that way."""
    j = next((i for i, ln in enumerate(lines[:40]) if _is_label(ln)), None)
    if j is None or any(len(x) > 60 for x in lines[:j]):  # prose, not cell lines
        return None
    end = _table_end(lines, j)
    rows = ([(-1, list(range(j)))] if j else []) + _rows(lines, j, end)
    header: tuple[tuple[Seg, ...], ...] = ((),) * n_cols
    caps: list[int | None] = [None] * (n_cols - 1)
    if widths and len(widths) == n_cols - 1:
        caps = list(widths)
    return CutTable(0, end, header, tuple(_body(lines, rows, caps)))


def _body(lines: Sequence[str], rows: list[tuple[int, list[int]]],
          caps: list[int | None]) -> list[CutRow]:
    """Rows cut into cells: the widths seen in a first cut of the data rows, then each row
    again with them (a label -1: a row with no number, the rest of one on the page before)."""
    data = [(lb, u) for lb, u in rows if lb < 0 or _ROW.match(lines[lb])]
    texts = {lb: [lines[i] for i in u] for lb, u in data}
    first_cut = [[[texts[lb][i] for i in c] for c in segment(texts[lb], caps, None, lb < 0)]
                 for lb, _ in data]
    dcaps = data_caps(first_cut) or caps
    dashed = dashed_columns(first_cut)
    out: list[CutRow] = []
    for lb, under in rows:
        if lb >= 0 and not _ROW.match(lines[lb]):
            out.append(_group_row(lines, lb, under))
            continue
        cells = segment(texts[lb], dcaps, dashed, lb < 0)
        segs = tuple(tuple(_whole(lines, under[i]) for i in c) for c in cells)
        label = (lb, 0, len(lines[lb].rstrip("."))) if lb >= 0 else (under[0], 0, 0)
        out.append(CutRow(label, False, segs))
    return out
