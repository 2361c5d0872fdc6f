"""Page elements (issue 19): e-signature boxes and receipt stamps read apart as data and kept
out of the page text; the header and the footer read column by column; scans rasterised at
their own resolution. Rendered pages (samples.marks) are committed; real scans skip
without ../shared."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import ocr
from ingest import load
from ingest.esign import iso_time, parse_signature, pdf_time
from ingest.pdf import native_dpi
from ocr.elements import receipt_of
from ocr.layout import order_lines
from ocr.tesseract import RawWord
from samples.marks import Marks, draw_esign_box, draw_receipt_stamp, esign_and_stamp
from samples.render import RenderedPage, Style, render_document
from samples.truth import cer

DOC = """UBND TỈNH ĐỒNG NAI
SỞ CÔNG THƯƠNG
Số: 12/KH-SCT
Đồng Nai, ngày 28 tháng 02 năm 2025
KẾ HOẠCH
Thông tin, tuyên truyền cải cách hành chính năm 2025
Căn cứ Kế hoạch số 116/KH-UBND ngày 06/01/2025 của UBND tỉnh về thông tin, tuyên truyền kiểm soát thủ tục hành chính năm 2025;
I. MỤC ĐÍCH, YÊU CẦU
- Nâng cao nhận thức, trách nhiệm của cán bộ, công chức trong thực hiện các nhiệm vụ cải cách hành chính.
- Tăng cường phối hợp, chia sẻ thông tin giữa các cơ quan hành chính nhà nước với các cơ quan báo chí.
"""
MARK_TEXT = ("ttcbth", "TRUNG TÂM", "2352", "21.3.18", "ĐẾN", "Chuyển", "+07:00")


@pytest.mark.parametrize("text,org,signer,email,stamp", [
    ("TRUNG TÂM CÔNG BÁO\nVÀ TIN HỌC\nttcbth@quangngai.gov.vn\n05.02.2025 15:35:18 +07:00",
     "TRUNG TÂM CÔNG BÁO VÀ TIN HỌC", None, "ttcbth@quangngai.gov.vn", "2025-02-05T15:35:18+07:00"),
    ("Ký bởi: Sở Công Thương tỉnh Đồng Nai\nCơ quan: Tỉnh Đồng Nai\nThời gian ký: 03/03/2025 09:10:11",
     "Tỉnh Đồng Nai", "Sở Công Thương tỉnh Đồng Nai", None, "2025-03-03T09:10:11"),
    # a value wrapped onto the next line is joined back
    ("Ký bởi: Ủy ban nhân\ndân tỉnh Đồng Nai\nThời gian ký:\n11/05/2021 11:26:39",
     "Ủy ban nhân dân tỉnh Đồng Nai", "Ủy ban nhân dân tỉnh Đồng Nai", None, "2021-05-11T11:26:39"),
    ("Ky boi: So Noi vu\nThoi gian ky 1.2.2024 8:05", "So Noi vu", "So Noi vu", None,
     "2024-02-01T08:05:00"),  # labels without marks (OCR)
])
def test_signature_fields(text: str, org: str, signer: str | None, email: str | None,
                          stamp: str) -> None:
    s = parse_signature(text, 0, "ocr")
    assert (s.organisation, s.signer, s.email, s.timestamp) == (org, signer, email, stamp)


@pytest.mark.parametrize("text,iso", [
    ("07.01.2025 10:44:25 +07:00", "2025-01-07T10:44:25+07:00"),
    ("Thời gian ký: 02/04/2026 14:24:26", "2026-04-02T14:24:26"),
    ("32.01.2025 10:44:25", None),  # no such day
    ("ngày 21 tháng 7", None),
])
def test_timestamps(text: str, iso: str | None) -> None:
    assert iso_time(text) == iso


def test_pdf_dates() -> None:
    assert pdf_time("D:20250207075624+07'00'") == "2025-02-07T07:56:24+07:00"
    assert pdf_time("D:20250207075624") == "2025-02-07T07:56:24"
    assert pdf_time("yesterday") is None


@pytest.mark.parametrize("text,number,date", [
    ("CV\nĐẾN\nSố: 2352\nNgày: 21.3.18\nChuyển:", "2352", "21.3.18"),
    ("Số: 2352\nCV Ngày: 21/3/2018\nĐEN Chuyển:", "2352", "21/3/2018"),
    ("CV ĐẾN Số:\nNgày:\nChuyển:", None, None),  # blanks left empty
])
def test_receipt_fields(text: str, number: str | None, date: str | None) -> None:
    r = receipt_of(text, 0, (0, 0, 10, 10))
    assert r is not None and (r.number, r.date) == (number, date)


def test_a_framed_title_is_no_receipt() -> None:
    assert receipt_of("KẾ HOẠCH\nSố 12", 0, (0, 0, 10, 10)) is None


@pytest.fixture(scope="module")
def page() -> RenderedPage:
    return render_document(DOC, Style("liberation", 13, 300))[0]


@pytest.mark.parametrize("mark", ["esign", "stamp", "both"])
def test_marks_read_apart_and_kept_out_of_the_text(page: RenderedPage, mark: str) -> None:
    """Regression (issue 19): an e-signature box over the top margin and a CV ĐẾN stamp
    beside the body are returned as data; none of their text reaches the page text."""
    marked = {"esign": draw_esign_box, "stamp": draw_receipt_stamp, "both": esign_and_stamp}[mark](page)
    out = ocr.ocr_image(np.asarray(marked.image), ocr.OcrOptions(), marked.dpi)
    m = Marks()
    assert not [t for t in MARK_TEXT if t in out.text]
    assert cer(page.truth, out.text) <= 0.01
    if mark != "stamp":
        (sig,) = out.signatures
        assert (sig.organisation, sig.email, sig.timestamp) == (m.organisation, m.email, m.iso)
        assert sig.box is not None and sig.box[1] < 0.1 * marked.image.height
    if mark != "esign":
        (rec,) = out.received
        assert (rec.number, rec.date) == (m.number, m.date)


def test_a_page_of_marks_only_is_empty_with_a_warning(page: RenderedPage) -> None:
    """Bad input: a page that is all stamp gives an empty page with a warning, and the
    stamp's text is data, not text."""
    blank = RenderedPage(Image.new("RGB", page.image.size, "white"), "", page.dpi)
    out = ocr.ocr_image(np.asarray(esign_and_stamp(blank).image), ocr.OcrOptions(), page.dpi)
    assert not out.text.strip() and out.warnings
    assert len(out.signatures) == 1 and len(out.received) == 1


