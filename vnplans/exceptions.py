"""Every error vnplans raises on purpose, with the exit code the CLI turns it into.

Why one module: stages raise these, only `vnplans.cli` maps them to exit codes, and the
batch driver records `code` and `message` in the manifest. A bug (any other exception) is
not one of these and is reported as INTERNAL_ERROR.
"""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    """Process exit codes, documented in the README."""

    OK = 0
    SOME_INPUTS_FAILED = 1  # the batch finished, but at least one input failed
    USAGE = 2  # bad command line (argparse also uses 2)
    INPUT_NOT_FOUND = 3  # a path given on the command line does not exist
    BAD_INPUT = 4  # the (only) input is unreadable: corrupt, encrypted, wrong type, ...
    MISSING_DEPENDENCY = 5  # tesseract, poppler or a language model is not installed
    OUTPUT_ERROR = 6  # OUT is unwritable, the disk is full, or it is locked by another run
    INTERRUPTED = 130  # Ctrl-C
    TERMINATED = 143  # SIGTERM (kill, systemd, docker stop): stopped as on Ctrl-C
    INTERNAL_ERROR = 70  # a bug: please report it with the traceback


def printable(path: str) -> str:
    """A path on one line: a newline, tab or other control character in a file name is
    written as its escape (`a\\nb.txt`), so a message stays one line a tool can split."""
    if path.isprintable():
        return path
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii")
                   for ch in path)


class VnplansError(Exception):
    """Base class: an error with a message meant for the user and an exit code."""

    exit_code: ExitCode = ExitCode.INTERNAL_ERROR

    def __init__(self, message: str, *, path: str | Path | None = None) -> None:
        self.path = str(path) if path is not None else None
        self.message = message
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """`file: reason`, on one line, as printed on stderr and kept in the manifest."""
        reason = " ".join(self.message.split())
        return f"{printable(self.path)}: {reason}" if self.path else reason

    @property
    def kind(self) -> str:
        return type(self).__name__


class InputNotFoundError(VnplansError):
    exit_code = ExitCode.INPUT_NOT_FOUND


class BadInputError(VnplansError):
    """The input file cannot be turned into pages (a hard failure for that file)."""

    exit_code = ExitCode.BAD_INPUT


class UnsupportedFormatError(BadInputError):
    """Unknown extension, or content that does not match its extension."""


class EncryptedPdfError(BadInputError):
    """A password-protected PDF."""


class DecodeError(BadInputError):
    """Text bytes that decode in none of the supported encodings."""


class ImageTooLargeError(BadInputError):
    """An image over the pixel limit (decompression-bomb guard)."""


class ImageTooSmallError(BadInputError):
    """An image too small to hold text."""


class MissingDependencyError(VnplansError):
    """An external tool or language model is not installed."""

    exit_code = ExitCode.MISSING_DEPENDENCY


class ExternalToolError(VnplansError):
    """An external tool (tesseract, pdftoppm) failed hard on an input."""

    exit_code = ExitCode.BAD_INPUT


class OutputError(VnplansError):
    """OUT cannot be written: permissions, a full disk, or a lock held by another run."""

    exit_code = ExitCode.OUTPUT_ERROR


class OutputLockedError(OutputError):
    """Another `vnplans run` holds the lock on OUT."""


__all__ = [
    "printable",
    "BadInputError",
    "DecodeError",
    "EncryptedPdfError",
    "ExitCode",
    "ExternalToolError",
    "ImageTooLargeError",
    "ImageTooSmallError",
    "InputNotFoundError",
    "MissingDependencyError",
    "OutputError",
    "OutputLockedError",
    "UnsupportedFormatError",
    "VnplansError",
]


class WorkerCrashedError(BadInputError):
    """A worker process died (killed, out of memory, a crash in a native library) while
    processing this input, twice: the input is reported failed, never half-written."""


class SchedulerError(VnplansError):
    """The Dask scheduler given with --scheduler cannot be reached."""

    exit_code = ExitCode.MISSING_DEPENDENCY


__all__ += ["SchedulerError", "WorkerCrashedError"]


class UsageError(VnplansError):
    """A command-line value the stages reject (e.g. an unknown Tesseract model)."""

    exit_code = ExitCode.USAGE


__all__ += ["UsageError"]


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread by the CLI's handler. A KeyboardInterrupt, so the
    batch stops the way Ctrl-C stops it: workers killed, the manifest saved."""


__all__ += ["Terminated"]
