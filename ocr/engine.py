"""The OCR stage: Page → OcrPage (clean-up, Tesseract, reading order, tables).

Why one Tesseract call per page (two with a table): the budget is 1.15x plain Tesseract
(1.5x with a table), so the clean-up is cheap estimation on a small copy, a ruled table is
blanked from the page read and its cells read in one more call, and orientation detection
only runs when the first read looks wrong.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from ingest.models import Page

from .cells import ReadTable, read_cells
from .clean import clean, uneven_light
from .elements import Elements, blank, find_elements, mapped, outside, stamp_words
from .layer import decipher_pages
from .layout import LineGroup, order_lines
from .models import Box, Line, OcrPage, Table, Word
from .options import OcrOptions
from .specks import drop_specks
from .tables import blank_tables, detect
from .tesseract import RawWord, detect_rotation, read_words
from .text import page_from_text, text_page

LOW_CONF = 45.0  # mean word confidence under which orientation is checked
DEFAULT_DPI = 300
PAD = 0.004  # of the page width: margin around an element whose words are dropped
TABLE_BLOCK = 1000  # block number of the first table's lines (Tesseract's are small)


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
    result = _with(result, timings=timings,
                   warnings=result.warnings + ((page.note,) if page.note and page.text else ()))
    return decipher_document([page], [result])[0] if options.decipher and page.text else result


def decipher_document(pages: Sequence[Page], ocred: Sequence[OcrPage]) -> tuple[OcrPage, ...]:
    """OCRed pages whose PDF text layer prints glyph numbers, replaced by that layer read
    back with the whole document's OCR as the key (see `layer`). Other pages, and pages
    already deciphered, are returned as they are, so calling this twice changes nothing."""
    t0 = time.perf_counter()
    todo = [i for i, (p, o) in enumerate(zip(pages, ocred, strict=True)) if p.text and o.source == "ocr"]
    fixed = decipher_pages([pages[i].text or "" for i in todo], [ocred[i].text for i in todo])
    out = list(ocred)
    share = (time.perf_counter() - t0) / max(1, len(todo))
    for i, text in zip(todo, fixed, strict=True):
        if text is not None:  # a layer of glyph numbers, read back with the OCR as the key
            page = text_page(pages[i].doc_id, pages[i].index, text, "text-layer")
            out[i] = _with(page, timings=ocred[i].timings | {"decipher": share},
                           steps=ocred[i].steps + ("layer deciphered",),
                           warnings=("text layer of glyph numbers: deciphered against the OCR",))
    return tuple(out)


def _with(page: OcrPage, **changes: object) -> OcrPage:
    return replace(page, **changes)  # type: ignore[arg-type]


def ocr_image(image: np.ndarray, options: OcrOptions, dpi: int, doc_id: str = "0" * 64,
              index: int = 0) -> OcrPage:
    """An image (RGB or grey uint8) to an OcrPage."""
    t0 = time.perf_counter()
    found = find_elements(image, options.lang, dpi, index) if options.elements else Elements()
    if found.boxes:  # read apart: blanked, so the page's line finding does not trip on them
        image = blank(image, found.boxes)
    t_elements = time.perf_counter() - t0
    given, (gray, dpi, steps) = dpi, clean(image, options, dpi)
    if options.sauvola and uneven_light(gray):
        steps += ("sauvola",)
    elif options.sauvola:
        options = replace(options, sauvola=False)
    t1 = time.perf_counter()
    words, read, t_tables = _read(gray, dpi, options)
    every = words + [w for r in read for w in r.words()]
    if options.orientation and _looks_wrong(every):
        turned = _reorient(gray, dpi, options, every)
        if turned is not None:
            gray, words, read, t_more, turn = turned
            t_tables, steps = t_tables + t_more, steps + turn
    t2 = time.perf_counter()
    words, found, steps = _apart(words, found, steps, gray.shape[:2], dpi / given, index,
                                 options.elements)
    words, specks = drop_specks(words, gray.shape[0])
    steps += (f"specks:{specks}",) if specks else ()
    groups = order_lines(words, gray.shape[1], gray.shape[0], options.columns)
    groups, slots = insert_tables(groups, read)
    page = assemble(doc_id, index, groups, gray.shape[1], gray.shape[0], dpi, steps)
    timings = {"elements": t_elements, "clean": t1 - t0 - t_elements,
               "tesseract": t2 - t1 - t_tables, "tables": t_tables,
               "layout": time.perf_counter() - t2}
    warnings = () if page.text.strip() else ("no text found on the page",)
    tables = _place_tables(tuple(_spanned(r, s, page) for r, s in zip(read, slots, strict=True)),
                           page)
    return _with(page, tables=tables, timings=timings, warnings=warnings,
                 signatures=found.signatures, received=found.received)


def _apart(words: list[RawWord], found: Elements, steps: tuple[str, ...], shape: tuple[int, int],
           scale: float, index: int, elements: bool) -> tuple[list[RawWord], Elements, tuple[str, ...]]:
    """The page's words without the elements read apart (their boxes mapped onto the
    cleaned page), and a receipt stamp told by its words when no frame was found."""
    reoriented = any(s.startswith("orientation:") for s in steps)  # boxes blanked, not mapped
    if found.boxes and not reoriented:
        angle = next((float(s[7:]) for s in steps if s.startswith("deskew:")), 0.0)
        pad = PAD * shape[1]  # a frame's own rule reads as junk just outside it
        boxes = [(b[0] - pad, b[1] - pad, b[2] + pad, b[3] + pad)
                 for b in (mapped(b, scale, angle, shape) for b in found.boxes)]
        words, steps = outside(words, boxes), steps + (f"elements:{len(found.boxes)}",)
    if elements and not found.received:
        words, stamp = stamp_words(words, index)
        found = replace(found, received=(stamp,)) if stamp else found
        steps += ("receipt stamp",) if stamp else ()
    return words, found, steps


def _looks_wrong(words: list[RawWord]) -> bool:
    if len(words) < 5:
        return len(words) > 0
    return float(np.mean([w.conf for w in words])) < LOW_CONF


def _read(gray: np.ndarray, dpi: int,
          options: OcrOptions) -> tuple[list[RawWord], list[ReadTable], float]:
    """(words outside tables, tables read cell by cell, seconds spent on tables). The
    tables are blanked out of the full-page read; their cells are read apart (cells.py)."""
    if not options.tables:
        return read_words(gray, options.lang, dpi, options.psm, options.sauvola, options.doubts), [], 0.0
    t0 = time.perf_counter()
    found = detect(gray)
    t_detect = time.perf_counter() - t0
    words = read_words(blank_tables(gray, found), options.lang, dpi, options.psm, options.sauvola,
                       options.doubts)
    t1 = time.perf_counter()
    read = read_cells(gray, found, dpi, options)
    return words, read, t_detect + time.perf_counter() - t1


Turned = tuple[np.ndarray, list[RawWord], list[ReadTable], float, tuple[str, ...]]


def _reorient(gray: np.ndarray, dpi: int, options: OcrOptions,
              words: list[RawWord]) -> Turned | None:
    """The page turned upright and read again, when OSD says so and the new read is
    more confident; None otherwise."""
    turn, conf = detect_rotation(gray, dpi)
    if turn == 0 or conf < 1.0:
        return None
    k = {90: 3, 180: 2, 270: 1}[turn]  # np.rot90 turns counter-clockwise
    rotated = np.ascontiguousarray(np.rot90(gray, k))
    new, read, seconds = _read(rotated, dpi, options)
    every = new + [w for r in read for w in r.words()]
    if np.mean([w.conf for w in every] or [0]) > np.mean([w.conf for w in words] or [0]):
        return rotated, new, read, seconds, (f"orientation:{turn}",)
    return None


def insert_tables(groups: list[LineGroup],
                  read: list[ReadTable]) -> tuple[list[LineGroup], list[list[list[int]]]]:
    """The page's lines with each table's cells put in at its place in reading order
    (after the last line above the table): row by row, cell by cell, one line per printed
    cell line, as flattened tables read in text files. Returns per table, per cell, the
    indices of its lines in the new list."""
    out = list(groups)
    slots: list[list[list[int]]] = []
    for k, rt in enumerate(read):
        above = [i for i, g in enumerate(out) if _mid_y(g) < rt.grid.box.y0]
        at = max(above) + 1 if above else 0
        table_groups: list[LineGroup] = []
        cells: list[list[int]] = []
        for _cell, lines in rt.cells:
            cells.append([at + len(table_groups) + j for j in range(len(lines))])
            table_groups += [LineGroup(ln, TABLE_BLOCK + k) for ln in lines]
        out[at:at] = table_groups
        slots = [[[i + len(table_groups) if i >= at else i for i in c] for c in s] for s in slots]
        slots.append(cells)
    return out, slots


def _mid_y(g: LineGroup) -> float:
    return sum(w.y0 + w.y1 for w in g.words) / (2 * len(g.words))


def _spanned(rt: ReadTable, slots: list[list[int]], page: OcrPage) -> Table:
    """The Table with each cell's span in the page text (first to last of its lines)."""
    from dataclasses import replace

    table = rt.table()
    cells = tuple(
        replace(c, start=page.lines[ix[0]].start, end=page.lines[ix[-1]].end) if ix else c
        for c, ix in zip(table.cells, slots, strict=True)
    )
    first = min((ix[0] for ix in slots if ix), default=None)
    return replace(table, cells=cells, after_line=-2 if first is None else first - 1)


def _place_tables(tables: tuple[Table, ...], page: OcrPage) -> tuple[Table, ...]:
    """Set the place in reading order of a table whose cells put no line in the page
    text (marked after_line=-2): after the last line above it."""
    from dataclasses import replace

    placed = []
    for t in tables:
        if t.box is None or t.after_line != -2:
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
            words.append(Word(w.text, wbox, w.conf, g.block, len(lines), pos, pos + len(w.text),
                              w.doubts))
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
