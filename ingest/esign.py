"""E-signature boxes: a signed PDF's signature widgets, and the fields of a box's text.

Why here: Vietnamese government scans are signed after scanning (the province's
document centre, the issuing body); each signature draws a box over the header
(`Ký bởi: Ủy ban nhân dân tỉnh Quảng Ngãi / Cơ quan: Tỉnh Quảng Ngãi / Thời gian ký:
07/02/2025 07:56:24`, or `TRUNG TÂM CÔNG BÁO VÀ TIN HỌC / ttcbth@quangngai.gov.vn /
07.02.2025 08:51:04 +07:00`). The box is a /Sig widget annotation, not the scan: its
text is exact in the PDF, and the page is rasterised without it. The field parser is
shared with the OCR stage, which finds boxes drawn into an image.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

from .models import Signature, SignatureSource

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_STAMP = re.compile(r"(?P<d>\d{1,2})\s*[./-]\s*(?P<m>\d{1,2})\s*[./-]\s*(?P<y>\d{4})[\s,]*"
                    r"(?P<H>\d{1,2})\s*[:.]\s*(?P<M>\d{2})(?:\s*[:.]\s*(?P<S>\d{2}))?"
                    r"(?:\s*(?P<z>[+-])\s*(?P<zh>\d{2})\s*[:']?\s*(?P<zm>\d{2}))?")
_PDF_DATE = re.compile(r"D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:([+-])(\d{2})'?(\d{2}))?")
CUES = ("ky boi", "co quan", "thoi gian ky")


def fold(text: str) -> str:
    """Lower case without marks (đ as d), spaces folded: what OCR keeps of a label."""
    bare = "".join(c for c in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(c))
    return " ".join(bare.replace("đ", "d").split())


def is_signature_text(text: str) -> bool:
    """A box's text is an e-signature's: a label of one (`Ký bởi`, `Thời gian ký`), or an
    e-mail and a timestamp."""
    f = fold(text)
    return any(c in f for c in CUES) or bool(_EMAIL.search(text) and _STAMP.search(text))


def _label(line: str, cue: str) -> str | None:
    """The value after `cue:` on a line (the label matched folded, its colon optional)."""
    f = fold(line)
    if not f.startswith(cue):
        return None
    words = line.split()
    value = " ".join(words[len(cue.split()):]).lstrip(":; ").strip()
    return value or None


def iso_time(text: str) -> str | None:
    """The first timestamp in the text as ISO 8601, or None."""
    m = _STAMP.search(text)
    if not m:
        return None
    d, mo, y, hh, mi = int(m["d"]), int(m["m"]), int(m["y"]), int(m["H"]), int(m["M"])
    if not (1 <= d <= 31 and 1 <= mo <= 12 and hh < 24 and mi < 60):
        return None
    out = f"{y:04d}-{mo:02d}-{d:02d}T{hh:02d}:{mi:02d}:{int(m['S'] or 0):02d}"
    return out + (f"{m['z']}{m['zh']}:{m['zm']}" if m["z"] else "")


def pdf_time(value: str) -> str | None:
    """A PDF date (`D:20250207075624+07'00'`) as ISO 8601."""
    m = _PDF_DATE.match(value or "")
    if not m:
        return None
    y, mo, d, hh, mi, ss, z, zh, zm = m.groups()
    return f"{y}-{mo}-{d}T{hh}:{mi}:{ss}" + (f"{z}{zh}:{zm}" if z else "")


def _fields(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """Labelled values (a value wrapped onto the next lines joined back) and the lines
    before the first label, e-mail or timestamp (a box's name lines)."""
    values: dict[str, str] = {}
    name: list[str] = []
    label = None
    for ln in lines:
        cue = next((c for c in CUES if fold(ln).startswith(c)), None)
        if cue:
            label, values[cue] = cue, _label(ln, cue) or ""
        elif _EMAIL.search(ln) or _STAMP.search(ln):
            label = "done"
        elif label in values:
            values[label] = f"{values[label]} {ln}".strip()
        elif label is None:
            name.append(ln)
    return values, name


def parse_signature(text: str, page: int, source: SignatureSource,
                    box: tuple[int, int, int, int] | None = None,
                    fallback_time: str | None = None) -> Signature:
    """A box's lines to a Signature: labelled values where the box has labels, else the
    lines before the e-mail or timestamp are the organisation's name. A printed time
    without its zone takes it from `fallback_time` (the signature's own) when they agree."""
    lines = [" ".join(ln.split()) for ln in text.splitlines() if ln.strip()]
    values, name = _fields(lines)
    signer, agency = values.get("ky boi") or None, values.get("co quan") or None
    email = next((m.group(0) for ln in lines if (m := _EMAIL.search(ln))), None)
    organisation = agency or (" ".join(name) if name else None) or signer
    stamp = iso_time(" ".join(lines))
    if stamp is None or (fallback_time and fallback_time.startswith(stamp) and len(stamp) == 19):
        stamp = fallback_time or stamp
    return Signature(page, source, "\n".join(lines), organisation, signer, email, stamp, box)


_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
Words = dict[int, list[tuple[float, float, float, float, str]]]


def _words(path: Path, pages: set[int]) -> Words:
    """Words with boxes (points from the top-left) of the given 1-based pages: one
    `pdftotext -bbox` run for the document, whatever its number of widgets."""
    import html

    first, last = min(pages), max(pages)
    try:
        proc = subprocess.run(["pdftotext", "-bbox", "-f", str(first), "-l", str(last), str(path), "-"],
                              capture_output=True, timeout=60, check=False)
    except (FileNotFoundError, subprocess.TimeoutExpired):
        return {}
    out: Words = {}
    for k, chunk in enumerate(proc.stdout.decode("utf-8", "replace").split("<page ")[1:]):
        out[first + k] = [(float(a), float(b), float(c), float(d),
                           unicodedata.normalize("NFC", html.unescape(t)))
                          for a, b, c, d, t in _WORD.findall(chunk)]
    return out


Rect = tuple[float, float, float, float]  # x0, y0, x1, y1 in points from the top-left


def _runs(words: list[tuple[float, float, float, float, str]]) -> list[tuple[float, float, float, str]]:
    """Words joined into runs (x0, y, x1, text): consecutive in the PDF's drawing order,
    on the same line, no gap wider than a word space. Why runs in drawing order: two
    boxes side by side overlap, and each box draws its own text in one go."""
    runs: list[tuple[float, float, float, str]] = []
    for a, b, c, d, t in words:
        y = round((b + d) / 2)
        if runs and abs(runs[-1][1] - y) <= 2 and -1 <= a - runs[-1][2] < 0.6 * (d - b):
            x0, _y, _x1, text = runs[-1]
            runs[-1] = (x0, y, c, f"{text} {t}")
        else:
            runs.append((a, y, c, t))
    return runs


def _box_texts(words: list[tuple[float, float, float, float, str]], rects: list[Rect]) -> list[str]:
    """Each rectangle's text: a run belongs to the rectangle holding its start whose left
    edge is nearest before it (a box's text starts at its own left edge)."""
    lines: list[list[str]] = [[] for _ in rects]
    for x0, y, _x1, text in _runs(words):
        holders = [k for k, (rx0, ry0, rx1, ry1) in enumerate(rects)
                   if rx0 - 1 <= x0 <= rx1 and ry0 <= y <= ry1]
        if holders:
            lines[max(holders, key=lambda k: rects[k][0])].append(text)
    return ["\n".join(ls) for ls in lines]


def pdf_signatures(path: Path, dpis: list[int]) -> tuple[Signature, ...]:
    """Every visible signature widget (/FT /Sig) of the PDF, its box in pixels of the page
    rasterised at that page's dpi. Its text is what is printed in its rectangle (one
    `pdftotext -bbox` run), else its /Reason (`NAME<e-mail>`); the time falls back to the
    signature's /M."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(str(path))
        found = [w for i, page in enumerate(reader.pages) if i < len(dpis)
                 for a in (page.get("/Annots") or []) if (w := _widget(i, page.mediabox, a.get_object()))]
    except Exception:  # a damaged annotation list costs the signatures, not the document
        return ()
    words = _words(path, {i + 1 for i, _r, _v in found}) if found else {}
    out = []
    for i in sorted({i for i, _r, _v in found}):
        here = [(r, v) for j, r, v in found if j == i]
        texts = _box_texts(words.get(i + 1, []), [r for r, _ in here])
        k = dpis[i] / 72
        for ((x0, y0, x1, y1), value), text in zip(here, texts, strict=True):
            if not is_signature_text(text):  # a signature laid over the document's own text
                text = str(value.get("/Reason") or "").replace("<", "\n").replace(">", "\n")
            if not (is_signature_text(text) or _EMAIL.search(text)):
                text = ""  # a signature whose box says nothing: its time is still known
            box = (round(x0 * k), round(y0 * k), round(x1 * k), round(y1 * k))
            out.append(parse_signature(text, i, "pdf-signature", box, pdf_time(str(value.get("/M") or ""))))
    return tuple(out)


def _widget(i: int, media: object, annot: object) -> tuple[int, Rect, dict] | None:
    """(page, rectangle from the page's top-left in points, signature value) of a visible
    signature widget, or None."""
    get = annot.get  # type: ignore[attr-defined]
    field: Any = annot if "/FT" in annot else get("/Parent", {})  # type: ignore[operator]
    field = field.get_object() if hasattr(field, "get_object") else field
    if get("/Subtype") != "/Widget" or field.get("/FT") != "/Sig" or "/Rect" not in annot:  # type: ignore[operator]
        return None
    value = field.get("/V")
    value = value.get_object() if value is not None else {}
    rect = [float(v) for v in get("/Rect")]
    (x0, x1), (y0, y1) = sorted(rect[::2]), sorted(rect[1::2])
    left, top = float(media.left), float(media.top)  # type: ignore[attr-defined]
    if x1 - x0 < 2 or y1 - y0 < 2:
        return None  # an invisible signature: nothing on the page
    return i, (max(0.0, x0 - left), max(0.0, top - y1), max(0.0, x1 - left), max(0.0, top - y0)), value


def strip_signature_text(layer: str, signatures: tuple[Signature, ...] | list[Signature]) -> str:
    """A page's text layer without its e-signature boxes' lines (pdftotext prints a
    widget's appearance with the page): each box line removed once, lines left blank
    dropped. Why: on a born-digital signed page the box's lines come first and would be
    read as the header."""
    if not layer or not signatures:
        return layer
    lines = layer.split("\n")
    for sig in signatures:
        for part in sig.text.split("\n") if is_signature_text(sig.text) else ():
            for k, ln in enumerate(lines):
                if part and part in ln:
                    lines[k] = ln.replace(part, " " * len(part), 1)
                    break
    return "\n".join(ln if ln.strip() else "" for ln in lines).strip("\n")
