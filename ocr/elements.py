"""Page elements that are not the document's text: e-signature boxes and receipt stamps.

Why: a framed box printed or stamped over a page (`Ký bởi: ... / Thời gian ký: ...`, or
the registry's `CV ĐẾN / Số: 2770 / Ngày: 04/4/18`) is read by Tesseract into the
lines around it, where it splits the national motto, breaks the number line and lands
among the recipients. Found by its frame (rules on three or four sides, a box of modest
size in the upper half of the page), read on its own from the page as it came (a
coloured box is gone from the cleaned page), and kept as data: a `Signature` or a
`Receipt`; the page read's words inside it are dropped. A frame whose text is neither
(a boxed title) is left to the page read. Signed PDFs' widget boxes never get here:
ingest hides them and reads them exactly (`ingest.esign`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cv2
import numpy as np

from ingest.esign import fold, is_signature_text, parse_signature
from ingest.models import Signature

from .models import Receipt
from .tables import rule_masks
from .tesseract import RawWord, read_words

MAX_W, MIN_W = 0.55, 0.08  # of the page width
MAX_H, MIN_H = 0.2, 0.02  # of the page height
TOP = 0.5  # such boxes stand in the upper half of the page
SIDE = 0.6  # share of a side a rule must cover to count as a frame's side
WORK = 1200  # px: width of the copy frames are looked for on
MAX_FRAMES = 4  # frames read on one page (a form's many boxes are not stamps)

_NUMBER = re.compile(r"\bs[o0]\W{0,3}(\d[\d ]{0,7}\d|\d)\b")  # on folded text
_DATE = re.compile(r"\bngay\W{0,3}(\d{1,2} ?[./-] ?\d{1,2}(?: ?[./-] ?\d{2,4})?)")


@dataclass(frozen=True, slots=True)
class Elements:
    """What was found on one page, in pixels of the page as it came."""

    signatures: tuple[Signature, ...] = ()
    received: tuple[Receipt, ...] = ()
    boxes: tuple[tuple[int, int, int, int], ...] = ()  # every element's box


def frames(gray: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Boxes drawn as frames, (x0, y0, x1, y1) in the image's pixels."""
    h, w = gray.shape
    scale = min(1.0, WORK / w)
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    hor, ver = rule_masks(small)
    n, _labels, stats, _ = cv2.connectedComponentsWithStats(hor | ver, connectivity=8)
    sh, sw = small.shape
    out = []
    for i in range(1, n):
        x, y, bw, bh, _a = (int(v) for v in stats[i])
        if not (MIN_W * sw <= bw and MIN_H * sh <= bh <= 2 * MAX_H * sh and y < TOP * sh):
            continue
        found = _frame_box(hor[y:y + bh, x:x + bw], ver[y:y + bh, x:x + bw])
        if found is None:
            continue
        fx0, fy0, fx1, fy1 = found
        if MIN_W * sw <= fx1 - fx0 <= MAX_W * sw and MIN_H * sh <= fy1 - fy0 <= MAX_H * sh:
            out.append((int((x + fx0) / scale), int((y + fy0) / scale),
                        int((x + fx1 + 1) / scale), int((y + fy1 + 1) / scale)))
    return out


def _frame_box(hor: np.ndarray, ver: np.ndarray) -> tuple[int, int, int, int] | None:
    """The frame inside a set of joined rules (text touching a frame joins it): the
    outermost long horizontal rules, and a vertical rule spanning them. None if none."""
    rows = np.flatnonzero(hor.sum(axis=1) >= SIDE * hor.shape[1])
    if len(rows) < 2 or rows[-1] - rows[0] < 0.3 * hor.shape[0]:
        return None
    y0, y1 = int(rows[0]), int(rows[-1])
    xs = np.flatnonzero(hor[y0] | hor[y1])
    x0, x1 = int(xs.min()), int(xs.max())
    cols = ver[y0:y1 + 1, x0:x1 + 1].sum(axis=0) >= SIDE * (y1 - y0)
    return (x0, y0, x1, y1) if cols.any() else None


def receipt_of(text: str, page: int, box: tuple[int, int, int, int]) -> Receipt | None:
    """A receipt stamp's number and date, when the text says `ĐẾN` (received)."""
    folded = fold(text)
    if not re.search(r"\bden\b", folded) or not re.search(r"\b(so|ngay)\b", folded):
        return None
    lines = [" ".join(ln.split()) for ln in text.splitlines() if ln.strip()]
    flat = fold(" ".join(lines))
    number = m.group(1).replace(" ", "") if (m := _NUMBER.search(flat)) else None
    date = m.group(1).replace(" ", "") if (m := _DATE.search(flat)) else None
    return Receipt(page, "\n".join(lines), number, date, box)


def _text(words: list[RawWord]) -> str:
    lines: dict[tuple[int, int, int], list[RawWord]] = {}
    for w in words:
        lines.setdefault((w.block, w.par, w.line), []).append(w)
    return "\n".join(" ".join(x.text for x in sorted(ws, key=lambda x: x.x0))
                     for _, ws in sorted(lines.items()))


