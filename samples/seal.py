"""A red round seal, as stamped over the signer's name on Vietnamese official documents.

Why: the seal is the commonest colour mark on real scans and it covers text; OCR clean-up
must remove it without eating the black ink under it. Drawn on its own layer and
multiplied over the page, so black text under it stays black, as with real ink.
"""

from __future__ import annotations

import math

from PIL import Image, ImageChops, ImageDraw, ImageFont

RED = (205, 35, 40)
RING_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def _ring_text(
    layer: Image.Image, centre: tuple[int, int], radius: float, text: str, px: int
) -> None:
    """Letters set around the upper arc, each rotated to face outwards."""
    step = min(12.0, 300.0 / max(1, len(text)))
    px = min(px, round(math.radians(step) * radius / 0.75))
    f = ImageFont.truetype(RING_FONT, px)
    start = 90 + step * (len(text) - 1) / 2
    for k, ch in enumerate(text):
        if ch == " ":
            continue
        ang = math.radians(start - k * step)
        tile = Image.new("L", (px * 2, px * 2), 0)
        ImageDraw.Draw(tile).text((px, px), ch, font=f, fill=255, anchor="mm")
        tile = tile.rotate(math.degrees(ang) - 90, resample=Image.Resampling.BICUBIC)
        x = centre[0] + radius * math.cos(ang) - px
        y = centre[1] - radius * math.sin(ang) - px
        layer.paste(Image.new("RGB", tile.size, RED), (round(x), round(y)), tile)


def draw_seal(img: Image.Image, centre: tuple[int, int], dpi: int, text: str = "") -> None:
    """Two rings, ring text (or ring marks when there is none), a star in the middle."""
    r = round(0.75 * dpi)
    layer = Image.new("RGB", img.size, "white")
    d = ImageDraw.Draw(layer)
    x, y = centre
    w = max(3, dpi // 60)
    d.ellipse((x - r, y - r, x + r, y + r), outline=RED, width=w)
    d.ellipse((x - r * 0.68, y - r * 0.68, x + r * 0.68, y + r * 0.68), outline=RED, width=w)
    if text:
        _ring_text(layer, centre, r * 0.84, text.upper(), max(8, round(r * 0.2)))
    else:
        for k in range(0, 360, 9):
            a = math.radians(k)
            d.line(
                (
                    x + math.cos(a) * r * 0.74,
                    y + math.sin(a) * r * 0.74,
                    x + math.cos(a) * r * 0.92,
                    y + math.sin(a) * r * 0.92,
                ),
                fill=RED,
                width=w * 2,
            )
    star = [
        (
            x + r * 0.3 * math.cos(math.radians(90 + 144 * k)),
            y - r * 0.3 * math.sin(math.radians(90 + 144 * k)),
        )
        for k in range(5)
    ]
    d.polygon(star, fill=RED)
    img.paste(ImageChops.multiply(img, layer))
