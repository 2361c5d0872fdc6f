"""Issue 20: the batch under faults. Each test makes its own bad input or fault in a
temporary folder: the main process killed (no orphan workers), SIGTERM, stale and
duplicate documents, tables written as a set, `vnplans load`'s guards."""

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


# ---------------------------------------------------------------- tables as a set
def test_a_failure_while_writing_tables_leaves_the_previous_set(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    import pyarrow.parquet as pq

    from export.tables import check_tables, write_tables

    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "plan.txt").write_text(TEXT, encoding="utf-8")
    _run(src, out)
    before = {p.name: p.read_bytes() for p in (out / "tables").iterdir()}
    real, calls = pq.ParquetWriter.write_table, []

    def fill_disk(self: object, table: object, **kw: object) -> None:
        calls.append(table)
        if len(calls) == 2:  # documents written, pages not
            raise OSError(errno.ENOSPC, "No space left on device")
        real(self, table, **kw)

    monkeypatch.setattr(pq.ParquetWriter, "write_table", fill_disk)
    with pytest.raises(OSError):
        write_tables(out, removed=["0" * 64])  # something changed: the set is rebuilt
    assert {p.name: p.read_bytes() for p in (out / "tables").iterdir()} == before
    assert not list(out.glob(".tables-*"))
    check_tables(out)


def test_tables_are_rebuilt_only_when_a_document_changed(tmp_path: Path) -> None:
    from export.tables import write_tables

    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "plan.txt").write_text(TEXT, encoding="utf-8")
    _run(src, out)
    stamp = (out / "tables" / "_complete.json").stat().st_ino
    _run(src, out)  # a no-op rerun
    write_tables(out)
    assert (out / "tables" / "_complete.json").stat().st_ino == stamp
    (src / "other.txt").write_text(TEXT.replace("12/KH", "34/KH"), encoding="utf-8")
    _run(src, out)
    assert (out / "tables" / "_complete.json").stat().st_ino != stamp
    assert len(_table_paths(out)) == 2


