"""Renderer and degradations: header split, reading-order truth, tables across pages,
margins, determinism, and one real Tesseract reading of a clean render."""

from __future__ import annotations

import os
import shutil
import subprocess
import unicodedata
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samples.degrade import CONDITIONS, degrade, low_dpi_scan
from samples.render import RenderedPage, Style, render_document, render_lines, render_table
from samples.table import find_table, parse_table
from samples.truth import cer, wer

SHARED = Path(__file__).resolve().parents[2] / "shared"
MM = 1 / 25.4

DOC = """UBND HUYỆN AN PHÚ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
PHÒNG VĂN HÓA Độc lập - Tự do - Hạnh phúc
Số: 15/KH-VH
An Phú, ngày 03 tháng 4 năm 2024
KẾ HOẠCH
Tổ chức hội thi văn nghệ năm 2024
Căn cứ Kế hoạch số 20/KH-UBND ngày 10/01/2024 của UBND huyện về văn hóa cơ sở;
I. MỤC ĐÍCH
- Nâng cao đời sống tinh thần của nhân dân trên địa bàn huyện.
II. NỘI DUNG
TT Công việc
Đơn vị
thực hiện
Thời
hạn
I
Chuẩn bị hội thi
1
Xây dựng thể lệ hội thi
Phòng Văn hóa
Tháng 4
2
Mời các xã đăng ký tham gia
Văn phòng
Tháng 5
III. TỔ CHỨC THỰC HIỆN
Phòng Văn hóa chủ trì, phối hợp các đơn vị liên quan triển khai Kế hoạch này./.
Nơi nhận:
- UBND huyện;
- Lưu: VT.
TRƯỞNG PHÒNG
Lê Văn Minh
"""


@pytest.fixture(scope="module")
def doc_pages() -> list[RenderedPage]:
    return render_document(DOC, Style("liberation", 13, 100))


def test_header_split_and_reading_order(doc_pages: list[RenderedPage]) -> None:
    lines = doc_pages[0].truth.split("\n")
    assert lines[:7] == [
        "UBND HUYỆN AN PHÚ",
        "PHÒNG VĂN HÓA",
        "Số: 15/KH-VH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "An Phú, ngày 03 tháng 4 năm 2024",
        "KẾ HOẠCH",
    ]
    assert lines[-4:] == ["Lê Văn Minh", "Nơi nhận:", "- UBND huyện;", "- Lưu: VT."]
    assert lines.index("TRƯỞNG PHÒNG") < lines.index("Nơi nhận:")


def test_table_truth_shape(doc_pages: list[RenderedPage]) -> None:
    assert len(doc_pages) == 1
    (table,) = doc_pages[0].tables
    assert (table.n_rows, table.n_cols) == (4, 4)
    grid = table.grid()
    assert grid[0] == ["TT", "Công việc", "Đơn vị thực hiện", "Thời hạn"]
    assert grid[2] == ["1", "Xây dựng thể lệ hội thi", "Phòng Văn hóa", "Tháng 4"]
    group = [c for c in table.cells if c.row == 1]
    assert [(c.text, c.col, c.col_span) for c in group] == [("I", 0, 1), ("Chuẩn bị hội thi", 1, 3)]
    truth = doc_pages[0].truth
    cells = [c.text for c in table.cells if c.text]
    start = truth.index("TT\nCông việc")
    assert truth[start:].startswith("\n".join(cells))  # row-major, one cell per line


def test_margins_and_table_box(doc_pages: list[RenderedPage]) -> None:
    page = doc_pages[0]
    ink = np.argwhere(np.asarray(page.image.convert("L")) < 128)
    (y0, x0), (y1, x1) = ink.min(0), ink.max(0)
    w, h, d = page.image.width, page.image.height, page.dpi
    assert (w, h) == (round(210 * MM * d), round(297 * MM * d))  # A4
    assert x0 >= 30 * MM * d - 2 and y0 >= 20 * MM * d - 2 and x1 <= w - 15 * MM * d
    tx0, ty0, tx1, ty1 = page.tables[0].box
    assert x0 <= tx0 < tx1 <= x1 + 1 and y0 < ty0 < ty1 < y1


