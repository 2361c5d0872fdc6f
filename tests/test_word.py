"""Word files read as documents (ingest/word.py, ingest/numbering.py): a plan written by
python-docx here (tests/docx_make.py) with a header table with a merged cell, automatic
numbering, a task table with merged cells, a text box, a page header and footer, tracked
changes and a comment. Golden JSON: the page text, its tables, the asides and the header
fields. Regenerate after an intended change with
`VNPLANS_REGEN_GOLDEN=1 python -m pytest tests/test_word.py`.
"""

from __future__ import annotations

import dataclasses
import json
import os
import zipfile
from pathlib import Path

import pytest

import ingest
from diacritics.passthrough import passthrough
from ingest.numbering import _number
from ocr.text import page_from_text
from parser import parse
from parser.models import PlanRecord
from tests.docx_make import HEADER_LEFT, HEADER_RIGHT, make_plan
from vnplans.cli import main
from vnplans.exceptions import BadInputError, ExitCode, UnsupportedFormatError

GOLDEN = Path(__file__).resolve().parent / "golden" / "word"
HEADER_FIELDS = ("doc_type", "number", "symbol", "agency", "place", "date", "title",
                 "signer_title", "signer_name")


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_plan(tmp_path_factory.mktemp("word") / "plan.docx")


def record(path: Path) -> PlanRecord:
    return parse([passthrough(page_from_text(p)) for p in ingest.load(path).pages])


def summary(path: Path) -> dict:
    """What the golden file holds: the ingest result and the header as parsed."""
    doc = ingest.load(path)
    page = page_from_text(doc.pages[0])
    h = record(path).header
    return json.loads(json.dumps({"text": doc.pages[0].text.split("\n"),
            "tables": [dataclasses.asdict(t) for t in page.tables],
            "asides": [dataclasses.asdict(a) for a in doc.asides],
            "header": {f: getattr(h, f).value for f in HEADER_FIELDS}}))  # tuples as lists


def test_golden(plan: Path) -> None:
    got = summary(plan)
    path = GOLDEN / "plan.json"
    if os.environ.get("VNPLANS_REGEN_GOLDEN") or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert got == json.loads(path.read_text(encoding="utf-8")), f"{path} differs: regenerate if intended"


def test_header_table_is_read_column_by_column(plan: Path) -> None:
    """Left column (the merged agency cell once, then the number), then right column:
    the shape a scan's header has, so the header parser reads it the same way."""
    lines = ingest.load(plan).pages[0].text.split("\n")
    assert lines[:6] == [*HEADER_LEFT, "Số: 12/KH-UBND", *HEADER_RIGHT,
                         "An Bình, ngày 03 tháng 02 năm 2025"]
    h = record(plan).header
    assert (h.number.value, h.symbol.value, h.agency.value, h.place.value, h.date.value) == \
        ("12", "KH-UBND", "ỦY BAN NHÂN DÂN XÃ AN BÌNH", "An Bình", "2025-02-03")


@pytest.mark.parametrize("line", [
    "I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "a) Nâng cao ý thức phòng cháy của Nhân dân;",
    "b) Bảo đảm an toàn tại khu dân cư.", "2. Yêu cầu", "- Đúng quy định của pháp luật.",
    "II. NHIỆM VỤ CỤ THỂ", "III. TỔ CHỨC THỰC HIỆN",
])
def test_list_labels_are_printed(plan: Path, line: str) -> None:
    assert line in ingest.load(plan).pages[0].text.split("\n")


def test_task_table_is_a_table_with_its_merges(plan: Path) -> None:
    page = page_from_text(ingest.load(plan).pages[0])
    (table,) = page.tables
    assert (table.n_rows, table.n_cols) == (4, 5)
    cells = {(c.row, c.col): c for c in table.cells}
    assert cells[(1, 1)].text == "Công tác tuyên truyền" and cells[(1, 1)].col_span == 4
    assert cells[(2, 2)].text == "Công an xã" and cells[(2, 2)].row_span == 2
    assert (3, 2) not in cells
    for c in table.cells:  # every cell points at its text in the page
        assert page.text[c.start:c.end] == c.text
    assert page.lines[table.after_line].text == "II. NHIỆM VỤ CỤ THỂ"
    units = {(r.unit, r.role) for r in record(plan).responsibilities}
    assert {("Công an xã", "lead"), ("Các thôn", "support")} <= units


def test_text_box_header_footer_kept_apart(plan: Path) -> None:
    doc = ingest.load(plan)
    assert [(a.kind, a.text) for a in doc.asides] == [
        ("header", "Mẫu số 01"), ("footer", "Lưu hành nội bộ"), ("textbox", "DỰ THẢO")]
    text = doc.pages[0].text
    assert "DỰ THẢO" not in text and "Mẫu số 01" not in text and "Lưu hành" not in text


