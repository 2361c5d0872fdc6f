"""Files and directories to Documents: the ingest stage's driver-free logic.

Why lazy pages: a page is an ImageRef (how to rasterise it) or text, never pixels, so the
per-page unit stays small and picklable; `load_image` rasterises on demand in the worker.
"""

from __future__ import annotations

import hashlib
import warnings
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from vnplans.exceptions import (
    BadInputError,
    DecodeError,
    ImageTooLargeError,
    ImageTooSmallError,
    InputNotFoundError,
    MissingDependencyError,
    UnsupportedFormatError,
    VnplansError,
)

from .esign import pdf_signatures, strip_signature_text
from .models import Document, ImageRef, Page
from .pdf import judge_layer, native_dpi, pdf_pages, text_layers
from .textfile import UndecodableText, decode_text

IMAGE_EXTS = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}
TEXT_EXTS = {".txt", ".text"}
SUPPORTED = IMAGE_EXTS | TEXT_EXTS | {".pdf", ".docx"}
MAX_PIXELS = 100_000_000
MIN_SIDE = 32
A4_LONG_INCHES = 11.69


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def discover(paths: list[str | Path]) -> tuple[list[Path], list[VnplansError]]:
    """Every file under the given paths (recursive, sorted, hidden files skipped) and an
    error for each path that does not exist. Unknown extensions are kept: `load` reports
    them, so they appear in the manifest."""
    files: list[Path] = []
    errors: list[VnplansError] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files += sorted(
                f for f in p.rglob("*")
                if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts)
            )
        elif p.is_file():
            files.append(p)
        else:
            errors.append(InputNotFoundError("no such file or directory", path=p))
    return _unique(files), errors


def _unique(files: list[Path]) -> list[Path]:
    """A file named twice (itself and through its folder) is processed once."""
    seen: set[Path] = set()
    unique = []
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


def load(path: str | Path, *, force_ocr: bool = False, dpi: int | None = None) -> Document:
    """One file to a Document, or a BadInputError subclass naming the file and reason.
    A PDF page is rasterised at `dpi` when given, else at its scan's own resolution
    (300 DPI for a page without a scan image)."""
    path = Path(path)
    if not path.is_file():
        raise InputNotFoundError("no such file", path=path)
    ext = path.suffix.lower()
    if ext not in SUPPORTED:
        raise UnsupportedFormatError(f"unsupported file type {ext or '(no extension)'!r}", path=path)
    try:
        if path.stat().st_size == 0:
            raise BadInputError("empty file (0 bytes)", path=path)
        doc_id = sha256_file(path)
    except OSError as exc:  # permission denied, an I/O error on a failing disk, ...
        raise BadInputError(f"cannot read the file ({exc.strerror or exc})", path=path) from exc
    if ext == ".pdf":
        return _load_pdf(path, doc_id, force_ocr, dpi)
    if ext in IMAGE_EXTS:
        return _load_image_file(path, doc_id)
    if ext == ".docx":
        return _load_docx(path, doc_id)
    return _load_text(path, doc_id)


def _load_pdf(path: Path, doc_id: str, force_ocr: bool, dpi: int | None) -> Document:
    has_image = pdf_pages(path)
    n = len(has_image)
    layers = [""] * n if force_ocr else text_layers(path, n)
    native = native_dpi(path, n) if any(has_image) else [None] * n
    signatures = pdf_signatures(path, [dpi or d or 300 for d in native])
    pages = []
    for i, layer in enumerate(layers):
        layer = strip_signature_text(layer, [s for s in signatures if s.page == i])
        verdict = judge_layer(layer, has_image[i])
        if verdict.text is not None:
            pages.append(Page(doc_id, i, "text-layer", text=verdict.text, note=verdict.note))
        else:
            note = "OCR forced" if force_ocr else verdict.note
            ref = ImageRef(str(path), "pdf", i + 1, dpi or native[i] or 300, native[i] is not None)
            pages.append(Page(doc_id, i, "image", text=layer or None, image=ref, note=note))
    return Document(doc_id, str(path), "pdf", tuple(pages), signatures=signatures)


