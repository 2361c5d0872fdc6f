"""Ruled tables: find each table's grid of cells with OpenCV (cells.py reads them).

Why this way: Tesseract reads a ruled table line by line across its columns, mixing the
cells of a row. The rules tell where the cells are: a long thin morphological opening
keeps only rules, and the regions they enclose *are* the cells, merged ones included (a
group row simply encloses a wider region), with no line-intersection bookkeeping and
whatever the residual skew. Rows and columns come from clustering the cells' edges. The
table is blanked out of the full-page read, so the page costs one read plus the cells'.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from .models import Box, Table
from .options import OcrOptions
from .tesseract import RawWord

H_KERNEL = 30  # a horizontal rule is longer than 1/30 of the page width
V_KERNEL = 60  # a vertical rule is longer than 1/60 of the page height
EDGE = 0.01  # a table this close to the page edge (share of the side) may be cut off
MIN_CELL = 6  # px (reduced page): a smaller enclosed region is a gap between rules, not a cell
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
    from .cells import read_cells

    detection = detection if detection is not None else detect(gray)
    read = read_cells(gray, detection, dpi, options)
    return [r.table() for r in read], outside(detection, words)
