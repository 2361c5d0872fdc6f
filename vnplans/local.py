"""The local process pool behind `vnplans run --workers N`.

Why this shape: a scan's pages are the expensive unit, so a scanned document is loaded in
one task, its pages fan out to every worker, and one last task restores, parses and writes
it. Text documents are cheap, so they travel in chunks and finish inside one task. A
worker that dies (out of memory, killed, a native crash) breaks the pool: every document
in flight is retried once, alone, in a fresh pool, and reported failed if it dies again.
Workers come from a forkserver, so they never inherit the lock on OUT, and they die with
the run (PR_SET_PDEATHSIG), so a `kill -9` leaves no orphan holding files open.
"""

from __future__ import annotations

import fcntl
import multiprocessing
import os
import shutil
import tempfile
import time
from collections import deque
from collections.abc import Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from vnplans import tasks
from vnplans.batch import CHEAP, TEXT_CHUNK, Run
from vnplans.exceptions import WorkerCrashedError
from vnplans.manifest import Entry
from vnplans.pipeline import process_page

if TYPE_CHECKING:
    from ingest.models import Document
    from ocr.models import OcrPage

PRELOAD = ["vnplans._preload"]


@dataclass
class _InFlight:
    """Driver bookkeeping for a scanned document whose pages are out in the pool."""

    path: str
    doc: Document
    pages: dict[int, OcrPage] = field(default_factory=dict)
    started: float = field(default_factory=time.time)
    ocr_started: float = field(default_factory=time.perf_counter)


def start_forkserver() -> multiprocessing.context.BaseContext:
    """Start the worker forkserver now: its imports (the stages, the restoration model,
    ~1.5 s) then overlap with this process's own start-up and discovery."""
    from multiprocessing import forkserver

    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    _start_quiet_resource_tracker()
    forkserver.ensure_running()
    return ctx


def _start_quiet_resource_tracker() -> None:
    """The resource tracker, started with its leak warning off: after a `kill -9` of the
    run it frees the pool's semaphores and said so on the user's terminal ("There appear
    to be 6 leaked semaphore objects"), a traceback-like line about nothing they did."""
    from multiprocessing import resource_tracker

    before = os.environ.get("PYTHONWARNINGS")
    quiet = "ignore::UserWarning:multiprocessing.resource_tracker"
    os.environ["PYTHONWARNINGS"] = f"{before},{quiet}" if before else quiet
    try:
        resource_tracker.ensure_running()
    finally:
        if before is None:
            del os.environ["PYTHONWARNINGS"]
        else:
            os.environ["PYTHONWARNINGS"] = before


def make_pool(workers: int, scratch: str | None = None) -> ProcessPoolExecutor:
    """A pool of `workers` processes from a forkserver that has the stages imported."""
    return ProcessPoolExecutor(workers, mp_context=start_forkserver(), initializer=tasks.init_worker,
                               initargs=(scratch,))


def run_local(run: Run, todo: Iterable[str]) -> None:
    """Process `todo` (input paths) on a local pool, recording each outcome in `run`."""
    _sweep_scratch()
    scratch = tempfile.mkdtemp(prefix=SCRATCH)
    held = _hold(scratch)
    try:
        _Driver(run, todo, scratch).go()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        held.close()


SCRATCH = "vnplans-run-"


def _hold(scratch: str) -> IO[bytes]:
    """A lock on the scratch directory for as long as this run lives."""
    fh = open(os.path.join(scratch, ".lock"), "wb")  # noqa: SIM115 (held until the run ends)
    fcntl.flock(fh, fcntl.LOCK_EX)
    return fh


def _sweep_scratch() -> None:
    """Remove scratch directories of runs that were killed (no process holds their lock)."""
    for path in Path(tempfile.gettempdir()).glob(SCRATCH + "*"):
        try:
            with open(path / ".lock", "rb") as fh:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # held by a live run, or not ours
            continue
        shutil.rmtree(path, ignore_errors=True)


