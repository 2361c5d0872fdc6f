"""PDF files: use a real text layer, convert a legacy-font one, OCR everything else.

Why triage per page: born-digital PDFs carry exact text and OCR would only lose it, but
many Word→Ghostscript PDFs carry a broken layer (wrong ToUnicode maps: `6Ӣ CÔNG 7+ѬѪ1*`)
and scans carry none. The decision costs one `pdftotext` run, no rasterising.
"""

from __future__ import annotations

import logging
import re
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from vnplans.exceptions import BadInputError, EncryptedPdfError, MissingDependencyError

from .legacy import decode_tcvn3, decode_vni
from .orthography import is_syllable, syllable_rate

MIN_TEXT_CHARS = 12  # fewer letters on a page without an image: nothing to read, OCR it
SCAN_TEXT_CHARS = 400  # a page with an image and fewer letters: a scan with a stamp's text
GOOD_SYLLABLE_RATE = 0.75
MAX_FOREIGN_RATE = 0.01
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_VIET_EXTRA = set("ĂÂÊÔƠƯĐăâêôơưđ")


@dataclass(frozen=True, slots=True)
class LayerVerdict:
    """What to do with one page's text layer."""

    text: str | None  # the text to use, None to OCR the page
    note: str


def _is_foreign(ch: str) -> bool:
    """A character no Vietnamese text layer should hold (Cyrillic, private use, ...)."""
    if ch.isascii():
        return False
    cat = unicodedata.category(ch)
    if cat in ("Co", "Cn", "Cs"):
        return True
    if not cat.startswith("L"):
        return False
    base = unicodedata.normalize("NFD", ch)[0]
    return not (base.isascii() or base in _VIET_EXTRA)


def judge_layer(text: str, has_image: bool = False) -> LayerVerdict:
    """Accept, convert or reject one page's text layer. A scanned page often carries a
    few lines of text (an e-signature stamp): with an image on the page, a short layer
    does not count as the page's text."""
    letters = _LETTER.findall(text)
    if len(letters) < (SCAN_TEXT_CHARS if has_image else MIN_TEXT_CHARS):
        return LayerVerdict(None, "no text layer: OCR")
    foreign = sum(map(_is_foreign, letters)) / len(letters)
    rate = syllable_rate(text)
    if foreign <= MAX_FOREIGN_RATE and rate >= GOOD_SYLLABLE_RATE:
        return LayerVerdict(text, f"text layer accepted ({rate:.0%} syllables)")
    for name, conv in (("TCVN3", _decode_tcvn3_layer), ("VNI", decode_vni)):
        fixed = conv(text)
        if syllable_rate(fixed) >= GOOD_SYLLABLE_RATE and syllable_rate(fixed) > rate + 0.1:
            return LayerVerdict(fixed, f"text layer converted from {name}")
    return LayerVerdict(
        None, f"text layer rejected ({foreign:.0%} foreign letters, {rate:.0%} syllables): OCR"
    )


# A letter run with hyphens inside or at its ends ("th-ơng", "n-ớc", "-ớc"): the candidates
# for a TCVN3 ư that pdftotext wrote as "-".
_HYPHENED = re.compile(r"(?<![\w-])[^\W\d_]*(?:-[^\W\d_]*)+(?![\w-])")


def _decode_tcvn3_layer(text: str) -> str:
    """TCVN3 puts ư at 0xAD, the Latin-1 soft hyphen, which pdftotext writes as "-". A
    hyphen inside a letter run becomes ư when that makes a valid syllable ("th-ơng" →
    "thương") and stays otherwise ("NĐ-CP")."""
    fixed = decode_tcvn3(text)

    def repair(m: re.Match[str]) -> str:
        word = m.group(0)
        candidate = word.replace("-", "ư")
        return candidate if len(candidate) > 1 and is_syllable(candidate) else word

    return _HYPHENED.sub(repair, fixed)


@dataclass(frozen=True, slots=True)
class PdfPage:
    """What ingest needs of a PDF page before rendering it: whether it draws an image (a
    scan), and its size in points (1/72 in), to cap the pixels it is rendered at."""

    has_image: bool
    width_pt: float
    height_pt: float

    def __post_init__(self) -> None:
        if self.width_pt < 0 or self.height_pt < 0:
            raise ValueError("a page size is not negative")


def pdf_pages(path: Path) -> list[PdfPage]:
    """Each page's image flag and size; encryption and damage become clear errors. pypdf
    reads first; when it fails (a damaged xref, a crypto it cannot do) poppler is asked,
    as it reads many files pypdf refuses: a file is refused only when both fail."""
    try:
        pages = _pypdf_pages(path)
    except EncryptedPdfError:
        raise
    except Exception as exc:  # pypdf raises many types on damaged files
        pages = _poppler_pages(path, exc)
    if not pages:
        raise BadInputError("the PDF has no pages", path=path)
    return pages


def _pypdf_pages(path: Path) -> list[PdfPage]:
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its repair notes are not our errors
    reader = PdfReader(str(path))
    if reader.is_encrypted and not reader.decrypt(""):  # a crypto error: poppler is asked
        raise EncryptedPdfError("the PDF is password-protected", path=path)
    out = []
    for page in reader.pages:
        unit = float(page.user_unit or 1)
        box = page.cropbox
        out.append(PdfPage(_draws_image(page), abs(float(box.width)) * unit, abs(float(box.height)) * unit))
    return out


