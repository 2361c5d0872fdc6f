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
