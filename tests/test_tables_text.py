"""Flattened tables in text pages rebuilt into the `Table` artefact (issue 6, part 2).

Fixtures are small tables typed for these tests with different column sets; seed 004 (a
plan whose task table is flattened one printed cell line per line) is checked against a
golden file of its rebuilt rows. Regenerate the golden file after an intended change with
`VNPLANS_REGEN_GOLDEN=1 python -m pytest tests/test_tables_text.py`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ocr.flattened import find_table, recognisable
from ocr.models import OcrPage, Table
from ocr.text import continued_table, text_page

SHARED = Path(__file__).resolve().parents[2] / "shared"
GOLDEN = Path(__file__).resolve().parent / "golden" / "tables" / "004.jsonl"

FOUR_COLUMNS = """Căn cứ tình hình thực tế, Sở ban hành kế hoạch như sau:
TT
Nhiệm vụ
Cơ quan chủ trì
Thời hạn
I
Công tác tuyên truyền
1
Tuyên truyền pháp luật về an toàn thực phẩm trên báo, đài
Phòng Quản lý thương mại
Quý I/2026
2
Tập huấn cho cán bộ quản lý chợ
Văn phòng Sở
Tháng 6/2026
II
Công tác kiểm tra
3
Kiểm tra các cơ sở kinh doanh
Thanh tra Sở
Quý III/2026
III. TỔ CHỨC THỰC HIỆN"""

CAPITALS = """II. NỘI DUNG
STT
NỘI DUNG CÔNG VIỆC
ĐƠN VỊ CHỦ TRÌ
ĐƠN VỊ PHỐI HỢP
THỜI GIAN
1
Rà soát văn bản quy phạm pháp luật
Phòng Pháp chế
Các phòng chuyên môn
Tháng 3
2
Báo cáo kết quả
Văn phòng
Phòng Kế hoạch - Tài chính
Tháng 12
III. KINH PHÍ
Kinh phí do ngân sách bảo đảm."""

ONE_LINE_HEADER = """STT Nội dung Đơn vị chủ trì Đơn vị phối hợp Thời gian
1.
Xây dựng kế hoạch
Văn phòng Sở
Thanh tra Sở
Quý II
2.
Tổ chức hội nghị
Phòng Tổ chức
Văn phòng Sở
Tháng 9
Nơi nhận:
- Như trên;"""

# wrapped as printed in narrow columns, blank lines between, the table ending the text
WRAPPED_AT_END = """STT
Nội dung

công việc
Đơn vị

chủ trì
Thời

gian
1

Xây dựng kế hoạch

kiểm tra năm 2026
Văn phòng

Quý I
2

Tổ chức tập huấn

cho cán bộ
Phòng Tổ

chức cán bộ
Quý II
3

Tổng kết, báo cáo

kết quả thực hiện
Văn phòng
Tháng 12"""

PROSE_AFTER = """STT
Nội dung công việc
Đơn vị chủ trì
Thời gian
1
Xây dựng kế hoạch
Văn phòng
Quý I
2
Tổ chức thực hiện
Thanh tra
Quý II
3
Tổng kết, báo cáo kết quả
Văn phòng
Tháng 12
Trên đây là Kế hoạch của Sở Công Thương, đề nghị các phòng, đơn vị nghiêm túc
triển khai thực hiện."""

# a Word table saved as text: a row per line, cells joined by " | ", a cell's paragraphs on
# the next lines
PIPED = """Phụ lục
TT | Tên nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian thực hiện | Ghi chú
 | (1) | (2) | (3) | (4) | (5)