def test_table_split_across_pages() -> None:
    rows = [["STT", "Nội dung", "Thời gian"], ["I", "Nhóm việc thứ nhất"]]
    rows += [[str(k), f"Công việc số {k} cần làm trong năm", "Quý I"] for k in range(1, 40)]
    pages = render_table(rows, Style("dejavu", 13, 100), group_rows={1})
    assert len(pages) >= 2 and all(len(p.tables) == 1 for p in pages)
    assert sum(p.tables[0].n_rows for p in pages) == len(rows)
    first = pages[0].tables[0]
    assert [c.col_span for c in first.cells if c.row == 1] == [1, 2]
    assert pages[1].truth.split("\n")[0] == str(pages[0].tables[0].n_rows - 1)  # rows continue


def test_render_table_checks_widths() -> None:
    with pytest.raises(ValueError):
        render_table([["a", "b"]], widths=[1.0])


def test_seed_table_recovered() -> None:
    seeds = sorted((SHARED / "seeds").glob("004_*.txt"))
    if not seeds:
        pytest.skip("../shared/seeds absent")
    lines = [" ".join(x.split()) for x in seeds[0].read_text(encoding="utf-8").splitlines()]
    lines = [x for x in lines if x]
    span = find_table(lines)
    assert span is not None
    spec = parse_table(lines[span[0] : span[1]])
    assert len(spec.rows[0]) == 5 and len(spec.group_rows) == 5
    data = [r for i, r in enumerate(spec.rows[1:], 1) if i not in spec.group_rows]
    assert len(data) >= 13 and sum(r[-1] == "Thường xuyên" for r in data) >= 10


def test_seal_is_red(doc_pages: list[RenderedPage]) -> None:
    sealed = render_document(DOC, Style("liberation", 13, 100, seal=True))[0]
    a = np.asarray(sealed.image).astype(int)
    red = (a[..., 0] > 150) & (a[..., 1] < 100) & (a[..., 2] < 100)
    assert red.sum() > 500 and sealed.truth == doc_pages[0].truth


@pytest.mark.parametrize("condition", CONDITIONS)
def test_degrade_deterministic(doc_pages: list[RenderedPage], condition: str) -> None:
    page = doc_pages[0]
    a, b = degrade(page, condition, seed=5), degrade(page, condition, seed=5)
    assert a.truth == page.truth and np.array_equal(np.asarray(a.image), np.asarray(b.image))
    if condition == "clean":
        assert a is page
    elif condition == "lowres200":
        assert a.dpi == 200 and a.image.width == round(page.image.width * 200 / page.dpi)
    else:
        assert not np.array_equal(np.asarray(a.image), np.asarray(page.image))
    if condition in ("degraded", "phone_photo", "seal"):
        c = degrade(page, condition, seed=6)
        assert not np.array_equal(np.asarray(a.image), np.asarray(c.image))


@pytest.mark.parametrize("dpi", [120, 150])
def test_low_dpi_scan(doc_pages: list[RenderedPage], dpi: int) -> None:
    page = doc_pages[0]
    a, b = low_dpi_scan(page, dpi, seed=1), low_dpi_scan(page, dpi, seed=1)
    assert a.dpi == dpi and a.truth == page.truth
    assert a.image.width == page.image.width * dpi // page.dpi and a.image.mode == "L"
    assert np.array_equal(np.asarray(a.image), np.asarray(b.image))  # deterministic per seed
    assert not np.array_equal(np.asarray(a.image), np.asarray(low_dpi_scan(page, dpi, seed=2).image))


def test_unknown_condition(doc_pages: list[RenderedPage]) -> None:
    with pytest.raises(ValueError, match="unknown condition"):
        degrade(doc_pages[0], "fax")


@pytest.mark.parametrize(
    "ref,hyp,expected",
    [
        ("Độc lập", "Độc lập", 0.0),
        ("Độc  lập\n", " Độc lập", 0.0),
        (unicodedata.normalize("NFD", "Hạnh phúc"), "Hạnh phúc", 0.0),
        ("abcd", "abce", 0.25),
    ],
)
def test_cer(ref: str, hyp: str, expected: float) -> None:
    assert cer(ref, hyp) == pytest.approx(expected)


def test_wer() -> None:
    assert wer("kế hoạch năm 2024", "kế hoạt năm 2024") == pytest.approx(0.25)


