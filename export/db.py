"""Load the tables into a compliance database (SQLite by default, PostgreSQL by URL).

Why delete-then-insert per document in one transaction: loading is keyed by doc_id, so
loading the same OUT twice changes nothing, and a document is never half-loaded. The
documents a run moved out of OUT (their input replaced or gone) are deleted too, so the
database never holds two versions of a file. Only a whole set of tables is loaded
(`check_tables`), streamed in batches so memory does not grow with OUT. The URL's
password never reaches a message.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import sqlalchemy as sa

from vnplans.exceptions import MissingDependencyError, OutputError, UsageError

from .tables import SCHEMAS, TABLES_DIR, check_tables, write_tables

_TYPES = {pa.string(): sa.Text, pa.int32(): sa.Integer, pa.float32(): sa.Float,
          pa.bool_(): sa.Boolean, pa.date32(): sa.Date}
BATCH_ROWS = 200  # rows a database insert; a page row holds its whole text
POSTGRES_HINT = "install the PostgreSQL driver: pip install 'vnplans[postgres]' (psycopg)"


def metadata() -> tuple[sa.MetaData, dict[str, sa.Table]]:
    """Tables with primary keys (doc_id [, seq]) and foreign keys to documents."""
    md = sa.MetaData()
    tables = {}
    for name, schema in SCHEMAS.items():
        cols = []
        for f in schema:
            key = f.name == "doc_id" or f.name == "seq"
            args = [sa.ForeignKey("documents.doc_id", ondelete="CASCADE")] if (
                f.name == "doc_id" and name != "documents") else []
            cols.append(sa.Column(f.name, _TYPES[f.type](), *args, primary_key=key, nullable=not key))
        tables[name] = sa.Table(name, md, *cols)
    return md, tables


def redact(url: str | sa.URL) -> str:
    """The URL as it may be printed: the password as ***."""
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "(not a database URL)"


def engine_for(url: str) -> sa.Engine:
    """An engine for `url`; a plain postgresql:// URL uses psycopg (3) when psycopg2 is
    absent. A missing driver is MissingDependencyError (exit 5), a malformed URL UsageError."""
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError as exc:
        raise UsageError("not a database URL (e.g. postgresql://user@host/db, sqlite:///file)") from exc
    if parsed.drivername == "postgresql" and importlib.util.find_spec("psycopg2") is None:
        parsed = parsed.set(drivername="postgresql+psycopg")
    try:
        return sa.create_engine(parsed)
    except ImportError as exc:
        hint = POSTGRES_HINT if parsed.get_backend_name() == "postgresql" else f"({exc})"
        raise MissingDependencyError(f"the database driver is missing: {hint}", path=redact(parsed)) from exc


def _message(exc: sa.exc.SQLAlchemyError, url: str) -> str:
    """The driver's own words, whole, on one line, without the SQL and its parameters
    (rows of text) and with the password of `url` masked wherever it appears."""
    text = str(getattr(exc, "orig", None) or exc).split("[SQL:")[0].split("(Background on")[0]
    text = " ".join(text.split())
    with_password = sa.make_url(url).password
    if with_password:
        text = text.replace(str(with_password), "***")
    return text or type(exc).__name__


def _doc_ids(path: Path) -> list[str]:
    return [str(d) for d in pq.read_table(path, columns=["doc_id"]).column("doc_id").to_pylist()]


def load_db(out_dir: str | Path, url: str | None = None) -> dict[str, int]:
    """Upsert every table of OUT into the database; returns rows loaded per table. The
    caller holds OUT's lock. Tables are built when OUT has none; a half set is refused."""
    out = Path(out_dir)
    if not (out / TABLES_DIR).exists():
        try:
            write_tables(out)
        except OSError as exc:
            raise OutputError(f"cannot write the tables: {(exc.strerror or str(exc)).lower()}",
                              path=out / TABLES_DIR) from exc
    marker = check_tables(out)
    url = url or f"sqlite:///{(out / 'vnplans.sqlite').resolve()}"
    engine = engine_for(url)
    md, tables = metadata()
    counts = {name: 0 for name in SCHEMAS}
    try:
        md.create_all(engine)
        with engine.begin() as conn:
            ids = _doc_ids(out / TABLES_DIR / "documents.parquet")
            known = set(ids)
            gone = [d for d in marker.get("removed_doc_ids", []) if d not in known]
            _delete(conn, tables, ids + gone)
            for name in SCHEMAS:  # documents first
                counts[name] = _insert(conn, tables[name], out / TABLES_DIR / f"{name}.parquet")
    except sa.exc.SQLAlchemyError as exc:
        raise OutputError(f"database load failed: {_message(exc, url)}", path=redact(url)) from exc
    finally:
        engine.dispose()
    return counts


def _delete(conn: Any, tables: dict[str, sa.Table], ids: list[str]) -> None:
    for name in reversed(list(SCHEMAS)):  # children first, then documents
        for chunk in range(0, len(ids), 500):
            conn.execute(tables[name].delete().where(tables[name].c.doc_id.in_(ids[chunk:chunk + 500])))


def _insert(conn: Any, table: sa.Table, path: Path) -> int:
    """Insert a Parquet file batch by batch (a whole table in memory cost 1.5 GB)."""
    n = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=BATCH_ROWS):
        rows = batch.to_pylist()
        if rows:
            conn.execute(table.insert(), rows)
            n += len(rows)
    return n