def _poppler_pages(path: Path, first: Exception) -> list[PdfPage]:
    """Pages as poppler sees them (`pdfinfo`, `pdfimages -list`), after pypdf failed."""
    info = _poppler(["pdfinfo", "-f", "1", "-l", "100000", str(path)], path)
    if info.returncode != 0:
        err = info.stderr.decode("utf-8", "replace")
        if "password" in err.lower():
            raise EncryptedPdfError("the PDF is password-protected", path=path)
        raise BadInputError(f"damaged or truncated PDF ({_short(first)})", path=path) from first
    sizes = [(float(m[1]), float(m[2])) for m in
             re.finditer(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info.stdout.decode("latin-1"), re.M)]
    images = _poppler(["pdfimages", "-list", str(path)], path)
    with_image = {int(ln.split()[0]) for ln in images.stdout.decode("latin-1").splitlines()[2:]
                  if ln.split() and ln.split()[0].isdigit()}
    return [PdfPage(i + 1 in with_image, w, h) for i, (w, h) in enumerate(sizes)]


def _poppler(cmd: list[str], path: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(cmd, capture_output=True, timeout=120, check=False)
    except FileNotFoundError as exc:
        raise MissingDependencyError(f"{cmd[0]} not found: install poppler-utils") from exc
    except subprocess.TimeoutExpired as exc:
        raise BadInputError(f"{cmd[0]} took over 2 minutes", path=path) from exc


def _draws_image(page: object) -> bool:
    """True when the page's resources hold an image XObject (a scan), directly or inside a
    form XObject (how some scanners and PDF/A converters wrap the page image)."""
    try:
        return _has_image(page["/Resources"].get_object(), depth=3)  # type: ignore[index]
    except (KeyError, AttributeError, TypeError):
        return False


def _has_image(resources: object, depth: int) -> bool:
    xobjects = resources.get("/XObject") if hasattr(resources, "get") else None
    if xobjects is None or depth < 0:
        return False
    for ref in xobjects.get_object().values():
        x = ref.get_object()
        if x.get("/Subtype") == "/Image":
            return True
        inner = x.get("/Resources")
        if x.get("/Subtype") == "/Form" and inner is not None and _has_image(inner.get_object(), depth - 1):
            return True
    return False


def _short(exc: Exception) -> str:
    return " ".join(str(exc).split())[:120] or type(exc).__name__


def text_layers(path: Path, n_pages: int) -> list[str]:
    """Each page's text layer via `pdftotext -layout` (one run for the whole file)."""
    try:
        proc = subprocess.run(
            ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
            capture_output=True, timeout=300, check=False,
        )
    except FileNotFoundError as exc:
        raise MissingDependencyError("pdftotext not found: install poppler-utils") from exc
    except subprocess.TimeoutExpired as exc:
        raise BadInputError("pdftotext took over 5 minutes", path=path) from exc
    if proc.returncode != 0:
        return [""] * n_pages  # unreadable layer: every page will be OCRed
    pages = proc.stdout.decode("utf-8", errors="replace").split("\f")
    pages = [unicodedata.normalize("NFC", p) for p in pages[:n_pages]]
    return pages + [""] * (n_pages - len(pages))


NATIVE_MIN, NATIVE_MAX = 50, 600  # outside this an image's ppi is not a scan's resolution
PAGE_SHARE = 0.5  # an image covering less of the page is an overlay (a logo), not the scan


def native_dpi(path: Path, n_pages: int) -> list[int | None]:
    """Each page's scan resolution: the ppi of the image that covers most of the page
    (`pdfimages -list`, which decodes nothing), None for a page without one. Why: a page
    rasterised at a fixed 300 DPI from a 150 dpi scan is an interpolated copy, and on real
    scans Tesseract reads the interpolated copy worse (GP 2507 body CER 1.48 % at 150,
    1.98 % at 300, plain tesseract)."""
    try:
        proc = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True,
                              timeout=60, check=False)
    except (FileNotFoundError, subprocess.TimeoutExpired):
        return [None] * n_pages
    best: dict[int, tuple[int, int]] = {}  # page -> (pixels, ppi)
    for row in proc.stdout.decode("utf-8", "replace").splitlines()[2:]:
        cells = row.split()
        if len(cells) < 14 or cells[2] != "image" or not cells[0].isdigit():
            continue
        try:
            page, w, h, ppi = int(cells[0]), int(cells[3]), int(cells[4]), round(float(cells[12]))
        except ValueError:
            continue
        if w * h > best.get(page, (0, 0))[0]:
            best[page] = (w * h, ppi)
    return [_scan_ppi(best.get(i + 1)) for i in range(n_pages)]


def _scan_ppi(found: tuple[int, int] | None) -> int | None:
    if found is None:
        return None
    pixels, ppi = found
    page_px = 8.27 * 11.69 * ppi * ppi * PAGE_SHARE  # A4 at that resolution
    ok = NATIVE_MIN <= ppi <= NATIVE_MAX and pixels >= page_px * 0.5
    return ppi if ok else None
