"""The subcommands of `vnplans`: one `add_X(sub, epilog)` (its parser, with every option
documented) and one `cmd_X(args) -> int` each.

Why apart from cli.py: cli.py owns error handling and exit codes; these only do the work
and raise VnplansError. Stages are imported inside the commands so `vnplans --help` is
instant and a missing stage only affects the commands that need it.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

from vnplans.exceptions import ExitCode, MissingDependencyError, UsageError
from vnplans.pipeline import PipelineOptions

_FMT = argparse.RawDescriptionHelpFormatter


def _stage(module: str, name: str) -> Any:
    """`module.name`, or MissingDependencyError when that stage is not available."""
    import importlib

    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        raise MissingDependencyError(f"{module}.{name} is not available ({exc})") from exc


def _dpi(text: str) -> int:
    value = int(text)
    if not 50 <= value <= 1200:
        raise argparse.ArgumentTypeError(f"implausible dpi {value} (50-1200)")
    return value


def _workers(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("needs at least 1 worker")
    return value


# ---------------------------------------------------------------- run
def add_run(sub: Any, epilog: str) -> None:
    p = sub.add_parser("run", formatter_class=_FMT, epilog=epilog,
                       help="batch: every input to OUT (JSON per document, Parquet, manifest)",
                       description="Process files and directories into OUT: one JSON per document, "
                       "Parquet tables, and OUT/manifest.json (status of every input). Resumable: "
                       "a document whose content (sha256) is already complete in OUT for this "
                       "pipeline version is skipped. Each bad input gets one line on stderr and the "
                       "batch goes on. Exit 1 when any input failed (when the run had a single "
                       "input, that input's own code instead).")
    p.add_argument("paths", nargs="+", metavar="PATH", help="input files or directories (recursed)")
    p.add_argument("--out", required=True, type=Path, metavar="DIR",
                   help="output directory (created if missing; locked while the run lasts)")
    p.add_argument("--workers", type=_workers, default=0, metavar="N",
                   help="worker processes (default: all cores; ignored with --scheduler)")
    p.add_argument("--force", action="store_true",
                   help="redo documents already complete in OUT")
    p.add_argument("--force-ocr", action="store_true",
                   help="OCR PDF pages even when they have a good text layer")
    p.add_argument("--dpi", type=_dpi, metavar="DPI",
                   help="resolution: rasterise PDF pages at it and read page images as scanned at it "
                   "(default: the image's own, else 300)")
    p.add_argument("--no-restore", action="store_true",
                   help="keep OCR text as read (skip diacritics restoration)")
    p.add_argument("--no-doubts", action="store_true",
                   help="faster OCR (about 6 %% of Tesseract's time): do not collect the letters "
                   "Tesseract hesitated over, which restoration weighs (measured: GP 2507 body "
                   "CER after restoration 0.99 %% with them, 1.23 %% without)")
    p.add_argument("--restore-all", action="store_true",
                   help="restore text pages too when they already read as well-formed Vietnamese "
                   "with marks (by default only OCR output and unmarked or damaged text is restored)")
    p.add_argument("--no-parse", action="store_true",
                   help="skip field extraction (documents get text only, no record)")
    p.add_argument("--scheduler", metavar="URL",
                   help="run on an existing Dask cluster (tcp://HOST:PORT), one task per "
                   "document; its workers must be able to read the input paths")
    _model_arg(p)
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_run)


def cmd_run(args: argparse.Namespace) -> int:
    from vnplans.batch import BatchOptions, run_batch

    ocr = None
    if args.dpi or args.no_doubts:
        ocr = dataclasses.replace(_stage("ocr", "OcrOptions")(), dpi=args.dpi, doubts=not args.no_doubts)
    pipeline = PipelineOptions(ocr=ocr, restore=not args.no_restore, parse=not args.no_parse,
                               force_ocr=args.force_ocr, dpi=args.dpi, restore_all=args.restore_all,
                               model=_model(args))
    options = BatchOptions(args.out, pipeline, workers=args.workers, force=args.force,
                           quiet=args.quiet, scheduler=args.scheduler)
    report = run_batch(args.paths, options)
    print(f"{report.count('ok')} ok, {report.count('skipped')} skipped, "
          f"{report.count('failed')} failed -> {args.out}")
    return int(report.exit_code)


def _model_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", metavar="PATH",
                   help="restoration model written by `vnplans train` (default: the shipped "
                   "model); after changing it, rerun a batch with --force")


def _model(args: argparse.Namespace) -> str | None:
    """The --model path, checked now (a clear error before any work), or None."""
    if not getattr(args, "model", None):
        return None
    _stage("diacritics", "load_model")(args.model)
    return str(Path(args.model).resolve())


# ---------------------------------------------------------------- ocr
def ocr_fields() -> list[dataclasses.Field[Any]]:
    """The OCR stage's options (empty while it is unavailable)."""
    try:
        from ocr import OcrOptions
    except ImportError:
        return []
    return list(dataclasses.fields(OcrOptions)) if dataclasses.is_dataclass(OcrOptions) else []


