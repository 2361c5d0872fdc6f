"""TEMPORARY stand-ins for stage verbs that have not landed yet (export.write_document,
ocr.ocr_page). Deleted once the real ones exist."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

_TEXT = {".txt", ".text"}
_IMAGE = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp"}


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

    from ingest import load_image
    from ocr.models import Box, Line, OcrPage, Word

    ref = page.image
    image = Image.fromarray(load_image(ref)).convert("L")
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