def _image_dpi(info: dict, size: tuple[int, int]) -> int | None:
    """The image's DPI from its metadata when plausible (72 and 96 are the defaults of
    software that knows nothing, so under 100 is not trusted); else, for a page-sized
    image, an estimate that assumes A4 (the common case in these archives); else None."""
    meta = info.get("dpi")
    try:
        d = round(float(meta[0])) if meta else 0
    except (TypeError, ValueError, IndexError):
        d = 0
    if 100 <= d <= 1200:
        return d
    long_px = max(size)
    if long_px >= 1000:
        return max(50, min(1200, round(long_px / A4_LONG_INCHES)))
    return None


def _pil() -> ModuleType:
    """PIL with its decompression-bomb guard set to our limit. PIL only warns between 1x
    and 2x MAX_IMAGE_PIXELS and raises above 2x; we check the header size ourselves first
    (clear message, no decoding), and PIL's guard stays as a backstop in `load_image`."""
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    return Image


def _load_image_file(path: Path, doc_id: str) -> Document:
    from PIL import UnidentifiedImageError

    image = _pil()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", image.DecompressionBombWarning)
            warnings.simplefilter("ignore", UserWarning)  # corrupt EXIF: judged below
            with image.open(path) as im:  # reads the header only: no pixels decoded
                w, h = im.size
                n_frames = getattr(im, "n_frames", 1)
                info = dict(im.info)
    except image.DecompressionBombError as exc:
        raise ImageTooLargeError(f"image over {2 * MAX_PIXELS // 1_000_000} megapixels "
                                 "(decompression-bomb guard)", path=path) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise UnsupportedFormatError("not a readable image (content does not match its extension)",
                                     path=path) from exc
    if w * h > MAX_PIXELS:
        raise ImageTooLargeError(f"image is {w}x{h} = {w * h / 1e6:.0f} megapixels (limit 100)",
                                 path=path)
    if min(w, h) < MIN_SIDE:
        raise ImageTooSmallError(f"image is {w}x{h} pixels, too small to hold text", path=path)
    dpi = _image_dpi(info, (w, h))
    pages = tuple(
        Page(doc_id, i, "image", image=ImageRef(str(path), "image", i + 1, dpi))
        for i in range(n_frames)
    )
    return Document(doc_id, str(path), "image", pages)


def _load_text(path: Path, doc_id: str) -> Document:
    try:
        text, enc = decode_text(path.read_bytes())
    except (UndecodableText, UnicodeDecodeError) as exc:
        raise DecodeError(str(exc), path=path) from exc
    chunks = text.split("\f")
    if len(chunks) > 1 and not chunks[-1].strip():
        chunks = chunks[:-1]
    pages = tuple(Page(doc_id, i, "text", text=c) for i, c in enumerate(chunks))
    return Document(doc_id, str(path), "text", pages, encoding=enc)


