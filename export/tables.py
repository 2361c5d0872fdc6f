"""Parquet tables with explicit pyarrow schemas, rebuilt from the document JSONs.

Why rebuilt, not appended: a resumed or repeated batch must never duplicate rows, and a
killed run must never leave half a document in a table. The tables are derived from the
complete JSON files in OUT and written as one set: into a temporary folder with a marker
(`_complete.json`: each table's rows and bytes), then swapped in whole for OUT/tables
(renameat2 RENAME_EXCHANGE). The marker also keeps each document's stamp (size, mtime),
so a run that changed nothing rewrites nothing, and one that changed a few documents
copies the others' rows from the previous set and reads only those. Why a set: table by table, a full disk or a kill left some
tables new, some old and one missing, and `load` took that for data (issue 20).
`check_tables` is what `load` asks before reading.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from vnplans.exceptions import OutputError

from .jsondoc import DOCS_DIR, SCHEMA_VERSION, file_mode, umask

TABLES_DIR = "tables"
MARKER = "_complete.json"
TEMP_PREFIXES = (".tables-new-", ".tables-old-")
S, INT, F, B, D = pa.string(), pa.int32(), pa.float32(), pa.bool_(), pa.date32()


def _schema(*fields: tuple[str, pa.DataType]) -> pa.Schema:
    return pa.schema([pa.field(n, t, nullable=n not in ("doc_id", "seq")) for n, t in fields],
                     metadata={b"vnplans_schema_version": SCHEMA_VERSION.encode()})


SCHEMAS: dict[str, pa.Schema] = {
    "documents": _schema(("doc_id", S), ("path", S), ("kind", S), ("encoding", S), ("n_pages", INT),
                         ("pipeline_version", S), ("schema_version", S), ("doc_type", S),
                         ("number", S), ("symbol", S), ("parent_agency", S), ("agency", S),
                         ("place", S), ("date", D), ("date_partial", S), ("title", S),
                         ("signer_name", S), ("signer_title", S), ("n_legal_acts", INT),
                         ("warnings", S)),
    "pages": _schema(("doc_id", S), ("seq", INT), ("page", INT), ("source", S), ("dpi", INT),
                     ("width", INT), ("height", INT), ("mean_conf", F), ("n_words", INT),
                     ("steps", S), ("raw_text", S), ("text", S)),
    "legal_acts": _schema(("doc_id", S), ("seq", INT), ("number", S), ("kind", S), ("date", D),
                          ("issuer", S), ("subject", S), ("role", S), ("completed", B),
                          ("n_mentions", INT)),
    "act_mentions": _schema(("doc_id", S), ("seq", INT), ("number", S), ("page", INT), ("start", INT),
                            ("end", INT), ("section", S), ("role", S), ("text", S)),
    "audiences": _schema(("doc_id", S), ("seq", INT), ("name", S), ("section", S), ("page", INT),
                         ("start", INT), ("end", INT)),
    "responsibilities": _schema(("doc_id", S), ("seq", INT), ("unit", S), ("role", S),
                                ("source", S), ("task", S), ("person", S), ("deadline", S),
                                ("cadence", S), ("section", S), ("task_group", S), ("page", INT), ("start", INT), ("end", INT)),
    "sections": _schema(("doc_id", S), ("seq", INT), ("number", S), ("title", S), ("level", INT),
                        ("parent", INT), ("page", INT), ("start", INT), ("end", INT)),
    "tokens": _schema(("doc_id", S), ("seq", INT), ("page", INT), ("line", INT), ("start", INT),
                      ("end", INT), ("original", S), ("restored", S), ("confidence", F),
                      ("kind", S)),
    "signatures": _schema(("doc_id", S), ("seq", INT), ("page", INT), ("source", S),
                          ("organisation", S), ("signer", S), ("email", S), ("timestamp", S),
                          ("text", S)),
    "received": _schema(("doc_id", S), ("seq", INT), ("page", INT), ("number", S), ("date", S),
                        ("text", S)),
}


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _v(field: dict | None) -> str | None:
    return field.get("value") if field else None


def _span(s: dict | None) -> tuple[int | None, int | None, int | None]:
    return (s["page"], s["start"], s["end"]) if s else (None, None, None)


def document_rows(doc: dict) -> dict[str, list[dict]]:
    """The rows every table gets from one document JSON."""
    rec = doc.get("record") or {}
    h = rec.get("header") or {}
    did = doc["doc_id"]
    rows: dict[str, list[dict]] = {name: [] for name in SCHEMAS}
    rows["documents"].append({
        "doc_id": did, "path": doc["source"]["path"], "kind": doc["source"]["kind"],
        "encoding": doc["source"]["encoding"], "n_pages": len(doc["pages"]),
        "pipeline_version": doc["pipeline_version"], "schema_version": doc["schema_version"],
        **{k: _v(h.get(k)) for k in ("doc_type", "number", "symbol", "parent_agency", "agency",
                                     "place", "date_partial", "title", "signer_name", "signer_title")},
        "date": _date(_v(h.get("date"))), "n_legal_acts": len(rec.get("legal_acts", [])),
        "warnings": "; ".join(doc["warnings"] + rec.get("warnings", [])) or None,
    })
    for p in doc["pages"]:
        rows["pages"].append({"doc_id": did, "seq": p["index"], "page": p["index"], "source": p["source"],
                              "dpi": p["dpi"], "width": p["width"], "height": p["height"],
                              "mean_conf": p["mean_conf"], "n_words": len(p["words"]) or len(p["raw_text"].split()),
                              "steps": ",".join(p["steps"]), "raw_text": p["raw_text"], "text": p["text"]})
        rows["tokens"] += [{"doc_id": did, "page": p["index"], **t} for t in p["tokens"]]
    for a in rec.get("legal_acts", []):
        rows["legal_acts"].append({"doc_id": did, "number": a["number"], "kind": a["kind"],
                                   "date": _date(a["date"]), "issuer": a["issuer"], "subject": a["subject"],
                                   "role": a["role"], "completed": a["completed"], "n_mentions": len(a["mentions"])})
        for m in a["mentions"]:
            page, start, end = _span(m["span"])
            rows["act_mentions"].append({"doc_id": did, "number": a["number"], "page": page, "start": start,
                                         "end": end, "section": m["section"], "role": m["role"], "text": m["text"]})
    for a in rec.get("audiences", []):
        page, start, end = _span(a["span"])
        rows["audiences"].append({"doc_id": did, "name": a["name"], "section": a["number"],
                                  "page": page, "start": start, "end": end})
    for r in rec.get("responsibilities", []):
        page, start, end = _span(r["span"])
        rows["responsibilities"].append({"doc_id": did, "unit": r["unit"], "role": r["role"], "source": r["source"],
                                         "task": r["task"] or None, "person": r.get("person"),
                                         "deadline": r.get("deadline"), "cadence": r.get("cadence"),
                                         "section": r.get("section"), "task_group": r.get("group"),
                                         "page": page, "start": start, "end": end})
    for k, s in enumerate(rec.get("sections", [])):
        page, start, end = _span(s["span"])
        rows["sections"].append({"doc_id": did, "seq": k, "number": s["number"], "title": s["title"],
                                 "level": s["level"], "parent": s["parent"], "page": page, "start": start, "end": end})
    rows["signatures"] = [{"doc_id": did, **{k: v for k, v in sg.items() if k != "box"}}
                          for sg in doc.get("signatures", [])]
    rows["received"] = [{"doc_id": did, **{k: v for k, v in r.items() if k != "box"}}
                        for r in doc.get("received", [])]
    for name, table_rows in rows.items():
        if name != "documents" and name != "pages" and name != "sections":
            for k, row in enumerate(table_rows):
                row["seq"] = k
    return rows


FLUSH_ROWS = 5_000  # rows of one table held before they are written as a row group
FLUSH_DOCS = 64  # ... and documents read before every table is (a page row holds its text)
COPY_ROWS = 500  # rows copied from the previous set at a time (a page row holds its text)


def _doc_files(out: Path) -> list[Path]:
    folder = out / DOCS_DIR
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def iter_rows(out_dir: str | Path) -> Iterator[dict[str, list[dict]]]:
    """Each document's rows, one document in memory at a time."""
    for f in _doc_files(Path(out_dir)):
        yield document_rows(json.loads(f.read_text(encoding="utf-8")))


