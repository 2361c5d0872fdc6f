"""Ruled tables: grid geometry (synthetic rules, Hypothesis), rendered tables read by real
Tesseract cell by cell, and bad input (no table, whitespace-aligned, cut at the edge)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

import ocr
from ocr.tables import detect, is_table
from samples.render import RenderedPage, Style, render_lines, render_table
from samples.truth import cer

ROWS = [
    ["STT", "Nội dung công việc", "Đơn vị chủ trì", "Thời gian"],
    ["I", "Tuyên truyền cải cách hành chính"],
    ["01", "Cung cấp thông tin kịp thời cho báo chí và người dân", "Văn phòng Sở", "Thường xuyên"],
    ["02", "Tổ chức hội nghị đối thoại với doanh nghiệp", "Phòng Quản lý", "Quý II"],
    ["II", "Kiểm tra, giám sát"],
    ["03", "Kiểm tra việc giải quyết thủ tục hành chính", "Thanh tra Sở", "Tháng 9"],
]
WIDTHS = [0.08, 0.5, 0.24, 0.18]


@pytest.fixture(scope="module")
def table_page() -> RenderedPage:
    (page,) = render_table(ROWS, Style("liberation", 13, 300), WIDTHS, group_rows={1, 4})
    return page


@pytest.fixture(scope="module")
def read(table_page: RenderedPage) -> ocr.OcrPage:
    return ocr.ocr_image(np.asarray(table_page.image), ocr.OcrOptions(), table_page.dpi)


def _gray(page: RenderedPage) -> np.ndarray:
    return np.asarray(page.image.convert("L"))


def test_cells_in_their_row_and_column(table_page: RenderedPage, read: ocr.OcrPage) -> None:
    (table,) = read.tables
    (truth,) = table_page.tables
    assert (table.n_rows, table.n_cols) == (truth.n_rows, truth.n_cols)
    got = {(c.row, c.col): c.text for c in table.cells}
    right = sum(cer(c.text, got.get((c.row, c.col), "?")) <= 0.02 for c in truth.cells if c.text)
    assert right >= 0.85 * sum(1 for c in truth.cells if c.text)  # short bold labels: I as 1, II as H
    assert got[(5, 1)] == "Kiểm tra việc giải quyết thủ tục hành chính"


def test_group_rows_span_the_width(read: ocr.OcrPage) -> None:
    (table,) = read.tables
    for row in (1, 4):
        cells = table.rows()[row]
        assert [(c.col, c.col_span) for c in cells] == [(0, 1), (1, 3)]
    assert not table.incomplete


def test_cells_are_in_the_page_text(read: ocr.OcrPage) -> None:
    """Flattened one cell line per page line, at the table's place; spans point into it."""
    (table,) = read.tables
    for c in table.cells:
        if c.text:
            assert " ".join(read.text[c.start:c.end].split()) == c.text
    starts = [c.start for c in sorted(table.cells, key=lambda c: (c.row, c.col)) if c.text]
    assert starts == sorted(starts)  # row by row, cell by cell
    first = read.lines[table.after_line + 1]
    assert first.start == starts[0] and first.box is not None
    assert all(read.text[w.start:w.end] == w.text for w in read.words)


def test_page_without_table() -> None:
    (page,) = render_lines(["Kế hoạch thông tin, tuyên truyền năm 2025"] * 6
                           + ["_" * 40, "Nơi nhận:"], Style("dejavu", 13, 300))
    assert detect(_gray(page)).grids == ()


def _whitespace_table(dpi: int = 300) -> Image.Image:
    """Columns aligned by whitespace only, no ruling."""
    from samples.render import font

    img = Image.new("L", (2480, 1400), 255)
    d = ImageDraw.Draw(img)
    f = font("liberation", 50)
    for r, row in enumerate([("STT", "Nội dung", "Đơn vị", "Thời gian"),
                             ("1", "Tuyên truyền", "Văn phòng", "Quý I"),
                             ("2", "Kiểm tra", "Thanh tra", "Quý III")]):
        for x, text in zip((300, 550, 1300, 1900), row, strict=True):
            d.text((x, 300 + 120 * r), text, font=f, fill=0)
    return img


def test_whitespace_table_is_paragraphs() -> None:
    img = _whitespace_table()
    assert detect(np.asarray(img)).grids == ()
    out = ocr.ocr_image(np.asarray(img), ocr.OcrOptions(), 300)
    assert out.tables == () and "Thanh tra" in out.text


