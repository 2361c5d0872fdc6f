"""`vnplans run` end to end on real files: text, a rendered scan, bad inputs; resumption,
the lock, an unwritable OUT, kill -9 of the run, a worker killed mid-run, a Dask cluster."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from vnplans.batch import BatchOptions, run_batch
from vnplans.cli import main
from vnplans.exceptions import ExitCode, OutputError, OutputLockedError
from vnplans.manifest import OutputLock

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
ROOT = Path(__file__).resolve().parents[1]
PAGE_LINES = (
    "ỦY BAN NHÂN DÂN TỈNH LÀO CAI",
    "KẾ HOẠCH",
    "Triển khai thực hiện công tác phổ biến",
    "giáo dục pháp luật năm 2025",
)
TEXT = ("ỦY BAN NHÂN DÂN\nSố: 12/KH-UBND\nKẾ HOẠCH\nTuyên truyền, phổ biến pháp luật\n"
        "Căn cứ Luật Phổ biến, giáo dục pháp luật năm 2012;\n")


def render_page(path: Path, lines: tuple[str, ...] = PAGE_LINES, tag: str = "") -> Path:
    """A clean 200 dpi page image of Vietnamese text (PIL, a real font)."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(FONT, 34)
    image = Image.new("L", (1400, 120 + 70 * (len(lines) + 1)), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate((*lines, tag) if tag else lines):
        draw.text((80, 60 + 70 * i), line, font=font, fill=0)
    image.save(path, dpi=(200, 200))
    return path


def make_inputs(root: Path) -> Path:
    """A small archive: two text files, one scan page, and three bad files."""
    src = root / "in"
    (src / "sub").mkdir(parents=True)
    (src / "plan.txt").write_text(TEXT, encoding="utf-8")
    (src / "sub" / "other.txt").write_text(TEXT.replace("12/KH", "34/KH"), encoding="utf-8")
    render_page(src / "scan.png")
    (src / "empty.txt").write_bytes(b"")
    (src / "notes.xyz").write_text("hello", encoding="utf-8")
    (src / "fake.png").write_bytes(b"this is not an image at all")
    return src


def manifest(out: Path) -> dict[str, dict]:
    body = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {Path(e["path"]).name: e for e in body["documents"]}


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, int, str]:
    root = tmp_path_factory.mktemp("batch")
    src, out = make_inputs(root), root / "out"
    err_file = root / "stderr.txt"
    proc = subprocess.run([sys.executable, "-m", "vnplans.cli", "run", str(src), "--out", str(out),
                           "--workers", "2"], capture_output=True, text=True, timeout=120)
    err_file.write_text(proc.stderr)
    return src, out, proc.returncode, proc.stderr


def test_bad_inputs_get_one_line_each_and_the_batch_goes_on(first_run: tuple) -> None:
    src, out, code, stderr = first_run
    assert code == ExitCode.SOME_INPUTS_FAILED
    lines = [ln for ln in stderr.splitlines() if ln.startswith("vnplans: ")]
    for bad in ("empty.txt", "notes.xyz", "fake.png"):
        assert sum(bad in ln for ln in lines) == 1, stderr
    assert len(lines) == 3, stderr
    assert "Traceback" not in stderr


@pytest.mark.parametrize("name,status", [
    ("plan.txt", "ok"), ("other.txt", "ok"), ("scan.png", "ok"),
    ("empty.txt", "failed"), ("notes.xyz", "failed"), ("fake.png", "failed"),
])
def test_manifest_statuses(first_run: tuple, name: str, status: str) -> None:
    _, out, _, _ = first_run
    entry = manifest(out)[name]
    assert entry["status"] == status
    if status == "ok":
        assert (out / entry["output"]).is_file()
        assert entry["pages"] == 1 and entry["timings"]["total"] > 0
        assert len(entry["doc_id"]) == 64
    else:
        assert entry["error_kind"] and entry["error"] and "\n" not in entry["error"]