def _w(text: str, x0: int, y0: int, w: int, block: int = 1, line: int = 1) -> RawWord:
    return RawWord(text, x0, y0, x0 + w, y0 + 40, 95.0, block, 1, line)


def _run(words: list[tuple[str, int]], y: int, line: int) -> list[RawWord]:
    return [_w(t, x, y, 25 * len(t), 1, line) for t, x in words]


def test_header_line_across_a_narrow_gutter_is_read_column_by_column() -> None:
    """Regression (real scan, qn_qd04 p.1): `UBND TỈNH QUẢNG NGÃI CỘNG HÒA ...` with a
    gutter no wider than a word space was read as one line, after the title."""
    first = _run([("UBND", 300), ("TỈNH", 420), ("QUẢNG", 540), ("NGÃI", 700), ("CỘNG", 830),
                  ("HÒA", 960), ("XÃ", 1060), ("HỘI", 1140), ("CHỦ", 1240), ("NGHĨA", 1340),
                  ("VIỆT", 1500), ("NAM", 1630)], 200, 1)
    second = _run([("BAN", 380), ("CHỈ", 480), ("ĐẠO", 560), ("138", 660), ("Độc", 1150),
                   ("lập", 1250), ("-", 1330), ("Tự", 1360), ("do", 1430)], 250, 2)
    third = _run([("Số:", 300), ("04", 380), ("/QĐ-BCĐ138", 440), ("Quảng", 1000),
                  ("Ngãi,", 1160), ("ngày", 1300), ("05", 1420), ("tháng", 1480), ("02", 1620)], 320, 3)
    title = _run([("QUYẾT", 900), ("ĐỊNH", 1060)], 420, 4)
    groups = order_lines(first + second + third + title, 2000, 2800)
    lines = [" ".join(w.text for w in g.words) for g in groups]
    assert lines == ["UBND TỈNH QUẢNG NGÃI", "BAN CHỈ ĐẠO 138", "Số: 04 /QĐ-BCĐ138",
                     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do",
                     "Quảng Ngãi, ngày 05 tháng 02", "QUYẾT ĐỊNH"]


def test_footer_read_recipients_then_signer() -> None:
    """Regression (real scan, qn_cv575): `Nơi nhận: TL. CHỦ TỊCH` put the signer's title
    among the recipients."""
    body = _run([("Trân", 300), ("trọng./.", 420)], 2000, 1)
    a = _run([("Nơi", 300), ("nhận:", 390), ("TL.", 1300), ("CHỦ", 1390), ("TỊCH", 1490)], 2100, 2)
    b = _run([("-", 300), ("Như", 330), ("trên;", 420), ("PHÓ", 1300), ("CHÁNH", 1400)], 2150, 3)
    c = _run([("-", 300), ("Lưu:", 330), ("VT.", 440)], 2200, 4)
    lines = [" ".join(w.text for w in g.words) for g in order_lines(body + a + b + c, 2000, 2800)]
    assert lines == ["Trân trọng./.", "Nơi nhận:", "- Như trên;", "- Lưu: VT.", "TL. CHỦ TỊCH",
                     "PHÓ CHÁNH"]