STEP_HELP = {  # what each clean-up step of ocr.OcrOptions does, for --help
    "orientation": "the orientation check (Tesseract OSD, only when the first read looks wrong)",
    "deskew": "deskewing",
    "denoise": "denoising",
    "sauvola": "Tesseract's adaptive (Sauvola) binarisation",
    "seal_removal": "removal of red and blue seals and stamps",
    "border_crop": "cropping of dark scan borders",
    "upscale": "enlarging pages under 200 dpi to 300 dpi",
    "columns": "splitting the two-column Decree 30 header into blocks",
    "tables": "table detection and cell-by-cell reading",
    "doubts": "Tesseract's per-letter doubts (which tone it hesitated over), which restoration "
              "weighs; costs about 6 %% of Tesseract's time",
}


def _steps() -> list[dataclasses.Field[Any]]:
    """Clean-up steps: the OCR options that are on/off switches."""
    return [f for f in ocr_fields() if f.type in ("bool", bool) and isinstance(f.default, bool)]


def add_ocr(sub: Any, epilog: str) -> None:
    p = sub.add_parser("ocr", formatter_class=_FMT, epilog=epilog,
                       help="print the text of each page of one file",
                       description="OCR one file (PDF, image, text) and print each page's text, "
                       "a form feed between pages. Text pages (text files, good PDF text layers) "
                       "are printed as they are unless --force-ocr.")
    p.add_argument("file", metavar="FILE", help="the input file")
    p.add_argument("--json", action="store_true",
                   help="print JSON: pages with their lines and words (boxes, confidences), "
                   "clean-up steps applied, tables and warnings")
    p.add_argument("--lang", metavar="LANGS",
                   help="Tesseract model(s), e.g. vie, Vietnamese, vie+eng (default: vie)")
    p.add_argument("--dpi", type=_dpi, metavar="DPI",
                   help="resolution: rasterise PDF pages at it and read page images as scanned at it "
                   "(default: the image's own, else 300)")
    p.add_argument("--force-ocr", action="store_true",
                   help="OCR PDF pages even when they have a good text layer")
    p.add_argument("--workers", type=_workers, default=1, metavar="N",
                   help="OCR pages in N processes (default: 1)")
    for f in _steps():
        flag = f.name.replace("_", "-")
        what = STEP_HELP.get(f.name) or f"the {f.name.replace('_', ' ')} clean-up step"
        if f.default:
            p.add_argument(f"--no-{flag}", dest=f"step_{f.name}", action="store_false",
                           help=f"skip {what} (on by default)")
        else:
            p.add_argument(f"--{flag}", dest=f"step_{f.name}", action="store_true",
                           help=f"apply {what} (off by default)")
    p.set_defaults(func=cmd_ocr)


def ocr_options_from(args: argparse.Namespace) -> Any:
    """An OcrOptions from the command line (steps switched off, languages)."""
    OcrOptions = _stage("ocr", "OcrOptions")
    names = {f.name for f in ocr_fields()}
    changes = {f.name: getattr(args, f"step_{f.name}") for f in _steps()}
    if args.lang and "lang" in names:
        changes["lang"] = args.lang
    if args.dpi and "dpi" in names:
        changes["dpi"] = args.dpi
    try:
        return dataclasses.replace(OcrOptions(), **changes)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc


def cmd_ocr(args: argparse.Namespace) -> int:
    from vnplans.pipeline import load_document, ocr_document

    options = PipelineOptions(ocr=ocr_options_from(args), force_ocr=args.force_ocr, dpi=args.dpi)
    doc = load_document(args.file, options)
    if args.workers > 1 and sum(p.source == "image" for p in doc.pages) > 1:
        from vnplans.local import make_pool

        with make_pool(args.workers) as pool:
            pages = ocr_document(doc, options, pool.map)
    else:
        pages = ocr_document(doc, options)
    if args.json:
        body = {"doc_id": doc.doc_id, "path": doc.path, "kind": doc.kind,
                "warnings": list(doc.warnings), "pages": [dataclasses.asdict(p) for p in pages]}
        print(json.dumps(body, ensure_ascii=False, indent=1))
    else:
        text = "\f".join(p.text for p in pages)
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return int(ExitCode.OK)


# ---------------------------------------------------------------- restore
def add_restore(sub: Any, epilog: str) -> None:
    p = sub.add_parser("restore", formatter_class=_FMT, epilog=epilog,
                       help="restore Vietnamese diacritics in text, line for line",
                       description="Print the text of FILE (or standard input) with Vietnamese "
                       "diacritics restored. The output has exactly the input's lines.")
    p.add_argument("file", nargs="?", default="-", metavar="FILE",
                   help="a text file; '-' or nothing reads standard input")
    _model_arg(p)
    p.set_defaults(func=cmd_restore)