def test_tracked_changes_and_comments(plan: Path) -> None:
    text = ingest.load(plan).pages[0].text
    assert "Giao Công an xã chủ trì thực hiện Kế hoạch." in text.split("\n")
    assert "huyện " not in text.split("Giao")[1].split("\n")[0]
    assert "Xem lại" not in text  # the comment


@pytest.mark.parametrize("n,fmt,want", [
    (1, "decimal", "1"), (4, "upperRoman", "IV"), (14, "lowerRoman", "xiv"), (3, "lowerLetter", "c"),
    (27, "lowerLetter", "aa"), (2, "upperLetter", "B"), (7, "decimalZero", "07"),
])
def test_number_formats(n: int, fmt: str, want: str) -> None:
    assert _number(n, fmt) == want


def _junk_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\x00\x01 not xml at all")
    return path


def _encrypted(path: Path) -> Path:
    """The shape of a password-protected .docx: a compound file holding EncryptedPackage."""
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
                     + "EncryptedPackage".encode("utf-16-le") + b"\0" * 1024)
    return path


@pytest.mark.parametrize("make,error,reason", [
    (lambda p: _junk_zip(p / "junk.docx"), UnsupportedFormatError, "not a readable DOCX"),
    (lambda p: _encrypted(p / "secret.docx"), BadInputError, "password-protected"),
    (lambda p: _encrypted(p / "secret.doc"), BadInputError, "password-protected"),
    (lambda p: (p / "junk.doc").write_bytes(b"plain words" * 20) and p / "junk.doc", BadInputError, "Word 97-2003"),
    # regression: a compound-file magic and junk went through LibreOffice as plain text
    (lambda p: (p / "junk2.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 40)
     and p / "junk2.doc", BadInputError, "damaged compound file"),
    (lambda p: (p / "junk.rtf").write_bytes(b"plain words" * 20) and p / "junk.rtf", BadInputError, "RTF"),
    (lambda p: _junk_zip(p / "junk.odt"), BadInputError, "OpenDocument"),
])
def test_bad_word_files(tmp_path: Path, make, error: type, reason: str) -> None:
    path = make(tmp_path)
    with pytest.raises(error) as info:
        ingest.load(path)
    line = info.value.one_line()
    assert str(path) in line and reason in line and "\n" not in line


def test_junk_docx_exits_4(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """Regression: a zip of junk named .docx ended as an internal error (exit 70)."""
    path = _junk_zip(tmp_path / "junk.docx")
    code = main(["run", str(path), "--out", str(tmp_path / "out"), "--quiet", "--workers", "1"])
    assert code == ExitCode.BAD_INPUT
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "junk.docx" in err


def test_runs_inside_wrappers_and_restarted_lists(tmp_path: Path) -> None:
    """Text inside a hyperlink and a content control is printed text; a paragraph whose
    mark was deleted (tracked) runs on into the next; a list instance with a start
    override starts again at 1, one without goes on counting."""
    import docx
    from docx.oxml import parse_xml

    from tests.docx_make import ABSTRACT, W_NS

    d = docx.Document()
    numbering = d.part.numbering_part.element
    numbering.insert(0, parse_xml(ABSTRACT))
    for num_id, override in (("91", ""), ("92", ""), ("93", '<w:lvlOverride w:ilvl="1"><w:startOverride w:val="1"/></w:lvlOverride>')):
        numbering.append(parse_xml(f'<w:num {W_NS} w:numId="{num_id}"><w:abstractNumId w:val="90"/>{override}</w:num>'))
    for text, num_id in (("Một", "91"), ("Hai", "92"), ("Lại một", "93")):
        p = d.add_paragraph(text)
        p._p.get_or_add_pPr().append(parse_xml(f'<w:numPr {W_NS}><w:ilvl w:val="1"/><w:numId w:val="{num_id}"/></w:numPr>'))
    p = d.add_paragraph("Xem ")
    p._p.append(parse_xml(f'<w:hyperlink {W_NS}><w:r><w:t>Cổng thông tin</w:t></w:r></w:hyperlink>'))
    p._p.append(parse_xml(f'<w:sdt {W_NS}><w:sdtContent><w:r><w:t xml:space="preserve"> tỉnh</w:t></w:r></w:sdtContent></w:sdt>'))
    joined = d.add_paragraph("Đoạn bị nối ")
    joined._p.get_or_add_pPr().append(parse_xml(
        f'<w:rPr {W_NS}><w:del w:id="7" w:author="A" w:date="2025-01-01T00:00:00Z"/></w:rPr>'))
    d.add_paragraph("với đoạn sau.")
    d.save(str(tmp_path / "w.docx"))
    assert ingest.load(tmp_path / "w.docx").pages[0].text.split("\n") == [
        "1. Một", "2. Hai", "1. Lại một", "Xem Cổng thông tin tỉnh", "Đoạn bị nối với đoạn sau."]


def test_row_wide_cell_of_a_header_table_stays_in_place(tmp_path: Path) -> None:
    """A header table whose last row, merged across, holds the type: the two columns
    above it first, column by column, then the type (regression: read column by column
    whole, the type came before the motto and the date)."""
    import docx

    d = docx.Document()
    t = d.add_table(rows=3, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "ỦY BAN NHÂN DÂN XÃ AN BÌNH", HEADER_RIGHT[0]
    t.cell(1, 0).text, t.cell(1, 1).text = "Số: 7/KH-UBND", "An Bình, ngày 9 tháng 3 năm 2025"
    t.cell(2, 0).merge(t.cell(2, 1)).text = "KẾ HOẠCH"
    d.add_paragraph("Tổ chức ngày hội đọc sách năm 2025")
    d.save(str(tmp_path / "h.docx"))
    assert ingest.load(tmp_path / "h.docx").pages[0].text.split("\n") == [
        "ỦY BAN NHÂN DÂN XÃ AN BÌNH", "Số: 7/KH-UBND", HEADER_RIGHT[0],
        "An Bình, ngày 9 tháng 3 năm 2025", "KẾ HOẠCH", "Tổ chức ngày hội đọc sách năm 2025"]
    h = record(tmp_path / "h.docx").header
    assert (h.date.value, h.title.value) == ("2025-03-09", "Tổ chức ngày hội đọc sách năm 2025")


def test_header_in_a_frame_and_printed_hyphens(tmp_path: Path) -> None:
    """A header drawn in a text box at the top (LibreOffice saves a floating header table
    as one) is the page's header, read in place; other boxes stay apart. A non-breaking
    hyphen typed as a character is a hyphen (regression: `296‑QĐ/TW` was no act)."""
    import docx
    from docx.oxml import parse_xml

    from tests.docx_make import TEXT_BOX

    d = docx.Document()
    box = TEXT_BOX.replace("<w:p><w:r><w:t>DỰ THẢO</w:t></w:r></w:p>",
                           "<w:p><w:r><w:t>ỦY BAN NHÂN DÂN XÃ AN BÌNH</w:t></w:r></w:p>"
                           "<w:p><w:r><w:t>Số: 7/KH-UBND</w:t></w:r></w:p>"
                           f"<w:p><w:r><w:t>{HEADER_RIGHT[0]}</w:t></w:r></w:p>"
                           "<w:p><w:r><w:t>An Bình, ngày 9 tháng 3 năm 2025</w:t></w:r></w:p>")
    d.add_paragraph("")._p.append(parse_xml(box))
    d.add_paragraph("KẾ HOẠCH")
    d.add_paragraph("Tổ chức ngày hội đọc sách năm 2025")
    d.add_paragraph("Căn cứ Quy định số\u00a0296\u2011QĐ/TW ngày 30/5/2025 của Ban Chấp hành Trung ương;")
    d.add_paragraph("")._p.append(parse_xml(TEXT_BOX))
    d.save(str(tmp_path / "f.docx"))
    doc = ingest.load(tmp_path / "f.docx")
    assert [ln for ln in doc.pages[0].text.split("\n") if ln][:5] == [
        "ỦY BAN NHÂN DÂN XÃ AN BÌNH", "Số: 7/KH-UBND", HEADER_RIGHT[0], "An Bình, ngày 9 tháng 3 năm 2025", "KẾ HOẠCH"]
    assert [a.text for a in doc.asides] == ["DỰ THẢO"]
    rec = record(tmp_path / "f.docx")
    assert (rec.header.symbol.value, rec.header.date.value) == ("KH-UBND", "2025-03-09")
    assert "296-QĐ/TW" in {a.number for a in rec.legal_acts}


def test_rows_and_cells_inside_content_controls(tmp_path: Path) -> None:
    """A form-like table whose second row is wrapped in a content control keeps it."""
    import docx
    from docx.oxml import parse_xml

    from tests.docx_make import W_NS

    d = docx.Document()
    t = d.add_table(rows=2, cols=3)
    for c, title in enumerate(("STT", "Nội dung", "Chủ trì")):
        t.cell(0, c).text = title
    row = t.rows[1]._tr
    sdt = parse_xml(f"<w:sdt {W_NS}><w:sdtContent/></w:sdt>")
    row.addprevious(sdt)
    sdt[0].append(row)
    for c, value in enumerate(("1", "Rà soát hồ sơ", "Văn phòng")):
        t._tbl.findall(".//" + "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tc")[3 + c] \
            .find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p").append(
                parse_xml(f"<w:r {W_NS}><w:t>{value}</w:t></w:r>"))
    d.save(str(tmp_path / "s.docx"))
    (table,) = page_from_text(ingest.load(tmp_path / "s.docx").pages[0]).tables
    assert table.n_rows == 2 and [c.text for c in table.rows()[1]] == ["1", "Rà soát hồ sơ", "Văn phòng"]
