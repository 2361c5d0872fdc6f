"""One JSON file per document: everything a reviewer or a loader needs, versioned.

Why JSON first: the per-document JSON is the unit of atomic output (written to a temp
name, then renamed), the thing a resumed batch checks, and the source the Parquet tables
are rebuilt from, so tables never hold half a document or a duplicate.
"""

from __future__ import annotations

import dataclasses
import json
import os
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

from ocr.models import Box
from vnplans.exceptions import OutputError

from .models import DocumentResult

SCHEMA_VERSION = "2"
DOCS_DIR = "documents"


def _plain(obj: Any) -> Any:
    """Dataclasses → JSON values (boxes as [x0, y0, x1, y1], strings NFC)."""
    if isinstance(obj, Box):
        return [obj.x0, obj.y0, obj.x1, obj.y1]
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: _plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, (list, tuple)):
        return [_plain(x) for x in obj]
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, str):
        return unicodedata.normalize("NFC", obj)
    if isinstance(obj, float):
        return round(obj, 4)
    return obj


def _page(result: DocumentResult, i: int) -> dict:
    p = result.pages[i]
    r = result.restored[i] if result.restored else None
    tokens = []
    if r is not None:
        for n, line in enumerate(r.lines):
            tokens += [{"line": n, "start": t.start, "end": t.end, "original": t.original,
                        "restored": t.restored, "confidence": round(t.confidence, 4),
                        "kind": t.kind} for t in line.tokens if t.changed]
    src = result.document.pages[i]
    return {
        "index": p.index, "source": p.source, "note": src.note, "dpi": p.dpi,
        "width": p.width, "height": p.height, "mean_conf": round(p.mean_conf, 2),
        "steps": list(p.steps), "timings": {k: round(v, 4) for k, v in p.timings.items()},
        "warnings": list(p.warnings), "raw_text": p.text,
        "text": r.text if r is not None else p.text, "restored": bool(r and r.restored),
        "lines": [{"text": ln.text, "box": _plain(ln.box), "conf": round(ln.conf, 2),
                   "block": ln.block} for ln in p.lines],
        # a text page's words hold nothing beyond its text (no box, confidence 100)
        "words": [{"text": w.text, "box": _plain(w.box), "conf": round(w.conf, 2),
                   "line": w.line, "start": w.start, "end": w.end}
                  for w in p.words] if p.source == "ocr" else [],
        "tables": _plain(p.tables), "tokens": tokens,
    }


def document_json(result: DocumentResult) -> dict:
    """The document as a JSON-ready dict (schema: export/schema/document.v2.json)."""
    d = result.document
    return {
        "schema_version": SCHEMA_VERSION,
        "pipeline_version": result.pipeline_version,
        "doc_id": d.doc_id,
        "source": {"path": d.path, "paths": [d.path], "kind": d.kind, "encoding": d.encoding},
        "warnings": list(d.warnings),
        "timings": {k: round(v, 4) for k, v in result.timings.items()},
        "pages": [_page(result, i) for i in range(len(result.pages))],
        "record": _plain(result.record) if result.record is not None else None,
        # kept apart from the text: e-signature boxes (PDF widgets, boxes in the image)
        # and receipt stamps, in page order
        "signatures": _plain(sorted((*d.signatures, *(s for p in result.pages for s in p.signatures)),
                                    key=lambda s: s.page)),
        "received": _plain([r for p in result.pages for r in p.received]),
    }


def umask() -> int:
    """The process umask, read from /proc (os.umask can only be read by setting it, which
    would race with other threads)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            return next(int(ln.split()[1], 8) for ln in fh if ln.startswith("Umask:"))
    except (OSError, StopIteration, ValueError, IndexError):
        return 0o022


def file_mode() -> int:
    """What `open` would give a new file: 0666 less the umask (mkstemp gives 0600)."""
    return 0o666 & ~umask()


def atomic_write(path: Path, data: bytes) -> Path:
    """Write to a temp name in the same directory, fsync, rename: all or nothing."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"cannot write here: {(exc.strerror or str(exc)).lower()}", path=path.parent) from exc
    try:
        os.fchmod(fd, file_mode())  # mkstemp makes 0600: a reader of OUT gets the umask's
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write: {(exc.strerror or str(exc)).lower()}", path=path) from exc
    return path


def write_document(out_dir: str | Path, result: DocumentResult) -> Path:
    """OUT/documents/<doc_id>.json, atomically."""
    body = json.dumps(document_json(result), ensure_ascii=False, separators=(",", ":"))
    return atomic_write(Path(out_dir) / DOCS_DIR / f"{result.doc_id}.json", body.encode("utf-8"))


def read_documents(out_dir: str | Path) -> list[dict]:
    """Every complete document JSON in OUT, in doc_id order (temp files are skipped)."""
    folder = Path(out_dir) / DOCS_DIR
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]
