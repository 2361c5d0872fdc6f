"""A Word (.docx) file read as a document: the printed text of its body, in order.

Why its XML and not python-docx's runs alone: what a reader of the printed page sees is
more than the runs. Automatic list labels live in numbering.xml (ingest/numbering.py);
tracked changes are shown as their final text (insertions kept, deletions dropped);
comments, field codes and deleted text are not printed; text boxes, page headers and
footers are kept apart (`Document.asides`). Tables come in two kinds. A layout table
(the Decree-30 header: agency and number left, motto, place and date right; the
signature block: `Nơi nhận` left, signer right) is read column by column, left then
right, a line per paragraph: the shape the header parser sees on a scan. A data table
gives a line per cell, row by row, and a `TextTable` whose cells point at those lines.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from .models import Aside, AsideKind, TextCell, TextTable
from .numbering import Numbering, W, bullet

MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_SKIP = {"del", "moveFrom", "rPr", "pPr", "delText", "instrText", "delInstrText", "fldChar",
         "commentReference", "footnoteReference", "endnoteReference", "annotationRef",
         "lastRenderedPageBreak", "proofErr", "bookmarkStart", "bookmarkEnd"}
# characters as Word prints them: a non-breaking hyphen typed as a character is a hyphen
# (`296‑QĐ/TW` is the act 296-QĐ/TW), a soft hyphen shows only at a line's end
_PRINTED = str.maketrans({"\u2011": "-", "\u00ad": None})
_MOTTO = re.compile(r"cong hoa xa hoi chu nghia|dang cong san viet nam")
HEADER_LINES = 12  # a header frame is anchored among the first lines of the body
_LAYOUT = re.compile(r"cong hoa xa hoi chu nghia|doc lap\s*[-–]\s*tu do|dang cong san viet nam"
                     r"|noi nhan\s*:|^(?:tm|kt|q|tl|tuq)\.\s", re.MULTILINE)


def fold(text: str) -> str:
    nfd = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in nfd if not unicodedata.combining(c)).lower()


def _tag(el: Any) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


@dataclass
class _Grid:
    """A table's cells on its grid: (row, col, row span, col span, element)."""

    cells: list[list[Any]] = field(default_factory=list)
    n_rows: int = 0
    n_cols: int = 0


def _wrapped(parent: Any, tag: str) -> list[Any]:
    """Children of a kind, also those a content control or custom XML wraps (rows and
    cells of a form-like table)."""
    out = []
    for child in parent.iterchildren():
        kind = _tag(child)
        if kind == tag:
            out.append(child)
        elif kind in ("sdt", "sdtContent", "customXml"):
            out += _wrapped(child, tag)
    return out


def grid(tbl: Any) -> _Grid:
    """Cells with their merges: `gridSpan` widens a cell, `vMerge` (not `restart`)
    continues the cell above in the same grid column; `gridBefore` skips columns."""
    out = _Grid()
    open_at: dict[int, list[Any]] = {}  # grid column -> the cell a vertical merge continues
    gcols = tbl.find(f"{W}tblGrid")
    out.n_cols = len(gcols) if gcols is not None else 0
    for r, tr in enumerate(_wrapped(tbl, "tr")):
        before = tr.find(f"{W}trPr/{W}gridBefore")
        col = int(before.get(W + "val") or 0) if before is not None else 0
        for tc in _wrapped(tr, "tc"):
            pr = tc.find(W + "tcPr")
            span_el = pr.find(W + "gridSpan") if pr is not None else None
            span = max(1, int(span_el.get(W + "val") or 1)) if span_el is not None else 1
            vm = pr.find(W + "vMerge") if pr is not None else None
            if vm is not None and vm.get(W + "val") != "restart" and col in open_at:
                open_at[col][2] += 1
            else:
                cell = [r, col, 1, span, tc]
                out.cells.append(cell)
                open_at[col] = cell
                if vm is None:
                    del open_at[col]
            col += span
        out.n_rows = r + 1
        out.n_cols = max(out.n_cols, col)
    return out


