"""Issue 20: the batch under faults. Each test makes its own bad input or fault in a
temporary folder: the main process killed (no orphan workers), SIGTERM, stale and
duplicate documents, paths (absolute keys, OUT inside the inputs, links, hidden files).
Tables and `vnplans load`: test_tables_load.py; PDFs: test_pdf_faults.py."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from tests.test_batch import TEXT, _wait_for, manifest, scanned_pdf
from vnplans.exceptions import ExitCode


def _run_cmd(src: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "vnplans.cli", "run", str(src), "--out", str(out), "--quiet", *extra]


def _descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def _alive(procs: list[psutil.Process]) -> list[psutil.Process]:
    def up(p: psutil.Process) -> bool:
        try:
            return p.is_running() and p.status() != psutil.STATUS_ZOMBIE
        except psutil.Error:
            return False

    return [p for p in procs if up(p)]


def _cmd(p: psutil.Process) -> str:
    try:
        return " ".join(p.cmdline())
    except psutil.Error:
        return ""


@pytest.fixture
def busy_run(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A run of a 12-page scan on 2 workers, caught once both workers are busy."""
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    scanned_pdf(src / "long.pdf", 12)
    proc = subprocess.Popen(_run_cmd(src, out, "--workers", "2"), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    kids: list[psutil.Process] = []
    try:
        assert _wait_for(lambda: len(_descendants(proc.pid)) >= 4, 60), "the workers never started"
        kids = [k for k in _descendants(proc.pid) if "resource_tracker" not in _cmd(k)]
        yield proc, kids, out
    finally:
        if proc.poll() is None:
            proc.kill()
        for k in _alive(kids):
            k.kill()


def test_kill_9_of_the_run_leaves_no_orphan(busy_run: tuple) -> None:
    proc, kids, _ = busy_run
    proc.kill()
    proc.wait(10)
    assert _wait_for(lambda: not _alive(kids), 5), f"orphans 5 s after kill -9: {[(k.pid, _cmd(k)[:80]) for k in _alive(kids)]}"


def test_sigterm_stops_like_ctrl_c(busy_run: tuple) -> None:
    proc, kids, out = busy_run
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == ExitCode.TERMINATED == 143, err
    assert err.strip().splitlines() == [
        "vnplans: terminated (SIGTERM); the manifest is saved, a rerun resumes"]
    assert (out / "manifest.json").is_file()
    assert _wait_for(lambda: not _alive(kids), 5), f"orphans 5 s after SIGTERM: {_alive(kids)}"


# ---------------------------------------------------------------- stale and duplicate documents
def _run(src: Path | list[Path], out: Path, **kw: object) -> object:
    from vnplans.batch import BatchOptions, run_batch

    return run_batch(src if isinstance(src, list) else [src], BatchOptions(out, workers=1, quiet=True, **kw))


def _docs(out: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((out / "documents").glob("*.json"))]


def _table_paths(out: Path) -> list[str]:
    import pyarrow.parquet as pq

    return sorted(pq.read_table(out / "tables" / "documents.parquet").column("path").to_pylist())


@pytest.mark.parametrize("force", [False, True])
def test_a_replaced_input_leaves_no_stale_document(tmp_path: Path, force: bool) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "plan.txt").write_text(TEXT, encoding="utf-8")
    (src / "other.txt").write_text(TEXT.replace("12/KH", "34/KH"), encoding="utf-8")
    _run(src, out)
    old = {d["source"]["path"]: d["doc_id"] for d in _docs(out)}
    (src / "plan.txt").write_text(TEXT.replace("12/KH", "56/KH"), encoding="utf-8")  # replaced
    (src / "other.txt").unlink()  # and deleted
    _run(src, out, force=force)
    docs = _docs(out)
    assert [d["source"]["path"] for d in docs] == [str(src / "plan.txt")]
    assert "56/KH" in docs[0]["pages"][0]["text"]
    assert _table_paths(out) == [str(src / "plan.txt")]
    assert set(manifest(out)) == {"plan.txt"}
    body = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert set(body["removed_doc_ids"]) == set(old.values())
    assert sorted(p.stem for p in (out / "removed").glob("*.json")) == sorted(old.values())


def test_load_deletes_the_rows_of_a_replaced_input(tmp_path: Path) -> None:
    import sqlite3

    from vnplans.cli import main

    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "plan.txt").write_text(TEXT, encoding="utf-8")
    _run(src, out)
    assert main(["load", str(out)]) == 0
    (src / "plan.txt").write_text(TEXT.replace("12/KH", "56/KH"), encoding="utf-8")
    _run(src, out)
    assert main(["load", str(out)]) == 0
    with sqlite3.connect(out / "vnplans.sqlite") as db:
        assert db.execute("select count(*) from documents").fetchone() == (1,)
        assert db.execute("select count(*) from pages").fetchone() == (1,)
        assert "56/KH" in db.execute("select text from pages").fetchone()[0]