I | Quản lý quy hoạch
1 | Rà soát quy hoạch khoáng sản | Sở Nông nghiệp và Môi trường | Sở Tài chính;
Sở Xây dựng | Quý II/2026 |
2 | Kiểm tra khai thác cát, sỏi trên sông | Công an tỉnh | UBND các xã, phường | Hằng tháng |
Trên đây là kế hoạch của UBND tỉnh."""

# a DOCX table as the loader gives it: a line per cell, an empty cell an empty line
DOCX_CELLS = """II. NHIỆM VỤ CỤ THỂ
STT
Nội dung công việc
Đơn vị chủ trì
Đơn vị phối hợp
Thời gian hoàn thành
1
Tổ chức tuyên truyền, phổ biến các quy định mới về an toàn hóa chất tới các doanh nghiệp.
Phòng Kỹ thuật an toàn - Môi trường
Văn phòng Sở; Thanh tra Sở
Quý II/2026
2
Cập nhật tin bài trên Trang thông tin điện tử của Sở.
Văn phòng Sở

Thường xuyên
3
Kiểm tra việc chấp hành pháp luật về hóa chất.
Thanh tra Sở
Phòng Kỹ thuật an toàn - Môi trường
Tháng 9/2026
III. TỔ CHỨC THỰC HIỆN
1. Các phòng, đơn vị thuộc Sở triển khai thực hiện.
2. Văn phòng Sở tổng hợp, báo cáo kết quả.
3. Thanh tra Sở theo dõi, kiểm tra.
4. Giao Phòng Kỹ thuật an toàn - Môi trường đôn đốc.
5. Kế hoạch có hiệu lực kể từ ngày ký.
6. Trong quá trình thực hiện, nếu có vướng mắc thì báo cáo Giám đốc Sở."""

CAPITALS_WRAPPED = """STT
NỘI DUNG CÔNG
VIỆC
ĐƠN VỊ CHỦ
TRÌ THỰC HIỆN
ĐƠN VỊ PHỐI
HỢP
THỜI GIAN
HOÀN THÀNH
1
Xây dựng kế hoạch
Văn phòng
Thanh tra Sở
Quý I
2
Kiểm tra
Thanh tra Sở
Văn phòng
Quý II"""

CAPITALS_ONE_LINE = """STT NỘI DUNG ĐƠN VỊ CHỦ TRÌ ĐƠN VỊ PHỐI HỢP THỜI GIAN
1
Xây dựng kế hoạch
Văn phòng
Thanh tra Sở
Quý I"""

SUB_NUMBERED = """STT
Nội dung
Đơn vị chủ trì
Thời gian
1
Công tác tuyên truyền
Văn phòng
Quý I
1.1
Tuyên truyền trên báo
Văn phòng
Quý I
1.2
Tuyên truyền trên Trang tin
Ban Biên tập
Quý II"""

QUANTITIES = """STT
Nội dung
Đơn vị chủ trì
Số lượng
1
Kiểm tra cửa hàng xăng dầu
Thanh tra Sở
10
2
Kiểm tra chợ
Phòng Quản lý thương mại
12"""

NO_HEADER = """Danh sách thành viên
Họ và tên
Năm sinh
Quê quán
1
Nguyễn Văn An
1980
Lào Cai"""

NO_TABLE = """KẾ HOẠCH
Truyền thông năm 2026
I. MỤC ĐÍCH
1. Mục đích
- Tuyên truyền kịp thời.
II
Nội dung
1
Thời gian"""


def rows(table: Table) -> list[tuple[str, ...]]:
    return [tuple(c.text for c in r) for r in table.rows()]


def page_of(text: str) -> OcrPage:
    return text_page("0" * 64, 0, text)


CASES = [
    ("four columns, group rows", FOUR_COLUMNS, [
        ("TT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn"),
        ("I", "Công tác tuyên truyền"),
        ("1", "Tuyên truyền pháp luật về an toàn thực phẩm trên báo, đài",
         "Phòng Quản lý thương mại", "Quý I/2026"),
        ("2", "Tập huấn cho cán bộ quản lý chợ", "Văn phòng Sở", "Tháng 6/2026"),
        ("II", "Công tác kiểm tra"),
        ("3", "Kiểm tra các cơ sở kinh doanh", "Thanh tra Sở", "Quý III/2026"),
    ]),
    ("titles in capitals", CAPITALS, [
        ("STT", "NỘI DUNG CÔNG VIỆC", "ĐƠN VỊ CHỦ TRÌ", "ĐƠN VỊ PHỐI HỢP", "THỜI GIAN"),
        ("1", "Rà soát văn bản quy phạm pháp luật", "Phòng Pháp chế", "Các phòng chuyên môn",
         "Tháng 3"),
        ("2", "Báo cáo kết quả", "Văn phòng", "Phòng Kế hoạch - Tài chính", "Tháng 12"),
    ]),
    ("titles in capitals, wrapped", CAPITALS_WRAPPED, [
        ("STT", "NỘI DUNG CÔNG VIỆC", "ĐƠN VỊ CHỦ TRÌ THỰC HIỆN", "ĐƠN VỊ PHỐI HỢP",
         "THỜI GIAN HOÀN THÀNH"),
        ("1", "Xây dựng kế hoạch", "Văn phòng", "Thanh tra Sở", "Quý I"),
        ("2", "Kiểm tra", "Thanh tra Sở", "Văn phòng", "Quý II"),
    ]),
    ("titles in capitals, on one line", CAPITALS_ONE_LINE, [
        ("STT", "NỘI DUNG", "ĐƠN VỊ CHỦ TRÌ", "ĐƠN VỊ PHỐI HỢP", "THỜI GIAN"),
        ("1", "Xây dựng kế hoạch", "Văn phòng", "Thanh tra Sở", "Quý I"),
    ]),
    ("sub-numbered rows", SUB_NUMBERED, [
        ("STT", "Nội dung", "Đơn vị chủ trì", "Thời gian"),
        ("1", "Công tác tuyên truyền", "Văn phòng", "Quý I"),
        ("1.1", "Tuyên truyền trên báo", "Văn phòng", "Quý I"),
        ("1.2", "Tuyên truyền trên Trang tin", "Ban Biên tập", "Quý II"),
    ]),
    ("numbers in a cell are no row labels", QUANTITIES, [
        ("STT", "Nội dung", "Đơn vị chủ trì", "Số lượng"),
        ("1", "Kiểm tra cửa hàng xăng dầu", "Thanh tra Sở", "10"),
        ("2", "Kiểm tra chợ", "Phòng Quản lý thương mại", "12"),
    ]),
    ("header on one line, labels with a dot", ONE_LINE_HEADER, [
        ("STT", "Nội dung", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian"),
        ("1", "Xây dựng kế hoạch", "Văn phòng Sở", "Thanh tra Sở", "Quý II"),
        ("2", "Tổ chức hội nghị", "Phòng Tổ chức", "Văn phòng Sở", "Tháng 9"),
    ]),
    ("wrapped cells, table ends the text", WRAPPED_AT_END, [
        ("STT", "Nội dung công việc", "Đơn vị chủ trì", "Thời gian"),
        ("1", "Xây dựng kế hoạch kiểm tra năm 2026", "Văn phòng", "Quý I"),
        ("2", "Tổ chức tập huấn cho cán bộ", "Phòng Tổ chức cán bộ", "Quý II"),
        ("3", "Tổng kết, báo cáo kết quả thực hiện", "Văn phòng", "Tháng 12"),
    ]),
    ("a row per line, cells between bars", PIPED, [
        ("TT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian thực hiện",
         "Ghi chú"),
        ("(1)", "(2)", "(3)", "(4)", "(5)"),
        ("I", "Quản lý quy hoạch"),
        ("1", "Rà soát quy hoạch khoáng sản", "Sở Nông nghiệp và Môi trường",
         "Sở Tài chính; Sở Xây dựng", "Quý II/2026"),
        ("2", "Kiểm tra khai thác cát, sỏi trên sông", "Công an tỉnh", "UBND các xã, phường",
         "Hằng tháng"),
    ]),
    ("a DOCX cell per line, an empty cell", DOCX_CELLS, [
        ("STT", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành"),
        ("1", "Tổ chức tuyên truyền, phổ biến các quy định mới về an toàn hóa chất tới các "
         "doanh nghiệp.", "Phòng Kỹ thuật an toàn - Môi trường", "Văn phòng Sở; Thanh tra Sở",
         "Quý II/2026"),
        ("2", "Cập nhật tin bài trên Trang thông tin điện tử của Sở.", "Văn phòng Sở",
         "Thường xuyên"),
        ("3", "Kiểm tra việc chấp hành pháp luật về hóa chất.", "Thanh tra Sở",
         "Phòng Kỹ thuật an toàn - Môi trường", "Tháng 9/2026"),
    ]),
    ("prose after the last row", PROSE_AFTER, [
        ("STT", "Nội dung công việc", "Đơn vị chủ trì", "Thời gian"),
        ("1", "Xây dựng kế hoạch", "Văn phòng", "Quý I"),
        ("2", "Tổ chức thực hiện", "Thanh tra", "Quý II"),
        ("3", "Tổng kết, báo cáo kết quả", "Văn phòng", "Tháng 12"),
    ]),
]


@pytest.mark.parametrize("name,text,expected", CASES, ids=[c[0] for c in CASES])
def test_fixture_rebuilt(name: str, text: str, expected: list[tuple[str, ...]]) -> None:
    page = page_of(text)
    (table,) = page.tables
    assert rows(table) == expected
    assert (table.n_rows, table.n_cols) == (len(expected), len(expected[0]))
    first = next(i for i, ln in enumerate(page.lines) if ln.text.strip() == expected[0][0]
                 or ln.text.startswith(expected[0][0] + " "))
    assert table.after_line == first - 1


@pytest.mark.parametrize("name,text,expected", CASES, ids=[c[0] for c in CASES])
def test_cell_spans_cover_their_lines(name: str, text: str, expected: list) -> None:
    """A cell's span runs from its first printed word to its last, in the page text."""
    page = page_of(text)
    for cell in page.tables[0].cells:
        under = page.text[cell.start:cell.end]
        assert under.split() == cell.text.split(), cell


