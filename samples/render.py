"""Draw Decree-30-style pages from plain text, with the ground truth of each page.

Why a renderer: the real scans we may keep are few, so benchmarks and tests need pages
whose exact text is known. The layout follows Decree 30/2020/NĐ-CP: two-column header
(agency left, national motto and place/date right), centred bold title, body, signature
block beside the `Nơi nhận` list. The truth of a page lists its lines in reading order:
left header block, right header block, title, body (tables cell by cell), signature,
recipients. Which line plays which role is decided in layout.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from .grid import CellTruth, TableTruth, draw_table, wrap
from .layout import DATE, Item, classify
from .seal import draw_seal
from .table import TableSpec, auto_widths

__all__ = [
    "CellTruth",
    "RenderedPage",
    "Style",
    "TableTruth",
    "classify",
    "render_document",
    "render_lines",
    "render_table",
]

FONT_FILES = {
    "liberation": (
        "liberation2/LiberationSerif-Regular.ttf",
        "liberation2/LiberationSerif-Bold.ttf",
        "liberation2/LiberationSerif-Italic.ttf",
        "liberation2/LiberationSerif-BoldItalic.ttf",
    ),
    "dejavu": (
        "dejavu/DejaVuSerif.ttf",
        "dejavu/DejaVuSerif-Bold.ttf",
        "dejavu/DejaVuSerif-Italic.ttf",
        "dejavu/DejaVuSerif-BoldItalic.ttf",
    ),
    "freefont": (
        "freefont/FreeSerif.ttf",
        "freefont/FreeSerifBold.ttf",
        "freefont/FreeSerifItalic.ttf",
        "freefont/FreeSerifBoldItalic.ttf",
    ),
}
FONT_DIR = "/usr/share/fonts/truetype/"
MM = 1 / 25.4  # inches per millimetre


@dataclass(frozen=True)
class Style:
    font: str = "liberation"
    size_pt: float = 13.0
    dpi: int = 300
    seal: bool = False

    def __post_init__(self) -> None:
        if self.font not in FONT_FILES:
            raise ValueError(f"unknown font {self.font!r}; one of {sorted(FONT_FILES)}")
        if not 6 <= self.size_pt <= 30 or not 72 <= self.dpi <= 600:
            raise ValueError("size or dpi out of range")


@dataclass(frozen=True)
class RenderedPage:
    image: Image.Image
    truth: str
    dpi: int
    tables: tuple[TableTruth, ...] = ()


@lru_cache(maxsize=64)
def font(name: str, px: int, weight: int = 0) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT_DIR + FONT_FILES[name][weight], px)


class _Canvas:
    """Pages being drawn, with the truth lines of each in drawing order."""

    def __init__(self, style: Style) -> None:
        self.style = style
        d = style.dpi
        self.w, self.h = round(210 * MM * d), round(297 * MM * d)
        self.left, self.right = round(30 * MM * d), self.w - round(18 * MM * d)
        self.top, self.bottom = round(22 * MM * d), self.h - round(22 * MM * d)
        self.px = round(style.size_pt * d / 72)
        self.lh = round(self.px * 1.32)
        self.pages: list[tuple[Image.Image, list[str], list[TableTruth]]] = []
        self.new_page()

    def new_page(self) -> None:
        self.pages.append((Image.new("RGB", (self.w, self.h), "white"), [], []))
        self.y = self.top

    @property
    def draw(self) -> ImageDraw.ImageDraw:
        return ImageDraw.Draw(self.pages[-1][0])

    def need(self, height: int) -> None:
        if self.y + height > self.bottom:
            self.new_page()

    def text(self, x: int, y: int, s: str, f: ImageFont.FreeTypeFont) -> None:
        self.draw.text((x, y), s, font=f, fill=(0, 0, 0))
        self.pages[-1][1].append(s)

    def fit(self, s: str, width: int, weight: int, px: int) -> ImageFont.FreeTypeFont:
        """The largest font (down to 70 %) that fits `s` in `width`."""
        f = font(self.style.font, px, weight)
        while f.getlength(s) > width and px > self.px * 0.7:
            px -= 1
            f = font(self.style.font, px, weight)
        return f

    def centred(
        self, s: str, x0: int, x1: int, y: int, weight: int = 0, px: int | None = None
    ) -> None:
        f = self.fit(s, x1 - x0, weight, px or self.px)
        self.text(round((x0 + x1 - f.getlength(s)) / 2), y, s, f)

    def wrap(self, s: str, width: int, f: ImageFont.FreeTypeFont) -> list[str]:
        return wrap(s, width, f)

    def justified(self, s: str, y: int, f: ImageFont.FreeTypeFont, x0: int, x1: int) -> None:
        words = s.split()
        gap = (x1 - x0 - sum(f.getlength(w) for w in words)) / max(1, len(words) - 1)
        x = float(x0)
        for w in words:
            self.draw.text((round(x), y), w, font=f, fill=(0, 0, 0))
            x += f.getlength(w) + gap
        self.pages[-1][1].append(s)


def _rule(c: _Canvas, x_mid: int, y: int, length: float) -> None:
    """A short horizontal rule (under the agency, the motto, the title): no text, no truth."""
    w = max(1, c.style.dpi // 150)
    c.draw.line(
        (round(x_mid - length / 2), y, round(x_mid + length / 2), y), fill=(0, 0, 0), width=w
    )


def _draw_header(c: _Canvas, items: list[Item]) -> None:
    """Agency block left (parent regular, issuing agency bold, then `Số:`), national
    motto right (bold, ruled under) with the place and date in italics."""
    split = c.left + round(0.42 * (c.right - c.left))
    lx0, y0, hp = c.left, c.y, round(c.px * 0.95)
    left = [i.text for i in items if i.kind == "left"]
    agency = [k for k, s in enumerate(left) if not s.startswith("Số")]
    gap, y, ruled = c.lh // 2, y0, False
    for k, s in enumerate(left):
        bold = k in agency and (k > 0 or len(agency) == 1)
        c.centred(s, lx0, split, y, weight=1 if bold else 0, px=hp)
        y += c.lh
        if agency and k == agency[-1] and not ruled:
            _rule(c, (lx0 + split) // 2, y + c.lh // 10, c.lh * 2.5)
            y, ruled = y + gap, True
    ly, y, ruled = y, y0, False
    for s in (i.text for i in items if i.kind == "right"):
        c.centred(s, split, c.right, y, weight=2 if DATE.match(s) else 1, px=hp)
        y += c.lh
        if s.startswith(("Độc lập", "Doc lap")) and not ruled:
            _rule(c, (split + c.right) // 2, y + c.lh // 10, font(c.style.font, hp, 1).getlength(s))
            y, ruled = y + gap, True
    c.y = max(ly, y) + c.lh


def _draw_body(c: _Canvas, items: list[Item]) -> None:
    f = font(c.style.font, c.px)
    fb = font(c.style.font, c.px, 1)
    indent = round(10 * MM * c.style.dpi)
    for _n, it in enumerate(items):
        if it.table is not None:
            draw_table(c, it.table, font)
            continue
        ff = fb if it.kind == "heading" else f
        ind = indent
        lines = c.wrap(it.text, c.right - c.left - ind, ff)
        for k, ln in enumerate(lines):
            c.need(c.lh)
            x0 = c.left + (ind if k == 0 else 0)
            full = ff.getlength(ln) > 0.8 * (c.right - x0)
            if full and k < len(lines) - 1:
                c.justified(ln, c.y, ff, x0, c.right)
            else:
                c.text(x0, c.y, ln, ff)
            c.y += c.lh


def _draw_closing(c: _Canvas, items: list[Item]) -> tuple[int, int] | None:
    """Signature block at the right, then the `Nơi nhận` list at the left beside it
    (truth in that order); returns where a seal would go."""
    rec = [i.text for i in items if i.kind == "recipients"]
    sig = [i.text for i in items if i.kind == "signature"]
    small = round(c.px * 0.85)
    rh = round(small * 1.3)
    c.need(max(len(rec) * rh, (len(sig) + 4) * c.lh))
    split = c.left + round(0.45 * (c.right - c.left))
    y0 = c.y + c.lh // 2
    named = len(sig) > 1 and not sig[-1].isupper()  # the signer's name, below the signing space
    y = y0
    for k, s in enumerate(sig):
        y += 4 * c.lh if named and k == len(sig) - 1 else 0
        c.centred(s, split, c.right, y, weight=1)
        y += c.lh
    titles = len(sig) - named
    centre = ((split + c.right) // 2 - c.lh, y0 + titles * c.lh + 2 * c.lh) if sig else None
    for k, s in enumerate(rec):
        weight = 3 if k == 0 and s.startswith("Nơi nhận") else 0
        c.text(c.left, y0 + k * rh, s, c.fit(s, split - c.left, weight, small))
    c.y = max(y0 + len(rec) * rh, y + (0 if named else 4 * c.lh))
    return centre


def _finish(c: _Canvas) -> list[RenderedPage]:
    return [
        RenderedPage(img, "\n".join(lines), c.style.dpi, tuple(tabs))
        for img, lines, tabs in c.pages
        if lines or tabs
    ]


def _draw_title(c: _Canvas, items: list[Item]) -> None:
    """Centred bold type and trích yếu, with a short rule under them."""
    titles = [i.text for i in items if i.kind == "title"]
    for s in titles:
        c.centred(s, c.left, c.right, c.y, weight=1)
        c.y += c.lh
    if titles:
        _rule(c, (c.left + c.right) // 2, c.y + c.lh // 5, c.lh * 3)
        c.y += c.lh // 3
    c.y += c.lh // 2


def render_document(text: str, style: Style = Style()) -> list[RenderedPage]:
    """A whole document laid out per Decree 30; one RenderedPage per page."""
    items = classify(text)
    c = _Canvas(style)
    head = [i for i in items if i.kind in ("left", "right")]
    if head:
        _draw_header(c, head)
    _draw_title(c, items)
    _draw_body(c, [i for i in items if i.kind in ("body", "heading", "table") and not i.part])
    closing = [i for i in items if i.kind in ("recipients", "signature")]
    centre = _draw_closing(c, closing) if closing else None
    signed = c.pages[-1][0]
    appendix = [i for i in items if i.part == 1]
    if appendix:
        c.new_page()
        _draw_body(c, appendix)
    if style.seal and centre is not None:
        agency = [
            i.text for i in items if i.kind == "left" and not i.text.startswith(("Số", "V/v"))
        ]
        draw_seal(signed, centre, style.dpi, " * ".join(agency))
    return _finish(c)


def render_lines(lines: list[str], style: Style = Style()) -> list[RenderedPage]:
    """Plain left-aligned lines, one printed line per input line (a long one is set
    smaller, down to 70 %, and wrapped only beyond that), for OCR training pairs."""
    c = _Canvas(style)
    for raw in lines:
        text = " ".join(raw.split())
        f = c.fit(text, c.right - c.left, 0, c.px)
        for ln in c.wrap(text, c.right - c.left, f):
            c.need(c.lh)
            c.text(c.left, c.y, ln, f)
            c.y += c.lh
    return _finish(c)


def render_table(
    rows: list[list[str]],
    style: Style = Style(),
    widths: list[float] | None = None,
    group_rows: set[int] | frozenset[int] = frozenset(),
) -> list[RenderedPage]:
    """A ruled table alone (row 0 the header, `group_rows` spanning the width after their
    label), continued on further pages when long; widths default to the text lengths."""
    if not rows or not rows[0]:
        raise ValueError("render_table needs a header row")
    n = len(rows[0])
    if widths is not None and len(widths) != n:
        raise ValueError(f"{len(widths)} widths for {n} columns")
    w = tuple(x / sum(widths) for x in widths) if widths else auto_widths(rows, group_rows)
    spec = TableSpec(tuple(tuple(r) for r in rows), frozenset(group_rows), w)
    c = _Canvas(style)
    draw_table(c, spec, font)
    return _finish(c)