WORDS = st.sampled_from(
    ["kế", "hoạch", "năm", "Đồng", "Nai", "thủ", "tục", "hành", "chính", "số", "12/KH"]
)


@settings(max_examples=15, deadline=None)
@given(st.lists(st.lists(WORDS, min_size=1, max_size=6).map(" ".join), min_size=1, max_size=80))
def test_lines_one_per_input_line(lines: list[str]) -> None:
    pages = render_lines(lines, Style("dejavu", 12, 72))
    assert [x for p in pages for x in p.truth.split("\n")] == lines
    per_page = len(pages[0].truth.split("\n"))
    assert len(pages) == -(-len(lines) // per_page)


def test_real_tesseract_reads_clean_render() -> None:
    if shutil.which("tesseract") is None:
        pytest.skip("tesseract absent")
    lines = [
        "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ;",
        "Ủy ban nhân dân tỉnh ban hành Kế hoạch thực hiện công tác văn thư,",
        "lưu trữ năm 2024 trên địa bàn tỉnh như sau:",
    ]
    page = render_lines(lines, Style("liberation", 13, 300))[0]
    ink = np.argwhere(np.asarray(page.image.convert("L")) < 128)
    (y0, x0), (y1, x1) = ink.min(0) - 40, ink.max(0) + 40
    crop = page.image.convert("L").crop((int(x0), int(y0), int(x1), int(y1)))
    import io

    buf = io.BytesIO()
    crop.save(buf, "PNG")
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    out = subprocess.run(
        ["tesseract", "-", "-", "-l", "vie", "--dpi", "300"],
        input=buf.getvalue(),
        capture_output=True,
        env=env,
        timeout=60,
        check=True,
    ).stdout.decode("utf-8")
    assert cer(page.truth, out) < 0.02


@pytest.mark.parametrize(
    "line,left,right",
    [
        (
            "Số:1629 /SCT-CN Lào Cai, ngày 27 tháng 3 năm 2026",
            "Số:1629 /SCT-CN",
            "Lào Cai, ngày 27 tháng 3 năm 2026",
        ),
        ("Số: 15 /QĐ - UBND Hà Nội, ngày 2", "Số: 15 /QĐ - UBND", "Hà Nội, ngày 2"),
        ("SỞ Y TẾ Độc lập - Tự do - Hạnh phúc", "SỞ Y TẾ", "Độc lập - Tự do - Hạnh phúc"),
        ("An Phú, ngày 03 tháng 4 năm 2024", None, "An Phú, ngày 03 tháng 4 năm 2024"),
        ("V/v kiểm tra an toàn", "V/v kiểm tra an toàn", None),
    ],
)
def test_header_line_split(line: str, left: str | None, right: str | None) -> None:
    from samples.layout import _header

    items = _header([line])
    assert [i.text for i in items if i.kind == "left"] == ([left] if left else [])
    assert [i.text for i in items if i.kind == "right"] == ([right] if right else [])


def test_cong_van_without_title_and_appendix() -> None:
    text = (
        "UBND TỈNH LÀO CAI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "SỞ XÂY DỰNG Độc lập - Tự do - Hạnh phúc\n"
        "Số: 12/SXD-QLN Lào Cai, ngày 05 tháng 3 năm 2026\n"
        "V/v kiểm tra công trình\n"
        "Kính gửi: Ủy ban nhân dân các xã.\n"
        "Sở Xây dựng đề nghị các xã báo cáo kết quả kiểm tra trước ngày 30/3/2026.\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nGIÁM ĐỐC\nTrần Văn Hùng\n"
        "DANH SÁCH CÁC CÔNG TRÌNH CẦN KIỂM TRA TRÊN ĐỊA BÀN TỈNH TRONG NĂM 2026 NÀY\n"
    )
    pages = render_document(text, Style("freefont", 13, 72))
    lines = pages[0].truth.split("\n")
    assert lines[:4] == [
        "UBND TỈNH LÀO CAI",
        "SỞ XÂY DỰNG",
        "Số: 12/SXD-QLN",
        "V/v kiểm tra công trình",
    ]
    assert lines[4:7] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Lào Cai, ngày 05 tháng 3 năm 2026",
    ]
    assert lines[-1] == "- Lưu: VT." and len(pages) == 2
    assert pages[1].truth.startswith("DANH SÁCH CÁC CÔNG TRÌNH")
