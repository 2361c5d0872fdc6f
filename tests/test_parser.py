"""Parser: extractors table-driven, gold seeds, non-plans."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parser import parse_text
from parser.acts import canonical

HEAD = """UBND TỈNH ĐỒNG NAI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
SỞ CÔNG THƯƠNG Độc lập - Tự do - Hạnh phúc
Số: 1298/KH-SCT Đồng Nai, ngày 28 tháng 02 năm 2025
KẾ HOẠCH
Thông tin, tuyên truyền cải cách hành chính
năm 2025

Căn cứ Nghị định số 63/2010/NĐ-CP ngày 08/6/2010 của Chính phủ về kiểm soát thủ tục hành chính;
Căn cứ Kế hoạch số 116/KH-UBND ngày 06 tháng 01 năm 2021 của Ủy ban nhân dân tỉnh về thông tin;
I. MỤC ĐÍCH
1. Đối với cán bộ, công chức
Thực hiện Nghị định số 45/2020 ngày 08/4/2020 của Chính phủ và Nghị định 63/2010/NĐ-CP.
II. TỔ CHỨC THỰC HIỆN
1. Văn phòng Sở chủ trì, phối hợp với các phòng, đơn vị triển khai kế hoạch; báo cáo định kỳ hằng quý.
2. Các phòng, đơn vị thuộc Sở
Căn cứ kế hoạch, tổ chức thực hiện.
Nơi nhận: KT. GIÁM ĐỐC
- UBND tỉnh; PHÓ GIÁM ĐỐC
- Lưu: VT, TT.
Nguyễn Văn An
"""


@pytest.fixture(scope="module")
def rec():
    return parse_text(HEAD)


@pytest.mark.parametrize("field,value", [
    ("parent_agency", "UBND TỈNH ĐỒNG NAI"), ("agency", "SỞ CÔNG THƯƠNG"), ("number", "1298"),
    ("symbol", "KH-SCT"), ("place", "Đồng Nai"), ("date", "2025-02-28"), ("doc_type", "KẾ HOẠCH"),
    ("title", "Thông tin, tuyên truyền cải cách hành chính năm 2025"), ("signer_name", "Nguyễn Văn An"),
    ("signer_title", "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC"),
])
def test_header_fields(rec, field: str, value: str) -> None:
    f = getattr(rec.header, field)
    assert f.value == value
    assert f.span is not None and f.span.end >= f.span.start


def test_recipients(rec) -> None:
    assert [r.value for r in rec.header.recipients] == ["UBND tỉnh", "Lưu: VT, TT"]


def test_acts(rec) -> None:
    acts = {a.number: a for a in rec.legal_acts}
    assert list(acts) == ["63/2010/NĐ-CP", "116/KH-UBND", "45/2020/NĐ-CP"]
    assert acts["63/2010/NĐ-CP"].date == "2010-06-08" and len(acts["63/2010/NĐ-CP"].mentions) == 2
    assert acts["63/2010/NĐ-CP"].role == "basis" and acts["63/2010/NĐ-CP"].issuer == "Chính phủ"
    assert acts["116/KH-UBND"].date == "2021-01-06" and acts["116/KH-UBND"].issuer == "UBND tỉnh"
    assert acts["45/2020/NĐ-CP"].completed and acts["45/2020/NĐ-CP"].role == "content"
    assert "1298/KH-SCT" not in acts  # the plan's own number


@pytest.mark.parametrize("printed,canon", [
    ("63/2010/ND-CP", "63/2010/NĐ-CP"), ("1085/QD-TTg", "1085/QĐ-TTg"), ("12/QP-UBND", "12/QĐ-UBND"),
    ("47/KH- UBND", "47/KH-UBND"), ("71/NQ-TW", "71-NQ/TW"), ("142/2024/QH15", "142/2024/QH15"),
    ("66/NÑQ-CP", "66/NQ-CP"),  # regression (004 rendered, degraded): a tilde OCR doubled N with
    ("12/ỦBND-KT", "12/UBND-KT"), ("5/QÐ-UBND", "5/QĐ-UBND"), ("1105/KH-ĐKT", "1105/KH-ĐKT"),
])
def test_canonical_numbers(printed: str, canon: str) -> None:
    assert canonical(printed.lower(), printed) == canon


def test_ocr_noise_in_citations() -> None:
    r = parse_text("Can cu Nghi dinh s6 63/2010/ND-CP ngay 08/6/2010 cua Chinh phu;")
    assert [a.number for a in r.legal_acts] == ["63/2010/NĐ-CP"]
    assert r.legal_acts[0].issuer == "Chính phủ" and r.legal_acts[0].role == "basis"


def test_outline_audiences_duties(rec) -> None:
    assert [(s.number, s.level) for s in rec.sections] == [("I", 1), ("1", 2), ("II", 1), ("1", 2), ("2", 2)]
    assert [(a.name, a.number) for a in rec.audiences] == [("Cán bộ, công chức", "I.1")]
    duties = {(d.unit, d.role) for d in rec.responsibilities}
    assert {("Văn phòng Sở", "lead"), ("Các phòng, đơn vị thuộc Sở", "all")} <= duties
    # the phối hợp partners are the collective unit already listed (role all): not again
    assert ("Các phòng, đơn vị", "support") not in duties
    lead = next(d for d in rec.responsibilities if d.unit == "Văn phòng Sở")
    assert lead.cadence == "định kỳ hằng quý"


def test_merged_header_columns_raw_ocr() -> None:
    r = parse_text("UBND TINH PONG NAI CONG HOA XA HQI CHU NGHIA VIET NAM\nSO CONG THUONG Doc lap - Tu do - Hanh phuc\nS6: 12/KH-SCT\nKE HOACH\nVe thong tin\n")
    assert r.header.doc_type.value == "KẾ HOẠCH"
    assert r.header.symbol.value == "KH-SCT" and r.header.number.value == "12"
    assert r.header.parent_agency.value == "UBND TINH PONG NAI"


@pytest.mark.parametrize("text", ["", "hello world, this is an English page.", "\x00\x01 ###", "a" * 10000])
def test_not_a_plan(text: str) -> None:
    r = parse_text(text)
    assert r.warnings and r.header.doc_type.value is None and not r.legal_acts


@pytest.mark.parametrize("name", ["002", "004"])
def test_gold_headers_exact(shared, name: str) -> None:
    from bench.parse_bench import HEADER_FIELDS, norm

    gold = json.loads((shared / f"gold/extract/{name}.json").read_text())
    text = sorted((shared / "seeds").glob(f"{name}_*.txt"))[0].read_text(encoding="utf-8")
    r = parse_text(text)
    for f in HEADER_FIELDS:
        if f in gold["header"]:
            assert norm(getattr(r.header, f).value) == norm(gold["header"][f]), f


@pytest.mark.parametrize("raw,want", [
    ("Phòng Kế hoạch- Tài chính- Tổng hợp", "Phòng Kế hoạch - Tài chính - Tổng hợp"),
    ("Phòng Kinh tế -Hạ tầng", "Phòng Kinh tế - Hạ tầng"),
    ("Phòng Kinh tế - Hạ tầng", "Phòng Kinh tế - Hạ tầng"),
    ("Ban Biên tập Trang TTĐT-Sở", "Ban Biên tập Trang TTĐT-Sở"),  # unspaced dash kept
])
def test_unit_name_dashes(raw, want):
    from parser.units import unit_name

    assert unit_name(raw) == want


@pytest.mark.parametrize("line,number,note", [
    ("Số: # /CT-UBND", None, "unreadable"),  # a handwritten number OCR could not read
    ("Số: ố† /QĐ-UBND", None, "unreadable"),
    ("Số:      /KH-SCT", None, "blank"),
    ("Số: 2507/GP-UBND", "2507", ""),
    ("Số: 16 /2026/QĐ-UBND", "16/2026", ""),
])
def test_handwritten_numbers_flagged_never_guessed(line: str, number: str | None, note: str) -> None:
    r = parse_text(f"ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\n{line}\nCHỈ THỊ\nVề việc thi hành án\n")
    assert r.header.number.value == number
    assert note in r.header.number.note
    assert r.header.symbol.value and "/" not in r.header.symbol.value.strip("/")[:1]


def test_handwritten_day_gives_partial_date() -> None:
    r = parse_text("ỦY BAN NHÂN DÂN\nQuảng Ngãi, ngày O# tháng 02 năm 2025\nQUYẾT ĐỊNH\nVề việc\n")
    assert r.header.date.value is None and r.header.date_partial.value == "2025-02"


RAW_CLOSING = """UBND TINH DONG NAI CONG HOA XA HQI CHU NGHIA VIET NAM
BAN QUANLY Poc 1ap - Tw do - Hanh phic
CAC KHU CONG NGHIEP
Pong Nai, ngdy 30 thang 01 nim 2023
S6: 06 /KH-KCNDN
KE HOACH
Thong tin tuyen truyen nam 2023
I. MUC DICH
Noi dung.
Noi nhn: KT. TRUONG BAN
- UBND tinh ; PHO TRUONG BAN
- Luu VT, CCHC.
"""


def test_raw_ocr_date_words_and_noi_nhan():
    """Regressions on un-restored OCR: `ngdy ... nim` is still a date line, `Noi nhn`
    still opens the closing block (signer title and recipients)."""
    h = parse_text(RAW_CLOSING).header
    assert (h.date.value, h.number.value, h.doc_type.value) == ("2023-01-30", "06", "KẾ HOẠCH")
    assert h.signer_title.value == "KT. TRUONG BAN PHO TRUONG BAN"
    assert h.agency.value == "BAN QUANLY CAC KHU CONG NGHIEP"  # motto "Hanh phic" cut off
    assert [r.value for r in h.recipients] == ["UBND tinh", "Luu VT, CCHC"]


@pytest.mark.parametrize("text,number,issuer", [
    ("Thực hiện Nghị quyết số 71/NQ-TW ngày 01/8/2007 tại Hội nghị lần thứ 5 BCH\nTW Đảng (khóa X).",
     "71-NQ/TW", "Ban Chấp hành Trung ương Đảng"),
    ("Căn cứ Nghị quyết số 5/NQ-TU ngày 1/2/2020 tại Hội nghị BCH Đảng bộ tỉnh lần thứ 3.",
     "5-NQ/TU", "Ban Chấp hành Đảng bộ tỉnh"),
    ("Căn cứ Nghị quyết số 9/NQ-TU ngày 1/2/2020 tại hội trường tỉnh.", "9-NQ/TU", None),
])
def test_party_issuer_from_plenum(text, number, issuer):
    acts = {a.number: a.issuer for a in parse_text(text).legal_acts}
    assert acts == {number: issuer}


@pytest.mark.parametrize("text,number,issuer", [
    ("Nghi dinh s 42/2022/ND-CP ngay 24/6/2022 cua Chinh pha quy dinh", "42/2022/NĐ-CP", "Chính phủ"),
    ("2030; Nghi quyét sd\n131/NQ-CP ngay 06/10/2022 ctia Chinh phi vé day", "131/NQ-CP", "Chính phủ"),
    ("Quyét dinh sé 3183/QD-UBND ngay 09/9/2021 ctia UBND tinh vé", "3183/QĐ-UBND", "UBND tỉnh"),
    ("Quyết định s 766/QĐ-TTg ngày 26/6/2022 của Thu tuéng Chinh phil về", "766/QĐ-TTg", "Thủ tướng Chính phủ"),
    ("Thông tư số 01/2020/TT-VPCP ngày 21/10/2020 của Văn phòng Chính phí quy định", "01/2020/TT-VPCP",
     "Văn phòng Chính phủ"),
])
def test_raw_ocr_citations(text, number, issuer):
    """Raw OCR (seed 001 style): `s`/`sé` for số, `ctia` for của, Chính phủ's mark lost."""
    acts = {a.number: a.issuer for a in parse_text(text).legal_acts}
    assert acts == {number: issuer}