class Reader:
    """Walks a body (or a header part, a text box) and collects its printed lines, the
    data tables with their cells' spans, and the asides met on the way."""

    def __init__(self, numbering: Numbering) -> None:
        self.numbering = numbering
        self.lines: list[str] = []
        self.pos = 0
        self.tables: list[TextTable] = []
        self.asides: list[Aside] = []
        self.carry = ""  # text of a paragraph whose mark was deleted: it joins the next

    def add(self, text: str) -> tuple[int, int]:
        """Append a line (NFC, so offsets hold in the page text); its span."""
        line = unicodedata.normalize("NFC", text.replace("\n", " ").translate(_PRINTED))
        if not self.lines and not line.strip():
            return self.pos, self.pos  # blank lines before the first text (a .doc has one)
        start = self.pos
        self.lines.append(line)
        self.pos += len(line) + 1
        return start, start + len(line)

    def blocks(self, parent: Any) -> None:
        for child in parent.iterchildren():
            tag = _tag(child)
            if tag == "p":
                for line in self.paragraph(child):
                    self.add(line)
            elif tag == "tbl":
                self.table(child)
            elif tag in ("sdt", "customXml", "ins", "moveTo"):
                content = child.find(W + "sdtContent") if tag == "sdt" else child
                if content is not None:
                    self.blocks(content)

    def paragraph(self, p: Any) -> list[str]:
        """The paragraph's printed lines: its list label, then its runs' text (a line
        break starts a new line). A paragraph whose mark was deleted runs on into the next."""
        text = self.numbering.label(p) + self.runs(p)
        text, self.carry = self.carry + text, ""
        if p.find(f"{W}pPr/{W}rPr/{W}del") is not None:
            self.carry = text
            return []
        return text.split("\n")

    def runs(self, el: Any) -> str:
        parts: list[str] = []
        for child in el.iterchildren():
            tag = _tag(child)
            if tag == "t":
                parts.append(child.text or "")
            elif tag == "tab":
                parts.append("\t")
            elif tag in ("br", "cr"):
                parts.append("\n")
            elif tag == "noBreakHyphen":
                parts.append("-")
            elif tag == "sym":
                parts.append(_symbol(child))
            elif tag in ("drawing", "pict", "object"):
                self.text_boxes(child)
            elif tag == "AlternateContent":
                self.alternate(child)
            elif tag not in _SKIP:
                parts.append(self.runs(child))
        return "".join(parts)

    def alternate(self, el: Any) -> None:
        """A drawing given twice (a modern `Choice`, an old `Fallback`): read once."""
        choice = el.find(MC + "Choice")
        pick = choice if choice is not None else el.find(MC + "Fallback")
        if pick is not None:
            self.text_boxes(pick)

    def text_boxes(self, el: Any) -> None:
        for box in el.iter(W + "txbxContent"):
            if any(_tag(a) == "txbxContent" for a in box.iterancestors()):
                continue  # a box in a box: read with its outer box
            text = part_text(box, Numbering(None, None))  # a look that counts no list item
            if self.header_box(text):
                self.blocks(box)  # the page's header drawn in a frame: read where it stands
            else:
                self.asides.append(Aside("textbox", part_text(box, self.numbering)))

    def header_box(self, text: str) -> bool:
        """A box at the top holding the Decree-30 header (the motto), when the body has
        not given one: a header in a frame (LibreOffice saves a floating header table as
        one) is the page's header, not an aside."""
        if len(self.lines) > HEADER_LINES or not _MOTTO.search(fold(text)):
            return False
        return not any(_MOTTO.search(fold(line)) for line in self.lines)

    def table(self, tbl: Any) -> None:
        g = grid(tbl)
        cells = [c for c in g.cells]
        texts = [self.cell_lines(c[4]) for c in cells]
        if g.n_cols <= 3 and _LAYOUT.search(fold("\n".join(ln for t in texts for ln in t))):
            self.layout(list(zip(cells, texts, strict=True)), g.n_cols)
            return
        out: list[TextCell] = []
        for (r, col, rs, cs, tc), lines in zip(cells, texts, strict=True):
            joined = " ".join(" ".join(x.split()) for x in lines if x.strip())
            a, _ = self.add(joined)
            if joined:
                out.append(TextCell(r, col, joined, a, a + len(joined), rs, cs))
            for nested in tc.iterchildren(W + "tbl"):
                self.table(nested)
        if out:
            self.tables.append(TextTable(tuple(out), g.n_rows, max(1, g.n_cols)))

    def layout(self, cells: list[tuple[list[Any], list[str]]], n_cols: int) -> None:
        """A layout table column by column; a row-wide cell (`KẾ HOẠCH` typed in the
        table) stays between the rows above and below it, as on the page."""
        band: list[tuple[list[Any], list[str]]] = []
        for item in [*cells, None]:
            if item is not None and item[0][3] < n_cols:
                band.append(item)
                continue
            for col in range(n_cols):
                for c, lines in band:
                    if c[1] == col:
                        for line in lines:
                            self.add(line)
            band = []
            for line in item[1] if item is not None else ():
                self.add(line)

    def cell_lines(self, tc: Any) -> list[str]:
        """A cell's paragraphs as lines (its nested tables are read after it)."""
        lines: list[str] = []
        for child in tc.iterchildren():
            if _tag(child) == "p":
                lines += self.paragraph(child)
            elif _tag(child) == "sdt":
                content = child.find(W + "sdtContent")
                for p in content.iterchildren(W + "p") if content is not None else ():
                    lines += self.paragraph(p)
        return lines