@pytest.mark.parametrize("damage", ["marker", "pages.parquet", "truncate"])
def test_load_refuses_a_half_set_of_tables(tmp_path: Path, damage: str,
                                           capsys: pytest.CaptureFixture) -> None:
    from vnplans.cli import main

    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "plan.txt").write_text(TEXT, encoding="utf-8")
    _run(src, out)
    tables = out / "tables"
    if damage == "marker":
        (tables / "_complete.json").unlink()  # what an older vnplans, killed mid-way, left
    elif damage == "pages.parquet":
        (tables / "pages.parquet").unlink()
    else:
        data = (tables / "tokens.parquet").read_bytes()
        (tables / "tokens.parquet").write_bytes(data[: len(data) // 2])
    capsys.readouterr()
    assert main(["load", str(out)]) == ExitCode.OUTPUT_ERROR
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "not a complete set" in err, err


# ---------------------------------------------------------------- vnplans load
def test_load_is_refused_while_a_run_holds_out(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    from vnplans.cli import main
    from vnplans.manifest import OutputLock

    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "plan.txt").write_text(TEXT, encoding="utf-8")
    _run(src, out)
    capsys.readouterr()
    with OutputLock(out):
        assert main(["load", str(out)]) == ExitCode.OUTPUT_ERROR
    assert "another vnplans run" in capsys.readouterr().err
    assert not (out / "vnplans.sqlite").exists()


def test_load_writes_nothing_into_a_folder_that_is_no_out(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    from vnplans.cli import main

    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["load", str(tmp_path)]) == ExitCode.BAD_INPUT
    assert "not the output directory" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_load_names_a_missing_postgres_driver_and_hides_the_password(
        tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    from vnplans.cli import main

    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "plan.txt").write_text(TEXT, encoding="utf-8")
    _run(src, out)
    capsys.readouterr()
    # a refused password: a server that is not there gives the driver's own words
    code = main(["load", str(out), "--db", "postgresql://vn:S3CRET@127.0.0.1:1/db"])
    err = capsys.readouterr().err
    assert "S3CRET" not in err and len(err.strip().splitlines()) == 1, err
    if code != ExitCode.MISSING_DEPENDENCY:
        assert code == ExitCode.OUTPUT_ERROR and "vn:***@" in err, err
    for module in ("psycopg", "psycopg2"):
        monkeypatch.setitem(sys.modules, module, None)  # the driver not installed
    code = main(["load", str(out), "--db", "postgresql://vn:S3CRET@127.0.0.1:1/db"])
    err = capsys.readouterr().err
    assert code == ExitCode.MISSING_DEPENDENCY, err
    assert "pip install 'vnplans[postgres]'" in err and "S3CRET" not in err


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def postgres():  # type: ignore[no-untyped-def]
    """A PostgreSQL server of its own (Debian `postgresql`), on a private socket folder and
    port, password auth over TCP; stopped and removed afterwards. Skipped when absent."""
    import glob
    import pwd
    import shutil
    import tempfile

    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not bins:
        pytest.skip("PostgreSQL is not installed (Debian package postgresql)")
    pytest.importorskip("psycopg")
    bindir = Path(bins[-1]).parent
    base = Path(tempfile.mkdtemp(prefix="vnplans-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no postgres user")
        os.chown(base, user.pw_uid, user.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    (base / "pw").write_text("S3CRET\n", encoding="utf-8")
    os.chmod(base / "pw", 0o644)
    port = _free_port()
    data = base / "data"
    try:
        subprocess.run([*run_as, str(bindir / "initdb"), "-D", str(data), "-U", "vn", "--pwfile",
                        str(base / "pw"), "--auth-local=trust", "--auth-host=scram-sha-256"],
                       check=True, capture_output=True, timeout=120)
        subprocess.run([*run_as, str(bindir / "pg_ctl"), "-D", str(data), "-w", "-t", "60", "-l",
                        str(base / "log"), "-o", f"-p {port} -k {base} -c listen_addresses=127.0.0.1",
                        "start"], check=True, capture_output=True, timeout=90)
        yield f"postgresql://vn:S3CRET@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*run_as, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True, timeout=60, check=False)
        shutil.rmtree(base, ignore_errors=True)


def test_load_into_a_real_postgresql_server(postgres: str, tmp_path: Path,
                                            capsys: pytest.CaptureFixture) -> None:
    import sqlalchemy as sa

    from vnplans.cli import main

    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "plan.txt").write_text(TEXT, encoding="utf-8")
    (src / "other.txt").write_text(TEXT.replace("12/KH", "34/KH"), encoding="utf-8")
    _run(src, out)
    assert main(["load", str(out), "--db", postgres]) == 0
    assert main(["load", str(out), "--db", postgres]) == 0  # twice: nothing changes
    (src / "plan.txt").write_text(TEXT.replace("12/KH", "56/KH"), encoding="utf-8")
    _run(src, out)
    assert main(["load", str(out), "--db", postgres]) == 0
    engine = sa.create_engine(postgres.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as db:
        assert db.execute(sa.text("select count(*) from documents")).scalar() == 2
        texts = db.execute(sa.text("select text from pages")).scalars().all()
    engine.dispose()
    assert sorted("56/KH" in t or "34/KH" in t for t in texts) == [True, True]
    capsys.readouterr()
    wrong = postgres.replace("S3CRET", "WRONG")
    assert main(["load", str(out), "--db", wrong]) == ExitCode.OUTPUT_ERROR
    err = capsys.readouterr().err
    assert "WRONG" not in err and "vn:***@" in err and "password authentication failed" in err, err
    assert len(err.strip().splitlines()) == 1


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


# ---------------------------------------------------------------- PDFs
def _image_pdf(path: Path, size: tuple[int, int] = (800, 400), resolution: float = 100.0) -> Path:
    from PIL import Image, ImageDraw

    im = Image.new("L", size, 255)
    ImageDraw.Draw(im).text((50, 50), "KE HOACH", fill=0)
    im.save(path, resolution=resolution)
    return path


def _encrypted(src: Path, path: Path, user: str, algorithm: str) -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=str(src))
    writer.encrypt(user_password=user, owner_password="owner", algorithm=algorithm)
    writer.write(str(path))
    return path


@pytest.mark.parametrize("algorithm", ["AES-128", "AES-256", "RC4-128"])
def test_an_owner_password_only_pdf_is_read(tmp_path: Path, algorithm: str) -> None:
    import ingest

    pdf = _encrypted(_image_pdf(tmp_path / "base.pdf"), tmp_path / "owner.pdf", "", algorithm)
    doc = ingest.load(pdf)
    assert len(doc.pages) == 1 and doc.pages[0].source == "image"


@pytest.mark.parametrize("algorithm", ["AES-128", "AES-256"])
def test_a_user_password_pdf_is_exit_4(tmp_path: Path, algorithm: str, capsys: pytest.CaptureFixture) -> None:
    from vnplans.cli import main

    pdf = _encrypted(_image_pdf(tmp_path / "base.pdf"), tmp_path / "locked.pdf", "user", algorithm)
    assert main(["run", str(pdf), "--out", str(tmp_path / "out"), "--quiet"]) == ExitCode.BAD_INPUT
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [f"vnplans: {pdf}: the PDF is password-protected"], err


def test_a_pdf_with_a_damaged_xref_that_poppler_reads_is_read(tmp_path: Path) -> None:
    import ingest

    data = _image_pdf(tmp_path / "base.pdf").read_bytes()
    pdf = tmp_path / "xref.pdf"
    pdf.write_bytes(data.replace(b"startxref", b"startxrex"))  # pypdf: "startxref not found"
    doc = ingest.load(pdf)
    assert len(doc.pages) == 1 and doc.pages[0].source == "image"


def test_a_pdf_neither_reader_can_open_is_one_clear_line(tmp_path: Path) -> None:
    import ingest
    from vnplans.exceptions import BadInputError

    pdf = tmp_path / "junk.pdf"
    pdf.write_bytes(b"%PDF-1.4\n" + os.urandom(2000))
    with pytest.raises(BadInputError, match="damaged or truncated PDF"):
        ingest.load(pdf)


def test_a_huge_pdf_page_is_rendered_under_the_pixel_cap(tmp_path: Path) -> None:
    import ingest
    from ingest.loader import MAX_PAGE_PIXELS

    pdf = _image_pdf(tmp_path / "poster.pdf", (1000, 1000), resolution=10.0)  # 100 x 100 in
    doc = ingest.load(pdf)
    ref = doc.pages[0].image
    assert ref is not None and ref.dpi == 63
    assert doc.warnings == ("page 1 is 100 x 100 in: rendered at 63 dpi, not 300 "
                            "(limit 40 megapixels a page)",)
    pixels = ingest.load_image(ref)
    assert 6200 <= pixels.shape[0] <= 6400 and pixels.shape[0] * pixels.shape[1] <= MAX_PAGE_PIXELS


def test_a_page_too_large_even_at_the_lowest_dpi_is_a_clear_error(tmp_path: Path) -> None:
    from ingest.loader import render_dpi
    from vnplans.exceptions import ImageTooLargeError

    assert render_dpi(tmp_path, 1, 595, 842, 300) == (300, "")  # A4
    with pytest.raises(ImageTooLargeError, match="page 2 is 2500 x 2500 in: too large"):
        render_dpi(tmp_path / "x.pdf", 2, 180000, 180000, 300)


@pytest.mark.parametrize("user,expected", [("", "1 pages"), ("user", "EncryptedPdfError")])
def test_aes_pdfs_without_the_cryptography_package(tmp_path: Path, user: str, expected: str) -> None:
    """Where `cryptography` is missing, pypdf cannot do AES (it raised DependencyError, an
    internal error): poppler reads the file instead, or says it needs a password."""
    pdf = _encrypted(_image_pdf(tmp_path / "base.pdf"), tmp_path / "aes.pdf", user, "AES-128")
    code = ("import sys; sys.modules['cryptography'] = None\n"
            "import ingest\n"
            "try:\n    print(len(ingest.load(sys.argv[1]).pages), 'pages')\n"
            "except Exception as exc:\n    print(type(exc).__name__, exc)\n")
    proc = subprocess.run([sys.executable, "-c", code, str(pdf)], capture_output=True, text=True,
                          timeout=60)
    assert proc.stdout.startswith(expected), proc.stdout + proc.stderr
