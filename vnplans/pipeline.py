"""Stage glue: one page, one document, from ingested pages to a DocumentResult.

Why a separate module from the batch driver: this is pure stage logic with no I/O policy
(no output files, no manifest, no pool), so the same functions serve the local process
pool, a Dask cluster, the `vnplans ocr` command and the notebooks. Stages are imported
inside functions so that a stage that is missing or slow to import costs nothing until it
is needed, and so that pickling `process_page` to a worker stays cheap.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, Any

from vnplans import PIPELINE_VERSION
from vnplans.exceptions import InputNotFoundError

if TYPE_CHECKING:
    from diacritics.models import RestoredPage
    from export.models import DocumentResult
    from ingest.models import Document, Page
    from ocr.models import OcrPage
    from parser.models import PlanRecord

MapPages = Callable[[Callable[[Any], Any], Iterable[Any]], Iterable[Any]]


@dataclass(frozen=True, slots=True)
class PipelineOptions:
    """What to run on each document. `ocr` is an `ocr.OcrOptions` (None: its defaults);
    `force_ocr` and `dpi` are passed to ingest (OCR a PDF even with a good text layer,
    rasterise at this resolution)."""

    ocr: Any = None
    restore: bool = True
    parse: bool = True
    force_ocr: bool = False
    dpi: int | None = None
    restore_all: bool = False  # also restore text pages already in well-formed, marked Vietnamese
    model: str | None = None  # a restoration model file (`vnplans train`); None: the shipped one

    def __post_init__(self) -> None:
        if self.dpi is not None and not 10 <= self.dpi <= 2400:
            raise ValueError(f"implausible dpi {self.dpi}")


def limit_threads() -> None:
    """Tesseract's OpenMP threading is many times slower than one thread per process on
    shared machines; every worker process calls this before its first page. OpenCV's own
    thread pool (one thread per core by default) is capped likewise: with a worker per
    core, its threads only fight the other workers."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    try:
        import cv2
    except ImportError:  # the OCR stage's own import reports it, on the first scanned page
        return
    cv2.setNumThreads(1)


def ocr_options(options: PipelineOptions) -> Any:
    """The OcrOptions for one page: the caller's, or the OCR stage's defaults. Text layers
    of glyph numbers are deciphered once the whole document is read (`settle_pages`)."""
    import ocr

    return replace(options.ocr or ocr.OcrOptions(), decipher=False)


def settle_pages(doc: Document, pages: tuple[OcrPage, ...], options: PipelineOptions) -> tuple[OcrPage, ...]:
    """The document-level step of the OCR stage: a PDF layer of glyph numbers is read back
    with the OCR of all its pages as the key (idempotent)."""
    import ocr

    if options.ocr is not None and not options.ocr.decipher:
        return pages
    return ocr.decipher_document(doc.pages, pages)


def process_page(page: Page, options: PipelineOptions) -> OcrPage:
    """One page to an OcrPage: the per-page unit that worker processes take. Text pages
    (text files, accepted PDF text layers) skip OCR."""
    if page.source != "image":
        from ocr.text import page_from_text

        return page_from_text(page)
    limit_threads()
    from ocr import ocr_page

    return ocr_page(page, ocr_options(options))


_WORD = re.compile(r"[^\W\d_]+")
MARKED_SHARE = 0.5  # Vietnamese prose: ~80% of syllables carry a mark; unmarked text ~0%
SYLLABLE_SHARE = 0.9  # and nearly every word is a well-formed syllable (mojibake is not)


def already_vietnamese(text: str) -> bool:
    """Text that needs no restoration: most words carry marks and nearly all are
    well-formed Vietnamese syllables (a clean text file or accepted PDF text layer).
    ASCII capitals (UBND, KH, CP) are acronyms, not syllables, so they do not count."""
    from ingest import is_syllable

    words = _WORD.findall(text)[:4000]
    if not words:
        return True
    marked = sum(not w.isascii() for w in words) / len(words)
    plain = [w for w in words if not (w.isupper() and w.isascii() and len(w) > 1)]
    syllables = sum(is_syllable(w) for w in plain) / max(1, len(plain))
    return marked >= MARKED_SHARE and syllables >= SYLLABLE_SHARE