def test_empty_docx_cell_keeps_its_column() -> None:
    """Regression: an empty cell (an empty line in DOCX text) shifted the timing into the
    supporting units' column."""
    (table,) = page_of(DOCX_CELLS).tables
    row = {c.col: c.text for c in table.rows()[2]}
    assert 3 not in row and row[4] == "Thường xuyên"


def test_group_row_spans_the_table() -> None:
    (table,) = page_of(FOUR_COLUMNS).tables
    groups = [c for c in table.cells if c.col_span > 1]
    assert [(c.row, c.col, c.col_span, c.text) for c in groups] == [
        (1, 1, 3, "Công tác tuyên truyền"), (4, 1, 3, "Công tác kiểm tra")]


@pytest.mark.parametrize("text", [
    NO_HEADER, NO_TABLE, "", "\n\n", "STT\n1",
    "UBND TỈNH LÀO CAI |  | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSỞ CÔNG THƯƠNG |  | Độc lập",
], ids=["unrecognised header", "headings only", "empty", "blank", "stub", "piped header block"])
def test_no_table(text: str) -> None:
    page = page_of(text)
    assert page.tables == () and page.text == text


@pytest.mark.parametrize("titles,ok", [
    (["STT", "Nội dung", "Đơn vị chủ trì"], True),
    (["TT", "Nhiem vu", "Thoi han"], True),  # typed without marks
    (["Họ và tên", "Năm sinh", "Quê quán"], False),
    (["STT", "Nội dung"], False),  # two columns are not a task table
])
def test_recognisable_titles(titles: list[str], ok: bool) -> None:
    assert recognisable(titles) is ok


