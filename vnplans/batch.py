"""The batch driver behind `vnplans run`: inputs in, one JSON per document out, resumable.

Why apart from the stage logic (pipeline.py): this is all I/O policy. It discovers inputs,
skips documents already complete in OUT (same sha256, same PIPELINE_VERSION), holds the
lock on OUT, fans work out to a process pool (pages of scans, chunks of cheap text files)
or to a Dask cluster, keeps the manifest, and reports each bad input on one line.
A document is written whole or not at all (export renames a temp file); the manifest is
rewritten atomically, so after a `kill -9` a rerun completes the batch with no duplicates.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import os
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vnplans.exceptions import ExitCode, OutputError, VnplansError, printable
from vnplans.manifest import Entry, Manifest, OutputLock, check_writable
from vnplans.outputs import backup_rank, forget_missing, keep_last_good, path_sets, settle
from vnplans.pipeline import PipelineOptions

CHEAP = {".txt", ".text", ".md", ".docx"}  # no OCR expected: batched several per task
TEXT_CHUNK = 16


@dataclass(frozen=True, slots=True)
class BatchOptions:
    """How to run a batch (what each document goes through is `pipeline`)."""

    out_dir: Path
    pipeline: PipelineOptions = field(default_factory=PipelineOptions)
    workers: int = 0  # 0: all cores
    force: bool = False
    quiet: bool = False
    scheduler: str | None = None  # tcp://HOST:PORT of a Dask scheduler

    def __post_init__(self) -> None:
        if self.workers < 0:
            raise ValueError("workers must be >= 0")

    @property
    def n_workers(self) -> int:
        return self.workers or os.cpu_count() or 1


@dataclass(frozen=True, slots=True)
class BatchReport:
    """What a run did to each input of this run (manifest entries, in input order)."""

    entries: tuple[Entry, ...]
    out_dir: Path
    tables: tuple[Path, ...] = ()

    @property
    def failed(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.status == "failed")

    def count(self, status: str) -> int:
        return sum(e.status == status for e in self.entries)

    @property
    def exit_code(self) -> ExitCode:
        """OK when nothing failed. When the run had one input and it failed, that error's
        own code (3 not found, 4 bad input, 5 missing dependency, ...); otherwise
        SOME_INPUTS_FAILED."""
        if not self.failed:
            return ExitCode.OK
        if len(self.entries) == 1:
            return ExitCode(self.failed[0].exit_code or ExitCode.SOME_INPUTS_FAILED)
        return ExitCode.SOME_INPUTS_FAILED


class Run:
    """One batch in progress: the manifest, the progress bar, the one-line error reports."""

    def __init__(self, options: BatchOptions, n_inputs: int) -> None:
        self.options = options
        self.out_dir = options.out_dir
        self.manifest = Manifest.load(options.out_dir)
        self.manifest.absolute_keys()
        self.entries: dict[str, Entry] = {}
        self.pages_done = 0
        self.n_todo = n_inputs  # inputs left after discovery (for sizing text chunks)
        self.started = time.monotonic()
        self.bar = _progress(n_inputs, options.quiet)

    def record(self, entry: Entry, count_pages: bool = True) -> None:
        """Keep an input's outcome: manifest (saved atomically, throttled), report, bar.
        `count_pages` is False when the pages were counted as they came back."""
        if entry.exit_code == ExitCode.OUTPUT_ERROR:  # fatal for the batch, not the input
            raise OutputError(entry.error, path=self.out_dir)
        if entry.status == "failed":
            self.say(f"{printable(entry.path)}: {entry.error}")
            entry = keep_last_good(entry, self.manifest.entries.get(entry.path))
        self.entries[entry.path] = entry
        self.manifest.record(entry)
        self.manifest.save(every=0.5)
        if entry.status == "ok" and count_pages:
            self.add_pages(entry.pages)
        if self.bar is not None:
            self.bar.update(1)

    def add_pages(self, n: int) -> None:
        self.pages_done += n
        if self.bar is not None and n:
            rate = self.pages_done / max(1e-6, time.monotonic() - self.started)
            self.bar.set_postfix_str(f"{rate:.1f} pages/s", refresh=False)

    def say(self, line: str) -> None:
        """One line on stderr, above the progress bar."""
        text = f"vnplans: {line}"
        if self.bar is not None:
            self.bar.write(text, file=sys.stderr)
        else:
            print(text, file=sys.stderr, flush=True)

    def skip_done(self, path: str, doc_id: str) -> bool:
        """Record a skip when this content is already complete in OUT (unless --force)."""
        if self.options.force:
            return False
        prior = self.manifest.done(doc_id)
        if prior is None:
            return False
        note = "already done" if prior.path == path else f"already done as {prior.path}"
        self.record(Entry(path, "skipped", doc_id=doc_id, pages=prior.pages, output=prior.output,
                          timings=prior.timings, note=note))
        return True

    def close(self) -> None:
        self.manifest.save()
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def _progress(total: int, quiet: bool) -> Any:
    """A tqdm bar on stderr, only for a person watching a terminal."""
    if quiet or not sys.stderr.isatty():
        return None
    import shutil

    from tqdm import tqdm

    width = shutil.get_terminal_size((100, 20)).columns  # 0 on a pty nobody sized
    return tqdm(total=total, unit="file", file=sys.stderr, ncols=width or 100,
                dynamic_ncols=bool(width), mininterval=0.2)


def sha256_file(path: str | Path) -> str:
    """The doc_id of a file: the sha256 of its bytes ("" if unreadable: the worker's
    load then reports why, in the input's own words)."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return ""
    return digest.hexdigest()


def discover(paths: Iterable[str | Path], exclude: tuple[Path, ...] = ()
             ) -> tuple[list[Path], list[VnplansError], list[tuple[Path, str]]]:
    """Input files under `paths` (absolute: the manifest's keys), one error per path that
    gives none, and each path left out with its reason; directories in `exclude` (OUT)
    are not entered."""
    from ingest import walk

    files, errors, skipped = walk([str(p) for p in paths], exclude=exclude)
    return [Path(f) for f in files], list(errors), list(skipped)


def run_batch(paths: Iterable[str | Path], options: BatchOptions) -> BatchReport:
    """Process every input under `paths` into `options.out_dir`. Raises OutputError
    (OutputLockedError) when OUT cannot be written or is in use; a bad input never
    raises, it is reported and recorded as failed."""
    _warm_up(options)
    roots = [os.path.abspath(p) for p in paths]
    files, errors, left_out = discover(roots, exclude=(options.out_dir,))
    with OutputLock(options.out_dir):
        check_writable(options.out_dir)
        _sweep_temp_files(options.out_dir)
        run = Run(options, len(files) + len(errors))
        before = path_sets(run.manifest)
        try:
            for err in errors:
                run.record(_discovery_failure(err))
            for path, reason in left_out:
                run.record(Entry(str(path), "skipped", note=reason))
            todo = _todo(run, largest_first(files))
            run.n_todo = len(files)
            if options.scheduler:
                from vnplans.cluster import run_on_cluster

                run_on_cluster(run, todo, options.scheduler)
            else:
                from vnplans.local import run_local

                run_local(run, todo)
        except BaseException:  # keep the first error; the manifest keeps its last good state
            with contextlib.suppress(VnplansError):
                run.close()
            _sweep_temp_files(options.out_dir)
            raise
        _settle(run, roots, before)
        run.close()
        tables = _write_tables(options.out_dir, run)
    order = [_discovery_failure(e).path for e in errors] + [str(p) for p, _ in left_out]
    order += [str(f) for f in files]
    entries = tuple(run.entries[p] for p in dict.fromkeys(order) if p in run.entries)
    return BatchReport(entries, options.out_dir, tables)


def _settle(run: Run, roots: list[str], before: dict[str, tuple[str, ...]]) -> None:
    """Make OUT hold what the manifest says and nothing else (vnplans.outputs)."""
    forget_missing(run.manifest, roots, set(run.entries))
    written = {e.doc_id for e in run.entries.values() if e.status == "ok"}
    try:
        settle(run.out_dir, run.manifest, before, written)
    except OSError as exc:
        from vnplans.manifest import output_error

        raise output_error(exc, run.out_dir) from exc
    for path in run.entries:
        run.entries[path] = run.manifest.entries.get(path, run.entries[path])


def _warm_up(options: BatchOptions) -> None:
    """Start the slow imports early and side by side: the workers' forkserver, and in a
    background thread the Parquet writer this process needs at the end (pyarrow, ~0.5 s,
    imported while the forkserver preloads and a core is idle)."""
    threading.Thread(target=importlib.import_module, args=("export.tables",), daemon=True).start()
    if not options.scheduler:
        from vnplans.local import start_forkserver

        start_forkserver()


def _sweep_temp_files(out_dir: Path) -> None:
    """Remove temp files and table folders a killed run left behind (we hold the lock:
    nobody else writes)."""
    from export.tables import sweep_temp_tables

    sweep_temp_tables(out_dir)
    for pattern in ("*.tmp", "*/*.tmp"):
        for tmp in out_dir.glob(pattern):
            with contextlib.suppress(OSError):
                tmp.unlink()


def _discovery_failure(err: BaseException) -> Entry:
    """The Entry of a path that gave no input (missing, unreadable directory, ...)."""
    if not isinstance(err, VnplansError):
        err = VnplansError(str(err), path=getattr(err, "filename", None))
    return Entry(err.path or "?", "failed", error_kind=err.kind,
                 error=" ".join(err.message.split()) or err.kind, exit_code=int(err.exit_code))


def largest_first(files: list[Path]) -> list[Path]:
    """Files in the order they are handed to workers: largest first, so the batch does not
    end with one core idle while the other reads a long document found last (longest
    processing time first). Of same-size files, a backup or copy (`plan.pdf.bak`,
    `Copy of plan.pdf`) comes after the others, so of byte-identical copies the real file
    is the one done. The report keeps the order files were found in."""
    def key(f: Path) -> tuple[int, int]:
        try:
            size = f.stat().st_size
        except OSError:  # reported when it is read
            size = 0
        return -size, backup_rank(str(f))

    return sorted(files, key=key)


def _todo(run: Run, files: list[Path]) -> Iterator[str]:
    """Inputs still to do, lazily (hashing an archive up front would delay the first
    page by minutes). A content seen twice (same sha256) is done once: the later copies
    are recorded as skipped."""
    first: dict[str, str] = {}
    for f in files:
        path = str(f)
        doc_id = sha256_file(f)
        if doc_id and run.skip_done(path, doc_id):
            continue
        if doc_id and doc_id in first:
            run.record(Entry(path, "skipped", doc_id=doc_id, note=f"same content as {first[doc_id]}"))
            continue
        if doc_id:
            first[doc_id] = path
        yield path


def _write_tables(out_dir: Path, run: Run) -> tuple[Path, ...]:
    """Rebuild the Parquet tables from every document JSON in OUT (when export has them)."""
    from export import write_tables

    try:
        return tuple(Path(p) for p in write_tables(out_dir, run.manifest.removed))
    except OSError as exc:
        from vnplans.manifest import output_error

        raise output_error(exc, out_dir) from exc


__all__ = ["BatchOptions", "BatchReport", "discover", "run_batch", "sha256_file"]
