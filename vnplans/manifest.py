"""OUT/manifest.json and OUT/.lock: what a batch did to each input, and who owns OUT.

Why here and not in export: the manifest is batch bookkeeping (status, errors, timings,
resumption), not document data. It is rewritten whole and atomically (temp file, fsync,
rename), so a `kill -9` leaves either the previous or the next version, never a torn one.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import tempfile
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import IO, Literal

from vnplans import PIPELINE_VERSION
from vnplans.exceptions import OutputError, OutputLockedError

Status = Literal["ok", "failed", "skipped"]
MANIFEST = "manifest.json"
LOCK = ".lock"


@dataclass(frozen=True, slots=True)
class Entry:
    """One input of a batch. `output` is the document JSON relative to OUT ("" if none);
    `error_kind` is the exception class name, `error` its one-line message."""

    path: str
    status: Status
    doc_id: str = ""
    pages: int = 0
    error_kind: str = ""
    error: str = ""
    output: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    pipeline_version: str = PIPELINE_VERSION
    note: str = ""
    exit_code: int = 0  # for a failed entry: the ExitCode its error maps to

    def __post_init__(self) -> None:
        if self.status not in ("ok", "failed", "skipped"):
            raise ValueError(f"unknown status {self.status!r}")
        if self.status == "failed" and not self.error:
            raise ValueError("a failed entry says why")

    @property
    def complete(self) -> bool:
        """Done by this pipeline version (ok now, or skipped because done earlier)."""
        return (self.status in ("ok", "skipped") and bool(self.doc_id)
                and self.pipeline_version == PIPELINE_VERSION)


class Manifest:
    """The entries of OUT/manifest.json keyed by input path, saved atomically."""

    def __init__(self, out_dir: Path, entries: dict[str, Entry] | None = None) -> None:
        self.out_dir = out_dir
        self.entries: dict[str, Entry] = dict(entries or {})
        self.removed: set[str] = set()  # doc_ids moved out of documents/ (for `load`)
        self._by_doc: dict[str, Entry] = {}
        self.reindex()
        self._saved_at = 0.0
        self._cost = 0.0  # seconds the last save took

    def reindex(self) -> None:
        self._by_doc = {}
        for entry in self.entries.values():
            self._index(entry)

    def absolute_keys(self) -> None:
        """Key every entry by its absolute path: older runs kept paths as typed, so a
        rerun by another spelling of the same files doubled the entries."""
        if all(os.path.isabs(p) for p in self.entries):
            return
        entries = list(self.entries.values())
        self.entries = {}
        for entry in entries:
            self.entries[os.path.abspath(entry.path)] = replace(entry, path=os.path.abspath(entry.path))
        self.reindex()

    def forget(self, path: str) -> None:
        """Drop the entry of a file that is gone (call `reindex` after)."""
        self.entries.pop(path, None)

    def _index(self, entry: Entry) -> None:
        if entry.complete and entry.output:
            self._by_doc[entry.doc_id] = entry
        elif entry.status == "failed" and entry.doc_id:
            self._by_doc.pop(entry.doc_id, None)

    @classmethod
    def load(cls, out_dir: Path) -> Manifest:
        """The manifest in OUT, or an empty one (a damaged file is started afresh: every
        document JSON is still there and simply gets redone)."""
        try:
            raw = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
            known = set(Entry.__dataclass_fields__)
            entries = {e["path"]: Entry(**{k: v for k, v in e.items() if k in known})
                       for e in raw.get("documents", [])}
            removed = {str(d) for d in raw.get("removed_doc_ids", [])}
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            entries, removed = {}, set()
        manifest = cls(out_dir, entries)
        manifest.removed = removed
        return manifest

    def done(self, doc_id: str) -> Entry | None:
        """A complete entry for this content whose output file still exists."""
        entry = self._by_doc.get(doc_id)
        if entry is None or not (self.out_dir / entry.output).is_file():
            return None
        return entry

    def record(self, entry: Entry) -> None:
        self.entries[entry.path] = entry
        self._index(entry)

    def counts(self) -> dict[str, int]:
        out = {"ok": 0, "failed": 0, "skipped": 0}
        for e in self.entries.values():
            out[e.status] += 1
        return out

    def save(self, *, every: float = 0.0) -> None:
        """Rewrite the manifest atomically; with `every` > 0, at most that often (seconds),
        so thousands of documents do not cost thousands of full rewrites."""
        now = time.monotonic()
        if every and now - self._saved_at < max(every, 20 * self._cost):
            return  # and never spend more than ~5% of the run rewriting a big manifest
        body = {
            "pipeline_version": PIPELINE_VERSION,
            "counts": self.counts(),
            "documents": [asdict(e) for e in sorted(self.entries.values(), key=lambda e: e.path)],
            "removed_doc_ids": sorted(self.removed),
        }
        write_atomic(self.out_dir / MANIFEST, json.dumps(body, ensure_ascii=False, indent=1))
        self._saved_at = time.monotonic()
        self._cost = self._saved_at - now


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to a temp file beside `path`, fsync, rename over it: readers and a
    crash see the old file or the new one. OSError becomes OutputError."""
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        from export.jsondoc import file_mode

        os.fchmod(fd, file_mode())  # mkstemp makes 0600: readers of OUT get the umask's
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        if tmp:
            Path(tmp).unlink(missing_ok=True)
        raise output_error(exc, path) from exc


def output_error(exc: OSError, path: Path | str) -> OutputError:
    """A one-line OutputError for an OSError on OUT (full disk, permissions, ...)."""
    reason = {errno.ENOSPC: "no space left on device", errno.EDQUOT: "disk quota exceeded",
              errno.EACCES: "permission denied", errno.EROFS: "read-only file system",
              errno.EPERM: "permission denied"}.get(exc.errno or 0, exc.strerror or str(exc))
    return OutputError(f"cannot write output: {reason}", path=path)


class OutputLock:
    """An exclusive flock on OUT/.lock for the life of a run. The lock dies with the
    process (even on kill -9), so a stale lock file never blocks a rerun."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self._fh: IO[str] | None = None

    def __enter__(self) -> OutputLock:
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            fh = open(self.out_dir / LOCK, "a+", encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise output_error(exc, self.out_dir) from exc
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.close()
            raise OutputLockedError(
                "another vnplans run is writing to this directory (lock held on .lock); "
                "wait for it to finish or choose another --out", path=self.out_dir) from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()}\n")
        fh.flush()
        self._fh = fh
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fh is not None:
            fcntl.flock(self._fh.fileno(), fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None


def check_writable(out_dir: Path) -> None:
    """Fail early, with one line, when OUT cannot take files."""
    probe = out_dir / f".probe-{os.getpid()}"
    try:
        probe.write_bytes(b"x")
        probe.unlink()
    except OSError as exc:
        raise output_error(exc, out_dir) from exc
