"""Old word-processor files through LibreOffice (ingest/convert.py): a .doc and an .odt
made here by LibreOffice from the python-docx plan give the record the .docx gives; a
missing LibreOffice is exit 5 naming the package; a conversion that hangs is stopped at
its timeout with nothing left running. Real soffice where it is installed; a stand-in
script (a real process tree, not a mock) for the hang and for a missing install.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import ingest
from ingest.convert import PACKAGE, converted
from tests.docx_make import make_plan
from tests.test_word import GOLDEN, record, summary
from vnplans.exceptions import BadInputError, ExitCode, MissingDependencyError

SOFFICE = shutil.which("soffice")
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason=f"LibreOffice absent ({PACKAGE})")


def _lo_processes(tag: str) -> list[int]:
    """Live processes whose command line holds `tag`."""
    out = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmd = (proc / "cmdline").read_bytes()
            except OSError:
                continue
            if tag.encode() in cmd:
                out.append(int(proc.name))
    return out


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The plan as .docx, and as .doc and .odt saved from it by LibreOffice."""
    if SOFFICE is None:
        pytest.skip(f"LibreOffice absent ({PACKAGE})")
    tmp = tmp_path_factory.mktemp("lo")
    docx_path = make_plan(tmp / "plan.docx")
    out = {"docx": docx_path}
    for ext, flt in (("doc", "doc:MS Word 97"), ("odt", "odt"), ("rtf", "rtf")):
        subprocess.run([SOFFICE, f"-env:UserInstallation={(tmp / 'profile').as_uri()}", "--headless",
                        "--convert-to", flt, "--outdir", str(tmp / ext), str(docx_path)],
                       check=True, capture_output=True, timeout=180)
        out[ext] = tmp / ext / f"plan.{ext}"
    return out


@needs_soffice
@pytest.mark.parametrize("ext", ["doc", "odt", "rtf"])
def test_old_format_gives_the_docx_record(plans: dict[str, Path], ext: str) -> None:
    got, want = record(plans[ext]).header, record(plans["docx"]).header
    for f in ("doc_type", "number", "symbol", "agency", "place", "date", "title", "signer_name"):
        assert getattr(got, f).value == getattr(want, f).value, f
    doc = ingest.load(plans[ext])
    assert doc.encoding == f"{ext} via LibreOffice" and doc.kind == "docx"
    units = {(r.unit, r.role) for r in record(plans[ext]).responsibilities}
    assert ("Công an xã", "lead") in units
    golden = GOLDEN / f"plan_{ext}.json"
    now = summary(plans[ext])
    if os.environ.get("VNPLANS_REGEN_GOLDEN") or not golden.exists():
        golden.write_text(json.dumps(now, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert now == json.loads(golden.read_text(encoding="utf-8")), f"{golden} differs"


@needs_soffice
def test_no_soffice_left_behind(plans: dict[str, Path]) -> None:
    ingest.load(plans["doc"])
    assert _lo_processes("vnplans-lo-") == []


def _fake_soffice(bin_dir: Path, body: str) -> None:
    bin_dir.mkdir(exist_ok=True)
    exe = bin_dir / "soffice"
    exe.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    exe.chmod(0o755)


def _doc(tmp_path: Path) -> Path:
    """A file with a Word 97-2003 header: it passes the kind check and reaches soffice."""
    path = tmp_path / "old.doc"
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 20 + b"\xfe\xff\x09\x00"
    path.write_bytes(header.ljust(512, b"\0") + "WordDocument".encode("utf-16-le") + b"\0" * 2000)
    return path


def test_hanging_conversion_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """soffice and a child it started both hang: both are killed at the timeout."""
    marker = tmp_path / "child.pid"
    sleep = shutil.which("sleep")
    _fake_soffice(tmp_path / "bin", f"{sleep} 300 &\necho $! > {marker}\n{sleep} 300\n")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    t0 = time.monotonic()
    with pytest.raises(BadInputError) as info, converted(_doc(tmp_path), timeout=1.0):
        pass
    assert time.monotonic() - t0 < 20
    assert "within 1 s" in info.value.one_line()
    child = int(marker.read_text())
    time.sleep(0.2)
    assert not Path(f"/proc/{child}").exists() or "Z" in Path(f"/proc/{child}/stat").read_text().split()[2]


def test_failed_conversion_is_a_bad_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_soffice(tmp_path / "bin", "echo 'Error: source file could not be loaded' >&2\nexit 1\n")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    with pytest.raises(BadInputError) as info:
        ingest.load(_doc(tmp_path))
    assert "could not be loaded" in info.value.one_line()


def test_missing_libreoffice_exits_5(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In a fresh process (a worker pool started earlier keeps the PATH it was started with)."""
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(MissingDependencyError) as info:
        ingest.load(_doc(tmp_path))
    assert PACKAGE in info.value.one_line()
    proc = subprocess.run([sys.executable, "-m", "vnplans.cli", "run", str(_doc(tmp_path)), "--out",
                           str(tmp_path / "out"), "--quiet", "--workers", "1"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == ExitCode.MISSING_DEPENDENCY, proc.stderr
    assert proc.stderr.count("\n") == 1 and PACKAGE in proc.stderr
