"""Issue 20: OUT's tables written as one set (a failure mid-way keeps the previous set,
`load` refuses a half set), rebuilt only when a document changed, and `vnplans load`'s
guards (lock, a folder that is no OUT, the password, a missing driver), into SQLite and a
real PostgreSQL server started by the test."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_batch import TEXT
from tests.test_faults import _run, _table_paths
from vnplans.exceptions import ExitCode


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


def test_a_partial_rebuild_equals_a_full_one(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    from export.tables import SCHEMAS, build_tables

    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    for i in range(3):
        (src / f"d{i}.txt").write_text(TEXT.replace("12/KH", f"{i}/KH"), encoding="utf-8")
    _run(src, out)
    (src / "d1.txt").write_text(TEXT.replace("12/KH", "99/KH") + "Căn cứ Luật Ngân sách nhà nước năm 2015;\n",
                                encoding="utf-8")
    (src / "d3.txt").write_text(TEXT.replace("12/KH", "3/KH"), encoding="utf-8")
    _run(src, out)  # d0, d2 copied from the previous set; d1 and d3 read
    full = build_tables(out)
    for name in SCHEMAS:
        got = pq.read_table(out / "tables" / f"{name}.parquet").to_pylist()
        key = sorted(map(repr, got))
        assert key == sorted(map(repr, full[name].to_pylist())), name
    assert len(_table_paths(out)) == 4


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