def restore_pages(pages: Iterable[OcrPage], options: PipelineOptions) -> tuple[RestoredPage, ...]:
    """Restore diacritics where needed: every OCR page; text pages (files, text layers)
    only when they are not already good Vietnamese (DESIGN: passthrough is for those),
    unless `restore_all`. With `restore` off, every page passes through."""
    from diacritics.passthrough import passthrough

    if not options.restore:
        return tuple(passthrough(p) for p in pages)
    from diacritics import Restorer, load_model, restore_page

    restorer = Restorer(load_model(options.model)) if options.model else None
    return tuple(restore_page(p, restorer) if options.restore_all or p.source == "ocr"
                 or not already_vietnamese(p.text) else passthrough(p) for p in pages)


def parse_pages(pages: tuple[RestoredPage, ...]) -> PlanRecord:
    """The document's PlanRecord."""
    from parser import parse

    record: PlanRecord = parse(pages)
    return record


def ocr_document(
    doc: Document, options: PipelineOptions, map_pages: MapPages = map
) -> tuple[OcrPage, ...]:
    """Every page of `doc` through `process_page`, via `map_pages` (the builtin `map`, a
    pool's `map`, ...). Text pages stay in this process: shipping them costs more than
    reading them."""
    unit = partial(process_page, options=options)
    image_pages = [p for p in doc.pages if p.source == "image"]
    done: dict[int, OcrPage] = {}
    if image_pages:
        for result in map_pages(unit, image_pages):
            done[result.index] = result
    return settle_pages(doc, tuple(done[p.index] if p.index in done else unit(p) for p in doc.pages), options)


def finish_document(
    doc: Document, pages: tuple[OcrPage, ...], options: PipelineOptions,
    timings: dict[str, float] | None = None,
) -> DocumentResult:
    """Restore and parse already OCRed and settled pages (`ocr_document`, or
    `settle_pages` after fanning pages out) into a DocumentResult. Split from
    `process_document` so a driver that fanned the pages out can finish in one task."""
    from export.models import DocumentResult

    clock = dict(timings or {})
    for page in pages:  # the OCR stage's own steps, summed over pages ("ocr.tesseract", ...)
        for step, seconds in page.timings.items():
            clock[f"ocr.{step}"] = round(clock.get(f"ocr.{step}", 0.0) + seconds, 6)
    with _timed(clock, "restore"):
        restored = restore_pages(pages, options)
    with _timed(clock, "parse"):
        record = parse_pages(restored) if options.parse else None
    return DocumentResult(doc, pages, restored, record, PIPELINE_VERSION, clock)


def process_document(
    doc: Document, options: PipelineOptions, map_pages: MapPages = map
) -> DocumentResult:
    """A loaded Document through OCR, restoration and parsing, with per-stage wall times
    (seconds) in `DocumentResult.timings`."""
    clock: dict[str, float] = {}
    with _timed(clock, "ocr"):
        pages = ocr_document(doc, options, map_pages)
    return finish_document(doc, pages, options, clock)


def load_document(path: str, options: PipelineOptions) -> Document:
    """Ingest one file with the options that concern ingest."""
    if not os.path.exists(path):
        raise InputNotFoundError("no such file or directory", path=path)
    from ingest import load

    extra = {"dpi": options.dpi} if options.dpi else {}
    doc: Document = load(path, force_ocr=options.force_ocr, **extra)
    return doc


def run_path(path: str, options: PipelineOptions) -> DocumentResult:
    """One file from load to DocumentResult in this process (one Dask task, one command)."""
    clock: dict[str, float] = {}
    with _timed(clock, "ingest"):
        doc = load_document(path, options)
    result = process_document(doc, options)
    result.timings.update(clock)
    return result


class _timed:
    """Adds the wall time of a `with` block to `clock[name]`."""

    def __init__(self, clock: dict[str, float], name: str) -> None:
        self.clock, self.name = clock, name

    def __enter__(self) -> None:
        self.start = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        elapsed = time.perf_counter() - self.start
        self.clock[self.name] = round(self.clock.get(self.name, 0.0) + elapsed, 6)


def chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Consecutive lists of at most `size` items (for batching cheap documents)."""
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


__all__ = [
    "PipelineOptions",
    "chunks",
    "finish_document",
    "load_document",
    "ocr_document",
    "process_document",
    "process_page",
    "settle_pages",
    "run_path",
]
