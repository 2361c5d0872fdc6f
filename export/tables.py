"""Parquet tables with explicit pyarrow schemas, rebuilt from the document JSONs.

Why rebuilt, not appended: a resumed or repeated batch must never duplicate rows, and a
killed run must never leave half a document in a table. Each table is derived from the
complete JSON files in OUT and written atomically (temp file, rename).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .jsondoc import SCHEMA_VERSION, atomic_write, read_documents

TABLES_DIR = "tables"
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
                                ("source", S), ("cadence", S), ("timing", S), ("task_group", S),
                                ("tasks", S), ("page", INT), ("start", INT), ("end", INT)),
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
                                         "cadence": r.get("cadence"), "timing": r.get("timing"),
                                         "task_group": r.get("group"), "tasks": " | ".join(r["tasks"]) or None,
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


def iter_rows(out_dir: str | Path) -> Iterator[dict[str, list[dict]]]:
    for doc in read_documents(out_dir):
        yield document_rows(doc)


def build_tables(out_dir: str | Path) -> dict[str, pa.Table]:
    merged: dict[str, list[dict]] = {name: [] for name in SCHEMAS}
    for rows in iter_rows(out_dir):
        for name, r in rows.items():
            merged[name] += r
    return {name: pa.Table.from_pylist(merged[name], schema=SCHEMAS[name]) for name in SCHEMAS}


def write_tables(out_dir: str | Path) -> list[Path]:
    """OUT/tables/<name>.parquet for every table, each written atomically."""
    written = []
    for name, table in build_tables(out_dir).items():
        buf = io.BytesIO()
        pq.write_table(table, buf)
        written.append(atomic_write(Path(out_dir) / TABLES_DIR / f"{name}.parquet", buf.getvalue()))
    return written