def test_scan_output_holds_the_ocr_text(first_run: tuple) -> None:
    _, out, _, _ = first_run
    body = (out / manifest(out)["scan.png"]["output"]).read_text(encoding="utf-8")
    assert "KẾ HOẠCH" in body or "KE HOACH" in body.upper()


def test_rerun_skips_and_force_redoes(first_run: tuple, tmp_path: Path) -> None:
    src, out0, _, _ = first_run
    out = tmp_path / "out"
    txt = tmp_path / "in"
    txt.mkdir()
    for name in ("plan.txt", "other.txt"):
        (txt / name).write_bytes((src / name).read_bytes() if name == "plan.txt"
                                 else (src / "sub" / name).read_bytes())
    assert main(["run", str(txt), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    docs = sorted(p.name for p in (out / "documents").iterdir()) if (out / "documents").is_dir() else None
    assert main(["run", str(txt), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    assert {e["status"] for e in manifest(out).values()} == {"skipped"}
    assert main(["run", str(txt), "--out", str(out), "--workers", "1", "--quiet", "--force"]) == 0
    entries = manifest(out)
    assert {e["status"] for e in entries.values()} == {"ok"} and len(entries) == 2
    if docs is not None:
        assert sorted(p.name for p in (out / "documents").iterdir()) == docs


def scanned_pdf(path: Path, n: int) -> Path:
    """An image-only PDF of `n` rendered pages (no text layer: every page needs OCR)."""
    from PIL import Image

    pngs = [render_page(path.with_suffix(f".{i}.png"), tag=f"Trang số {i + 1}") for i in range(n)]
    images = [Image.open(p) for p in pngs]
    images[0].save(path, save_all=True, append_images=images[1:], resolution=200.0)
    for p in pngs:
        p.unlink()
    return path


def test_pages_of_a_scanned_pdf_fan_out_and_come_back_in_order(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    scanned_pdf(src / "scan.pdf", 3)
    report = run_batch([src], BatchOptions(tmp_path / "out", workers=2, quiet=True))
    (entry,) = report.entries
    assert entry.status == "ok" and entry.pages == 3, entry
    body = (tmp_path / "out" / entry.output).read_text(encoding="utf-8")
    assert body.index("Trang số 1") < body.index("Trang số 2") < body.index("Trang số 3")


def test_a_layer_of_glyph_numbers_is_deciphered_when_pages_fan_out(tmp_path: Path) -> None:
    """The pool driver settles a document's pages before finishing it, as `ocr_document`
    does (a real PDF whose fonts print glyph numbers; skipped without ../shared)."""
    pdf = SEEDS.parent / "external" / "born_digital" / "lc_tb1894_2026_sct.pdf"
    if not pdf.exists():
        pytest.skip("../shared/external absent")
    report = run_batch([pdf], BatchOptions(tmp_path / "out", workers=2, quiet=True))
    (entry,) = report.entries
    doc = json.loads((tmp_path / "out" / entry.output).read_text(encoding="utf-8"))
    assert entry.status == "ok" and entry.pages == 2, entry
    assert all(p["source"] == "text-layer" and "layer deciphered" in p["steps"] for p in doc["pages"])


def test_same_content_twice_is_done_once(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(TEXT, encoding="utf-8")
    (src / "b.txt").write_text(TEXT, encoding="utf-8")
    report = run_batch([src], BatchOptions(tmp_path / "out", workers=1, quiet=True))
    assert [e.status for e in report.entries] == ["ok", "skipped"]
    assert report.exit_code == ExitCode.OK


def test_second_run_on_a_locked_out_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out"
    with OutputLock(out):
        code = main(["run", str(tmp_path / "a.txt"), "--out", str(out), "--quiet"])
        with pytest.raises(OutputLockedError):
            run_batch([tmp_path / "a.txt"], BatchOptions(out, quiet=True))
    err = capsys.readouterr().err
    assert code == ExitCode.OUTPUT_ERROR
    assert err.count("\n") == 1 and "another vnplans run" in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_unwritable_out_is_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(0o500)
    try:
        code = main(["run", str(tmp_path / "a.txt"), "--out", str(out / "x"), "--quiet"])
        with pytest.raises(OutputError):
            run_batch([tmp_path / "a.txt"], BatchOptions(out, quiet=True))
    finally:
        out.chmod(0o700)
    err = capsys.readouterr().err
    assert code == ExitCode.OUTPUT_ERROR and "permission denied" in err and err.count("\n") == 1


def test_out_that_is_a_file_is_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "out").write_text("in the way", encoding="utf-8")
    code = main(["run", str(tmp_path / "a.txt"), "--out", str(tmp_path / "out"), "--quiet"])
    err = capsys.readouterr().err
    assert code == ExitCode.OUTPUT_ERROR and err.startswith("vnplans: ") and err.count("\n") == 1
    assert (tmp_path / "out").read_text(encoding="utf-8") == "in the way"


@pytest.fixture
def tiny_disk(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A 96 KB tmpfs (needs root; skipped elsewhere)."""
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=96k", "tmpfs", str(mnt)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_full_disk_stops_with_one_line_and_no_corrupt_file(
        tiny_disk: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    src = _text_archive(tmp_path, 40, chars=12000)  # the disk fills after a few documents
    code = main(["run", str(src), "--out", str(tiny_disk / "out"), "--quiet", "--workers", "1"])
    err = capsys.readouterr().err
    assert code == ExitCode.OUTPUT_ERROR, err
    assert err.count("\n") == 1 and "no space left on device" in err
    for f in (tiny_disk / "out").rglob("*.json"):
        json.loads(f.read_text(encoding="utf-8"))  # every file there is whole
    assert not list((tiny_disk / "out").rglob("*.tmp"))


@pytest.mark.parametrize("names,expected", [
    (("a.txt",), ExitCode.OK),
    (("empty.txt",), ExitCode.BAD_INPUT),
    (("missing.txt",), ExitCode.INPUT_NOT_FOUND),
    (("a.txt", "empty.txt"), ExitCode.SOME_INPUTS_FAILED),
])
def test_exit_code_policy(tmp_path: Path, names: tuple[str, ...], expected: ExitCode) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    args = ["run", *(str(tmp_path / n) for n in names), "--out", str(tmp_path / "out"), "--quiet"]
    assert main(args) == expected


def _text_archive(root: Path, n: int, chars: int = 3000) -> Path:
    """`n` distinct text documents (varied bytes, so n distinct doc_ids), cut from the
    clean seed texts (the garbled one would make every document a slow restoration)."""
    src = root / "in"
    src.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))[1:] if SEEDS.is_dir() else []
    bodies = [s.read_text(encoding="utf-8")[:chars] for s in seeds] or [TEXT]
    for i in range(n):
        (src / f"doc{i:04d}.txt").write_text(bodies[i % len(bodies)] + f"\nBản số {i}\n", encoding="utf-8")
    return src


def _wait_for(predicate, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def _n_done(out: Path) -> int:
    try:
        return sum(e["status"] == "ok" for e in manifest(out).values())
    except (OSError, ValueError):
        return 0


def test_kill_9_mid_run_then_rerun_completes(tmp_path: Path) -> None:
    n = 100
    src, out = _text_archive(tmp_path, n, chars=1500), tmp_path / "out"
    cmd = [sys.executable, "-m", "vnplans.cli", "run", str(src), "--out", str(out), "--workers", "2", "--quiet"]
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(tmp)}
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
                            env=env)
    try:
        assert _wait_for(lambda: _n_done(out) > 0, 60), "the run never recorded a document"
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    done_before = _n_done(out)
    assert done_before < n, "too late: the run had finished"
    rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)
    assert rerun.returncode == 0, rerun.stderr
    assert not list(tmp.glob("vnplans-*")), "the killed run's scratch directory was not swept"
    entries = manifest(out)
    assert len(entries) == n
    assert {e["status"] for e in entries.values()} <= {"ok", "skipped"}
    assert sum(e["status"] == "skipped" for e in entries.values()) >= done_before
    outputs = [e["output"] for e in entries.values()]
    assert len(set(outputs)) == n and all((out / o).is_file() for o in outputs)
    assert not list(out.rglob("*.tmp"))


def _workers_of(pid: int) -> list:  # type: ignore[type-arg]
    import psutil

    servers = [k for k in psutil.Process(pid).children() if "forkserver" in " ".join(k.cmdline())]
    return [w for s in servers for w in s.children()]


def test_a_killed_worker_is_retried_in_a_fresh_pool(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    for i in range(2):
        render_page(src / f"p{i}.png", tag=f"Trang số {i + 1}")
    scanned_pdf(src / "long.pdf", 3)
    cmd = [sys.executable, "-m", "vnplans.cli", "run", str(src), "--out", str(out), "--workers", "2", "--quiet"]
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "TMPDIR": str(tmp)})
    try:
        assert _wait_for(lambda: len(_workers_of(proc.pid)) >= 2, 30)
        time.sleep(0.5)
        _workers_of(proc.pid)[0].kill()
        _, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, stderr
    entries = manifest(out)
    assert len(entries) == 3 and {e["status"] for e in entries.values()} == {"ok"}
    assert any("retried" in e["note"] for e in entries.values()), entries
    assert not list(tmp.rglob("*")), "regression: a killed worker's page image stayed in /tmp"


def test_dask_local_cluster(tmp_path: Path) -> None:
    from dask.distributed import LocalCluster

    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(TEXT, encoding="utf-8")
    (src / "b.txt").write_text(TEXT + "Nơi nhận:\n", encoding="utf-8")
    (src / "empty.txt").write_bytes(b"")
    with LocalCluster(n_workers=1, processes=False, threads_per_worker=1,
                      dashboard_address=None) as cluster:
        report = run_batch([src], BatchOptions(tmp_path / "out", quiet=True,
                                               scheduler=cluster.scheduler_address))
    statuses = {Path(e.path).name: e.status for e in report.entries}
    assert statuses == {"a.txt": "ok", "b.txt": "ok", "empty.txt": "failed"}
    assert report.exit_code == ExitCode.SOME_INPUTS_FAILED
    assert manifest(tmp_path / "out")["a.txt"]["status"] == "ok"


def test_unreachable_scheduler_is_a_clear_error() -> None:
    from vnplans.cluster import connect
    from vnplans.exceptions import SchedulerError

    with pytest.raises(SchedulerError, match="cannot reach the Dask scheduler") as info:
        connect("tcp://127.0.0.1:9", timeout="1s")
    assert info.value.exit_code == ExitCode.MISSING_DEPENDENCY


def test_largest_files_go_first_copies_keep_their_order(tmp_path: Path) -> None:
    from vnplans.batch import largest_first

    sizes = {"a.txt": 10, "b.pdf": 5000, "c.png": 300, "d.txt": 300, "gone.txt": -1}
    files = []
    for name, size in sizes.items():
        files.append(tmp_path / name)
        if size >= 0:
            files[-1].write_bytes(b"x" * size)
    order = [f.name for f in largest_first(files)]
    assert order == ["b.pdf", "c.png", "d.txt", "a.txt", "gone.txt"]


def test_model_loads_once_when_asked_from_two_threads() -> None:
    """The worker's warm-up thread and its first document may ask at the same time."""
    from concurrent.futures import ThreadPoolExecutor

    from diacritics.model import forget, load

    forget()
    with ThreadPoolExecutor(2) as pool:
        a, b = pool.map(lambda _: load(), range(2))
    assert a is b and a.lm.tri
