"""Imported once by the worker forkserver, so every worker starts with the stages loaded
(shared copy-on-write) instead of importing them itself, and the restoration model
already read. A stage that fails here is left for the worker to report on the first
document that needs it."""

from __future__ import annotations

import contextlib
import importlib

for _name in ("vnplans.tasks", "ingest", "ocr", "diacritics", "parser", "export"):
    with contextlib.suppress(Exception):
        importlib.import_module(_name)

with contextlib.suppress(Exception):  # load the restoration model once, before forking
    importlib.import_module("diacritics").restore_text("Ke hoach")
