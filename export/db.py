"""Load the tables into a compliance database (SQLite by default, PostgreSQL by URL).

Why delete-then-insert per document in one transaction: loading is keyed by doc_id, so
loading the same OUT twice changes nothing, and a document is never half-loaded.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import sqlalchemy as sa

from vnplans.exceptions import OutputError

from .tables import SCHEMAS, TABLES_DIR, write_tables

_TYPES = {pa.string(): sa.Text, pa.int32(): sa.Integer, pa.float32(): sa.Float,
          pa.bool_(): sa.Boolean, pa.date32(): sa.Date}


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


def load_db(out_dir: str | Path, url: str | None = None) -> dict[str, int]:
    """Upsert every table of OUT into the database; returns rows loaded per table."""
    out = Path(out_dir)
    if not (out / TABLES_DIR / "documents.parquet").exists():
        write_tables(out)
    url = url or f"sqlite:///{(out / 'vnplans.sqlite').resolve()}"
    data = {name: pq.read_table(out / TABLES_DIR / f"{name}.parquet").to_pylist()
            if (out / TABLES_DIR / f"{name}.parquet").exists() else [] for name in SCHEMAS}  # older OUT
    md, tables = metadata()
    try:
        engine = sa.create_engine(url)
        md.create_all(engine)
        with engine.begin() as conn:
            ids = [r["doc_id"] for r in data["documents"]]
            for name in reversed(list(SCHEMAS)):  # children first, then documents
                for chunk in range(0, len(ids), 500):
                    conn.execute(tables[name].delete().where(tables[name].c.doc_id.in_(ids[chunk:chunk + 500])))
            for name in SCHEMAS:  # documents first
                if data[name]:
                    conn.execute(tables[name].insert(), data[name])
    except sa.exc.SQLAlchemyError as exc:
        raise OutputError(f"database load failed: {' '.join(str(exc).split())[:200]}", path=url) from exc
    return {name: len(rows) for name, rows in data.items()}