class _Driver:
    def __init__(self, run: Run, todo: Iterable[str], scratch: str | None = None) -> None:
        self.scratch = scratch
        self.run = run
        self.options = run.options.pipeline
        self.out = str(run.out_dir)
        self.workers = run.options.n_workers
        self.fresh = iter(todo)
        self.chunk = self._chunk(run.n_todo)
        self.queue: deque[list[str]] = deque()  # retries, and inputs set aside by _next
        self.jobs: dict[Future[Any], tuple[str, list[str]]] = {}
        self.docs: dict[str, _InFlight] = {}
        self.retried: set[str] = set()

    def _chunk(self, n: int) -> int:
        """Chunks big enough to amortise a round trip, small enough to keep all busy."""
        return max(1, min(TEXT_CHUNK, n // (self.workers * 4) or 1))

    def _next(self) -> list[str] | None:
        """The next task's inputs: a retry, one costly input, or a chunk of cheap ones."""
        if self.queue:
            return self.queue.popleft()
        batch: list[str] = []
        for path in self.fresh:
            if Path(path).suffix.lower() not in CHEAP:
                if not batch:
                    return [path]
                self.queue.append([path])
                continue
            batch.append(path)
            if len(batch) >= self.chunk:
                break
        return batch or None

    def go(self) -> None:
        self._pending = self._next()
        while self._pending or self.jobs:
            pool = make_pool(self.workers, self.scratch)
            try:
                self._loop(pool)
            except BrokenProcessPool:
                _stop(pool)
                self._recover()
                continue
            except BaseException:  # Ctrl-C, an output error: stop the workers now
                _stop(pool)
                raise
            pool.shutdown(wait=True)

    def _loop(self, pool: ProcessPoolExecutor) -> None:
        while self._pending or self.jobs:
            self._fill(pool)
            done, _ = wait(list(self.jobs), return_when=FIRST_COMPLETED)
            if any(isinstance(f.exception(), BrokenProcessPool) for f in done):
                raise BrokenProcessPool("a worker process died")
            for fut in done:
                kind, paths = self.jobs.pop(fut)
                self._handle(pool, kind, paths, fut)

    def _fill(self, pool: ProcessPoolExecutor) -> None:
        """Keep a few documents per worker in flight: enough to never idle, few enough
        that a crash costs little and memory stays flat."""
        loading = sum(kind == "load" for kind, _ in self.jobs.values())
        while self._pending and loading + len(self.docs) < self.workers * 2:
            paths = self._pending
            fut = pool.submit(tasks.load_or_run_many, paths, self.options, self.out)
            self.jobs[fut] = ("load", paths)
            self._pending = self._next()
            loading += 1

    def _handle(self, pool: ProcessPoolExecutor, kind: str, paths: list[str], fut: Future[Any]) -> None:
        exc = fut.exception()
        if kind == "load":
            results = [tasks.failed(p, exc) for p in paths] if exc else fut.result()
            for path, res in zip(paths, results, strict=True):
                self._loaded(pool, path, res)
        elif kind == "page":
            self._page_done(pool, paths[0], exc, None if exc else fut.result())
        elif paths[0] in self.docs:  # "finish"
            del self.docs[paths[0]]
            self._record(tasks.failed(paths[0], exc) if exc else fut.result(), count_pages=False)

    def _loaded(self, pool: ProcessPoolExecutor, path: str, res: Any) -> None:
        if not hasattr(res, "pages") or not hasattr(res, "kind"):  # an Entry
            self._record(res)
            return
        state = _InFlight(path, res)
        self.docs[path] = state
        for page in res.pages:
            if page.source == "image":
                fut = pool.submit(process_page, page, self.options)
                self.jobs[fut] = ("page", [path])
            else:
                state.pages[page.index] = process_page(page, self.options)

    def _record(self, entry: Entry, count_pages: bool = True) -> None:
        if entry.path in self.retried and entry.status == "ok":
            note = "; ".join(filter(None, ["retried after a worker process died", entry.note]))
            entry = replace(entry, note=note)
        self.run.record(entry, count_pages)

    def _page_done(self, pool: ProcessPoolExecutor, path: str, exc: BaseException | None,
                   page: OcrPage | None) -> None:
        state = self.docs.get(path)
        if state is None:  # the document already failed on another page
            return
        if exc is not None or page is None:
            del self.docs[path]
            self.run.record(tasks.failed(path, exc or RuntimeError("no page"), state.doc.doc_id))
            return
        state.pages[page.index] = page
        self.run.add_pages(1)
        if len(state.pages) == len(state.doc.pages):
            ordered = tuple(state.pages[i] for i in range(len(state.doc.pages)))
            clock = {"ocr": round(time.perf_counter() - state.ocr_started, 4)}
            fut = pool.submit(tasks.finish, path, state.doc, ordered, self.options, self.out,
                              clock, state.started)
            self.jobs[fut] = ("finish", [path])

    def _recover(self) -> None:
        """After a worker died: retry each document in flight once, alone; a document
        that was already retried is reported failed (never half-written: the dead task
        wrote nothing, or renamed a whole file)."""
        hit = list(dict.fromkeys([*(p for _, paths in self.jobs.values() for p in paths), *self.docs]))
        self.jobs.clear()
        self.docs.clear()
        for path in reversed(hit):
            if path in self.retried:
                self.run.record(tasks.failed(path, WorkerCrashedError(
                    "a worker process died twice on this input (killed, out of memory, "
                    "or a crash in a native library)", path=path)))
            else:
                self.retried.add(path)
                self.queue.appendleft([path])
        if self._pending:
            self.queue.append(self._pending)
        self._pending = self._next()


def _stop(pool: ProcessPoolExecutor) -> None:
    """Shut the pool down; on an interrupt or a crash, kill its workers at once."""
    procs = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in procs:
        if proc.is_alive():
            proc.kill()
    for proc in procs:
        proc.join(timeout=5)