def _symbol(el: Any) -> str:
    """`w:sym`: a character of a symbol font (a bullet, a check mark), as it shows."""
    try:
        ch = chr(int(el.get(W + "char") or "", 16))
    except ValueError:
        return ""
    return bullet(ch, (el.get(W + "font") or "").lower())


def part_text(el: Any, numbering: Numbering) -> str:
    """The printed text of a text box or a header part, lines joined (tables as lines)."""
    reader = Reader(numbering)
    reader.blocks(el)
    return "\n".join(ln for ln in reader.lines if ln.strip())


def asides_of(document: Any, numbering: Numbering) -> list[Aside]:
    """Headers and footers of every section, each part once."""
    out: list[Aside] = []
    for rel in document.part.rels.values():
        kind = rel.reltype.rsplit("/", 1)[-1]
        if kind in ("header", "footer") and not rel.is_external:
            text = part_text(rel.target_part.element, numbering)
            if text.strip():
                k: AsideKind = "header" if kind == "header" else "footer"
                out.append(Aside(k, text))
    return out


def read_body(document: Any) -> tuple[str, tuple[TextTable, ...], tuple[Aside, ...]]:
    """(page text, data tables, asides) of an opened python-docx Document."""
    part = document.part
    numbering = Numbering(_element(part, "numbering_part"), _element(part, "_styles_part"))
    reader = Reader(numbering)
    reader.blocks(document.element.body)
    if reader.carry:
        reader.add(reader.carry)
    while reader.lines and not reader.lines[-1].strip():
        reader.lines.pop()  # tables lie before: their spans hold
    asides = asides_of(document, numbering) + reader.asides
    return "\n".join(reader.lines), tuple(reader.tables), tuple(asides)


def _element(part: Any, name: str) -> Any | None:
    """The XML root of an optional part (numbering, styles), None when the file has none."""
    try:
        sub = getattr(part, name)
    except (KeyError, NotImplementedError, AttributeError):
        return None
    return getattr(sub, "element", None) if sub is not None else None
