"""Export: one JSON per document, Parquet tables, a database, a notebook spot-check."""

from .db import load_db
from .jsondoc import SCHEMA_VERSION, document_json, read_documents, write_document
from .models import DocumentResult
from .notebook import load_results, show
from .tables import SCHEMAS, write_tables

__all__ = [
    "SCHEMAS", "SCHEMA_VERSION", "DocumentResult", "document_json", "load_db", "load_results",
    "read_documents", "show", "write_document", "write_tables",
]
