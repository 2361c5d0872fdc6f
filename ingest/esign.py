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


def _crop_text(path: Path, page_no: int, rect: tuple[float, float, float, float]) -> str:
    """The text inside a rectangle (points, from the top-left) of one page."""
    x, y, w, h = (round(v) for v in rect)
    try:
        proc = subprocess.run(
            ["pdftotext", "-f", str(page_no), "-l", str(page_no), "-x", str(x), "-y", str(y),
             "-W", str(w), "-H", str(h), "-enc", "UTF-8", str(path), "-"],
            capture_output=True, timeout=60, check=False)
    except (FileNotFoundError, subprocess.TimeoutExpired):
        return ""
    return unicodedata.normalize("NFC", proc.stdout.decode("utf-8", "replace"))


def pdf_signatures(path: Path, dpis: list[int]) -> tuple[Signature, ...]:
    """Every visible signature widget (/FT /Sig) of the PDF, its box in pixels of the page
    rasterised at that page's dpi. Its text is the widget's own (pdftotext over its
    rectangle); the signing time falls back to the signature's /M."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(str(path))
        found = [(i, page.mediabox, a.get_object()) for i, page in enumerate(reader.pages)
                 for a in (page.get("/Annots") or []) if i < len(dpis)]
    except Exception:  # a damaged annotation list costs the signatures, not the document
        return ()
    out = []
    for i, media, annot in found:
        field = annot if "/FT" in annot else annot.get("/Parent", {})
        field = field.get_object() if hasattr(field, "get_object") else field
        if annot.get("/Subtype") != "/Widget" or field.get("/FT") != "/Sig":
            continue
        value = field.get("/V")
        value = value.get_object() if value is not None else {}
        rect = [float(v) for v in annot["/Rect"]]
        (x0, x1), (y0, y1) = sorted(rect[::2]), sorted(rect[1::2])
        left, top = float(media.left), float(media.top)
        if x1 - x0 < 2 or y1 - y0 < 2:
            continue  # an invisible signature: nothing on the page
        text = _crop_text(path, i + 1, (x0 - left, top - y1, x1 - x0, y1 - y0))
        text = text.strip() or str(value.get("/Reason") or "").replace("<", "\n").replace(">", "\n")
        k = dpis[i] / 72
        box = (max(0, round((x0 - left) * k)), max(0, round((top - y1) * k)),
               max(0, round((x1 - left) * k)), max(0, round((top - y0) * k)))
        out.append(parse_signature(text, i, "pdf-signature", box, pdf_time(str(value.get("/M") or ""))))
    return tuple(out)
