"""Files and directories to Documents: the ingest stage's driver-free logic.

Why lazy pages: a page is an ImageRef (how to rasterise it) or text, never pixels, so the
per-page unit stays small and picklable; `load_image` rasterises on demand in the worker.
"""

from __future__ import annotations

import errno
import hashlib
import os
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

from .convert import CONVERTIBLE, check_kind, converted, is_ole
from .esign import pdf_signatures, strip_signature_text
from .models import Document, ImageRef, Page
from .pdf import judge_layer, native_dpi, pdf_pages, text_layers
from .textfile import UndecodableText, decode_text
from .word import read_body

IMAGE_EXTS = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}
TEXT_EXTS = {".txt", ".text"}
SUPPORTED = IMAGE_EXTS | TEXT_EXTS | CONVERTIBLE | {".pdf", ".docx"}
MAX_PIXELS = 100_000_000
MAX_PAGE_PIXELS = 40_000_000  # a PDF page: an A2 sheet at 300 dpi (35 MP) still fits
MIN_RENDER_DPI = 30  # below this no text is left to read
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
    files, errors, _skipped = walk(paths)
    return files, errors


def walk(paths: list[str | Path], exclude: tuple[str | Path, ...] = ()
         ) -> tuple[list[Path], list[VnplansError], list[tuple[Path, str]]]:
    """`discover`, with absolute paths, and each path left out said with its reason
    (hidden, a symbolic link loop, a dangling link, not a regular file) so the batch can
    record it. Directories in `exclude` (the batch's own OUT) are not entered. Why: a
    path silently left out is a document silently missing from the database."""
    files: list[Path] = []
    errors: list[VnplansError] = []
    skipped: list[tuple[Path, str]] = []
    excluded = {os.path.realpath(e) for e in exclude}
    for raw in paths:
        p = Path(os.path.abspath(raw))
        if p.is_dir():
            files += sorted(_walk_dir(p, skipped, excluded))
        elif p.is_file():
            files.append(p)
        elif p.is_symlink():
            errors.append(InputNotFoundError(_link_trouble(p), path=p))
        else:
            errors.append(InputNotFoundError("no such file or directory", path=p))
    return _unique(files), errors, skipped


def _link_trouble(path: Path) -> str:
    try:
        os.stat(path)
    except OSError as exc:
        return "symbolic link loop" if exc.errno == errno.ELOOP else "dangling symbolic link"
    return "not a regular file"


def _walk_dir(top: Path, skipped: list[tuple[Path, str]], excluded: set[str]) -> list[Path]:
    """Files under `top`, following links to directories once (a link back up is a loop)."""
    files: list[Path] = []
    seen: set[tuple[int, int]] = set()
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            st = folder.stat()
            with os.scandir(folder) as found:
                entries = sorted(found, key=lambda e: e.name)
        except OSError as exc:
            skipped.append((folder, f"unreadable directory ({(exc.strerror or str(exc)).lower()})"))
            continue
        if (st.st_dev, st.st_ino) in seen:
            skipped.append((folder, "symbolic link loop"))
            continue
        seen.add((st.st_dev, st.st_ino))
        for entry in entries:
            path = Path(entry.path)
            try:
                is_dir, is_file = entry.is_dir(), entry.is_file()
            except OSError:  # a link to itself (ELOOP)
                is_dir = is_file = False
            if is_dir and os.path.realpath(path) in excluded:
                continue
            if entry.name.startswith("."):
                skipped.append((path, "hidden directory" if is_dir else "hidden file"))
            elif is_dir:
                stack.append(path)
            elif is_file:
                files.append(path)
            else:
                skipped.append((path, _link_trouble(path) if entry.is_symlink() else "not a regular file"))
    return files


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
    if path.is_dir():
        raise BadInputError("a directory, not a file (for a folder: vnplans run DIR --out OUT)",
                            path=path)
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
        return _load_docx(path, doc_id, _head(path))
    if ext in CONVERTIBLE:
        head = _head(path)
        if head.startswith(b"PK") and ext == ".doc":  # a DOCX saved under the old name
            return _load_docx(path, doc_id, head)
        check_kind(path, head)
        return _load_converted(path, doc_id, ext)
    return _load_text(path, doc_id)


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(4096)
    except OSError as exc:
        raise BadInputError(f"cannot read the file ({exc.strerror or exc})", path=path) from exc