def test_a_scan_pdf_is_rasterised_at_its_own_resolution(tmp_path: Path, page: RenderedPage) -> None:
    """Regression: a 150 dpi scan was rasterised at 300 DPI (an interpolated copy that
    Tesseract reads worse: GP 2507 body CER 1.48 % at 150, 1.98 % at 300)."""
    path = tmp_path / "scan.pdf"
    page.image.resize((1240, 1754)).save(path, resolution=150)
    assert native_dpi(path, 1) == [150]
    ref = load(path).pages[0].image
    assert ref is not None and (ref.dpi, ref.scan) == (150, True)
    assert load(path, dpi=300).pages[0].image.dpi == 300  # an explicit --dpi wins


def test_signature_widget_read_from_the_pdf(tmp_path: Path, page: RenderedPage) -> None:
    """A signed scan's /Sig widget becomes Document.signatures (its /Reason and /M when
    it draws no text), in pixels of the page at its own resolution."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        TextStringObject,
    )

    plain = tmp_path / "plain.pdf"
    page.image.resize((1240, 1754)).save(plain, resolution=150)
    writer = PdfWriter(clone_from=PdfReader(str(plain)))
    value = DictionaryObject({
        NameObject("/Type"): NameObject("/Sig"), NameObject("/Filter"): NameObject("/Adobe.PPKLite"),
        NameObject("/M"): TextStringObject("D:20250207085104+07'00'"),
        NameObject("/Reason"): TextStringObject("TRUNG TÂM CÔNG BÁO VÀ TIN HỌC<ttcbth@quangngai.gov.vn> đã ký"),
    })
    widget = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Widget"),
        NameObject("/FT"): NameObject("/Sig"), NameObject("/T"): TextStringObject("Signature1"),
        NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (300, 780, 560, 830)]),
        NameObject("/V"): writer._add_object(value),
    })
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(widget)])
    signed = tmp_path / "signed.pdf"
    with signed.open("wb") as fh:
        writer.write(fh)
    (sig,) = load(signed).signatures
    assert (sig.source, sig.organisation, sig.email, sig.timestamp) == (
        "pdf-signature", "TRUNG TÂM CÔNG BÁO VÀ TIN HỌC", "ttcbth@quangngai.gov.vn",
        "2025-02-07T08:51:04+07:00")
    assert sig.box is not None and sig.box[0] == 300 * 150 // 72 and sig.box[1] < 40


# Real scans (never committed): skipped without ../shared. Pages we transcribed ourselves.


def test_real_signed_scan_has_its_boxes(external: Path) -> None:
    doc = load(external / "scans" / "qn_qd04_2025_bcd138.pdf")
    assert len(doc.signatures) == 2
    assert all(s.organisation and s.timestamp and s.page == 0 for s in doc.signatures)
    assert {s.email for s in doc.signatures} == {None, "ttcbth@quangngai.gov.vn"}


def test_real_receipt_stamp_kept_out_of_the_header(external: Path) -> None:
    """qn_ct08 p.1 (the CV ĐẾN stamp beside the body's first lines, cut by the scan's
    edge): the stamp is `received`, its text in no line, the header read column by column."""
    from ingest import load_image

    ref = load(external / "scans" / "qn_ct08_2018_ubnd.pdf").pages[0].image
    assert ref is not None and ref.dpi == 300
    out = ocr.ocr_image(load_image(ref), ocr.OcrOptions(), ref.dpi)
    assert len(out.received) == 1
    assert "ĐẾN" not in out.text and "TIN HỌC" not in out.text
    lines = [ln.text for ln in out.lines]
    assert lines[0].startswith("ỦY BAN") and lines[1].startswith("TỈNH QUẢNG")
    assert any(t.startswith("CỘNG HÒA") for t in lines[2:6])


def test_stamp_told_by_its_words_and_a_heading_is_not_one() -> None:
    """An unframed CV ĐẾN stamp is told by `ĐẾN` with its blanks stacked beside it; a
    heading `ĐẾN NGÀY 30/6` is text."""
    from ocr.elements import stamp_words

    body = [_w(f"w{k}", 400 + 120 * (k % 10), 900 + 50 * (k // 10), 100, 1, k // 10) for k in range(40)]
    stamp = [_w("CV", 20, 600, 60), _w("ĐẾN", 10, 650, 90), _w("Số:", 130, 600, 50, 2, 1),
             _w("2352", 190, 600, 80, 2, 1), _w("Ngày:", 130, 640, 70, 2, 2),
             _w("21.3.18", 210, 640, 90, 2, 2), _w("Chuyển:", 130, 680, 90, 2, 3)]
    kept, rec = stamp_words(body + stamp, 0)
    assert rec is not None and (rec.number, rec.date) == ("2352", "21.3.18") and kept == body
    heading = [_w("TỪ", 300, 500, 50), _w("NAY", 360, 500, 70), _w("ĐẾN", 440, 500, 70),
               _w("NGÀY", 520, 500, 80), _w("30/6", 610, 500, 70)]
    kept, rec = stamp_words(body + heading, 0)
    assert rec is None and kept == body + heading