def test_page_without_table_unchanged() -> None:
    page = page_of(NO_TABLE)
    assert page.tables == () and [ln.text for ln in page.lines] == NO_TABLE.split("\n")


def test_two_tables_on_a_page() -> None:
    page = page_of(FOUR_COLUMNS + "\n" + CAPITALS)
    assert [t.n_cols for t in page.tables] == [4, 5]
    assert page.tables[0].after_line < page.tables[1].after_line


def _seed(name: str) -> str:
    found = sorted((SHARED / "seeds").glob(f"{name}_*.txt"))
    if not found:
        pytest.skip("../shared/seeds absent")
    return found[0].read_text(encoding="utf-8")


def _golden_text(table: Table) -> str:
    """One row per line: [[col, col_span, text], ...]."""
    head = {"n_rows": table.n_rows, "n_cols": table.n_cols, "after_line": table.after_line}
    rows = [json.dumps([[c.col, c.col_span, c.text] for c in r], ensure_ascii=False)
            for r in table.rows()]
    return json.dumps(head, ensure_ascii=False) + "\n" + "\n".join(rows) + "\n"


def test_seed_004_golden() -> None:
    page = page_of(_seed("004"))
    (table,) = page.tables
    got = _golden_text(table)
    if os.environ.get("VNPLANS_REGEN_GOLDEN"):
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(got, encoding="utf-8")
    assert GOLDEN.exists(), f"{GOLDEN} is missing: VNPLANS_REGEN_GOLDEN=1 regenerates it"
    assert got == GOLDEN.read_text(encoding="utf-8")
    data: list[list[list]] = [json.loads(r) for r in got.splitlines()[2:]]
    data = [r for r in data if len(r) > 2]
    # rows 01-13, 13 printed twice; every timing "Thường xuyên" (golden is sane)
    assert len(data) == 14 and all(r[-1][2] == "Thường xuyên" for r in data)