def test_copies_are_one_document_known_by_the_real_name(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    names = ["Copy of plan.txt", "plan (1).txt", "plan.txt", "plan.txt.bak", "plan.txt~"]
    for name in names:
        (src / name).write_text(TEXT, encoding="utf-8")
    for attempt in ("first", "rerun"):
        report = _run(src, out)
        entries = {Path(e.path).name: e for e in report.entries}  # type: ignore[attr-defined]
        real = entries.pop("plan.txt")
        assert real.status == ("ok" if attempt == "first" else "skipped"), attempt
        assert "same content" not in real.note and "as " not in real.note, real.note
        for e in entries.values():
            assert e.status == "skipped" and e.note == f"same content as {src / 'plan.txt'}", e
            assert e.output == real.output
        (doc,) = _docs(out)
        assert doc["source"]["path"] == str(src / "plan.txt")
        assert doc["source"]["paths"][0] == str(src / "plan.txt")
        assert sorted(doc["source"]["paths"]) == sorted(str(src / n) for n in names)


def test_a_folder_of_copies_gives_its_document(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    for name in ("a.txt.bak", "a.txt.old"):
        (src / name).write_text(TEXT, encoding="utf-8")
    (src / "b.txt").write_text(TEXT, encoding="utf-8")
    report = _run(src, out)
    assert [e.status for e in report.entries] == ["skipped", "skipped", "ok"]  # type: ignore[attr-defined]
    assert len(_docs(out)) == 1


# ---------------------------------------------------------------- paths
def test_manifest_is_keyed_by_absolute_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    for i in range(3):
        (src / f"d{i}.txt").write_text(TEXT + f"\n{i}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    _run(Path("in"), out)
    _run(src, out)
    _run(Path("in/../in"), out)
    body = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(e["path"] for e in body["documents"]) == [str(src / f"d{i}.txt") for i in range(3)]
    for e in body["documents"]:  # a manifest of an older vnplans: paths as typed
        e["path"] = os.path.relpath(e["path"])
    (out / "manifest.json").write_text(json.dumps(body), encoding="utf-8")
    _run(src, out)
    body = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(e["path"] for e in body["documents"]) == [str(src / f"d{i}.txt") for i in range(3)]
    assert len(_docs(out)) == 3


def test_out_inside_the_inputs_is_not_read(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "plan.txt").write_text(TEXT, encoding="utf-8")
    for _ in range(2):
        report = _run(src, src / "out")
        assert report.exit_code == ExitCode.OK and len(report.entries) == 1, report.entries  # type: ignore[attr-defined]


def test_paths_left_out_are_recorded_with_their_reason(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    (src / "sub").mkdir(parents=True)
    (src / "plan.txt").write_text(TEXT, encoding="utf-8")
    (src / ".hidden.txt").write_text(TEXT, encoding="utf-8")
    (src / ".git").mkdir()
    (src / "sub" / "loop").symlink_to(src)  # a link back up the tree
    (src / "self").symlink_to(src / "self")
    (src / "dangling.pdf").symlink_to(tmp_path / "nowhere.pdf")
    os.mkfifo(src / "pipe.txt")
    report = _run(src, out)
    assert report.exit_code == ExitCode.OK  # type: ignore[attr-defined]
    got = {Path(p).name: (e["status"], e["note"]) for p, e in
           ((e["path"], e) for e in json.loads((out / "manifest.json").read_text())["documents"])}
    assert got == {
        "plan.txt": ("ok", ""), ".hidden.txt": ("skipped", "hidden file"),
        ".git": ("skipped", "hidden directory"), "loop": ("skipped", "symbolic link loop"),
        "self": ("skipped", "symbolic link loop"), "dangling.pdf": ("skipped", "dangling symbolic link"),
        "pipe.txt": ("skipped", "not a regular file"),
    }


def test_a_newline_in_a_file_name_keeps_the_message_one_line(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "bad\nname.txt").write_bytes(b"")
    (src / "plan.txt").write_text(TEXT, encoding="utf-8")
    proc = subprocess.run(_run_cmd(src, tmp_path / "out"), capture_output=True, text=True, timeout=120)
    assert proc.returncode == ExitCode.SOME_INPUTS_FAILED
    (line,) = proc.stderr.strip().splitlines()
    assert "bad\\nname.txt: empty file" in line, line


def test_ocr_of_a_directory_says_it_is_one(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    from vnplans.cli import main

    assert main(["ocr", str(tmp_path)]) == ExitCode.BAD_INPUT
    err = capsys.readouterr().err
    assert "a directory, not a file" in err and "no such file" not in err


def test_outputs_follow_the_umask(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "plan.txt").write_text(TEXT, encoding="utf-8")
    old = os.umask(0o022)
    try:
        _run(src, out)
    finally:
        os.umask(old)
    modes = {str(p.relative_to(out)): p.stat().st_mode & 0o777 for p in out.rglob("*")
             if p.name != ".lock"}
    assert modes["tables"] == 0o755
    assert {m for n, m in modes.items() if n != "tables" and n != "documents"} == {0o644}, modes


def test_a_failure_that_is_not_the_inputs_keeps_its_document(tmp_path: Path) -> None:
    """Tesseract missing on a rerun (exit 5) must not move the scan's document aside (and
    `load` then delete it from the database): only the input's own failures do."""
    from tests.test_batch import render_page

    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    render_page(src / "scan.png")
    assert subprocess.run(_run_cmd(src, out), capture_output=True, timeout=120).returncode == 0
    (before,) = _docs(out)
    env = {**os.environ, "VNPLANS_TESSERACT": "cli", "PATH": str(tmp_path / "empty")}
    proc = subprocess.run(_run_cmd(src, out, "--force"), capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == ExitCode.MISSING_DEPENDENCY, proc.stderr
    assert [d["doc_id"] for d in _docs(out)] == [before["doc_id"]]
    assert _table_paths(out) == [str(src / "scan.png")]
    assert not (out / "removed").exists()
