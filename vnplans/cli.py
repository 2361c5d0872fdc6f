"""The `vnplans` command: argparse subcommands over the stages and the batch driver.

Why the only place that knows exit codes: stages and the driver raise VnplansError with a
one-line reason; here it becomes `vnplans: reason` on stderr and its ExitCode. Anything
else is a bug: INTERNAL_ERROR, one line, the traceback only with --debug. Results go to
stdout, messages to stderr.
"""

from __future__ import annotations

import argparse
import signal
import sys
import traceback
from collections.abc import Callable, Sequence

from vnplans import PIPELINE_VERSION, __version__
from vnplans.exceptions import ExitCode, Terminated, VnplansError

EXIT_CODES = "\n".join(f"  {int(c):>3}  {c.name}: {doc}" for c, doc in (
    (ExitCode.OK, "everything processed"),
    (ExitCode.SOME_INPUTS_FAILED, "the batch finished, but at least one input failed (see OUT/manifest.json)"),
    (ExitCode.USAGE, "bad command line"),
    (ExitCode.INPUT_NOT_FOUND, "a path given does not exist (run: the only input)"),
    (ExitCode.BAD_INPUT, "the input is unreadable: corrupt, encrypted, wrong type (run: the only input)"),
    (ExitCode.MISSING_DEPENDENCY, "tesseract, poppler, a model, or the Dask scheduler is unavailable"),
    (ExitCode.OUTPUT_ERROR, "OUT is unwritable, the disk is full, or another run holds OUT/.lock"),
    (ExitCode.INTERNAL_ERROR, "a bug: please report it with the output of --debug"),
    (ExitCode.INTERRUPTED, "interrupted (Ctrl-C)"),
    (ExitCode.TERMINATED, "terminated (SIGTERM); the manifest is saved, a rerun resumes"),
))
EPILOG = f"exit codes:\n{EXIT_CODES}"


def build_parser() -> argparse.ArgumentParser:
    """The whole command line: `vnplans --help` and `vnplans CMD --help` document it."""
    ap = argparse.ArgumentParser(
        prog="vnplans", epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Scanned Vietnamese government documents (Kế hoạch and other Decree "
                    "30/2020/NĐ-CP documents) to structured data.")
    ap.add_argument("--version", action="version",
                    version=f"vnplans {__version__} (pipeline {PIPELINE_VERSION})")
    ap.add_argument("--debug", action="store_true",
                    help="on an internal error, print the full traceback")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND", required=True)
    from vnplans import commands

    for add in (commands.add_run, commands.add_ocr, commands.add_restore, commands.add_parse,
                commands.add_train, commands.add_load):
        add(sub, EPILOG)
    for p in sub.choices.values():  # `vnplans run ... --debug` works too
        p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                       help="on an internal error, print the full traceback")
    return ap


def _start_workers_early(argv: list[str]) -> None:
    """`vnplans run` on the local pool: start the workers' forkserver (its preload takes
    ~0.7 s) before building the parser, whose imports (the OCR stage, ~0.3 s) then run on
    the other core. Any failure is left to `run_batch`, which starts it again."""
    if argv[:1] != ["run"] or any(a in ("-h", "--help") or a.startswith("--scheduler") for a in argv):
        return
    try:
        from vnplans.local import start_forkserver

        start_forkserver()
    except Exception:  # reported where it matters, by run_batch
        return


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line `argv` (default sys.argv[1:]) and return its exit code.
    SIGTERM stops a command as Ctrl-C does (message, manifest saved), with exit 143."""
    try:
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    except ValueError:  # not the main thread: leave signals alone
        return _main(argv)
    try:
        return _main(argv)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _main(argv: Sequence[str] | None) -> int:
    args = None
    try:
        _start_workers_early(list(sys.argv[1:] if argv is None else argv))
        args = build_parser().parse_args(argv)
        func: Callable[[argparse.Namespace], int] = args.func
        return int(func(args))
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        return exc.code if isinstance(exc.code, int) else int(ExitCode.USAGE)
    except Terminated:
        print("vnplans: terminated (SIGTERM); the manifest is saved, a rerun resumes",
              file=sys.stderr)
        return int(ExitCode.TERMINATED)
    except KeyboardInterrupt:
        print("vnplans: interrupted", file=sys.stderr)
        return int(ExitCode.INTERRUPTED)
    except VnplansError as exc:
        print(f"vnplans: {exc.one_line()}", file=sys.stderr)
        return int(exc.exit_code)
    except BrokenPipeError:  # `vnplans ocr x | head`: not an error
        sys.stderr.close()
        return int(ExitCode.OK)
    except Exception as exc:
        if args is not None and getattr(args, "debug", False):
            traceback.print_exc()
        print(f"vnplans: internal error: {type(exc).__name__}: {' '.join(str(exc).split())}"
              " (rerun with --debug for the traceback)", file=sys.stderr)
        return int(ExitCode.INTERNAL_ERROR)


if __name__ == "__main__":
    sys.exit(main())