@pytest.mark.parametrize("line,found", [
    ("1. Đối với cán bộ, công chức:", True),
    ("b) Đối với người dân và doanh nghiệp", True),
    ("- Đối tượng tuyên truyền: cán bộ, công chức", True),
    ("đối với công tác cải cách thủ tục hành chính, kiểm soát thủ", False),  # prose wrapped
    ("Đối với các trường hợp chây ỳ kéo dài, xử lý theo quy định", False),
])
def test_audience_needs_an_outline_marker(line, found):
    assert bool(parse_text(f"I. NỘI DUNG\n{line}\nNội dung.\n").audiences) is found


def test_tt_read_as_ti():
    assert [a.number for a in parse_text("Thông tư số 02/2017/TI-VPCP ngày 31/10/2017").legal_acts] \
        == ["02/2017/TT-VPCP"]


@pytest.mark.parametrize("last,name", [
    ("(D/Tuan/116/KH-UBND/2021/Thongtintuyentruyen) Nguyễn Trí Phương", "Nguyễn Trí Phương"),
    ("Nguyễn Trí Phương", "Nguyễn Trí Phương"),
    ("(xem phụ lục) Kho VLNCN", None),  # not a person's name
])
def test_signer_name_after_a_merged_column(last, name):
    """OCR of a scan puts the file-path note and the signer's name on one line."""
    text = f"KẾ HOẠCH\nVề x\nNơi nhận: KT. GIÁM ĐỐC\n- UBND tỉnh; PHÓ GIÁM ĐỐC\n- Lưu: VT.\n{last}\n"
    assert parse_text(text).header.signer_name.value == name


def test_own_number_with_unrepaired_d_is_not_a_cited_act() -> None:
    """Regression: the header's symbol repaired to Đ (`06/KH-KCNĐN`) while the body still
    reads `06/KH-KCNDN` made the plan cite itself."""
    from parser.acts import _same_number_key

    assert _same_number_key("06/KH-KCNĐN") == _same_number_key("06/KH-KCNDN")
    assert _same_number_key("06/KH-KCNĐN") != _same_number_key("07/KH-KCNDN")


@given(st.text(max_size=60))
def test_fold_keeps_length_and_folds_each_character(text: str) -> None:
    """Spans found in folded text index the original text: folding is per character."""
    from parser.doc import _fold_char, fold

    assert len(fold(text)) == len(text)
    assert fold(text) == "".join(_fold_char(c) for c in text)
