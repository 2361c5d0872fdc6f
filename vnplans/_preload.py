"""Imported once by the worker forkserver, so every worker starts with the stages loaded
(shared copy-on-write) instead of importing them itself. A stage that fails here is left
for the worker to report on the first document that needs it.

The forkserver dies with the run: a death signal (PR_SET_PDEATHSIG) kills it when the
process that started it dies, even by `kill -9`, and the workers (whose parent it is)
then die by theirs. Why: before, a killed run left the forkserver and its workers alive
for good (about 420 MB, issue 20). It ignores SIGTERM and Ctrl-C: on `kill -TERM` of the
process group the run itself stops its workers and saves the manifest.

The restoration model is not read here but by each worker, in a thread, while its first
page is read (tasks.init_worker). Why: here it sat on the critical path before the first
fork (0.35-0.5 s of a 16-page batch's ~17 s), where in the worker it overlaps Tesseract,
which releases the GIL; a copy costs 33 MB per worker."""

from __future__ import annotations

import contextlib
import importlib
import os
import signal
from functools import partial

from vnplans.tasks import die_with_parent

die_with_parent()
signal.signal(signal.SIGTERM, signal.SIG_IGN)
_armed = False  # in a worker: its own children (if it ever forks) are not the forkserver's


def _arm_worker(forkserver: int) -> None:
    global _armed
    if not _armed:
        _armed = True
        die_with_parent(forkserver)


# each worker, right after its fork (before the pool's bootstrap could hang on a dead run)
os.register_at_fork(after_in_child=partial(_arm_worker, os.getpid()))

for _name in ("vnplans.tasks", "ingest", "ocr", "diacritics", "parser", "export"):
    with contextlib.suppress(Exception):
        importlib.import_module(_name)