def read_text(name: str) -> str:
    """The text of a file or stdin, decoded like ingest decodes text inputs."""
    from vnplans.exceptions import DecodeError, InputNotFoundError

    try:
        data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except FileNotFoundError as exc:
        raise InputNotFoundError("no such file", path=name) from exc
    except OSError as exc:
        raise DecodeError(f"cannot read: {exc.strerror}", path=name) from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text, _encoding = _stage("ingest", "decode_text")(data)
    except ValueError as exc:  # ingest's UndecodableText
        raise DecodeError(str(exc), path=name) from exc
    return str(text)


def cmd_restore(args: argparse.Namespace) -> int:
    model = _model(args)
    text = read_text(args.file)
    restore_text = _stage("diacritics", "restore_text")
    restorer = _stage("diacritics", "Restorer")(_stage("diacritics", "load_model")(model)) if model else None
    sys.stdout.write(restore_text(text, restorer))
    sys.stdout.flush()
    return int(ExitCode.OK)


# ---------------------------------------------------------------- parse
def add_parse(sub: Any, epilog: str) -> None:
    p = sub.add_parser("parse", formatter_class=_FMT, epilog=epilog,
                       help="extract the record (header, legal acts, ...) of one file",
                       description="Run one file through the whole pipeline and print what the "
                       "parser found: a short summary, or the full PlanRecord with --json.")
    p.add_argument("file", metavar="FILE", help="the input file (text, PDF, image)")
    p.add_argument("--json", action="store_true", help="print the full record as JSON")
    p.add_argument("--no-restore", action="store_true", help="skip diacritics restoration")
    _model_arg(p)
    p.set_defaults(func=cmd_parse)


def cmd_parse(args: argparse.Namespace) -> int:
    from vnplans.pipeline import run_path

    result = run_path(args.file, PipelineOptions(restore=not args.no_restore, model=_model(args)))
    record = result.record
    assert record is not None  # parse=True
    if args.json:
        print(json.dumps(dataclasses.asdict(record), ensure_ascii=False, indent=1, default=str))
        return int(ExitCode.OK)
    for name, value in dataclasses.asdict(record.header).items():
        if isinstance(value, dict) and value.get("value") is not None:
            print(f"{name}: {value['value']}")
    print(f"sections: {len(record.sections)}, legal acts: {len(record.legal_acts)}, "
          f"audiences: {len(record.audiences)}, responsibilities: {len(record.responsibilities)}")
    return int(ExitCode.OK)


# ---------------------------------------------------------------- train
def add_train(sub: Any, epilog: str) -> None:
    p = sub.add_parser("train", formatter_class=_FMT, epilog=epilog,
                       help="build the diacritics restoration model from a text corpus",
                       description="Extend the shipped diacritics restoration model (or the one "
                       "already at --model) with the Vietnamese text files under --corpus, and "
                       "save it to --model. Use it with `run`, `restore` and `parse --model PATH`.")
    p.add_argument("--corpus", required=True, type=Path, metavar="DIR",
                   help="directory of clean Vietnamese text files (*.txt, with diacritics)")
    p.add_argument("--model", required=True, type=Path, metavar="PATH",
                   help="where to save the model (the shipped model is never overwritten)")
    p.set_defaults(func=cmd_train)


def cmd_train(args: argparse.Namespace) -> int:
    from vnplans.exceptions import InputNotFoundError

    train = _stage("diacritics", "train")
    if not args.corpus.is_dir():
        raise InputNotFoundError("no such directory", path=args.corpus)
    print(f"model written to {train(args.corpus, args.model)}")
    return int(ExitCode.OK)


# ---------------------------------------------------------------- load
def add_load(sub: Any, epilog: str) -> None:
    p = sub.add_parser("load", formatter_class=_FMT, epilog=epilog,
                       help="load the documents of OUT into SQLite or PostgreSQL",
                       description="Load every document JSON of a `vnplans run` output "
                       "directory into a database, and print the row count of each table.")
    p.add_argument("out", type=Path, metavar="OUT", help="the output directory of `vnplans run`")
    p.add_argument("--db", metavar="URL",
                   help="SQLAlchemy URL, e.g. postgresql://user@host/db (needs "
                   "pip install 'vnplans[postgres]'; default: sqlite file OUT/vnplans.sqlite)")
    p.set_defaults(func=cmd_load)


def cmd_load(args: argparse.Namespace) -> int:
    """Load under OUT's lock (a run in progress is refused, not read half-done), and only
    from a folder that is a `vnplans run` output: tables and a database are written there."""
    from vnplans.exceptions import BadInputError, InputNotFoundError
    from vnplans.manifest import MANIFEST, OutputLock

    load_db = _stage("export", "load_db")
    if not args.out.is_dir():
        raise InputNotFoundError("no such directory", path=args.out)
    if not (args.out / MANIFEST).is_file():
        raise BadInputError("not the output directory of a `vnplans run` (no manifest.json)",
                            path=args.out)
    url = args.db or f"sqlite:///{(args.out / 'vnplans.sqlite').resolve()}"
    with OutputLock(args.out):
        counts = load_db(args.out, url)
    for table, n in dict(counts).items():
        print(f"{table}\t{n}")
    return int(ExitCode.OK)
