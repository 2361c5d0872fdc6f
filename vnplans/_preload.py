"""Imported once by the worker forkserver, so every worker starts with the stages loaded
(shared copy-on-write) instead of importing them itself. A stage that fails here is left
for the worker to report on the first document that needs it.

The restoration model is not read here but by each worker, in a thread, while its first
page is read (tasks.init_worker). Why: here it sat on the critical path before the first
fork (0.35-0.5 s of a 16-page batch's ~17 s), where in the worker it overlaps Tesseract,
which releases the GIL; a copy costs 33 MB per worker."""

from __future__ import annotations

import contextlib
import importlib

for _name in ("vnplans.tasks", "ingest", "ocr", "diacritics", "parser", "export"):
    with contextlib.suppress(Exception):
        importlib.import_module(_name)