def test_seed_002_has_no_table() -> None:
    assert page_of(_seed("002")).tables == ()


def test_samples_reexport() -> None:
    """samples.table keeps the renderer's names, now served by the OCR stage."""
    import samples.table

    assert samples.table.find_table is find_table


_PIECES = st.sampled_from([
    "STT", "TT", "Nội dung", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp",
    "Thời gian", "I", "II Nhóm việc", "1", "02", "3.", "Văn phòng", "- Các phòng,",
    "đơn vị liên quan.", "Thường xuyên", "III. KINH PHÍ", "", "  ", " 09 ",
    "Trên đây là kế hoạch của Sở, đề nghị các phòng, đơn vị nghiêm túc thực hiện.",
])


@settings(max_examples=150, deadline=None)
@given(st.lists(_PIECES, max_size=40))
def test_tables_point_into_text(pieces: list[str]) -> None:
    """Whatever the lines, the text comes back exactly and every cell's span holds its
    words in order, from its first to its last (a cell broken by a page break spans the
    lines of the cells printed between its parts)."""
    text = "\n".join(pieces)
    page = page_of(text)
    assert page.text == text
    for table in page.tables:
        for cell in table.cells:
            under, words = page.text[cell.start:cell.end].split(), cell.text.split()
            assert under[0] == words[0] and under[-1] == words[-1]
            rest = iter(under)
            assert all(w in rest for w in words)  # a subsequence


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_characters="\r")))
def test_text_kept_exactly(text: str) -> None:
    assert page_of(text).text == text


def test_continued_table_rows() -> None:
    """Rows of a table begun on the page before: lines before the first label are the
    rest of a row (no number), then numbered rows; no header row."""
    page = page_of("cán bộ quản lý\nPhòng Tổ chức\nQuý II\n3\nTổng kết\nVăn phòng\nTháng 12")
    table = continued_table(page, 4)
    assert table is not None and table.n_rows == 2
    assert rows(table) == [("cán bộ quản lý", "Phòng Tổ chức", "Quý II"),
                           ("3", "Tổng kết", "Văn phòng", "Tháng 12")]
    assert continued_table(page_of("Kế hoạch này có hiệu lực kể từ ngày ký, các phòng, đơn vị "
                                   "triển khai thực hiện.\n1\nabc"), 4) is None


