"""TEMPORARY stand-ins for stage verbs that have not landed yet (export.write_document). Deleted once the real ones exist."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

_TEXT = {".txt", ".text"}
_IMAGE = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp"}


def write_document(out_dir: Path, result: Any) -> Path:
    target = Path(out_dir) / "documents" / f"{result.doc_id}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    body = json.dumps({"doc_id": result.doc_id, "pipeline_version": result.pipeline_version,
                       "path": result.document.path,
                       "pages": [{"index": p.index, "source": p.source, "text": r.text, "raw": p.text}
                                 for p, r in zip(result.pages, result.restored, strict=False)]},
                      ensure_ascii=False, default=str)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(body)
    os.replace(tmp, target)
    return target