def build_tables(out_dir: str | Path) -> dict[str, pa.Table]:
    """Every table in memory (for a notebook on a small OUT; the batch streams them)."""
    merged: dict[str, list[dict]] = {name: [] for name in SCHEMAS}
    for rows in iter_rows(out_dir):
        for name, r in rows.items():
            merged[name] += r
    return {name: pa.Table.from_pylist(merged[name], schema=SCHEMAS[name]) for name in SCHEMAS}


def stamps(files: list[Path]) -> dict[str, str]:
    """Each document JSON's size and mtime, by doc_id: a document is only ever replaced
    whole (renamed over), so an equal stamp is an equal document."""
    out = {}
    for f in files:
        st = f.stat()
        out[f.stem] = f"{st.st_size}:{st.st_mtime_ns}"
    return out


def fingerprint(docs: dict[str, str], removed: list[str]) -> str:
    """What a set of tables is built from: equal fingerprints, equal tables."""
    digest = hashlib.sha256(SCHEMA_VERSION.encode())
    for doc_id, stamp in sorted(docs.items()):
        digest.update(f"{doc_id}\0{stamp}\n".encode())
    digest.update(",".join(removed).encode())
    return digest.hexdigest()


def write_tables(out_dir: str | Path, removed: Iterable[str] = ()) -> list[Path]:
    """OUT/tables/<name>.parquet for every table, swapped in as one set with its marker.
    `removed`: doc_ids moved out of OUT, whose rows `load` deletes from a database. A
    set already built from the same documents is kept as it is (a no-op rerun costs a
    listing, not a rebuild: 4.6 s and 1.16 GB on one 114 MB document before); otherwise
    the rows of unchanged documents are copied from the previous set (Parquet, no JSON
    parsed) and only new or changed documents are read. Raises OSError (a full disk,
    ...): OUT/tables is then the previous set, untouched."""
    out = Path(out_dir)
    files, gone = _doc_files(out), sorted(set(removed))
    docs = stamps(files)
    stamp = fingerprint(docs, gone)
    written = [out / TABLES_DIR / f"{name}.parquet" for name in SCHEMAS]
    try:
        prev = check_tables(out)
    except OutputError:
        prev = {}
    if prev.get("fingerprint") == stamp:
        return written
    kept = {d for d, st in dict(prev.get("documents") or {}).items() if docs.get(d) == st}
    new = Path(tempfile.mkdtemp(prefix=TEMP_PREFIXES[0], dir=out))
    try:
        counts = _stream_tables([f for f in files if f.stem not in kept], new, kept, out / TABLES_DIR)
        marker = {"schema_version": SCHEMA_VERSION, "fingerprint": stamp, "documents": docs,
                  "removed_doc_ids": gone,
                  "tables": {name: {"rows": counts[name], "bytes": (new / f"{name}.parquet").stat().st_size}
                             for name in SCHEMAS}}
        (new / MARKER).write_text(json.dumps(marker, indent=1), encoding="utf-8")
        for f in new.iterdir():
            os.chmod(f, file_mode())
            _fsync(f)
        os.chmod(new, 0o777 & ~umask())
        _fsync(new)
        _swap(new, out / TABLES_DIR)
        _fsync(out)
    finally:
        shutil.rmtree(new, ignore_errors=True)  # after a swap: the previous set
    return written


