"""TEMPORARY stand-ins for stage verbs that have not landed yet (ingest.discover,
ingest.load, export.write_document). Deleted once the real ones exist."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

from vnplans.exceptions import (
    BadInputError,
    InputNotFoundError,
    UnsupportedFormatError,
    VnplansError,
)

_TEXT = {".txt", ".text"}
_IMAGE = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp"}


def discover(paths: list[str]) -> tuple[list[Path], list[VnplansError]]:
    files: list[Path] = []
    errors: list[VnplansError] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(sorted(f for f in p.rglob("*") if f.is_file() and not f.name.startswith(".")))
        elif p.is_file():
            files.append(p)
        else:
            errors.append(InputNotFoundError("no such file or directory", path=p))
    return files, errors


def load(path: str, force_ocr: bool = False, dpi: int | None = None) -> Any:
    from PIL import Image

    from ingest.models import Document, ImageRef, Page

    p = Path(path)
    data = p.read_bytes()
    if not data:
        raise BadInputError("empty file", path=p)
    doc_id = hashlib.sha256(data).hexdigest()
    ext = p.suffix.lower()
    if ext in _TEXT:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BadInputError("not UTF-8 text", path=p) from exc
        pages = tuple(Page(doc_id, i, "text", text=t) for i, t in enumerate(text.split("\f")))
        return Document(doc_id, str(p), "text", pages)
    if ext in _IMAGE:
        try:
            with Image.open(p) as im:
                im.verify()
        except Exception as exc:
            raise UnsupportedFormatError("not a readable image", path=p) from exc
        page = Page(doc_id, 0, "image", image=ImageRef(str(p), "image", 1, dpi))
        return Document(doc_id, str(p), "image", (page,))
    raise UnsupportedFormatError(f"unsupported file type {ext or '(none)'}", path=p)


def write_document(out_dir: Path, result: Any) -> Path:
    target = Path(out_dir) / "documents" / f"{result.doc_id}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    body = json.dumps({"doc_id": result.doc_id, "pipeline_version": result.pipeline_version,
                       "path": result.document.path, "pages": [asdict(p) for p in result.pages]},
                      ensure_ascii=False, default=str)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(body)
    os.replace(tmp, target)
    return target


def ocr_page(page: Any, options: Any = None) -> Any:
    """Plain Tesseract on one page image: words, boxes, confidences, lines."""
    import pytesseract
    from PIL import Image

    from ocr.models import Box, Line, OcrPage, Word

    ref = page.image
    if ref.kind == "pdf":
        from pdf2image import convert_from_path

        image = convert_from_path(ref.path, dpi=ref.dpi or 300, first_page=ref.page_no,
                                  last_page=ref.page_no, grayscale=True)[0]
    else:
        image = Image.open(ref.path)
        image.seek(ref.page_no - 1)
        image = image.convert("L")
    dpi = ref.dpi or 300
    data = pytesseract.image_to_data(image, lang="vie", config=f"--dpi {dpi} --psm 3",
                                     output_type=pytesseract.Output.DICT)
    groups: dict[tuple[int, int, int], list[int]] = {}
    for i, word in enumerate(data["text"]):
        if word.strip():
            groups.setdefault((data["block_num"][i], data["par_num"][i], data["line_num"][i]), []).append(i)
    text, lines, words, prev_block = "", [], [], None
    for (block, _, _), idx in sorted(groups.items()):
        if prev_block is not None:
            text += "\n\n" if block != prev_block else "\n"
        prev_block = block
        start = len(text)
        box = None
        for j, i in enumerate(idx):
            if j:
                text += " "
            w = data["text"][i].strip().replace(" ", "")
            b = Box(data["left"][i], data["top"][i], data["left"][i] + data["width"][i],
                    data["top"][i] + data["height"][i])
            box = b if box is None else box.union(b)
            words.append(Word(w, b, max(0.0, min(100.0, float(data["conf"][i]))), block,
                              len(lines), len(text), len(text) + len(w)))
            text += w
        lines.append(Line(text[start:], box, block, start, len(text)))
    conf = sum(w.conf for w in words) / len(words) if words else 0.0
    return OcrPage(page.doc_id, page.index, "ocr", text, tuple(lines), tuple(words),
                   image.width, image.height, dpi, mean_conf=conf)
