"""Ruled tables: find the grid with OpenCV, read each cell from the page's own words.

Why this way: Tesseract reads a ruled table line by line across its columns, mixing the
cells of a row. The rules themselves tell where the cells are: a long thin morphological
opening keeps only rules, and the regions they enclose *are* the cells, merged ones
included (a group row simply encloses a wider region), whatever the skew. The page is read
once, with the rules erased (they otherwise come out as `|`, `_` glued to numbers); each
word then belongs to the cell region under its centre. No second Tesseract call: a table
page costs what a plain page costs, plus a few OpenCV passes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from .models import Box, Cell, Table
from .options import OcrOptions
from .tesseract import RawWord

H_KERNEL = 30  # a horizontal rule is longer than 1/30 of the page width
V_KERNEL = 60  # a vertical rule is longer than 1/60 of the page height
EDGE = 0.01  # a table this close to the page edge (share of the side) may be cut off
MIN_CELL = 6  # px (reduced page): a smaller enclosed region is a gap between rules, not a cell
SHORT = 4  # a one-line crop less wide than 4 heights is short (a label, a word or two)
SHORT_LINE = 0.3  # inches: a crop lower than this holds one line
MIN_WIDTH = 0.3  # share of the page width a table spans at least
MIN_ROW = 0.012  # share of the page height a typical row is at least tall (a text line)
WORK_MIN = 1000  # px: a page at least twice this wide is searched at half resolution


@dataclass(frozen=True, slots=True)
class GridCell:
    """One enclosed region of a grid: its grid position, spans and page box."""

    row: int
    col: int
    row_span: int
    col_span: int
    box: Box
    label: int  # region label in the grid's label image

    def __post_init__(self) -> None:
        if min(self.row, self.col) < 0 or min(self.row_span, self.col_span) < 1:
            raise ValueError(f"bad grid cell {self}")


@dataclass(frozen=True, slots=True)
class Grid:
    """A ruled table's cells before reading. `labels` holds, over the table's box, the
    cell region label of each pixel (0: rule or outside)."""

    cells: tuple[GridCell, ...]
    n_rows: int
    n_cols: int
    box: Box
    incomplete: bool
    labels: np.ndarray = field(repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        if not is_table(self.n_rows, self.n_cols):
            raise ValueError(f"{self.n_rows} x {self.n_cols} cells is no table")
        if self.labels.shape != (self.box.height, self.box.width):
            raise ValueError("label image does not match the table box")

    def cell_at(self, x: int, y: int) -> GridCell | None:
        """The cell under page point (x, y), None on a rule or outside."""
        lx, ly = x - self.box.x0, y - self.box.y0
        if not (0 <= lx < self.box.width and 0 <= ly < self.box.height):
            return None
        lab = int(self.labels[ly, lx])
        return next((c for c in self.cells if c.label == lab), None) if lab else None


@dataclass(frozen=True, slots=True)
class Detection:
    """The grids found on a page, top to bottom."""

    grids: tuple[Grid, ...]


def rule_masks(gray: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(horizontal, vertical) rule masks, uint8 0/1. A slight thickening across the rule
    first keeps a rule skewed by a degree or two in long enough runs for the opening; a
    closing along the rule bridges small breaks (a worn scan, JPEG)."""
    h, w = gray.shape
    block = max(15, (min(h, w) // 80) | 1)
    ink = cv2.adaptiveThreshold(gray, 1, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV,
                                block, 12)
    lh, lv = max(25, w // H_KERNEL), max(25, h // V_KERNEL)
    gap = max(4, w // 250)
    hor = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((1, 5), np.uint8))  # pin-holes
    hor = cv2.dilate(hor, np.ones((3, 1), np.uint8))
    hor = cv2.morphologyEx(hor, cv2.MORPH_OPEN, np.ones((1, lh), np.uint8))
    hor = cv2.morphologyEx(hor, cv2.MORPH_CLOSE, np.ones((1, gap), np.uint8))
    ver = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((5, 1), np.uint8))
    ver = cv2.dilate(ver, np.ones((1, 3), np.uint8))
    ver = cv2.morphologyEx(ver, cv2.MORPH_OPEN, np.ones((lv, 1), np.uint8))
    ver = cv2.morphologyEx(ver, cv2.MORPH_CLOSE, np.ones((gap, 1), np.uint8))
    return hor, ver


def detect(gray: np.ndarray) -> Detection:
    """Every ruled table on a grey page (uint8), as grids of cells. The search runs at
    half resolution on a full page (rules are long; four times fewer pixels)."""
    scale = 2 if gray.shape[1] >= WORK_MIN * 2 else 1
    small = gray if scale == 1 else cv2.resize(
        gray, (gray.shape[1] // scale, gray.shape[0] // scale), interpolation=cv2.INTER_AREA)
    hor, ver = rule_masks(small)
    rules = cv2.dilate(hor | ver, np.ones((3, 3), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(rules, connectivity=8)
    H, W = small.shape
    grids: list[Grid] = []
    for i in range(1, n):
        x, y, bw, bh, _area = (int(v) for v in stats[i])
        if bw < 0.1 * W or bh < 0.02 * H:
            continue
        comp = (labels[y:y + bh, x:x + bw] == i).astype(np.uint8)
        grid = _grid(comp, Box(x, y, x + bw, y + bh), hor[y:y + bh, x:x + bw], (W, H))
        if grid is not None:
            grids.append(_scaled(grid, scale, gray.shape))
    grids.sort(key=lambda g: (g.box.y0, g.box.x0))
    return Detection(tuple(grids))


def _scaled(g: Grid, s: int, shape: tuple[int, ...]) -> Grid:
    """A grid found on the reduced page, in full-page pixels."""
    if s == 1:
        return g

    def up(b: Box) -> Box:
        return Box(b.x0 * s, b.y0 * s, min(shape[1], b.x1 * s), min(shape[0], b.y1 * s))

    box = up(g.box)
    labels = np.repeat(np.repeat(g.labels, s, axis=0), s, axis=1)[:box.height, :box.width]
    cells = tuple(GridCell(c.row, c.col, c.row_span, c.col_span, up(c.box), c.label)
                  for c in g.cells)
    return Grid(cells, g.n_rows, g.n_cols, box, g.incomplete, np.ascontiguousarray(labels))


def _open_sides(box: Box, size: tuple[int, int]) -> tuple[bool, bool, bool, bool]:
    """Which sides (left, top, right, bottom) of a table touch the page edge."""
    W, H = size
    mx, my = max(3, round(EDGE * W)), max(3, round(EDGE * H))
    return box.x0 <= mx, box.y0 <= my, box.x1 >= W - mx, box.y1 >= H - my


Regions = tuple[np.ndarray, list[tuple[int, int, int, int, int]], bool, bool]


def _regions(comp: np.ndarray, sides: tuple[bool, bool, bool, bool], seal: int = 0) -> Regions:
    """(label image, boxes of enclosed regions, whether any region is closed only by the
    page edge, whether an open region runs down a side). The rules are framed by a
    one-pixel border; a region reaching that frame is open, and counts as a cell on a side
    cut by the page edge, or between two rules at the left or right (a table drawn without
    outer verticals, its sides then sealed `seal` pixels deep, for skewed rule ends)."""
    framed = cv2.copyMakeBorder(comp, 1, 1, 1, 1, cv2.BORDER_CONSTANT, value=1)
    if seal and not sides[0]:
        framed[:, : seal + 1] = 1
    if seal and not sides[2]:
        framed[:, -seal - 1:] = 1
    n, lab, st, _ = cv2.connectedComponentsWithStats((1 - framed).astype(np.uint8),
                                                     connectivity=4)
    lab = lab[1:-1, 1:-1]
    H, W = comp.shape
    boxes: list[tuple[int, int, int, int, int]] = []
    cut = leak = False
    for i in range(1, n):
        x, y, bw, bh, area = (int(v) for v in st[i])
        x, y = x - 1, y - 1
        touch = (x <= 0, y <= 0, x + bw >= W, y + bh >= H)
        at_edge = any(t and s for t, s in zip(touch, sides, strict=True))
        cut = cut or (at_edge and bw * bh < 0.9 * W * H)
        side_open = (touch[0] or touch[2]) and not (touch[1] or touch[3])  # no outer verticals
        leak = leak or ((touch[0] or touch[2]) and not at_edge)
        small = bw < MIN_CELL or bh < MIN_CELL or area < 0.5 * bw * bh
        if small or (any(touch) and not (at_edge or side_open)) or bw * bh > 0.9 * W * H:
            lab[lab == i] = 0
            continue
        boxes.append((i, x, y, bw, bh))
    return lab, boxes, cut, leak


def _grid(comp: np.ndarray, box: Box, hor: np.ndarray, size: tuple[int, int]) -> Grid | None:
    """The grid of one connected set of rules, or None when it encloses fewer than
    2 x 2 cells (a frame, an underline, a single box)."""
    sides = _open_sides(box, size)
    slope = _slope(hor & comp)
    lab, regions, cut, leak = _regions(comp, sides)
    if leak:
        lab, regions, cut, _ = _regions(comp, sides, seal=int(abs(slope) * box.height) + 3)
    if len(regions) < 3:
        return None
    cells = _place(regions, slope, box)
    if cells is None:
        return None
    cells_t, n_rows, n_cols = cells
    if not is_table(n_rows, n_cols) or not _text_sized(cells_t, box, size):
        return None
    return Grid(cells_t, n_rows, n_cols, box, cut, lab.astype(np.int32))


def _text_sized(cells: tuple[GridCell, ...], box: Box, size: tuple[int, int]) -> bool:
    """A table is wide (a share of the page) and its rows tall enough for a line of text;
    a grey seal's emblem or a ruled `CV ĐẾN` stamp encloses many tiny regions (seen on
    real scans)."""
    rows = sorted(c.box.height / c.row_span for c in cells)
    return box.width >= MIN_WIDTH * size[0] and rows[len(rows) // 2] >= MIN_ROW * size[1]


def is_table(n_rows: int, n_cols: int) -> bool:
    """At least 2 x 2 cells; a single row of three or more cells is a table too (the last
    row of a table carried over to the next page). A box or a pair of boxes is not."""
    return (n_rows >= 2 and n_cols >= 2) or (n_rows >= 1 and n_cols >= 3)


def _slope(hor: np.ndarray) -> float:
    """dy/dx of the horizontal rules (residual skew), from the longest one."""
    n, lab, st, _ = cv2.connectedComponentsWithStats(hor, connectivity=8)
    if n < 2:
        return 0.0
    i = 1 + int(np.argmax(st[1:, cv2.CC_STAT_WIDTH]))
    ys, xs = np.nonzero(lab == i)
    if xs.max() - xs.min() < 50:
        return 0.0
    return float(np.polyfit(xs, ys, 1)[0])


def _clusters(values: list[float], tol: float) -> list[float]:
    """Centres of runs of sorted values no further than `tol` apart."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [float(np.mean(run)) for run in out]


def _nearest(lines: list[float], v: float) -> int:
    return int(np.argmin([abs(v - s) for s in lines]))


def _place(regions: list[tuple[int, int, int, int, int]], slope: float,
           box: Box) -> tuple[tuple[GridCell, ...], int, int] | None:
    """Row and column of each region: its edges, corrected for skew, snapped to the
    clustered edge positions; a region spanning several rows or columns is merged."""
    edges = []
    for lab, x, y, bw, bh in regions:
        cx, cy = x + bw / 2, y + bh / 2  # a skewed cell's box overshoots its edges
        dy, dx, ey, ex = -slope * cx, slope * cy, abs(slope) * bw / 2, abs(slope) * bh / 2
        edges.append((lab, x + ex + dx, y + ey + dy, x + bw - ex + dx, y + bh - ey + dy,
                      (x, y, bw, bh)))
    small = min(min(e[3] - e[1], e[4] - e[2]) for e in edges)
    tol = float(np.clip(0.3 * small, 6, 40))
    ys = _clusters([v for e in edges for v in (e[2], e[4])], tol)
    xs = _clusters([v for e in edges for v in (e[1], e[3])], tol)
    cells = []
    for lab, x0, y0, x1, y1, (x, y, bw, bh) in edges:
        r0, r1 = _nearest(ys, y0), _nearest(ys, y1)
        c0, c1 = _nearest(xs, x0), _nearest(xs, x1)
        if r1 <= r0 or c1 <= c0:
            return None
        cells.append(GridCell(r0, c0, r1 - r0, c1 - c0,
                              Box(box.x0 + x, box.y0 + y, box.x0 + x + bw, box.y0 + y + bh), lab))
    return tuple(sorted(cells, key=lambda c: (c.row, c.col))), len(ys) - 1, len(xs) - 1


def blank_tables(gray: np.ndarray, detection: Detection) -> np.ndarray:
    """The page with its tables painted paper white, for the full-page read: their cells
    are read apart (see read_cells), and a table left in would be read across."""
    if not detection.grids:
        return gray
    out = gray.copy()
    for g in detection.grids:
        out[g.box.y0:g.box.y1, g.box.x0:g.box.x1] = 255
    return out


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
    sub = np.where(own, gray[b.y0:b.y1, b.x0:b.x1], 255).astype(np.uint8)
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
                    max(0, w.y1 + dy), w.conf, w.block, w.par, w.line)
    return pl, moved


def read_sheets(sheets: list[np.ndarray], options: OcrOptions,
                dpi: int) -> list[tuple[int, RawWord]]:
    """(sheet, word) for every word on the sheets, read by one Tesseract process (`--psm 6`:
    one block, so a lone row label is read, not dropped as a speck)."""
    import tempfile

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
    import os

    import pytesseract

    from vnplans.exceptions import ExternalToolError

    from .tesseract import _check_lang

    os.environ["OMP_THREAD_LIMIT"] = "1"
    _check_lang(lang)
    config = f"--psm {psm} --dpi {dpi}" + (
        " -c thresholding_method=2" if sauvola else "")
    try:
        data = pytesseract.image_to_data(listfile, lang=lang, config=config,
                                         output_type=pytesseract.Output.DICT)
    except pytesseract.TesseractError as exc:
        raise ExternalToolError(f"tesseract failed: {' '.join(str(exc).split())[:160]}") from exc
    out = []
    for i, text in enumerate(data["text"]):
        conf, text = float(data["conf"][i]), text.strip()
        if conf < 0 or not text or _speck(text, conf):
            continue
        x, y, w, h = (int(data[k][i]) for k in ("left", "top", "width", "height"))
        out.append((int(data["page_num"][i]) - 1,
                    RawWord(text, x, y, x + w, y + h, min(100.0, conf), int(data["block_num"][i]),
                            int(data["par_num"][i]), int(data["line_num"][i]))))
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


def outside(detection: Detection, words: tuple[RawWord, ...] | list[RawWord]) -> list[RawWord]:
    """The words whose centre lies in no table (a table's own words come from its cells)."""
    return [w for w in words
            if not any(_inside(g.box, (w.x0 + w.x1) // 2, (w.y0 + w.y1) // 2)
                       for g in detection.grids)]


def _inside(box: Box, x: int, y: int) -> bool:
    return box.x0 <= x < box.x1 and box.y0 <= y < box.y1


def extract_tables(gray: np.ndarray, words: tuple[RawWord, ...],
                   options: OcrOptions | None = None, dpi: int = 300,
                   detection: Detection | None = None) -> tuple[list[Table], list[RawWord]]:
    """(tables read cell by cell, the words outside them) for a page already read whole."""
    options = options or OcrOptions()
    detection = detection if detection is not None else detect(gray)
    read = read_cells(gray, detection, dpi, options)
    return [r.table() for r in read], outside(detection, words)
