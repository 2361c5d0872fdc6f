"""Reading a ruled table's cells: crops of the cells on a few sheets, one Tesseract call.

Why: Tesseract reads a table across its columns, so each cell is read apart; but a process
per cell costs ~0.15 s each. The cells' ink is cropped (rules and neighbours whitened),
stacked on sheets sorted by width (white costs Tesseract time too), and all sheets go to
one Tesseract process as a list file. Words come back to their cell by where they sit.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from . import tessapi
from .models import Cell, Table
from .options import OcrOptions
from .tables import Detection, Grid, GridCell
from .tesseract import RawWord, check_lang, clean_text, image_data, letter_doubts

SHORT = 4  # a one-line crop less wide than 4 heights is short (a label, a word or two)
SHORT_LINE = 0.3  # inches: a crop lower than this holds one line


@dataclass(frozen=True, slots=True)
class _Placed:
    """A cell's crop in a mosaic: mosaic `sheet`, its rows y0..y1, its page corner."""

    grid: int
    label: int
    sheet: int
    y0: int
    y1: int
    page_x: int
    page_y: int
    width: int = 0
    glyphs: int = 0  # > 0: a one-word crop with its glyphs spread apart, and how many


def _crop(gray: np.ndarray, g: Grid, c: GridCell, margin: int) -> tuple[np.ndarray, int, int] | None:
    """The cell's ink, tight, with a margin: only its own region (rules and neighbours
    whitened). None when the cell is empty (specks only)."""
    b = c.box
    own = g.labels[b.y0 - g.box.y0:b.y1 - g.box.y0, b.x0 - g.box.x0:b.x1 - g.box.x0] == c.label
    own = cv2.erode(own.view(np.uint8), np.ones((2 * margin // 3 + 1,) * 2, np.uint8)) > 0
    sub = np.where(own, _flatten(gray[b.y0:b.y1, b.x0:b.x1], margin), 255).astype(np.uint8)
    ink = (sub < min(160, int(np.median(sub)) - 40)).astype(np.uint8)
    n, _, st, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    keep = [i for i in range(1, n) if st[i, cv2.CC_STAT_AREA] >= 8]
    if not keep:
        return None
    x0 = max(0, min(int(st[i, 0]) for i in keep) - margin)
    y0 = max(0, min(int(st[i, 1]) for i in keep) - margin)
    x1 = min(sub.shape[1], max(int(st[i, 0] + st[i, 2]) for i in keep) + margin)
    y1 = min(sub.shape[0], max(int(st[i, 1] + st[i, 3]) for i in keep) + margin)
    return sub[y0:y1, x0:x1], b.x0 + x0, b.y0 + y0


def _flatten(img: np.ndarray, margin: int) -> np.ndarray:
    """The crop divided by its paper's brightness (a max filter wider than a stroke), so
    that a cell in a shadow comes out black on white like the others: stacked on a white
    sheet, grey paper under uneven light was read as garbage."""
    paper = cv2.dilate(img, np.ones((4 * margin + 1,) * 2, np.uint8))
    paper = cv2.blur(paper, (4 * margin + 1,) * 2)
    out = img.astype(np.float32) * 255.0 / np.maximum(paper, 1).astype(np.float32)
    return np.clip(out, 0, 255).astype(np.uint8)


def _classes(widths: list[int], heights: list[int], most: int = 3) -> list[int]:
    """Cut crops sorted by width into at most `most` runs, each stacked on a sheet as wide
    as its widest crop, so that the total sheet area is least (Tesseract's time grows
    with the pixels it binarises, white ones included). Returns the run starts."""
    n = len(widths)
    best: dict[tuple[int, int], tuple[float, list[int]]] = {(0, 0): (0.0, [])}
    for k in range(1, most + 1):
        for j in range(1, n + 1):
            options = [(best[(k - 1, i)][0] + widths[j - 1] * sum(heights[i:j]),
                        best[(k - 1, i)][1] + [i])
                       for i in range(j) if (k - 1, i) in best]
            if options:
                best[(k, j)] = min(options)
    return min(best[(k, n)] for k in range(1, most + 1) if (k, n) in best)[1]


Crop = tuple[tuple[np.ndarray, int, int], int, int]  # (image, page x, page y), grid, label


def mosaics(gray: np.ndarray, grids: tuple[Grid, ...], dpi: int) -> tuple[list[np.ndarray], list[_Placed]]:
    """Every non-empty cell's crop on a sheet, for one Tesseract process to read them all
    (a process per cell would cost ~0.15 s each). A short crop (a row label, one or two
    words) gets a sheet of its own: stacked among long cells it was misread (`STT` as
    `STTL`). Longer crops are stacked on a few sheets by width, white between."""
    gap, margin = _gap(dpi), max(4, dpi // 50)
    crops = [(got, k, c.label) for k, g in enumerate(grids) for c in g.cells
             if (got := _crop(gray, g, c, margin)) is not None]
    is_short = [t[0][0].shape[0] < SHORT_LINE * dpi and t[0][0].shape[1] < SHORT * t[0][0].shape[0]
                for t in crops]
    short = [t for t, sh in zip(crops, is_short, strict=True) if sh]
    long = sorted((t for t, sh in zip(crops, is_short, strict=True) if not sh),
                  key=lambda t: t[0][0].shape[1])
    sheets: list[np.ndarray] = []
    placed: list[_Placed] = []
    runs = [[_whiten(t)] for t in short]
    spread = [sp for t in runs if (sp := _spread(t[0], gap)) is not None]
    if long:
        starts = _classes([t[0][0].shape[1] for t in long], [t[0][0].shape[0] + gap for t in long])
        runs += [long[a:b] for a, b in zip(starts, starts[1:] + [len(long)], strict=True)]
    for run in runs:
        sheets.append(_stack(sorted(run, key=lambda t: (t[1], t[0][2], t[0][1])), gap,
                             len(sheets), placed))
    for crop, n in spread:
        sheets.append(_stack([crop], gap, len(sheets), placed, glyphs=n))
    return sheets, placed


def _spread(crop: Crop, gap: int) -> tuple[Crop, int] | None:
    """A one-word crop (no gap as wide as a space) with white put between its glyphs, and
    the glyph count; None for anything else. Why: the Vietnamese model reads bold `II`
    as `H` when the serifs nearly touch, and reads the spread glyphs right."""
    img = crop[0][0]
    cols = (img < 128).any(axis=0)
    edges = np.flatnonzero(np.diff(np.concatenate(([0], cols.view(np.int8), [0]))))
    runs = list(zip(edges[::2], edges[1::2], strict=True))
    rows = np.flatnonzero((img < 128).any(axis=1))
    if len(runs) < 2 or not len(rows):
        return None
    height = int(rows[-1] - rows[0] + 1)
    if any(b[0] - a[1] > 0.25 * height for a, b in zip(runs, runs[1:], strict=False)):
        return None
    white = np.full((img.shape[0], gap // 2), 255, np.uint8)
    parts = [img[:, : runs[0][0]]]
    for a, b in runs:
        parts += [img[:, a:b], white]
    parts.append(img[:, runs[-1][1]:])
    return ((np.hstack(parts), crop[0][1], crop[0][2]), crop[1], crop[2]), len(runs)


def _whiten(crop: Crop) -> Crop:
    """A short crop with its paper noise set white: alone on its sheet, a noisy label was
    misread (`13` as `KỆ:`). Long crops keep theirs (whitening thinned accents there)."""
    (img, x, y), k, label = crop
    img = img.copy()
    img[img > min(210, int(np.median(img)) - 25)] = 255
    return (img, x, y), k, label


def _stack(run: list[Crop], gap: int, sheet: int, placed: list[_Placed],
           glyphs: int = 0) -> np.ndarray:
    """The crops of `run` one under another on a white sheet (their places appended)."""
    canvas = np.full((gap + sum(t[0][0].shape[0] + gap for t in run),
                      max(t[0][0].shape[1] for t in run) + 2 * gap), 255, np.uint8)
    y = gap
    for (img, px, py), k, label in run:
        canvas[y:y + img.shape[0], gap:gap + img.shape[1]] = img
        placed.append(_Placed(k, label, sheet, y, y + img.shape[0], px, py, img.shape[1], glyphs))
        y += img.shape[0] + gap
    return canvas


def _gap(dpi: int) -> int:
    return max(16, dpi // 8)


def _to_page(w: RawWord, sheet: int, placed: list[_Placed],
             gap: int) -> tuple[_Placed, RawWord] | None:
    """(grid, cell label, the word in page coordinates) for a word read on a sheet."""
    mid = (w.y0 + w.y1) // 2
    pl = next((p for p in placed if p.sheet == sheet and p.y0 - gap // 2 <= mid < p.y1 + gap // 2),
              None)
    if pl is None:
        return None
    dx, dy = pl.page_x - gap, pl.page_y - pl.y0
    moved = RawWord(w.text, max(0, w.x0 + dx), max(0, w.y0 + dy), max(0, w.x1 + dx),
                    max(0, w.y1 + dy), w.conf, w.block, w.par, w.line, w.doubts)
    return pl, moved


def read_sheets(sheets: list[np.ndarray], options: OcrOptions,
                dpi: int) -> list[tuple[int, RawWord]]:
    """(sheet, word) for every word on the sheets, read by this process's engine or by
    one Tesseract process (`--psm 6`: one block, so a lone row label is read, not dropped
    as a speck)."""
    import tempfile

    if tessapi.available():
        check_lang(options.lang)
        return [(k, word) for k, sheet in enumerate(sheets)
                for _, word in _sheet_words(tessapi.image_data(sheet, options.lang, dpi, 6,
                                                               options.sauvola, options.doubts), k)]

    from PIL import Image

    with tempfile.TemporaryDirectory(prefix="vnplans-cells-") as tmp:
        names = []
        for k, sheet in enumerate(sheets):
            names.append(f"{tmp}/sheet{k}.png")
            Image.fromarray(sheet).save(names[-1], compress_level=1)
        Path(f"{tmp}/sheets.txt").write_text("\n".join(names) + "\n", encoding="utf-8")
        return read_words_pages(f"{tmp}/sheets.txt", options.lang, dpi, 6, options.sauvola)


def read_words_pages(listfile: str, lang: str, dpi: int, psm: int,
                     sauvola: bool) -> list[tuple[int, RawWord]]:
    """(page, word) for a Tesseract list file of images: one process, the model loaded
    once."""
    return _sheet_words(image_data(listfile, lang, dpi, psm, sauvola), 0)


def _sheet_words(data: dict[str, list], first: int) -> list[tuple[int, RawWord]]:
    """(sheet, word) from Tesseract's columns; its pages count from `first` + 1."""
    out = []
    for i, printed in enumerate(data["text"]):
        conf, text = float(data["conf"][i]), clean_text(printed)
        if conf < 0 or not text or _speck(text, conf):
            continue
        x, y, w, h = (int(data[k][i]) for k in ("left", "top", "width", "height"))
        out.append((int(data["page_num"][i]) - 1 + first,
                    RawWord(text, x, y, x + w, y + h, min(100.0, conf), int(data["block_num"][i]),
                            int(data["par_num"][i]), int(data["line_num"][i]),
                            letter_doubts(printed, text, data, i))))
    return out


def _speck(text: str, conf: float) -> bool:
    """An unsure symbol-only word (a bar may be a lone I: see _stroke). Unlike on the
    page, an unsure letter string is kept: in a ruled cell it is no seal or signature
    remnant but a misread word (`TFHC;`), and dropping it costs the cell more."""
    from .tesseract import NOISE_CONF

    return not any(c.isalnum() for c in text) and conf < NOISE_CONF and text != "|"


def read_cells(gray: np.ndarray, detection: Detection, dpi: int,
               options: OcrOptions) -> list[ReadTable]:
    """Each grid's cells, read from mosaics of their crops."""
    if not detection.grids:
        return []
    sheets, placed = mosaics(gray, detection.grids, dpi)
    per: list[dict[int, list[RawWord]]] = [{} for _ in detection.grids]
    spread: dict[tuple[int, int], tuple[_Placed, list[RawWord]]] = {}
    for sheet, w in read_sheets(sheets, options, dpi) if sheets else []:
        got = _to_page(w, sheet, placed, _gap(dpi))
        if got is None:
            continue
        pl, word = got
        if pl.glyphs:
            spread.setdefault((pl.grid, pl.label), (pl, []))[1].append(w)
        else:
            per[pl.grid].setdefault(pl.label, []).append(word)
    for (k, label), (pl, words) in spread.items():
        per[k][label] = _pick(per[k].get(label, []), pl, words)
    for cells in per:
        for label, words in cells.items():
            cells[label] = [_stroke(w) for w in words] if len(words) == 1 else [
                w for w in words if w.text != "|"]
    return [
        ReadTable(g, tuple((c, tuple(tuple(ln) for ln in cell_lines(per[k].get(c.label, []))))
                           for c in g.cells))
        for k, g in enumerate(detection.grids)
    ]


def _alnum(words: list[RawWord]) -> int:
    return sum(ch.isalnum() for w in words for ch in w.text)


def _stroke(w: RawWord) -> RawWord:
    """A cell holding a lone vertical bar holds the letter I (a Roman row label): its
    rules are gone, and Tesseract calls an isolated I `|`."""
    if w.text != "|":
        return w
    return RawWord("I", w.x0, w.y0, w.x1, w.y1, w.conf, w.block, w.par, w.line)


def _pick(words: list[RawWord], pl: _Placed, spread: list[RawWord]) -> list[RawWord]:
    """The spread reading of a one-word cell when it, and not the plain one, has as many
    letters as the crop has glyphs (`H` for two stems is not a reading of them)."""
    if _alnum(words) >= pl.glyphs or _alnum(spread) != pl.glyphs:
        return words
    text = "".join(w.text for w in sorted(spread, key=lambda w: w.x0))
    conf = min(w.conf for w in spread)
    return [RawWord(text, pl.page_x, pl.page_y, pl.page_x + pl.width,
                    pl.page_y + pl.y1 - pl.y0, conf, 0, 0, 0)]


def cell_lines(words: list[RawWord]) -> list[list[RawWord]]:
    """A cell's words as lines, top to bottom, each left to right: a word joins the line
    whose middle is within half a text height of its own."""
    lines: list[list[RawWord]] = []
    for w in sorted(words, key=lambda w: (w.y0 + w.y1) / 2):
        mid = (w.y0 + w.y1) / 2
        if lines:
            last = lines[-1]
            lmid = float(np.mean([(v.y0 + v.y1) / 2 for v in last]))
            height = float(np.median([v.y1 - v.y0 for v in last]))
            if abs(mid - lmid) <= 0.5 * height:
                last.append(w)
                continue
        lines.append([w])
    return [sorted(ln, key=lambda w: w.x0) for ln in lines]


@dataclass(frozen=True, slots=True)
class ReadTable:
    """A grid with its words: per cell (in row, column order) its lines of words."""

    grid: Grid
    cells: tuple[tuple[GridCell, tuple[tuple[RawWord, ...], ...]], ...]

    def words(self) -> list[RawWord]:
        return [w for _, lines in self.cells for ln in lines for w in ln]

    def table(self) -> Table:
        """The Table artefact (cell spans in the page text are set by the engine)."""
        out = []
        for gc, lines in self.cells:
            words = [w for ln in lines for w in ln]
            text = " ".join(" ".join(w.text for w in ln) for ln in lines)
            conf = float(np.mean([w.conf for w in words])) if words else 100.0
            out.append(Cell(gc.row, gc.col, text, gc.box, gc.row_span, gc.col_span, conf))
        g = self.grid
        return Table(tuple(out), g.n_rows, g.n_cols, g.box, incomplete=g.incomplete)
