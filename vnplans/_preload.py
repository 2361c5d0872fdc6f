"""Imported once by the worker forkserver, so every worker starts with the stages loaded
(shared copy-on-write) instead of importing them itself. A stage that fails to import
is left for the worker to report on the first document that needs it."""

from __future__ import annotations

import contextlib
import importlib

for _name in ("vnplans.tasks", "ingest", "ocr", "diacritics", "parser", "export"):
    with contextlib.suppress(Exception):
        importlib.import_module(_name)
