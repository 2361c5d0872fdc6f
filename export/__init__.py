"""Export: one JSON per document, Parquet tables, a database, a notebook spot-check.

The verbs are imported on first use: a batch worker that only writes JSON should not pay
for pyarrow, SQLAlchemy and pandas at start-up.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_WHERE = {
    "DocumentResult": "models", "SCHEMA_VERSION": "jsondoc", "document_json": "jsondoc",
    "read_documents": "jsondoc", "write_document": "jsondoc", "SCHEMAS": "tables",
    "write_tables": "tables", "load_db": "db", "load_results": "notebook", "show": "notebook",
    "assignments": "notebook",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'export' has no attribute {name!r}")
    return getattr(import_module(f".{_WHERE[name]}", __name__), name)