def _stream_tables(files: list[Path], folder: Path, kept: set[str], previous: Path) -> dict[str, int]:
    """Write every table into `folder`: first the rows of the `kept` documents from the
    `previous` set, then those of `files`, one document read at a time and rows flushed
    in row groups, so memory is at most FLUSH_DOCS documents' rows, not all of OUT."""
    writers = {name: pq.ParquetWriter(folder / f"{name}.parquet", SCHEMAS[name]) for name in SCHEMAS}
    held: dict[str, list[dict]] = {name: [] for name in SCHEMAS}
    counts = dict.fromkeys(SCHEMAS, 0)
    if kept:
        keep = pa.array(sorted(kept), pa.string())
        for name in SCHEMAS:
            counts[name] = _copy_rows(previous / f"{name}.parquet", writers[name], SCHEMAS[name], keep)

    def flush(name: str) -> None:
        if held[name]:
            writers[name].write_table(pa.Table.from_pylist(held[name], schema=SCHEMAS[name]))
            counts[name] += len(held[name])
            held[name] = []

    try:
        for k, f in enumerate(files, 1):
            for name, rows in document_rows(json.loads(f.read_text(encoding="utf-8"))).items():
                held[name] += rows
                if len(held[name]) >= FLUSH_ROWS or k % FLUSH_DOCS == 0:
                    flush(name)
        for name in SCHEMAS:
            flush(name)
    finally:
        for w in writers.values():
            w.close()
    return counts