def find_elements(image: np.ndarray, lang: str, dpi: int, page: int) -> Elements:
    """E-signature boxes and receipt stamps on one page image (RGB or grey): each frame's
    crop read alone (one small Tesseract call a frame; most pages have none)."""
    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) if image.ndim == 3 else image
    sigs: list[Signature] = []
    recs: list[Receipt] = []
    for box in frames(gray)[:MAX_FRAMES]:
        x0, y0, x1, y1 = box
        crop = np.ascontiguousarray(gray[y0:y1, x0:x1])
        text = _text(read_words(crop, lang, dpi, 6, False, False))
        if is_signature_text(text):
            sigs.append(parse_signature(text, page, "ocr", box))
        elif (rec := receipt_of(text, page, box)) is not None:
            recs.append(rec)
    boxes = tuple(s.box for s in sigs if s.box) + tuple(r.box for r in recs if r.box)
    return Elements(tuple(sigs), tuple(recs), boxes)


def outside(words: list[RawWord], boxes: list[tuple[float, float, float, float]]) -> list[RawWord]:
    """The words whose centre lies in none of the boxes."""
    def inside(w: RawWord, b: tuple[float, float, float, float]) -> bool:
        cx, cy = (w.x0 + w.x1) / 2, (w.y0 + w.y1) / 2
        return b[0] <= cx <= b[2] and b[1] <= cy <= b[3]

    return [w for w in words if not any(inside(w, b) for b in boxes)]


def mapped(box: tuple[int, int, int, int], scale: float, angle: float,
           shape: tuple[int, int]) -> tuple[float, float, float, float]:
    """A box of the page as it came, in the cleaned page's pixels: scaled by the upscale,
    turned by the deskew (about the cleaned page's centre, as `clean.rotate`)."""
    h, w = shape
    pts = np.array([[box[0], box[1]], [box[2], box[1]], [box[0], box[3]], [box[2], box[3]]],
                   dtype=np.float64) * scale
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    turned = pts @ m[:, :2].T + m[:, 2]
    return (float(turned[:, 0].min()), float(turned[:, 1].min()),
            float(turned[:, 0].max()), float(turned[:, 1].max()))


LABELS = ("so", "ngay", "chuyen")  # a receipt stamp's blanks: number, date, forwarded to


def stamp_words(words: list[RawWord], page: int) -> tuple[list[RawWord], Receipt | None]:
    """A receipt stamp whose frame was not found (broken by the scan's edge, merged
    with an underline), told by its words: `ĐẾN` in capitals in the left half, with the
    blanks' labels (`Số`, `Ngày`, `Chuyển`) beside it. Its region runs from the stamp's
    words to a few text heights past the labels (the handwritten values) and from the
    line above (`TRUNG TÂM ... Q.NGÃI`) to the last label; the page keeps the rest."""
    for den in words:
        if fold(den.text).strip(".:|") != "den" or not den.text[:1].isupper():
            continue
        h = max(1, den.y1 - den.y0)
        labels = [w for w in words if den.y0 - 1.5 * h < w.y0 and w.y1 < den.y1 + 1.5 * h
                  and den.x1 <= w.x0 < den.x1 + 3 * h and fold(w.text).strip(".:;,|") in LABELS]
        hl = sorted(w.y1 - w.y0 for w in labels)[len(labels) // 2] if labels else 0
        stacked = labels and max(w.y0 for w in labels) - min(w.y0 for w in labels) > 0.5 * hl
        if not stacked or den.x0 > 0.5 * max(w.x1 for w in words):
            continue  # a stamp's blanks stand one under the other (not `ĐẾN NGÀY 30/6`)
        top = min(w.y0 for w in [den, *labels])
        above = [w for w in words if top - 2.5 * hl < w.y1 <= top + 0.5 * hl
                 and w.x0 < max(x.x1 for x in labels) and w.x1 > den.x0 - 2 * h]
        x0 = min(w.x0 for w in [den, *labels, *above])
        x1 = max([max(w.x1 for w in labels) + 4 * hl] + [w.x1 for w in above])
        y0 = min([top] + [w.y0 for w in above])
        y1 = max([den.y1] + [w.y1 for w in labels])
        box = (max(0, x0), max(0, y0), x1, y1)
        inside = [w for w in words if not outside([w], [box])]
        rec = receipt_of(_text(inside), page, box)
        if rec is not None:
            return [w for w in words if w not in inside], rec
    return words, None


def blank(image: np.ndarray, boxes: tuple[tuple[int, int, int, int], ...]) -> np.ndarray:
    """A copy of the image with the boxes painted paper white."""
    out = image.copy()
    for x0, y0, x1, y1 in boxes:
        out[max(0, y0):y1, max(0, x0):x1] = 255
    return out
