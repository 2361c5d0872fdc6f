"""Old word-processor files (.doc, .odt, .rtf) converted to DOCX by LibreOffice.

Why LibreOffice: it is the one free reader of Word 97-2003 binaries that keeps tables and
list numbering, and `--convert-to docx` hands the result to the same DOCX reader. Why the
care: soffice keeps a user profile that two concurrent instances must not share (the
second one quietly hands its job to the first, or fails), and a damaged file can make it
hang. So every conversion gets its own profile and output directory, runs in its own
process group, and the whole group is killed at the timeout and after the run, so no
soffice.bin is ever left behind.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from vnplans.exceptions import BadInputError, MissingDependencyError

CONVERTIBLE = {".doc", ".odt", ".rtf"}
TIMEOUT_S = 120.0
PACKAGE = "libreoffice-writer-nogui"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a compound file: Word 97-2003, or an encrypted OOXML
_ODT_MIME = b"application/vnd.oasis.opendocument.text"


def soffice() -> str:
    """The LibreOffice command, or MissingDependencyError naming the Debian package."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise MissingDependencyError(f"LibreOffice (soffice) not found: install {PACKAGE} "
                                 "to read .doc, .odt and .rtf files")


def check_kind(path: Path, head: bytes) -> None:
    """A file whose first bytes are not of its kind is refused before LibreOffice sees it
    (LibreOffice would import junk as plain text and 'succeed')."""
    ext = path.suffix.lower()
    if ext == ".rtf" and not head.lstrip().startswith(b"{\\rtf"):
        raise BadInputError("not an RTF file (no {\\rtf header)", path=path)
    if ext == ".odt" and not (head.startswith(b"PK") and _ODT_MIME in head[:200]):
        raise BadInputError("not an OpenDocument text file", path=path)
    if ext == ".doc" and not (head.startswith(_OLE) or head.lstrip().startswith(b"{\\rtf")):
        raise BadInputError("not a Word 97-2003 document (no compound-file header)", path=path)
    if head.startswith(_OLE):
        if encrypted_ole(path):
            raise BadInputError("password-protected Word file: cannot be read", path=path)
        if not word_binary(path, head):
            raise BadInputError("not a Word 97-2003 document (a damaged compound file, or "
                                "no WordDocument stream)", path=path)


def word_binary(path: Path, head: bytes) -> bool:
    """A sound compound-file header (byte order FFFE, 512- or 4096-byte sectors) holding a
    WordDocument stream. Why check: LibreOffice imports a damaged one as plain text and
    'succeeds' with junk."""
    if head[28:30] != b"\xfe\xff" or head[30:32] not in (b"\x09\x00", b"\x0c\x00"):
        return False
    return "WordDocument".encode("utf-16-le") in path.read_bytes()


def encrypted_ole(path: Path) -> bool:
    """An encrypted Office file: an OOXML package inside a compound file (its
    `EncryptedPackage` stream), or a Word 97-2003 file whose header sets fEncrypted."""
    data = path.read_bytes()
    if "EncryptedPackage".encode("utf-16-le") in data:
        return True
    name = "WordDocument".encode("utf-16-le")
    if name not in data:
        return False
    return _word_encrypted(data)


def _word_encrypted(data: bytes) -> bool:
    """The FIB's fEncrypted flag: the WordDocument stream starts with magic 0xA5EC, and
    bit 8 of the flags at offset 10 says the document is encrypted. The stream is found
    by its magic at a sector boundary (512-byte sectors after the header)."""
    for off in range(512, len(data) - 12, 512):
        if data[off:off + 2] == b"\xec\xa5":
            flags = int.from_bytes(data[off + 10:off + 12], "little")
            return bool(flags & 0x0100)
    return False


def is_ole(head: bytes) -> bool:
    return head.startswith(_OLE)


@contextmanager
def converted(path: Path, timeout: float = TIMEOUT_S) -> Iterator[Path]:
    """The DOCX LibreOffice makes of `path`, in a private temporary directory removed on
    exit; BadInputError when it cannot convert the file or does not finish in time."""
    exe = soffice()
    with tempfile.TemporaryDirectory(prefix="vnplans-lo-") as tmp:
        work = Path(tmp)
        src = work / f"input{path.suffix.lower()}"  # a plain name: soffice parses odd ones
        shutil.copyfile(path, src)
        cmd = [exe, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
               "--norestore", "--nologo", "--nodefault", "--nolockcheck",
               "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(work / "out"), str(src)]
        _run(cmd, path, timeout, work)
        out = work / "out" / "input.docx"
        if not out.is_file() or out.stat().st_size == 0 or not zipfile.is_zipfile(out):
            raise BadInputError("LibreOffice could not open the file (damaged, encrypted, or "
                                "not a text document)", path=path)
        yield out


def _run(cmd: list[str], path: Path, timeout: float, work: Path) -> None:
    """soffice in a new session; its whole process group killed at the timeout, and
    after it ends too (it may leave a child behind)."""
    env = dict(os.environ, HOME=str(work), TMPDIR=str(work), SAL_USE_VCLPLUGIN="svp")
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=env, start_new_session=True)
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        _kill_group(proc.pid)
        proc.communicate()
        raise BadInputError(f"LibreOffice did not convert the file within {timeout:g} s "
                            "(stopped)", path=path) from exc
    finally:
        _kill_group(proc.pid)
    if proc.returncode != 0:
        reason = " ".join(err.decode("utf-8", "replace").split())[:120] or f"exit {proc.returncode}"
        raise BadInputError(f"LibreOffice could not convert the file ({reason})", path=path)


def _kill_group(pgid: int) -> None:
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)
