"""`python -m bench.faults`: the bad-input and fault corpus of issue 20, through the real
command, one row per kind: exit code, the message, nothing lost, no orphan.

Why a bench and not only tests: it is the whole corpus in one table a person can read
after a change, each kind in its own OUT, through `vnplans` in a subprocess of its own
session (so any process it leaves behind is found). Every input is made here, in a
temporary folder; nothing outside it is read or written.

Columns: `exit` the code; `message` the first stderr line (cut to 90 characters);
`nothing lost` yes when OUT holds exactly what the manifest says (every ok or skipped
entry's document there, no temp file, the tables a complete set, no stale document; after
a kill, documents written but not yet in the manifest are allowed; for a refused load, no
database written);
`no orphan` yes when no process of the run's session is alive 5 s after it ended.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

TEXT = ("ỦY BAN NHÂN DÂN\nSố: 12/KH-UBND\nKẾ HOẠCH\nTuyên truyền, phổ biến pháp luật\n"
        "Căn cứ Luật Phổ biến, giáo dục pháp luật năm 2012;\n")
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
PAGES = 30  # scans in the archive a run is killed in


def _vnplans(*args: str) -> tuple[subprocess.Popen[str], str]:
    """`vnplans ARGS` to its end, in a session of its own; the process and its stderr."""
    proc = subprocess.Popen([sys.executable, "-m", "vnplans.cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    _, err = proc.communicate(timeout=900)
    return proc, err


def _session_alive(sid: int) -> list[int]:
    out = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                if os.getsid(int(pid)) == sid and int(pid) != os.getpid():
                    with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
                        if fh.read().rsplit(")", 1)[1].split()[0] != "Z":
                            out.append(int(pid))
            except (OSError, IndexError):
                continue
    return out


def _no_orphan(sid: int) -> bool:
    end = time.monotonic() + 5
    while time.monotonic() < end:
        if not _session_alive(sid):
            return True
        time.sleep(0.1)
    for pid in _session_alive(sid):  # the bench cleans up what it finds
        os.kill(pid, signal.SIGKILL)
    return False


def _consistent(out: Path, killed: bool = False) -> bool:
    """OUT holds what its manifest owns: nothing missing, stale, temporary or half-set.
    After a kill, whole documents the manifest does not list yet are allowed (the next
    run adopts them, or moves them aside)."""
    if not out.is_dir():
        return True
    try:
        body = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return not (out / "documents").exists()
    owned = {e["output"] for e in body["documents"] if e["status"] in ("ok", "skipped") and e["output"]}
    present = {f"documents/{p.name}" for p in (out / "documents").glob("*.json")}
    if not owned <= present or (owned != present and not killed):
        return False
    if list(out.rglob("*.tmp")) or list(out.glob(".tables-*")):
        return False
    if (out / "tables").exists():
        from export.tables import check_tables
        from vnplans.exceptions import OutputError

        try:
            check_tables(out)
        except OutputError:
            return False
    return True


# ---------------------------------------------------------------- the corpus
def _page_png(path: Path, size: tuple[int, int] = (1400, 400), text: str = "KẾ HOẠCH") -> Path:
    from PIL import Image, ImageDraw, ImageFont

    im = Image.new("L", size, 255)
    ImageDraw.Draw(im).text((60, 60), text, font=ImageFont.truetype(FONT, 40), fill=0)
    im.save(path, dpi=(200, 200))
    return path


def _pdf(path: Path, size: tuple[int, int] = (1400, 400), resolution: float = 200.0) -> Path:
    from PIL import Image

    Image.open(_page_png(path.with_suffix(".png"), size)).save(path, resolution=resolution)
    path.with_suffix(".png").unlink()
    return path


def _encrypt(path: Path, user: str, algorithm: str) -> Path:
    from pypdf import PdfWriter

    base = _pdf(path.with_name("base-" + path.name))
    writer = PdfWriter(clone_from=str(base))
    writer.encrypt(user_password=user, owner_password="owner", algorithm=algorithm)
    writer.write(str(path))
    base.unlink()
    return path


def _inputs(d: Path) -> dict[str, Callable[[], Path]]:
    """Each bad (or awkward) input kind: a function making it in `d`."""
    def write(name: str, data: bytes) -> Path:
        (d / name).write_bytes(data)
        return d / name

    def truncated() -> Path:
        data = _pdf(d / "t.pdf").read_bytes()
        return write("truncated.pdf", data[: len(data) // 3])

    def bomb() -> Path:
        from PIL import Image

        Image.new("1", (20000, 20000), 1).save(d / "bomb.png")
        return d / "bomb.png"

    def damaged_xref() -> Path:
        return write("xref.pdf", _pdf(d / "x.pdf").read_bytes().replace(b"startxref", b"startxrex"))

    def loop() -> Path:
        (d / "loopdir").mkdir()
        (d / "loopdir" / "up").symlink_to(d / "loopdir")
        (d / "loopdir" / "plan.txt").write_text(TEXT, encoding="utf-8")
        return d / "loopdir"

    def dangling() -> Path:
        (d / "dangdir").mkdir()
        (d / "dangdir" / "gone.pdf").symlink_to(d / "nowhere.pdf")
        (d / "dangdir" / "plan.txt").write_text(TEXT, encoding="utf-8")
        return d / "dangdir"

    def newline() -> Path:
        return write("bad\nname.txt", b"")

    return {
        "zero-byte PDF": lambda: write("zero.pdf", b""),
        "truncated PDF": truncated,
        "RC4 user password": lambda: _encrypt(d / "rc4.pdf", "u", "RC4-128"),
        "AES-128 user password": lambda: _encrypt(d / "aes128u.pdf", "u", "AES-128"),
        "AES-256 owner only": lambda: _encrypt(d / "aes256.pdf", "", "AES-256"),
        "damaged xref": damaged_xref,
        "poster page 100x100 in": lambda: _pdf(d / "poster.pdf", (1000, 1000), 10.0),
        "fake PNG": lambda: write("fake.png", b"not an image"),
        "1x1 PNG": lambda: _page_png(d / "tiny.png", (1, 1), ""),
        "image bomb 400 MP": bomb,
        "unknown type": lambda: write("notes.xyz", b"hello"),
        "binary .txt": lambda: write("bin.txt", os.urandom(4000)),
        "UTF-16 without BOM": lambda: write("u16.txt", TEXT.encode("utf-16-le")),
        "newline in name": newline,
        "symlink loop (folder)": loop,
        "dangling link (folder)": dangling,
    }


def _row(kind: str, done: tuple[subprocess.Popen[str], str], out: Path,
         check: Callable[[Path], bool] = _consistent) -> str:
    proc, err = done
    first = err.strip().splitlines()[0] if err.strip() else ""
    first = first.replace("|", "\\|")[:90]
    lost = "yes" if check(out) else "**NO**"
    orphan = "yes" if _no_orphan(proc.pid) else "**NO**"
    return f"| {kind} | {proc.returncode} | {first} | {lost} | {orphan} |"


def _bad_inputs(root: Path) -> list[str]:
    rows = []
    for k, (kind, make) in enumerate(_inputs(root / "in").items()):
        path, out = make(), root / f"out{k}"
        rows.append(_row(kind, _vnplans("run", str(path), "--out", str(out), "--quiet"), out))
    return rows


def _archive(root: Path, n: int) -> Path:
    src = root / "archive"
    src.mkdir(parents=True)
    for i in range(n):
        _page_png(src / f"p{i:02d}.png", text=f"KẾ HOẠCH số {i}")
    return src


def _n_ok(out: Path) -> int:
    try:
        body = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 0
    return sum(e["status"] == "ok" for e in body["documents"])


def _signal_mid_run(root: Path, sig: signal.Signals, name: str) -> list[str]:
    src, out = _archive(root / name, PAGES), root / name / "out"
    proc = subprocess.Popen([sys.executable, "-m", "vnplans.cli", "run", str(src), "--out", str(out),
                             "--quiet", "--workers", "2"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    end = time.monotonic() + 120
    while _n_ok(out) < 2 and proc.poll() is None and time.monotonic() < end:
        time.sleep(0.05)  # mid-run: a few pages done, most not
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    done_then = _n_ok(out)
    rows = [_row(f"{sig.name} of the run ({done_then} of {PAGES} done)", (proc, err), out,
                 lambda o: _consistent(o, killed=True))]
    again = _vnplans("run", str(src), "--out", str(out), "--quiet", "--workers", "2")
    n = len(list((out / "documents").glob("*.json")))
    rows.append(_row(f"rerun after {sig.name} ({n} documents of {PAGES})", again, out))
    return rows


def _lock_and_load(root: Path) -> list[str]:
    src, out = root / "ll" / "in", root / "ll" / "out"
    src.mkdir(parents=True)
    (src / "plan.txt").write_text(TEXT, encoding="utf-8")
    _vnplans("run", str(src), "--out", str(out), "--quiet")
    from vnplans.manifest import OutputLock

    rows = []
    with OutputLock(out):
        rows.append(_row("second run on a locked OUT", _vnplans("run", str(src), "--out", str(out), "--quiet"), out))
        rows.append(_row("load during a run", _vnplans("load", str(out)), out))
    rows.append(_row("load, wrong password", _vnplans("load", str(out), "--db",
                                                      "postgresql://vn:WRONG@127.0.0.1:1/db"), out))
    (src / "plan.txt").write_text(TEXT.replace("12/KH", "56/KH"), encoding="utf-8")
    rows.append(_row("input replaced at its path", _vnplans("run", str(src), "--out", str(out), "--quiet"), out))
    (out / "tables" / "pages.parquet").unlink()
    rows.append(_row("load of a half set of tables", _vnplans("load", str(out)), out,
                     lambda o: not (o / "vnplans.sqlite").exists()))
    rows.append(_row("rerun after a half set", _vnplans("run", str(src), "--out", str(out), "--quiet"), out))
    rows.append(_row("load", _vnplans("load", str(out)), out))
    return rows


def run() -> str:
    with tempfile.TemporaryDirectory(prefix="vnplans-faults-") as tmp:
        root = Path(tmp)
        (root / "in").mkdir()
        rows = _bad_inputs(root)
        rows += _signal_mid_run(root, signal.SIGKILL, "kill9")
        rows += _signal_mid_run(root, signal.SIGTERM, "term")
        rows += _lock_and_load(root)
    head = ["`python -m bench.faults` (each kind in its own OUT, through `vnplans` in a "
            "subprocess)", "", "| kind | exit | message | nothing lost | no orphan |", "|---|---|---|---|---|"]
    return "\n".join(head + rows)


if __name__ == "__main__":
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    print(run())