def _copy_rows(path: Path, writer: pq.ParquetWriter, schema: pa.Schema, keep: pa.Array) -> int:
    """The rows of `path` whose doc_id is in `keep`, a batch at a time, into `writer`."""
    n = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=COPY_ROWS):
        part = batch.filter(pc.is_in(batch.column("doc_id"), value_set=keep))
        if part.num_rows:
            writer.write_table(pa.Table.from_batches([part]).cast(schema))
            n += part.num_rows
    return n


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _swap(new: Path, target: Path) -> None:
    """Put `new` at `target` in one step, leaving the previous `target` at `new`."""
    if not target.exists():
        os.rename(new, target)
        return
    libc = ctypes.CDLL(None, use_errno=True)
    at_fdcwd, rename_exchange = -100, 2
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is not None and renameat2(at_fdcwd, bytes(new), at_fdcwd, bytes(target),
                                           rename_exchange) == 0:
        return
    old = target.parent / f"{TEMP_PREFIXES[1]}{os.getpid()}"  # no exchange on this system
    shutil.rmtree(old, ignore_errors=True)
    os.rename(target, old)
    os.rename(new, target)
    os.rename(old, new)


def sweep_temp_tables(out_dir: str | Path) -> None:
    """Remove table folders a killed run left half-written (the caller holds OUT's lock)."""
    for prefix in TEMP_PREFIXES:
        for folder in Path(out_dir).glob(prefix + "*"):
            shutil.rmtree(folder, ignore_errors=True)


def check_tables(out_dir: str | Path) -> dict:
    """The marker of OUT/tables when the folder is a whole set (every table, each of the
    size written), else OutputError: a set half-written by an older vnplans, or damaged."""
    folder = Path(out_dir) / TABLES_DIR
    try:
        marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
        for name in SCHEMAS:
            if (folder / f"{name}.parquet").stat().st_size != marker["tables"][name]["bytes"]:
                raise ValueError(f"{name}.parquet differs from the set written")
    except FileNotFoundError as exc:
        name = Path(str(exc.filename or "?")).name
        raise _half_set(folder, "no marker" if name == MARKER else f"{name} is missing") from exc
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise _half_set(folder, str(exc) or type(exc).__name__) from exc
    return dict(marker)


def _half_set(folder: Path, why: str) -> OutputError:
    return OutputError(f"the tables are not a complete set ({why}): a run was stopped while "
                       "writing them; rerun `vnplans run` on the same inputs to rebuild them",
                       path=folder)
