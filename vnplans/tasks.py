"""What a worker process (or a Dask worker) runs: small picklable functions that return
a manifest `Entry`, never raise for a bad input, and write a document only whole.

Why separate from the driver: these run far from the terminal, the manifest and the
lock; they only turn one input into one output file and say what happened.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib
import os
import signal
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from vnplans.exceptions import ExitCode, VnplansError
from vnplans.manifest import Entry, output_error
from vnplans.pipeline import (
    PipelineOptions,
    finish_document,
    limit_threads,
    load_document,
    process_document,
    settle_pages,
)

if TYPE_CHECKING:
    from export.models import DocumentResult
    from ingest.models import Document
    from ocr.models import OcrPage


def init_worker(scratch: str | None = None) -> None:
    """Per worker process: one OpenMP thread for Tesseract, Ctrl-C left to the driver,
    death with the parent (so a `kill -9` of the run leaves no orphan workers), and temp
    files in the run's scratch directory, which the driver removes even when a worker
    was killed holding one (a page image is ~9 MB)."""
    limit_threads()
    if scratch:
        tempfile.tempdir = scratch
        os.environ["TMPDIR"] = scratch
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # the driver stops its workers itself
    die_with_parent()
    threading.Thread(target=_warm_restorer, daemon=True, name="vnplans-warm").start()


def die_with_parent(parent: int | None = None) -> None:
    """Ask the kernel to SIGKILL this process when its parent dies (PR_SET_PDEATHSIG),
    and exit now if the parent (`parent`, by default the present one) is already gone."""
    parent = parent or os.getppid()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


def _warm_restorer() -> None:
    """Read the restoration model while the first page is OCRed (see vnplans._preload);
    a failure is left to the first document that needs the model."""
    with contextlib.suppress(Exception):
        importlib.import_module("diacritics").restore_text("Ke hoach")


def failed(path: str, exc: BaseException, doc_id: str = "") -> Entry:
    """A failed Entry with the error's kind and one-line message."""
    if isinstance(exc, VnplansError):
        message, code = exc.message, int(exc.exit_code)
    else:
        message, code = f"internal error: {type(exc).__name__}: {exc}", int(ExitCode.INTERNAL_ERROR)
    return Entry(path, "failed", doc_id=doc_id, error_kind=type(exc).__name__,
                 error=" ".join(message.split()) or type(exc).__name__, exit_code=code)


def write_result(out_dir: Path, result: DocumentResult) -> str:
    """Write the document JSON (atomically, by export) and return it relative to OUT."""
    from export import write_document

    try:
        target = Path(write_document(out_dir, result))
    except OSError as exc:
        raise output_error(exc, out_dir) from exc
    try:
        return str(target.relative_to(out_dir))
    except ValueError:
        return str(target)


def ok_entry(path: str, result: DocumentResult, output: str, clock: dict[str, float]) -> Entry:
    timings = {**result.timings, **clock}
    warnings = list(result.document.warnings)
    if result.record is not None:
        warnings += list(result.record.warnings)
    return Entry(path, "ok", doc_id=result.doc_id, pages=len(result.pages), output=output,
                 timings={k: round(v, 4) for k, v in timings.items()},
                 note="; ".join(warnings)[:300])


def save(path: str, out_dir: Path, result: DocumentResult, started: float) -> Entry:
    """Write `result` and describe it, with export and total wall times."""
    t = time.perf_counter()
    output = write_result(out_dir, result)
    now = time.perf_counter()
    return ok_entry(path, result, output, {"export": now - t, "total": now - started})


def load_or_run(path: str, options: PipelineOptions, out_dir: str) -> Entry | Document:
    """Load one input; finish it here when it is cheap (text, or a single image page),
    else hand the Document back so its pages fan out to the pool."""
    started = time.perf_counter()
    try:
        doc = load_document(path, options)
        if sum(p.source == "image" for p in doc.pages) > 1:
            return doc
        result = process_document(doc, options)
        result.timings["ingest"] = doc_time(started, result)
        return save(path, Path(out_dir), result, started)
    except Exception as exc:  # every input gets an Entry; the driver decides what is fatal
        return failed(path, exc)


def doc_time(started: float, result: DocumentResult) -> float:
    stages = sum(result.timings.get(k, 0.0) for k in ("ocr", "restore", "parse"))
    return max(0.0, time.perf_counter() - started - stages)


def load_or_run_many(paths: list[str], options: PipelineOptions, out_dir: str) -> list[Entry | Document]:
    """`load_or_run` over a chunk of cheap inputs: one round trip for many text files."""
    return [load_or_run(p, options, out_dir) for p in paths]


def finish(path: str, doc: Document, pages: tuple[OcrPage, ...], options: PipelineOptions,
           out_dir: str, clock: dict[str, float], started_wall: float) -> Entry:
    """Restore, parse and write a document whose pages were OCRed across the pool."""
    started = time.perf_counter()
    try:
        result = finish_document(doc, settle_pages(doc, pages, options), options, clock)
        entry = save(path, Path(out_dir), result, started)
        total = time.time() - started_wall
        return replace(entry, timings={**entry.timings, "total": round(total, 4)})
    except Exception as exc:
        return failed(path, exc, doc.doc_id)


def run_whole(path: str, options: PipelineOptions) -> tuple[Entry | None, DocumentResult | None]:
    """One Dask task: load and process one input entirely on the worker; the client
    writes the result (so OUT need not be shared with the cluster)."""
    limit_threads()
    started = time.perf_counter()
    try:
        doc = load_document(path, options)
        result = process_document(doc, options)
        result.timings["ingest"] = doc_time(started, result)
        result.timings["total"] = time.perf_counter() - started
        return None, result
    except Exception as exc:
        return failed(path, exc), None
