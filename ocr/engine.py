"""The OCR stage: Page → OcrPage (clean-up, Tesseract, reading order, tables).

Why one Tesseract call per page: the budget is 1.15x plain Tesseract, so the clean-up is
cheap estimation on a small copy, and orientation detection (a second call) only runs
when the first read looks wrong.
"""

from __future__ import annotations

import time

import numpy as np

from ingest.models import Page

from .clean import clean
from .layout import LineGroup, order_lines
from .models import Box, Line, OcrPage, Table, Word
from .options import OcrOptions
from .tesseract import RawWord, detect_rotation, read_words
from .text import page_from_text

LOW_CONF = 45.0  # mean word confidence under which orientation is checked
DEFAULT_DPI = 300


def ocr_page(page: Page, options: OcrOptions | None = None) -> OcrPage:
    """Text pages pass through as text; image pages are rasterised and OCRed."""
    options = options or OcrOptions()
    if page.source != "image" or page.image is None:
        return page_from_text(page)
    from ingest import load_image

    t0 = time.perf_counter()
    image = load_image(page.image)
    load_s = time.perf_counter() - t0
    dpi = options.dpi or page.image.dpi or DEFAULT_DPI
    result = ocr_image(image, options, dpi, page.doc_id, page.index)
    timings = {"rasterise": load_s, **result.timings}
    return _with(result, timings=timings, warnings=result.warnings + ((page.note,) if page.note and page.text else ()))


def _with(page: OcrPage, **changes: object) -> OcrPage:
    from dataclasses import replace

    return replace(page, **changes)  # type: ignore[arg-type]


def ocr_image(image: np.ndarray, options: OcrOptions, dpi: int, doc_id: str = "0" * 64,
              index: int = 0) -> OcrPage:
    """An image (RGB or grey uint8) to an OcrPage."""
    t0 = time.perf_counter()
    gray, dpi, steps = clean(image, options, dpi)
    t1 = time.perf_counter()
    words = read_words(gray, options.lang, dpi, options.psm, options.sauvola)
    if options.orientation and _looks_wrong(words):
        gray, words, turned = _reorient(gray, dpi, options, words)
        steps += turned
    t2 = time.perf_counter()
    tables: tuple[Table, ...] = ()
    if options.tables:
        tables, words = _tables(gray, words, options)
    t3 = time.perf_counter()
    groups = order_lines(words, gray.shape[1], gray.shape[0], options.columns)
    page = assemble(doc_id, index, groups, gray.shape[1], gray.shape[0], dpi, steps)
    timings = {"clean": t1 - t0, "tesseract": t2 - t1, "tables": t3 - t2,
               "layout": time.perf_counter() - t3}
    warnings = () if page.text.strip() else ("no text found on the page",)
    return _with(page, tables=_place_tables(tables, page), timings=timings, warnings=warnings)


def _looks_wrong(words: list[RawWord]) -> bool:
    if len(words) < 5:
        return len(words) > 0
    return float(np.mean([w.conf for w in words])) < LOW_CONF


def _reorient(gray: np.ndarray, dpi: int, options: OcrOptions,
              words: list[RawWord]) -> tuple[np.ndarray, list[RawWord], tuple[str, ...]]:
    turn, conf = detect_rotation(gray, dpi)
    if turn == 0 or conf < 1.0:
        return gray, words, ()
    k = {90: 3, 180: 2, 270: 1}[turn]  # np.rot90 turns counter-clockwise
    rotated = np.ascontiguousarray(np.rot90(gray, k))
    new = read_words(rotated, options.lang, dpi, options.psm, options.sauvola)
    if np.mean([w.conf for w in new] or [0]) > np.mean([w.conf for w in words] or [0]):
        return rotated, new, (f"orientation:{turn}",)
    return gray, words, ()


def _tables(gray: np.ndarray, words: list[RawWord],
            options: OcrOptions) -> tuple[tuple[Table, ...], list[RawWord]]:
    """Ruled tables, read cell by cell, when the table module is present."""
    try:
        from .tables import extract_tables
    except ImportError:
        return (), words
    tables, rest = extract_tables(gray, tuple(words), options)
    return tuple(tables), list(rest)


def _place_tables(tables: tuple[Table, ...], page: OcrPage) -> tuple[Table, ...]:
    """Set each table's place in reading order: after the last line above it."""
    from dataclasses import replace

    placed = []
    for t in tables:
        if t.box is None:
            placed.append(t)
            continue
        above = [i for i, ln in enumerate(page.lines) if ln.box and ln.box.y1 <= t.box.y0]
        placed.append(replace(t, after_line=max(above) if above else -1))
    return tuple(placed)


def assemble(doc_id: str, index: int, groups: list[LineGroup], width: int, height: int,
             dpi: int, steps: tuple[str, ...]) -> OcrPage:
    """Lines joined by newlines, a blank line between blocks; every Word and Line
    points into the text."""
    parts: list[str] = []
    lines: list[Line] = []
    words: list[Word] = []
    pos = 0
    prev_block: int | None = None
    for g in groups:
        if prev_block is not None and g.block != prev_block:
            parts.append("\n")
            pos += 1
        prev_block = g.block
        start = pos
        for j, w in enumerate(g.words):
            if j:
                parts.append(" ")
                pos += 1
            wbox = Box(max(0, w.x0), max(0, w.y0), max(0, w.x1), max(0, w.y1))
            words.append(Word(w.text, wbox, w.conf, g.block, len(lines), pos, pos + len(w.text)))
            parts.append(w.text)
            pos += len(w.text)
        text = "".join(parts)[start:]
        box = _union([wd.box for wd in words if wd.line == len(lines) and wd.box])
        conf = float(np.mean([w.conf for w in g.words]))
        lines.append(Line(text, box, g.block, start, pos, conf))
        parts.append("\n")
        pos += 1
    full = "".join(parts)[:-1] if parts else ""
    mean = float(np.mean([w.conf for w in words])) if words else 0.0
    return OcrPage(doc_id, index, "ocr", full, tuple(lines), tuple(words), width, height, dpi,
                   mean_conf=mean if words else 0.0, steps=steps)


def _union(boxes: list[Box]) -> Box | None:
    return Box.enclosing(boxes)
