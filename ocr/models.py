"""Artefacts of the OCR stage: words with boxes and confidences, lines, blocks, pages.

Text pages (text files, real PDF text layers) become OcrPages too, with no boxes and
confidence 100, so every later stage sees one shape whatever the source was.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from ingest.models import Signature, check_page_box

OcrSource = Literal["ocr", "text-layer", "text"]


@dataclass(frozen=True, slots=True)
class Box:
    """Pixel box on the page image as OCRed (after clean-up), x1/y1 exclusive."""

    x0: int
    y0: int
    x1: int
    y1: int

    def __post_init__(self) -> None:
        if self.x1 < self.x0 or self.y1 < self.y0:
            raise ValueError(f"inverted box {self}")
        if self.x0 < 0 or self.y0 < 0:
            raise ValueError(f"negative box {self}")

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        return self.y1 - self.y0

    def union(self, other: Box) -> Box:
        return Box(
            min(self.x0, other.x0), min(self.y0, other.y0),
            max(self.x1, other.x1), max(self.y1, other.y1),
        )

    @staticmethod
    def enclosing(boxes: Iterable[Box | None]) -> Box | None:
        """The smallest box around all given boxes (None when there are none)."""
        out: Box | None = None
        for b in boxes:
            if b is not None:
                out = b if out is None else out.union(b)
        return out


@dataclass(frozen=True, slots=True)
class CharDoubt:
    """A character Tesseract wavered on, with the other readings it weighed (0-100 each).
    Why kept: the tone on a hatted vowel (ổ read as ỗ or ô) is `vie`'s commonest slip on
    real scans, and where the model itself hesitated is where the restorer may question a
    mark at less cost; a word's single confidence cannot say which letter was in doubt."""

    index: int  # where the character starts in the word's text
    char: str
    conf: float
    alternatives: tuple[tuple[str, float], ...]

    def __post_init__(self) -> None:
        if self.index < 0 or not self.char:
            raise ValueError(f"a doubt needs a character and a position: {self}")
        if not self.alternatives:
            raise ValueError("a doubt without alternatives")
        for _, conf in ((self.char, self.conf), *self.alternatives):
            if not 0.0 <= conf <= 100.0:
                raise ValueError(f"confidence out of range: {conf}")


@dataclass(frozen=True, slots=True)
class Word:
    """One word as Tesseract read it. `conf` is 0-100; `start`/`end` locate it in its
    page's `text`, so later stages can map spans back to boxes."""

    text: str
    box: Box | None
    conf: float
    block: int
    line: int  # index of the Line in OcrPage.lines
    start: int
    end: int
    # None: not reported (the command, a text layer); (): Tesseract was sure of every letter
    doubts: tuple[CharDoubt, ...] | None = None

    def __post_init__(self) -> None:
        if self.text.split() != [self.text]:  # empty, or holds whitespace
            raise ValueError(f"a word is non-empty and has no spaces: {self.text!r}")
        for d in self.doubts or ():
            if self.text[d.index:d.index + len(d.char)] != d.char:
                raise ValueError(f"doubt {d.char!r}@{d.index} is not in {self.text!r}")
        if not 0.0 <= self.conf <= 100.0:
            raise ValueError(f"confidence out of range: {self.conf}")
        if self.end - self.start != len(self.text):
            raise ValueError("word span does not match its text")


@dataclass(frozen=True, slots=True)
class Line:
    """A line of text in reading order; `start`/`end` locate it in the page text."""

    text: str
    box: Box | None
    block: int
    start: int
    end: int
    conf: float = 100.0

    def __post_init__(self) -> None:
        if "\n" in self.text:
            raise ValueError("a line holds no newline")
        if self.end - self.start != len(self.text):
            raise ValueError("line span does not match its text")


@dataclass(frozen=True, slots=True)
class Cell:
    """A table cell: row/col of its top-left grid position, spans for merged cells."""

    row: int
    col: int
    text: str
    box: Box | None = None
    row_span: int = 1
    col_span: int = 1
    conf: float = 100.0
    start: int = -1  # span of the cell's text in the page text (-1: not in it)
    end: int = -1

    def __post_init__(self) -> None:
        if self.row < 0 or self.col < 0 or self.row_span < 1 or self.col_span < 1:
            raise ValueError(f"bad cell geometry {self}")
        if self.start >= 0 and self.end < self.start:
            raise ValueError(f"bad cell span {self.start}:{self.end}")


@dataclass(frozen=True, slots=True)
class Table:
    """A table read cell by cell. `after_line` is the index of the page line the table
    follows in reading order (-1: before the first line)."""

    cells: tuple[Cell, ...]
    n_rows: int
    n_cols: int
    box: Box | None = None
    after_line: int = -1
    incomplete: bool = False  # cut off at the page edge

    def __post_init__(self) -> None:
        for c in self.cells:
            if c.row + c.row_span > self.n_rows or c.col + c.col_span > self.n_cols:
                raise ValueError(f"cell {c.row},{c.col} outside a {self.n_rows}x{self.n_cols} table")

    def rows(self) -> list[list[Cell]]:
        out: list[list[Cell]] = [[] for _ in range(self.n_rows)]
        for c in sorted(self.cells, key=lambda c: (c.row, c.col)):
            out[c.row].append(c)
        return out


@dataclass(frozen=True, slots=True)
class Receipt:
    """A receipt stamp (`CV ĐẾN / Số: 2770 / Ngày: 04/4/18 / Chuyển: ...`): the registry
    number and date the receiving office wrote in, as read (often by hand: a person
    checks them). `box` in pixels of the page as it came (a stamp told by its words, whose
    frame was not found: of the page as read, after deskew), `page` 0-based."""

    page: int
    text: str
    number: str | None = None
    date: str | None = None
    box: tuple[int, int, int, int] | None = None

    def __post_init__(self) -> None:
        check_page_box(self.page, self.box)


@dataclass(frozen=True, slots=True)
class OcrPage:
    """A page's text with its geometry. `text` is the lines joined by newlines, blocks
    separated by a blank line; every Line and Word points into it."""

    doc_id: str
    index: int
    source: OcrSource
    text: str
    lines: tuple[Line, ...]
    words: tuple[Word, ...]
    width: int = 0
    height: int = 0
    dpi: int | None = None
    tables: tuple[Table, ...] = ()
    mean_conf: float = 100.0
    steps: tuple[str, ...] = ()  # clean-up steps applied, in order (e.g. "deskew:-2.1")
    timings: dict[str, float] = field(default_factory=dict, hash=False, compare=False)
    warnings: tuple[str, ...] = ()
    signatures: tuple[Signature, ...] = ()  # e-signature boxes found in the image (ocr.elements)
    received: tuple[Receipt, ...] = ()  # receipt stamps

    def __post_init__(self) -> None:
        if self.index < 0:
            raise ValueError("page index must be >= 0")
        for ln in self.lines:
            if self.text[ln.start:ln.end] != ln.text:
                raise ValueError(f"line span {ln.start}:{ln.end} does not match page text")
        if not 0.0 <= self.mean_conf <= 100.0:
            raise ValueError(f"mean confidence out of range: {self.mean_conf}")

    @property
    def is_empty(self) -> bool:
        """A soft failure: the page was processed but holds no text."""
        return not self.text.strip()
