"""Draw Decree-30-style pages from plain text, with the ground truth of each page.

Why a renderer: the real scans we may keep are few, so benchmarks and tests need pages
whose exact text is known. The layout follows Decree 30/2020/NĐ-CP: two-column header
(agency left, national motto and place/date right), centred bold title, body, signature
block beside the `Nơi nhận` list. The truth of a page lists its lines in reading order:
left header block, right header block, title, body, recipients, signature.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from ingest.orthography import strip_marks

from .grid import TableTruth, draw_table, wrap
from .seal import draw_seal
from .table import TableSpec, auto_widths, find_table, parse_table

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


@dataclass(frozen=True)
class Item:
    """One printed line: where it goes and how it looks."""

    text: str
    kind: str  # "left", "right", "title", "body", "heading", "table", "recipients", "signature"
    table: TableSpec | None = None
    part: int = 0  # 1 for what follows the signature (appendices), drawn on a new page


@lru_cache(maxsize=64)
def font(name: str, px: int, weight: int = 0) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT_DIR + FONT_FILES[name][weight], px)


_TYPES = (
    "KE HOACH",
    "QUYET DINH",
    "CONG VAN",
    "CHI THI",
    "TO TRINH",
    "THONG BAO",
    "BAO CAO",
    "GIAY PHEP",
    "NGHI DINH",
    "NGHI QUYET",
    "CHUONG TRINH",
    "HUONG DAN",
)
_MOTTO = re.compile(r"(C[OỘ]NG HO[AÀ]|CỘNG HÒA|CỘNG HOÀ|Độc lập|Đ[ộo]c l[ậa]p)")
_DATE = re.compile(r"\S.*,\s*ngày\b")
_RULE = re.compile(r"^[-–—_=.·*\s]+$")
_HEADING = re.compile(r"^([IVX]+\.|\d+(\.\d+)*\.|[a-zđ]\))\s")


def _is_type(line: str) -> bool:
    """A document-type title (KẾ HOẠCH, QUYẾT ĐỊNH ...), alone or leading a capitalised title."""
    bare = strip_marks(line).upper()
    return bare in _TYPES or line.isupper() and any(bare.startswith(t + " ") for t in _TYPES)


def _header_end(lines: list[str]) -> int:
    """Where a header without a type title (a công văn) ends: at the first body line, within
    the first lines, and only when the national motto is there at all."""
    if not any(_MOTTO.search(ln) for ln in lines[:4]):
        return 0
    for i, ln in enumerate(lines[:16]):
        if _starts_body(ln) or len(ln) > 90:
            return i
    return 0


def classify(text: str) -> list[Item]:
    """Assign each non-blank line of a document to a layout role."""
    lines = [" ".join(ln.split()) for ln in text.splitlines()]
    lines = [ln for ln in lines if ln and not _RULE.match(ln)]
    t = next((i for i, ln in enumerate(lines[:25]) if _is_type(ln)), None)
    items: list[Item] = []
    if t is not None:
        items += _header(lines[:t])
        items.append(Item(lines[t], "title"))
        j = t + 1
        while j < len(lines) and j <= t + 3 and not _starts_body(lines[j]):
            items.append(Item(lines[j], "title"))
            j += 1
    else:
        j = _header_end(lines)
        items += _header(lines[:j])
    tail = next(
        (i for i in range(j, len(lines)) if strip_marks(lines[i]).startswith("Noi nhan")), None
    )
    items += _body(lines[j:tail])
    if tail is not None:
        closing, rest = _closing(lines[tail:])
        items += closing + [replace(it, part=1) for it in _body(rest)]
    return items


def _body(lines: list[str]) -> list[Item]:
    """Paragraphs and headings, with any flattened table recovered as a table item."""
    items: list[Item] = []
    while lines:
        span = find_table(lines)
        cut = span[0] if span else len(lines)
        for para in _paragraphs(lines[:cut]):
            heading = bool(re.match(r"^[IVX]+\.\s", para)) or (
                _HEADING.match(para) and len(para) < 70
            )
            items.append(Item(para, "heading" if heading else "body"))
        if span is None:
            break
        items.append(Item("", "table", parse_table(lines[span[0] : span[1]])))
        lines = lines[span[1] :]
    return items


def _paragraphs(lines: list[str]) -> list[str]:
    """Join source lines into paragraphs, so pages are reflowed as a word processor would:
    a line continues the previous one unless that one ended a sentence or this one
    starts a list item or a numbered heading."""
    out: list[str] = []
    for ln in lines:
        starts = ln.startswith(("-", "+", "*", "•")) or _HEADING.match(ln) or _starts_body(ln)
        ended = out and (
            out[-1].endswith((".", ";", ":")) and not ln[:1].islower() or _is_heading(out[-1])
        )
        if out and not starts and not ended:
            out[-1] = f"{out[-1]} {ln}"
        else:
            out.append(ln)
    return out


def _is_heading(line: str) -> bool:
    """A numbered line much shorter than a wrapped source line, or in capitals: a heading,
    which the next line never continues."""
    m = _HEADING.match(line)
    return m is not None and (len(line) < 45 or line[m.end() :].isupper())


def _starts_body(line: str) -> bool:
    return bool(re.match(r"^(Căn cứ|Thực hiện|Theo|Xét|Kính gửi|[IVX]+\.|\d+\.)", line))


def _place_date_start(line: str) -> int | None:
    """Where a place-and-date (`Lào Cai, ngày ...`) begins inside a merged header line: the
    run of capitalised words (at most four) before `, ngày`."""
    at = line.find(", ngày")
    if at < 0:
        return None
    words = line[:at].split(" ")
    k = len(words)
    while (
        k > 0 and len(words) - k < 4 and words[k - 1][:1].isupper() and words[k - 1][1:].islower()
    ):
        k -= 1
    return len(" ".join(words[:k])) + 1 if 0 < k < len(words) else None


def _header(lines: list[str]) -> list[Item]:
    """Split merged header lines into the agency column (left: agency, `Số:`, `V/v`) and
    the motto column (right: national motto, place and date)."""
    left, right = [], []
    for ln in lines:
        m = _MOTTO.search(ln)
        cut = m.start() if m else _place_date_start(ln)
        if cut:
            left.append(ln[:cut].strip())
            right.append(ln[cut:].strip())
        elif m or _DATE.match(ln):
            right.append(ln)
        else:
            left.append(ln)
    return [Item(x, "left") for x in left if x] + [Item(x, "right") for x in right if x]


_CAPS_TAIL = re.compile(r"\s((?:KT|TL|TM|Q)\.\s*)?[A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ .]{5,}$")


def _closing(lines: list[str]) -> tuple[list[Item], list[str]]:
    """Recipients (left) and signature (right), and the lines after them (appendices); a
    source line that merged both columns (`Nơi nhận: KT. TRƯỞNG BAN`) is cut before its
    upper-case tail. The signature is a few short lines; a long one ends the block."""
    recips: list[str] = []
    sign: list[str] = []
    for k, ln in enumerate(lines):
        if ln.startswith(("Nơi nhận", "-", "(", "+")) and len(ln) < 90:
            m = _CAPS_TAIL.search(ln)
            if m and not ln[: m.start()].isupper():
                recips.append(ln[: m.start()].rstrip())
                sign.append(m.group().strip())
            else:
                recips.append(ln)
        elif len(ln) <= 45 and len(sign) < 6:
            sign.append(ln)
        else:
            return _closing_items(recips, sign), lines[k:]
    return _closing_items(recips, sign), []


def _closing_items(recips: list[str], sign: list[str]) -> list[Item]:
    return [Item(x, "recipients") for x in recips] + [Item(x, "signature") for x in sign]


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
        c.centred(s, split, c.right, y, weight=2 if _DATE.match(s) else 1, px=hp)
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
