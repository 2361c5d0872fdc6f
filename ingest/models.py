"""Artefacts of the ingest stage: a Document made of Pages.

A Page never holds pixels. It holds either text (a text file, a real PDF text layer, DOCX)
or an `ImageRef` telling how to rasterise it later. Why: a 50-page PDF must not sit in
memory as 50 bitmaps, and the per-page unit must be small and picklable so that worker
processes (or a Dask cluster) can take it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

DocKind = Literal["pdf", "image", "text", "docx"]
PageSource = Literal["image", "text-layer", "text"]
ImageKind = Literal["pdf", "image"]
AsideKind = Literal["header", "footer", "textbox"]

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True, slots=True)
class ImageRef:
    """Where a page's image comes from: page `page_no` (1-based) of a PDF rasterised at
    `dpi`, or frame `page_no` (1-based) of an image file. `dpi` is None when the image
    file carries no resolution (OCR then guesses one and passes it to Tesseract)."""

    path: str
    kind: ImageKind
    page_no: int
    dpi: int | None = None
    scan: bool = False  # a PDF page drawn by one scan image: rasterised at its own ppi,
    # without the annotations laid over it (e-signature boxes are widgets, not the scan)

    def __post_init__(self) -> None:
        if self.page_no < 1:
            raise ValueError(f"page_no must be >= 1, got {self.page_no}")
        if self.dpi is not None and not 10 <= self.dpi <= 2400:
            raise ValueError(f"implausible dpi {self.dpi}")


@dataclass(frozen=True, slots=True)
class TextCell:
    """A cell of a table a text page holds exactly (a Word table): its grid position and
    spans, and where its text lies in the page text (`start`:`end`)."""

    row: int
    col: int
    text: str
    start: int
    end: int
    row_span: int = 1
    col_span: int = 1

    def __post_init__(self) -> None:
        if min(self.row, self.col, self.start) < 0 or min(self.row_span, self.col_span) < 1:
            raise ValueError(f"bad cell {self}")
        if self.end - self.start < len(self.text.strip()) or not self.text.strip():
            raise ValueError(f"cell span {self.start}:{self.end} cannot hold {self.text!r}")


@dataclass(frozen=True, slots=True)
class TextTable:
    """A table of a text page, cell by cell (empty cells left out). Why in ingest: a Word
    file says where its cells are; guessing them back from flattened text would lose it."""

    cells: tuple[TextCell, ...]
    n_rows: int
    n_cols: int

    def __post_init__(self) -> None:
        for c in self.cells:
            if c.row + c.row_span > self.n_rows or c.col + c.col_span > self.n_cols:
                raise ValueError(f"cell {c.row},{c.col} outside a {self.n_rows}x{self.n_cols} table")


@dataclass(frozen=True, slots=True)
class Aside:
    """Text of a Word file kept apart from its body: a page header or footer, a text box."""

    kind: AsideKind
    text: str


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a document, before OCR. Exactly one of `text` and `image` is set,
    except for a PDF page whose text layer was rejected: then `image` is set and
    `text` keeps the rejected layer for the record (`source` says which one counts)."""

    doc_id: str
    index: int  # 0-based position in the document
    source: PageSource
    text: str | None = None
    image: ImageRef | None = None
    note: str = ""  # why this source was chosen (e.g. "text layer rejected: 41% non-Vietnamese")
    tables: tuple[TextTable, ...] | None = None  # None: not known (found in the text later)

    def __post_init__(self) -> None:
        if not _SHA256.match(self.doc_id):
            raise ValueError(f"doc_id must be a sha256 hex digest, got {self.doc_id!r}")
        if self.index < 0:
            raise ValueError(f"page index must be >= 0, got {self.index}")
        if self.source == "image" and self.image is None:
            raise ValueError("an image page needs an ImageRef")
        if self.source != "image" and self.text is None:
            raise ValueError(f"a {self.source} page needs text")
        for t in self.tables or ():
            for c in t.cells:
                if self.text is None or self.text[c.start:c.end].split() != c.text.split():
                    raise ValueError(f"cell {c.row},{c.col} does not match the page text")


SignatureSource = Literal["pdf-signature", "ocr"]


@dataclass(frozen=True, slots=True)
class Signature:
    """An e-signature box (`Ký bởi: ... / Cơ quan: ... / Thời gian ký: ...`, or a name, an
    e-mail and a timestamp): who signed and when. Kept apart from the page text, so its
    lines never reach a header field or the recipients. `signer` is the certificate's
    holder (`Ký bởi`), `organisation` its agency (`Cơ quan`, else the box's name lines);
    `timestamp` is ISO 8601 (`2025-02-07T07:56:24+07:00`); `box` is in pixels of the page
    as rasterised (x0, y0, x1, y1), `page` 0-based."""

    page: int
    source: SignatureSource
    text: str  # the box's lines as read
    organisation: str | None = None
    signer: str | None = None
    email: str | None = None
    timestamp: str | None = None
    box: tuple[int, int, int, int] | None = None

    def __post_init__(self) -> None:
        check_page_box(self.page, self.box)
        if self.timestamp is not None and not _ISO.match(self.timestamp):
            raise ValueError(f"timestamp is not ISO 8601: {self.timestamp!r}")


def check_page_box(page: int, box: tuple[int, int, int, int] | None) -> None:
    """A page mark's page is 0-based and its box is not inverted (signatures, receipts)."""
    if page < 0:
        raise ValueError(f"page must be >= 0, got {page}")
    if box is not None and (box[2] < box[0] or box[3] < box[1]):
        raise ValueError(f"inverted box {box}")


_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2})?)?$")


@dataclass(frozen=True, slots=True)
class Document:
    """A file turned into pages. `doc_id` is the sha256 of the file's bytes, so the same
    scan under two names is one document and a changed file is a new one."""

    doc_id: str
    path: str
    kind: DocKind
    pages: tuple[Page, ...]
    encoding: str | None = None  # for text inputs: the encoding detected (utf-8, tcvn3, vni, ...)
    warnings: tuple[str, ...] = field(default_factory=tuple)
    asides: tuple[Aside, ...] = ()  # a Word file's headers, footers, text boxes
    signatures: tuple[Signature, ...] = ()  # e-signature widgets of a PDF (ingest.esign)

    def __post_init__(self) -> None:
        if not _SHA256.match(self.doc_id):
            raise ValueError(f"doc_id must be a sha256 hex digest, got {self.doc_id!r}")
        for i, page in enumerate(self.pages):
            if page.doc_id != self.doc_id or page.index != i:
                raise ValueError(f"page {i} does not belong at this place in {self.path}")