@pytest.mark.parametrize("below_middle", [40, 100])
def test_table_cut_at_page_edge(table_page: RenderedPage, below_middle: int) -> None:
    """The bottom of the page cut through the table: marked incomplete, the open row kept
    when there is enough of it."""
    (truth,) = table_page.tables
    gray = _gray(table_page)
    cut = gray[: (truth.box[1] + truth.box[3]) // 2 + below_middle]
    (grid,) = detect(np.ascontiguousarray(cut)).grids
    assert grid.incomplete and grid.n_cols == 4 and grid.n_rows >= 3
    whole = detect(gray).grids[0]
    assert not whole.incomplete and whole.n_rows == len(ROWS)


@pytest.mark.parametrize("n_rows,n_cols,expected", [
    (1, 1, False), (1, 2, False), (2, 1, False), (1, 3, True), (2, 2, True), (7, 5, True)])
def test_what_is_a_table(n_rows: int, n_cols: int, expected: bool) -> None:
    """Regression: a table's last row carried over alone to the next page was lost."""
    assert is_table(n_rows, n_cols) is expected


def _draw_grid(rows: list[int], cols: list[int], groups: set[int], angle: float,
               breaks: int, seed: int, outer: bool = True) -> np.ndarray:
    """A white page with a ruled grid: group rows have no inner verticals; a few rules are
    broken by small gaps; the whole page turned by `angle` degrees."""
    rng = np.random.default_rng(seed)
    img = np.full((1800, 1400), 255, np.uint8)
    ys = np.cumsum([200, *rows]).tolist()
    xs = np.cumsum([150, *cols]).tolist()
    for y in ys:
        cv2.line(img, (xs[0], y), (xs[-1], y), 0, 2)
    for k, x in enumerate(xs):
        for r in range(len(rows)):
            if (r not in groups or k in (0, 1, len(xs) - 1)) and (outer or 0 < k < len(cols)):
                cv2.line(img, (x, ys[r]), (x, ys[r + 1]), 0, 2)
    for _ in range(breaks):  # gaps of a few pixels in random rules, between crossings
        y, k = int(rng.choice(ys)), int(rng.integers(0, len(cols)))
        x = int(rng.integers(xs[k] + 10, xs[k + 1] - 13))
        img[y - 2:y + 3, x:x + 3] = 255
    m = cv2.getRotationMatrix2D((700, 900), angle, 1.0)
    return cv2.warpAffine(img, m, (1400, 1800), borderValue=255)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.integers(60, 260), min_size=2, max_size=6),
    cols=st.lists(st.integers(150, 400), min_size=3, max_size=5),
    angle=st.floats(-2.0, 2.0),
    breaks=st.integers(0, 4),
    outer=st.booleans(),
    data=st.data(),
)
def test_grid_geometry(rows: list[int], cols: list[int], angle: float, breaks: int,
                       outer: bool, data: st.DataObject) -> None:
    cols = cols[: max(3, len(cols))]
    if sum(cols) > 1150:
        cols = [c * 1150 // sum(cols) for c in cols]
    groups = set(data.draw(st.lists(st.integers(1, len(rows) - 1), max_size=2))) if len(rows) > 2 else set()
    img = _draw_grid(rows, cols, groups, angle, breaks, seed=len(rows) * 7 + breaks, outer=outer)
    (grid,) = detect(img).grids
    assert (grid.n_rows, grid.n_cols) == (len(rows), len(cols))
    for r in range(len(rows)):
        spans = sorted((c.col, c.col_span) for c in grid.cells if c.row == r)
        expected = [(0, 1), (1, len(cols) - 1)] if r in groups else [(k, 1) for k in range(len(cols))]
        assert spans == expected
    assert all(c.row_span == 1 for c in grid.cells) and not grid.incomplete
    b = grid.box
    assert all(b.x0 <= c.box.x0 < c.box.x1 <= b.x1 and b.y0 <= c.box.y0 < c.box.y1 <= b.y1
               for c in grid.cells)
    for c in grid.cells:  # a cell's region holds the point at its box centre, no other's
        mid = grid.cell_at((c.box.x0 + c.box.x1) // 2, (c.box.y0 + c.box.y1) // 2)
        assert mid == c


@pytest.mark.parametrize("angle,breaks", [(2.5, 0), (-2.5, 0), (0.0, 4)])
def test_skew_and_breaks_regressions(angle: float, breaks: int) -> None:
    """Regressions: the skew correction once added the drift instead of removing it (rows
    split at 2 degrees); two breaks in one short rule segment let a cell leak outside."""
    img = _draw_grid([60, 60, 100], [90, 90, 273], set(), angle, breaks, seed=18)
    (grid,) = detect(img).grids
    assert (grid.n_rows, grid.n_cols, len(grid.cells)) == (3, 3, 9)


def test_table_without_outer_verticals() -> None:
    """Only inner verticals: the cells at the sides are open left and right, still cells."""
    img = _draw_grid([80, 120, 80], [120, 400, 200], {1}, 0.7, 0, seed=1, outer=False)
    (grid,) = detect(img).grids
    assert (grid.n_rows, grid.n_cols) == (3, 3) and not grid.incomplete
    assert sorted((c.col, c.col_span) for c in grid.cells if c.row == 1) == [(0, 1), (1, 2)]


def test_seal_sized_grid_is_no_table() -> None:
    """Regression: a grey seal's emblem and a ruled `CV ĐẾN` stamp on real scans enclosed
    many tiny regions and came out as tables; a table is wide and its rows hold text."""
    img = _draw_grid([25] * 6, [30] * 8, set(), 0.0, 0, seed=0)
    assert detect(img).grids == ()


def test_cut_table_read_and_marked(table_page: RenderedPage) -> None:
    """Through the whole OCR stage: no crash, the table comes back marked incomplete."""
    (truth,) = table_page.tables
    img = np.asarray(table_page.image)[: (truth.box[1] + truth.box[3]) // 2 + 100]
    out = ocr.ocr_image(np.ascontiguousarray(img), ocr.OcrOptions(), 300)
    (table,) = out.tables
    assert table.incomplete and table.rows()[0][1].text == "Nội dung công việc"


def test_table_between_paragraphs(shared: Path) -> None:
    """Seed 004's page 2: the heading above the table comes before the table's first cell
    in the page text, and the cells follow one per line in row order."""
    from samples.render import render_document

    text = sorted(shared.glob("seeds/004_*.txt"))[0].read_text(encoding="utf-8")
    page = render_document(text, Style("dejavu", 13, 300))[1]
    out = ocr.ocr_image(np.asarray(page.image), ocr.OcrOptions(), page.dpi)
    (table,) = out.tables
    above = [ln.text for ln in out.lines[: table.after_line + 1]]
    assert any("NỘI DUNG" in t for t in above[-3:])
    assert out.lines[table.after_line + 1].text == "STT"
    assert table.box is not None
    bottom = table.box.y1
    assert not any(ln.box and ln.box.y0 > bottom for ln in out.lines[: table.after_line + 1])


@pytest.mark.parametrize("dark", [1.0, 0.6, 0.35])
def test_shaded_cell_flattened(dark: float) -> None:
    """Regression: under uneven light, a cell's grey paper stacked on a white sheet was read
    as garbage (64 % of cells right); a flattened crop is black on white at any shade."""
    from ocr.cells import _flatten

    img = Image.new("L", (400, 80), 255)
    ImageDraw.Draw(img).text((10, 10), "Thường xuyên", font=_font(), fill=0)
    shade = np.linspace(1.0, dark, 400)[None, :]
    crop = (np.asarray(img).astype(np.float32) * shade).astype(np.uint8)
    flat = _flatten(crop, 6)
    ink = np.asarray(img) < 128
    assert np.median(flat[~ink]) >= 235 and np.median(flat[ink]) <= 60


def _font():  # noqa: ANN202
    from samples.render import font

    return font("liberation", 40)


def test_wrapped_cell_keeps_its_lines(read: ocr.OcrPage) -> None:
    """A cell printed on two lines comes back as two page lines, each word at its
    printed place."""
    (table,) = read.tables
    cell = next(c for c in table.cells if (c.row, c.col) == (2, 1))
    lines = read.text[cell.start:cell.end].split("\n")
    assert len(lines) == 2 and lines[0].startswith("Cung cấp")
    words = [w for w in read.words if cell.start <= w.start < cell.end]
    assert words[-1].box is not None and words[0].box is not None
    assert words[-1].box.y0 > words[0].box.y1  # the last word sits on the second line