def test_header_of_two_rows_flattened() -> None:
    """`Đơn vị thực hiện` printed over `Chủ trì` | `Phối hợp`: flattened, the sub-titles
    come after the first header row's titles; they take the place of their parent."""
    text = ("STT\nNội dung\nĐơn vị thực hiện\nThời gian\nChủ trì\nPhối hợp\n"
            "1\nXây dựng kế hoạch\nVăn phòng Sở\nThanh tra Sở\nQuý I")
    (table,) = page_of(text).tables
    assert rows(table) == [
        ("STT", "Nội dung", "Đơn vị thực hiện Chủ trì", "Đơn vị thực hiện Phối hợp", "Thời gian"),
        ("1", "Xây dựng kế hoạch", "Văn phòng Sở", "Thanh tra Sở", "Quý I")]


def test_group_numerals_with_a_dot() -> None:
    """`I.` alone and `II. Công tác kiểm tra` (sentence case) are group rows; a heading in
    capitals (`III. TỔ CHỨC THỰC HIỆN`) ends the table."""
    text = ("II. NỘI DUNG\nSTT\nNội dung\nĐơn vị chủ trì\nThời gian\nI.\nCông tác tuyên truyền\n"
            "1\nTuyên truyền pháp luật\nVăn phòng\nQuý I\nII. Công tác kiểm tra\n2\nKiểm tra cơ sở\n"
            "Thanh tra Sở\nQuý II\nIII. TỔ CHỨC THỰC HIỆN\nCác phòng triển khai.")
    (table,) = page_of(text).tables
    assert rows(table) == [
        ("STT", "Nội dung", "Đơn vị chủ trì", "Thời gian"), ("I", "Công tác tuyên truyền"),
        ("1", "Tuyên truyền pháp luật", "Văn phòng", "Quý I"), ("II", "Công tác kiểm tra"),
        ("2", "Kiểm tra cơ sở", "Thanh tra Sở", "Quý II")]


def test_heading_in_capitals_is_no_label() -> None:
    """Regression (Hypothesis): a header run right before `III. KINH PHÍ` crashed the cut."""
    assert page_of("STT\nNội dung\nNội dung\nIII. KINH PHÍ").tables == ()


def test_group_rows_in_capitals() -> None:
    """A group row typed like a heading (`I. CÔNG TÁC TUYÊN TRUYỀN`) is one when a row
    follows it; `III. TỔ CHỨC THỰC HIỆN` followed by prose ends the table."""
    text = ("STT\nNội dung\nĐơn vị chủ trì\nThời gian\nI. CÔNG TÁC TUYÊN TRUYỀN\n1\n"
            "Tuyên truyền pháp luật\nVăn phòng\nQuý I\nII. CÔNG TÁC KIỂM TRA\n2\nKiểm tra cơ sở\n"
            "Thanh tra Sở\nQuý II\nIII. TỔ CHỨC THỰC HIỆN\nCác phòng triển khai.")
    (table,) = page_of(text).tables
    assert rows(table) == [
        ("STT", "Nội dung", "Đơn vị chủ trì", "Thời gian"), ("I", "CÔNG TÁC TUYÊN TRUYỀN"),
        ("1", "Tuyên truyền pháp luật", "Văn phòng", "Quý I"), ("II", "CÔNG TÁC KIỂM TRA"),
        ("2", "Kiểm tra cơ sở", "Thanh tra Sở", "Quý II")]


def test_groups_only_is_no_table() -> None:
    """Regression (a layout-text header of a real Quyết định): titles followed by Roman
    group rows and no numbered row give no table."""
    text = "STT NỘI DUNG NHIỆM VỤ\nLĨNH VỰC MÃ\nTÊN TTHC\nI Lĩnh vực Vận chuyển\nII Lĩnh vực An toàn"
    assert page_of(text).tables == ()
