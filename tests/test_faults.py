"""Issue 20: the batch under faults. Each test makes its own bad input or fault in a
temporary folder: the main process killed (no orphan workers), SIGTERM, stale and
duplicate documents, tables written as a set, `vnplans load`'s guards."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from tests.test_batch import _wait_for, scanned_pdf
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
