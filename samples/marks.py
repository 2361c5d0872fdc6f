"""Marks laid over a finished page: an e-signature box and a receipt stamp.

Why: on real Quảng Ngãi and Bộ Công Thương scans a signing certificate's box (`Ký bởi:
... / Cơ quan: ... / Thời gian ký: ...`, or a name, an e-mail and a timestamp) stands over
the header, and the receiving office's `CV ĐẾN / Số / Ngày / Chuyển` stamp beside the
body. Neither belongs to the document's text: the page's truth is left as it was, and
what the marks say is returned apart (`Marks`), so a test can check that OCR reads them
as data and keeps them out of the text. Drawn on a layer multiplied over the page, as
ink is (text under a mark stays dark).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from PIL import Image, ImageChops, ImageDraw, ImageFont

from .render import RenderedPage

BLUE = (30, 60, 200)
BLACK = (25, 25, 25)
SANS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
SANS_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


@dataclass(frozen=True, slots=True)
class Marks:
    """What the drawn marks say (the truth of `signatures` and `received`)."""

    organisation: str = "TRUNG TÂM CÔNG BÁO VÀ TIN HỌC"
    email: str = "ttcbth@quangngai.gov.vn"
    timestamp: str = "07.01.2025 10:44:25 +07:00"
    iso: str = "2025-01-07T10:44:25+07:00"
    number: str = "2352"
    date: str = "21.3.18"


def _layer(page: RenderedPage) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    layer = Image.new("RGB", page.image.size, "white")
    return layer, ImageDraw.Draw(layer)


def draw_esign_box(page: RenderedPage, marks: Marks = Marks(), colour: tuple[int, int, int] = BLUE,
                   at: tuple[float, float] = (4.3, 0.12)) -> RenderedPage:
    """A framed e-signature box at `at` (inches from the top-left): organisation, e-mail,
    timestamp, one line each, in the certificate's colour."""
    d = page.dpi
    layer, draw = _layer(page)
    px = round(9 * d / 72)
    f = ImageFont.truetype(SANS, px)
    lines = [marks.organisation, marks.email, marks.timestamp]
    x, y = round(at[0] * d), round(at[1] * d)
    w = max(round(draw.textlength(s, font=f)) for s in lines) + px
    h = round(len(lines) * px * 1.35) + px
    draw.rectangle((x, y, x + w, y + h), outline=colour, width=max(2, d // 100))
    for k, s in enumerate(lines):
        draw.text((x + px // 2, y + px // 2 + round(k * px * 1.35)), s, font=f, fill=colour)
    return replace(page, image=ImageChops.multiply(page.image.convert("RGB"), layer))


def draw_receipt_stamp(page: RenderedPage, marks: Marks = Marks(), colour: tuple[int, int, int] = BLACK,
                       at: tuple[float, float] = (0.08, 3.0)) -> RenderedPage:
    """A registry's receipt stamp at `at` (inches): `CV ĐẾN` in a cell of its own, then
    the blanks `Số:`, `Ngày:`, `Chuyển:` with the number and date written in."""
    d = page.dpi
    layer, draw = _layer(page)
    px = round(8 * d / 72)
    small, big = ImageFont.truetype(SANS, px), ImageFont.truetype(SANS_BOLD, round(px * 1.5))
    x, y = round(at[0] * d), round(at[1] * d)
    cell = round(px * 3.6)
    rows = [f"Số: {marks.number}", f"Ngày: {marks.date}", "Chuyển:"]
    w = cell + max(round(draw.textlength(s, font=small)) for s in rows) + px
    h = round(px * 1.45 * len(rows)) + px
    width = max(2, d // 120)
    draw.rectangle((x, y, x + w, y + h), outline=colour, width=width)
    draw.line((x + cell, y, x + cell, y + h), fill=colour, width=width)
    draw.text((x + cell // 2, y + h // 3), "CV", font=big, fill=colour, anchor="mm")
    draw.text((x + cell // 2, y + 2 * h // 3), "ĐẾN", font=big, fill=colour, anchor="mm")
    for k, s in enumerate(rows):
        draw.text((x + cell + px // 2, y + px // 2 + round(k * px * 1.45)), s, font=small, fill=colour)
    return replace(page, image=ImageChops.multiply(page.image.convert("RGB"), layer))


def esign_and_stamp(page: RenderedPage, marks: Marks = Marks()) -> RenderedPage:
    """Both marks, where real scans have them: the box over the top margin at the right,
    the stamp in the left margin beside the body."""
    return draw_receipt_stamp(draw_esign_box(page, marks), marks)


__all__ = ["Marks", "draw_esign_box", "draw_receipt_stamp", "esign_and_stamp"]
