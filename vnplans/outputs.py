"""What OUT holds after a run: each document JSON owned by the input paths that point to
it in the manifest, and nothing else.

Why: an input replaced at the same path, or deleted from the archive, left its old
document in OUT/documents, so the tables and the database held both versions (issue
20). And of byte-identical copies the first found was done and the real file called a
copy of its backup. Here, at the end of every run (under the lock): entries of files gone
from this run's inputs are dropped; the copies of one content are grouped on its
document (`source.paths`, the primary the name that is not a backup); a document no
path points to is moved to OUT/removed/ and its doc_id kept in the manifest, so `vnplans
load` deletes its rows.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from dataclasses import replace
from pathlib import Path

from vnplans.exceptions import ExitCode
from vnplans.manifest import Entry, Manifest

REMOVED_DIR = "removed"
DOCS_DIR = "documents"
BACKUP_SUFFIXES = {".bak", ".old", ".orig", ".backup", ".tmp", ".swp", ".save", ".sav", ".prev"}
_COPY_NAME = re.compile(r"(^copy of |[ _-]copy\b|[ _-]bản sao\b| \(\d+\)(\.[^.]+)?$)")


def backup_rank(path: str) -> int:
    """0 for a file under its own name, 1 for one that looks like a backup or a copy
    (`plan.pdf.bak`, `plan.pdf~`, `Copy of plan.pdf`, `plan (1).pdf`, an extension ingest
    does not read). The copy of a content that is done is the one with rank 0."""
    from ingest.loader import SUPPORTED

    name = Path(path).name.lower()
    suffix = Path(name).suffix
    if name.endswith("~") or suffix in BACKUP_SUFFIXES or suffix not in SUPPORTED:
        return 1
    return 1 if _COPY_NAME.search(name) else 0


def primary(paths: list[str]) -> str:
    """The path a document is known by: not a backup, then the first in order."""
    return min(paths, key=lambda p: (backup_rank(p), p))


NOT_THE_INPUT = {int(ExitCode.MISSING_DEPENDENCY), int(ExitCode.INTERNAL_ERROR)}


def keep_last_good(entry: Entry, prior: Entry | None) -> Entry:
    """A failure that is not the input's (a missing dependency, a bug) keeps the path's
    last good document in OUT: else a run with Tesseract missing, say, would move every
    document aside and `load` would delete them from the database."""
    if entry.status != "failed" or entry.exit_code not in NOT_THE_INPUT or prior is None:
        return entry
    if prior.output:  # its last good document (or one a failure before kept)
        return replace(entry, output=prior.output)
    return entry


def groups(manifest: Manifest) -> dict[str, list[Entry]]:
    """The entries of each content that is done (ok or skipped), by doc_id."""
    out: dict[str, list[Entry]] = {}
    for entry in manifest.entries.values():
        if entry.doc_id and entry.status in ("ok", "skipped"):
            out.setdefault(entry.doc_id, []).append(entry)
    return out


def path_sets(manifest: Manifest) -> dict[str, tuple[str, ...]]:
    return {doc_id: tuple(sorted(e.path for e in es)) for doc_id, es in groups(manifest).items()}


def forget_missing(manifest: Manifest, roots: list[str], seen: set[str]) -> None:
    """Drop the entries of files that lay under this run's inputs and were not found."""
    prefixes = tuple(r.rstrip("/") + "/" for r in roots)
    for path in list(manifest.entries):
        if path not in seen and (path in roots or path.startswith(prefixes)):
            manifest.forget(path)


def settle(out_dir: Path, manifest: Manifest, before: dict[str, tuple[str, ...]],
           written: set[str]) -> None:
    """Group copies on their document and move aside every document no path owns.
    `before`: each doc_id's paths when the run started; `written`: doc_ids this run
    wrote (their JSON knows only the path that was read)."""
    owned: set[str] = set()
    for doc_id, entries in groups(manifest).items():
        output = next((e.output for e in entries if e.output and (out_dir / e.output).is_file()), "")
        if not output:
            continue
        owned.add(output)
        paths = sorted(e.path for e in entries)
        main = primary(paths)
        _relabel(manifest, entries, main, output)
        if tuple(paths) != before.get(doc_id) or doc_id in written:
            _set_paths(out_dir / output, main, paths)
    owned |= {e.output for e in manifest.entries.values()  # kept by keep_last_good
              if e.status == "failed" and e.output and (out_dir / e.output).is_file()}
    _move_unowned(out_dir, manifest, owned)
    manifest.reindex()


def _relabel(manifest: Manifest, entries: list[Entry], main: str, output: str) -> None:
    """The primary path carries the outcome (ok when its content was done in this run, by
    whichever copy); every other path is a skipped copy pointing to the same output."""
    done = next((e for e in entries if e.status == "ok"), None)
    for e in entries:
        if e.path == main:
            if done is not None and e is not done:
                new = replace(done, path=main)
            elif e.status == "skipped" and e.note.startswith(("same content as", "already done as")):
                new = replace(e, note="already done")
            else:
                new = e
        else:
            new = replace(e, status="skipped", note=f"same content as {main}", error="",
                          error_kind="", exit_code=0)
        manifest.record(replace(new, output=output))


def _set_paths(doc_file: Path, main: str, paths: list[str]) -> None:
    """Write the paths into the document's `source` (only when they changed)."""
    from export.jsondoc import atomic_write

    want = [main, *(p for p in paths if p != main)]
    doc = json.loads(doc_file.read_text(encoding="utf-8"))
    source = doc.get("source", {})
    if source.get("path") == main and source.get("paths", [source.get("path")]) == want:
        return
    source["path"], source["paths"] = main, want
    atomic_write(doc_file, json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def _move_unowned(out_dir: Path, manifest: Manifest, owned: set[str]) -> None:
    """Move documents no path points to into OUT/removed/ (kept for a person to look at,
    out of the tables), and remember their doc_ids for `vnplans load`."""
    folder = out_dir / DOCS_DIR
    for doc_file in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        if f"{DOCS_DIR}/{doc_file.name}" in owned:
            continue
        aside = out_dir / REMOVED_DIR
        aside.mkdir(exist_ok=True)
        os.replace(doc_file, aside / doc_file.name)
        manifest.removed.add(doc_file.stem)
    back = manifest.removed & {Path(o).stem for o in owned}  # content that came back
    for doc_id in back:
        manifest.removed.discard(doc_id)
        with contextlib.suppress(OSError):
            (out_dir / REMOVED_DIR / f"{doc_id}.json").unlink()