def _load_docx(path: Path, doc_id: str) -> Document:
    """Paragraphs in body order; each table cell on its own line, row by row (the shape
    of a flattened table, which the parser knows how to rebuild)."""
    import unicodedata
    import zipfile

    import docx
    from docx.opc.exceptions import OpcError

    try:
        d = docx.Document(str(path))
    except (OpcError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UnsupportedFormatError("not a readable DOCX file (content does not match its "
                                     "extension)", path=path) from exc
    text = unicodedata.normalize("NFC", "\n".join(_block_lines(d.element.body)))
    return Document(doc_id, str(path), "docx", (Page(doc_id, 0, "text", text=text),),
                    encoding="docx")


def _tag(el: Any) -> str:
    return str(el.tag).rsplit("}", 1)[-1]


def _para_text(p: Any) -> str:
    return "".join(t.text or "" for t in p.iter() if _tag(t) == "t")


def _block_lines(parent: Any) -> list[str]:
    """Lines of a body or a cell: paragraphs in order, tables flattened in place (a nested
    table once, not again as part of its outer cell)."""
    lines: list[str] = []
    for child in parent.iterchildren():
        tag = _tag(child)
        if tag == "p":
            lines.append(_para_text(child))
        elif tag == "tbl":
            lines += _table_lines(child)
        elif tag == "sdt":  # content controls wrap paragraphs and tables
            content = next((c for c in child.iterchildren() if _tag(c) == "sdtContent"), None)
            if content is not None:
                lines += _block_lines(content)
    return lines


def _table_lines(tbl: Any) -> list[str]:
    """Each cell on its own line, row by row (a merged cell once); a cell's paragraphs
    joined by spaces; a nested table's cells follow as their own lines."""
    lines: list[str] = []
    for row in (r for r in tbl.iterchildren() if _tag(r) == "tr"):
        for cell in (c for c in row.iterchildren() if _tag(c) == "tc"):
            kids = list(cell.iterchildren())
            paras = [_para_text(c).strip() for c in kids if _tag(c) == "p"]
            lines.append(" ".join(s for s in paras if s))
            for nested in (c for c in kids if _tag(c) == "tbl"):
                lines += _table_lines(nested)
    return lines


def load_image(ref: ImageRef) -> np.ndarray:
    """Rasterise a page: RGB uint8, H×W×3. Colour is kept so OCR can remove red seals."""
    if ref.kind == "pdf":
        return _rasterise_pdf(ref)
    image = _pil()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", image.DecompressionBombWarning)
            with image.open(ref.path) as im:
                fast = _decode_8bit(ref.path, im)
                if fast is not None:
                    return fast
                im.seek(ref.page_no - 1)
                return np.asarray(_to_rgb(im))
    except image.DecompressionBombError as exc:
        raise ImageTooLargeError("image over the pixel limit", path=ref.path) from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise BadInputError(f"cannot decode frame {ref.page_no} ({exc})", path=ref.path) from exc


def _decode_8bit(path: str, im: Any) -> np.ndarray | None:
    """A single-frame 8-bit PNG or JPEG decoded by OpenCV straight into an array, or
    None for anything else. Why: PIL's decode plus its copy into numpy cost 0.09 s on an
    A4 page at 300 DPI, OpenCV's 0.04 s; the pixels are the same (EXIF orientation is
    ignored by both)."""
    if im.format not in ("PNG", "JPEG") or getattr(im, "n_frames", 1) != 1:
        return None
    if im.mode not in ("RGB", "L", "RGBA", "P", "1") or im.info.get("transparency") is not None:
        return None
    import cv2

    bgr = cv2.imread(path, cv2.IMREAD_COLOR | cv2.IMREAD_IGNORE_ORIENTATION)
    if bgr is None:
        return None
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


def _to_rgb(im: Any) -> Any:
    """RGB, with 16-bit grey scaled down first (a plain convert would clip it to white)."""
    if im.mode == "RGB":  # already: a convert would copy 26 MB for nothing
        return im
    if im.mode in ("I;16", "I;16B", "I;16L", "I"):
        arr = np.asarray(im, dtype=np.float64)
        top = float(arr.max()) or 1.0
        return _pil().fromarray((arr * (255.0 / top)).astype(np.uint8)).convert("RGB")
    return im.convert("RGB")


def _rasterise_pdf(ref: ImageRef) -> np.ndarray:
    from pdf2image import convert_from_path
    from pdf2image.exceptions import PDFInfoNotInstalledError, PDFPageCountError, PDFSyntaxError

    try:
        images = convert_from_path(ref.path, dpi=ref.dpi or 300, first_page=ref.page_no,
                                   last_page=ref.page_no, fmt="ppm", hide_annotations=ref.scan)
    except PDFInfoNotInstalledError as exc:
        raise MissingDependencyError("poppler (pdftoppm) not found: install poppler-utils") from exc
    except (PDFPageCountError, PDFSyntaxError) as exc:
        raise BadInputError(f"cannot rasterise page {ref.page_no}", path=ref.path) from exc
    if not images:
        raise BadInputError(f"page {ref.page_no} rendered to nothing", path=ref.path)
    return np.asarray(images[0].convert("RGB"))