def _load_pdf(path: Path, doc_id: str, force_ocr: bool, dpi: int | None) -> Document:
    """A PDF's pages: a real text layer as text (e-signature boxes' lines taken out), any
    other page as an image rendered at `dpi` when given, else at its scan's own resolution
    (300 DPI for a page with no scan image), capped in pixels (render_dpi)."""
    info = pdf_pages(path)
    n = len(info)
    layers = [""] * n if force_ocr else text_layers(path, n)
    native = native_dpi(path, n) if any(p.has_image for p in info) else [None] * n
    signatures = pdf_signatures(path, [dpi or d or 300 for d in native])
    pages, notes = [], []
    for i, layer in enumerate(layers):
        layer = strip_signature_text(layer, [s for s in signatures if s.page == i])
        verdict = judge_layer(layer, info[i].has_image)
        if verdict.text is not None:
            pages.append(Page(doc_id, i, "text-layer", text=verdict.text, note=verdict.note))
            continue
        page_dpi, warning = render_dpi(path, i + 1, info[i].width_pt, info[i].height_pt,
                                       dpi or native[i] or 300)
        notes += [warning] if warning else []
        note = "OCR forced" if force_ocr else verdict.note
        ref = ImageRef(str(path), "pdf", i + 1, page_dpi, native[i] is not None)
        pages.append(Page(doc_id, i, "image", text=layer or None, image=ref, note=note))
    return Document(doc_id, str(path), "pdf", tuple(pages), warnings=tuple(notes), signatures=signatures)


def render_dpi(path: Path, page_no: int, width_pt: float, height_pt: float, dpi: int
               ) -> tuple[int, str]:
    """The resolution a PDF page is rendered at: `dpi`, lowered so the page stays under
    MAX_PAGE_PIXELS (with a warning), or ImageTooLargeError when even MIN_RENDER_DPI is
    over it. Why: an A0 page at 300 dpi (139 MP) took 1.9 GiB in one worker, a 234 MP one
    was an internal error and a 100 x 100 in page rendered as 1x1 (issue 20)."""
    inches = (width_pt / 72, height_pt / 72)
    pixels = inches[0] * inches[1] * dpi * dpi
    if pixels <= MAX_PAGE_PIXELS:
        return dpi, ""
    capped = int(dpi * (MAX_PAGE_PIXELS / pixels) ** 0.5)
    size = f"{inches[0]:.0f} x {inches[1]:.0f} in"
    if capped < MIN_RENDER_DPI:
        raise ImageTooLargeError(f"page {page_no} is {size}: too large to render (over "
                                 f"{MAX_PAGE_PIXELS // 1_000_000} megapixels at {MIN_RENDER_DPI} dpi)",
                                 path=path)
    return capped, (f"page {page_no} is {size}: rendered at {capped} dpi, not {dpi} "
                    f"(limit {MAX_PAGE_PIXELS // 1_000_000} megapixels a page)")


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


def _load_docx(path: Path, doc_id: str, head: bytes) -> Document:
    """A Word file read as a document (ingest/word.py); a compound file named .docx is
    a password-protected one, or a Word 97-2003 file, which LibreOffice converts."""
    if is_ole(head):
        check_kind(path, head)
        return _load_converted(path, doc_id, ".doc")
    return _docx_document(path, path, doc_id, "docx", "")


def _load_converted(path: Path, doc_id: str, kind: str) -> Document:
    """A .doc / .odt / .rtf file through LibreOffice, then read as the DOCX it gives."""
    with converted(path) as docx_path:
        return _docx_document(docx_path, path, doc_id, f"{kind[1:]} via LibreOffice",
                              f"converted from {kind} by LibreOffice")


def _docx_document(src: Path, path: Path, doc_id: str, encoding: str, note: str) -> Document:
    import zipfile

    import docx
    from lxml.etree import LxmlError

    if not zipfile.is_zipfile(src):
        raise UnsupportedFormatError("not a readable DOCX file (not a zip package)", path=path)
    try:
        d = docx.Document(str(src))
    except Exception as exc:  # python-docx fails on a damaged package in arbitrary ways
        raise UnsupportedFormatError("not a readable DOCX file (damaged package: "
                                     f"{type(exc).__name__})", path=path) from exc
    try:
        text, tables, asides = read_body(d)
    except (LxmlError, KeyError, ValueError, zipfile.BadZipFile, OSError) as exc:
        raise UnsupportedFormatError(f"not a readable DOCX file ({type(exc).__name__} in its "
                                     "XML)", path=path) from exc
    page = Page(doc_id, 0, "text", text=text, note=note, tables=tables)
    return Document(doc_id, str(path), "docx", (page,), encoding=encoding, asides=asides)


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

    image = _pil()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", image.DecompressionBombWarning)
            images = convert_from_path(ref.path, dpi=ref.dpi or 300, first_page=ref.page_no,
                                       last_page=ref.page_no, fmt="ppm", hide_annotations=ref.scan)
    except image.DecompressionBombError as exc:
        raise ImageTooLargeError(f"page {ref.page_no} renders over the pixel limit", path=ref.path) from exc
    except PDFInfoNotInstalledError as exc:
        raise MissingDependencyError("poppler (pdftoppm) not found: install poppler-utils") from exc
    except (PDFPageCountError, PDFSyntaxError) as exc:
        raise BadInputError(f"cannot rasterise page {ref.page_no}", path=ref.path) from exc
    if not images:
        raise BadInputError(f"page {ref.page_no} rendered to nothing", path=ref.path)
    return np.asarray(images[0].convert("RGB"))
