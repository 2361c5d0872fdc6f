"""Header fields on noisy and non-plan documents (issues 4 and 7).

Texts here are written for the tests in the layouts real documents use (two header
columns merged on one line, a Word table flattened with ' | ', a công văn's V/v under
the number); none is copied from a sample.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parser import parse_text

SHARED = Path(__file__).resolve().parents[2] / "shared"

# restored legacy OCR: agency damaged in the header only, Đ lost from the symbol,
# signer title lines garbled
NOISY = """UBND TỈNH BÌNH ĐỊNH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
BÁN QUANLY Độc lập - Tự do - Hạnh phúc
CÁC CỤM CÔNG NGHIỆP
Bình Định, ngày 05 tháng 03 năm 2024
Số: 11 /KH-CCNBĐ
KẾ HOẠCH
Kiểm tra an toàn lao động của Ban Quản lý các Cụm công nghiệp năm 2024
I. MỤC ĐÍCH
Ban Quản lý các Cụm công nghiệp tổ chức kiểm tra.
Nơi nhận: KT. TRUQN Ở BẢN
- UBND tỉnh ; YO TRƯỜNG BẮN
- Lưu VT.
"""


@pytest.fixture(scope="module")
def noisy():
    return parse_text(NOISY.replace("CCNBĐ", "CCNBD")).header


@pytest.mark.parametrize("field,value", [
    ("agency", "BAN QUẢN LÝ CÁC CỤM CÔNG NGHIỆP"),  # read again in the body
    ("symbol", "KH-CCNBĐ"),  # D of Bình Định's initials restored
    ("signer_title", "KT. TRƯỞNG BAN PHÓ TRƯỞNG BAN"),  # snapped to known positions
    ("parent_agency", "UBND TỈNH BÌNH ĐỊNH"),
    ("number", "11"),
])
def test_noisy_header_repaired(noisy, field: str, value: str) -> None:
    assert getattr(noisy, field).value == value


@pytest.mark.parametrize("symbol,agency,place,want", [
    ("KH-UBND", "ỦY BAN NHÂN DÂN TỈNH", "Lào Cai", "KH-UBND"),  # D of dân stays D
    ("KH-DKT", "ĐOÀN KIỂM TRA", "Lào Cai", "KH-ĐKT"),
    ("BC-QLDD", "PHÒNG QUẢN LÝ ĐẤT ĐAI", "Hà Nội", "BC-QLĐĐ"),
    ("KH-SCT", "SỞ CÔNG THƯƠNG", "Lào Cai", "KH-SCT"),
])
def test_symbol_letters_from_initials(symbol: str, agency: str, place: str, want: str) -> None:
    text = (f"UBND TỈNH X\n{agency}\nSố: 3/{symbol}\n{place}, ngày 1 tháng 2 năm 2024\n"
            "KẾ HOẠCH\nVề việc thử\n")
    assert parse_text(text).header.symbol.value == want


@pytest.mark.parametrize("title,want", [
    ("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC"),  # clean: unchanged
    ("KT. GIÁM ĐÓC\nPHÓ GIẢM ĐỐC", "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC"),
    ("TM. ỦY BAN NHÂN DÂN\nCHỦ TICH", "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH"),
    ("KT. TRUONG BAN\nPHO TRUONG BAN", "KT. TRUONG BAN PHO TRUONG BAN"),  # raw OCR: no marks added
    ("TRƯỞNG ĐOÀN\nPHÓ GIÁM ĐỐC SỞ CÔNG THƯƠNG", "TRƯỞNG ĐOÀN PHÓ GIÁM ĐỐC SỞ CÔNG THƯƠNG"),
])
def test_signer_title_positions(title: str, want: str) -> None:
    lines = title.split("\n")
    text = ("SỞ X\nSố: 1/KH-SX\nKẾ HOẠCH\nThử\nI. MỤC ĐÍCH\nNội dung.\n"
            f"Nơi nhận: {lines[0]}\n- UBND tỉnh; {lines[1]}\n- Lưu: VT.\n")
    assert parse_text(text).header.signer_title.value == want


def test_restored_001_header_vs_gold() -> None:
    """Seed 001 as corrected by hand gives the gold header (restoring the raw 001 takes a
    minute, so that row is measured by bench.parse_bench, not here)."""
    gold_text = SHARED / "gold" / "text" / "001.txt"
    gold = SHARED / "gold" / "extract" / "001.json"
    if not gold_text.exists() or not gold.exists():
        pytest.skip("../shared gold absent")
    h = parse_text(gold_text.read_text(encoding="utf-8")).header
    want = json.loads(gold.read_text(encoding="utf-8"))["header"]
    for f in ("parent_agency", "agency", "number", "symbol", "place", "date", "doc_type", "signer_title"):
        assert (getattr(h, f).value or "").lower() == (want[f] or "").lower(), f


# layout text (pdftotext -layout): columns side by side, V/v over three lines, a list
CONG_VAN = """      ỦY BAN NHÂN DÂN                   CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
        TỈNH HÀ GIANG                          Độc lập - Tự do - Hạnh phúc
     Số: 812 /UBND - NC                    Hà Giang, ngày 14 tháng 9 năm 2025
 V/v tăng cường kiểm tra
an toàn thực phẩm trong
      mùa lễ hội

                     Kính gửi:
                                 - Các sở, ban, ngành tỉnh;
                                 - UBND các xã, phường
                                   trên địa bàn tỉnh.

      Thời gian qua, công tác bảo đảm an toàn thực phẩm đã có chuyển biến.
Nơi nhận:                                            KT. CHỦ TỊCH
- Như trên;                                          PHÓ CHỦ TỊCH
- Chủ tịch, các PCT UBND tỉnh;
- Văn phòng UBND tỉnh (theo dõi,
  tổng hợp);
- Lưu: VT, NC.                                       Lê Văn Bình

                              PHỤ LỤC
                     DANH MỤC CÁC ĐƠN VỊ KIỂM TRA
"""

# a Word file flattened: table cells joined by ' | ', number and day left blank
WORD = """SỞ Y TẾ |  | CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM
TRUNG TÂM KIỂM SOÁT BỆNH TẬT |  | Độc lập – Tự do – Hạnh phúc
Số:          /TTr-KSBT |  | Cần Thơ, ngày        tháng 3 năm 2026
TỜ TRÌNH
Về việc phê duyệt kế hoạch tiêm chủng mở rộng
năm 2026 trên địa bàn thành phố
Kính gửi: Sở Y tế thành phố Cần Thơ
Căn cứ Luật Phòng bệnh năm 2025;
Nơi nhận:
- Như trên;
- Lưu: VT, KHTC. |  | GIÁM ĐỐC

 Trần Thị Mai
"""

# a Quyết định: the issuer's authority line under a title on two capital lines
QUYET_DINH = """  ỦY BAN NHÂN DÂN              CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
    TỈNH AN GIANG                      Độc lập - Tự do - Hạnh phúc
  Số: 77 /QĐ-UBND                 An Giang, ngày 03 tháng 02 năm 2026
         QUYẾT ĐỊNH PHÊ DUYỆT QUY HOẠCH CHI TIẾT
              KHU DU LỊCH NÚI SAM
            CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH AN GIANG
       Căn cứ Luật Tổ chức chính quyền địa phương ngày 16/6/2025;
"""


@pytest.mark.parametrize("text,field,value", [
    (CONG_VAN, "parent_agency", None),
    (CONG_VAN, "agency", "ỦY BAN NHÂN DÂN TỈNH HÀ GIANG"),  # one name on two lines
    (CONG_VAN, "symbol", "UBND-NC"),  # spaces around the hyphen
    (CONG_VAN, "place", "Hà Giang"),  # not glued to the symbol across the gap
    (CONG_VAN, "date", "2025-09-14"),
    (CONG_VAN, "doc_type", "CÔNG VĂN"),
    (CONG_VAN, "title", "tăng cường kiểm tra an toàn thực phẩm trong mùa lễ hội"),
    (CONG_VAN, "addressee", "Các sở, ban, ngành tỉnh; UBND các xã, phường trên địa bàn tỉnh"),
    (CONG_VAN, "signer_title", "KT. CHỦ TỊCH PHÓ CHỦ TỊCH"),  # the appendix does not join
    (CONG_VAN, "signer_name", "Lê Văn Bình"),  # beside the last item
    (WORD, "parent_agency", "SỞ Y TẾ"),
    (WORD, "agency", "TRUNG TÂM KIỂM SOÁT BỆNH TẬT"),  # motto with en dashes cut off
    (WORD, "number", None),
    (WORD, "symbol", "TTr-KSBT"),
    (WORD, "date_partial", "2026-03"),
    (WORD, "doc_type", "TỜ TRÌNH"),
    (WORD, "title", "phê duyệt kế hoạch tiêm chủng mở rộng năm 2026 trên địa bàn thành phố"),
    (WORD, "addressee", "Sở Y tế thành phố Cần Thơ"),
    (WORD, "signer_title", "GIÁM ĐỐC"),
    (WORD, "signer_name", "Trần Thị Mai"),  # after a non-breaking space
    (QUYET_DINH, "title", "PHÊ DUYỆT QUY HOẠCH CHI TIẾT KHU DU LỊCH NÚI SAM"),
    (QUYET_DINH, "doc_type", "QUYẾT ĐỊNH"),
    (QUYET_DINH, "symbol", "QĐ-UBND"),
])
def test_layouts(text: str, field: str, value: str | None) -> None:
    assert getattr(parse_text(text.replace(" Trần", "\xa0Trần")).header, field).value == value


def test_recipients_stop_at_luu_and_run_on_lines() -> None:
    h = parse_text(CONG_VAN).header
    assert [r.value for r in h.recipients] == [
        "Như trên", "Chủ tịch, các PCT UBND tỉnh", "Văn phòng UBND tỉnh (theo dõi, tổng hợp)", "Lưu: VT, NC"]


STAMPED = """                                                        TRUNG TÂM CÔNG BÁO
                                                        ttcb@example.gov.vn
                                                        08.01.2025 10:21:11 +07:00
   ỦY BAN NHÂN DÂN            CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
   TỈNH KON TUM                     Độc lập - Tự do - Hạnh phúc
   Số: 9 /TB-UBND                 Kon Tum, ngày 08 tháng 01 năm 2025
                              THÔNG BÁO
         Kết luận của Chủ tịch UBND tỉnh tại cuộc họp
    về tiến độ giải ngân vốn đầu tư công năm 2024
       Ngày 05/01/2025, Chủ tịch UBND tỉnh chủ trì cuộc họp.
"""

TEAM = """   SỞ XÂY DỰNG                  CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
    ĐOÀN KIỂM TRA                       Độc lập - Tự do - Hạnh phúc
  THEO QUYẾT ĐỊNH
   SỐ 21/QĐ-SXD                      Huế, ngày 10 tháng 3 năm 2026
     Số: 35/KH-ĐKT
                               KẾ HOẠCH
Kiểm tra chất lượng công trình năm 2026
"""


@pytest.mark.parametrize("text,field,value", [
    (STAMPED, "agency", "ỦY BAN NHÂN DÂN TỈNH KON TUM"),  # e-signature stamp skipped
    (STAMPED, "parent_agency", None),
    (STAMPED, "title", "Kết luận của Chủ tịch UBND tỉnh tại cuộc họp về tiến độ giải ngân vốn đầu tư công năm 2024"),
    (TEAM, "agency", "ĐOÀN KIỂM TRA THEO QUYẾT ĐỊNH SỐ 21/QĐ-SXD"),  # the team's decision is its name
    (TEAM, "parent_agency", "SỞ XÂY DỰNG"),
    (TEAM, "number", "35"),
    (TEAM, "symbol", "KH-ĐKT"),
    ("CHÍNH PHỦ\n------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 5/2025/NĐ-CP | Hà Nội, ngày 1 tháng 2 năm 2025\n"
     "NGHỊ ĐỊNH\nVỀ QUẢN LÝ CHỢ\nCăn cứ Luật Tổ chức Chính phủ;\n", "agency", "CHÍNH PHỦ"),
    ("UBND TỈNH X | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 3/QĐ-UBND | X, ngày 15 tháng 54 năm 2026\nQUYẾT ĐỊNH\nThử\n",
     "date_partial", "2026"),  # a month that cannot be: only the year is kept
])
def test_more_layouts(text: str, field: str, value: str | None) -> None:
    assert getattr(parse_text(text).header, field).value == value


@pytest.mark.parametrize("text", [
    "", "\n\n\n", "Hello world. This is an English page about nothing in particular.\n" * 20,
    "Nơi nhận:\n", "Kính gửi:", "V/v", "Số: /", "KẾ HOẠCH", "| | |\n- \n-- Lưu", "\xa0\t\f\n",
    "Nơi nhận:\n- \n\n\n KT.\n", "ngày tháng năm", "QUYẾT ĐỊNH\n\n\n",
])
def test_not_a_document_never_crashes(text: str) -> None:
    rec = parse_text(text)
    if not any(getattr(rec.header, f).value for f in ("doc_type", "symbol")):
        assert rec.warnings


def test_english_page_is_empty_with_warning() -> None:
    rec = parse_text("Quarterly report\nThe committee met on 3 March.\nRegards,\nJohn Smith\n")
    h = rec.header
    assert (h.doc_type.value, h.symbol.value, h.agency.value, h.title.value) == (None, None, None, None)
    assert rec.warnings


TOKENS = ["Số:", "/KH-SCT", "KẾ HOẠCH", "V/v", "Kính gửi:", "Nơi nhận:", "- ", "Lưu", "KT.", "GIÁM ĐỐC",
          "ngày", "tháng", "năm", "2026", "12", "|", "   ", "\n", "\xa0", "ỦY BAN NHÂN DÂN", "Hà Nội,",
          "CỘNG HÒA XÃ HỘI", "Nguyễn Văn An", "(", ")", ";", "SỐ 1/QĐ"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=40))
def test_header_fuzz_never_crashes(parts: list[str]) -> None:
    """Fragments of headers in any order: a record (maybe empty), never an exception."""
    rec = parse_text(" ".join(parts))
    assert rec.header.doc_type.value in (None, "KẾ HOẠCH", "CÔNG VĂN")


# raw Tesseract output of a scan: debris, "II" for 11, "~" for dashes, a clipped title,
# and a form in the appendix with its own Nơi nhận
RAW_SCAN = """ỦY BAN NHÂN DÂN _ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM

TỈNH YÊN BÁI Độc lập - Tự do - Hạnh phúc
Số: II /2026/QĐ-UBND Yên Bái, ngày 12 tháng 02 năm 2026
QUYÉT ĐỊNH

Ban hành Quy định về quản lý chợ
trên địa bàn tỉnh

Căn cứ Luật Tổ chức chính quyền địa phương;
Nơi nhận: Ti h ˆ
- Chính phủ; TM. ỦY BAN NHÂN DÂN
- Bộ Công Thương; HỦ TỊCH

~ Sở Tư pháp (tự kiểm tra văn bản); T ñ
~ Lưu: VT, KT.

Lê Thị Hoa

Mẫu số 01
Nơi nhận: (Ký, ghi rõ họ tên)
"""


@pytest.mark.parametrize("field,value", [
    ("agency", "ỦY BAN NHÂN DÂN TỈNH YÊN BÁI"),
    ("number", "11/2026"),
    ("symbol", "QĐ-UBND"),
    ("doc_type", "QUYẾT ĐỊNH"),
    ("title", "Ban hành Quy định về quản lý chợ trên địa bàn tỉnh"),
    ("signer_title", "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH"),
    ("signer_name", "Lê Thị Hoa"),
])
def test_raw_scan_header(field: str, value: str) -> None:
    assert getattr(parse_text(RAW_SCAN).header, field).value == value


def test_raw_scan_number_flagged_and_recipients_clean() -> None:
    h = parse_text(RAW_SCAN).header
    assert h.number.confidence < 0.8 and "OCR" in h.number.note
    assert [r.value for r in h.recipients] == [
        "Chính phủ", "Bộ Công Thương", "Sở Tư pháp (tự kiểm tra văn bản)", "Lưu: VT, KT"]


def test_certificate_dated_under_its_name() -> None:
    text = ("UBND TỈNH X   CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nBAN QUẢN LÝ KHU KINH TẾ   Độc lập - Tự do - Hạnh phúc\n"
            "   GIẤY CHỨNG NHẬN ĐĂNG KÝ ĐẦU TƯ\n   Mã số dự án: 123\n   Chứng nhận lần đầu: ngày 30 tháng 6 năm 2026\n"
            "   Căn cứ Luật Đầu tư ngày 17 tháng 6 năm 2020;\n")
    h = parse_text(text).header
    assert (h.date.value, h.place.value, h.doc_type.value) == ("2026-06-30", None, "GIẤY CHỨNG NHẬN")


# what Tesseract gives for a scanned công văn: the e-signature stamp inside the header's
# run, the handwritten number and its "Số:" lost, the date broken over two lines, the
# Nơi nhận label under the seal, right-column specks after an item's ";"
OCR_SCAN = """ỦY BAN NHÂN DÂN
TỈNH BẮC NINH
/UBND-KT
V/v góp ý dự thảo
quy chế phối hợp

TRUNG TÂM CÔNG
BÁO VÀ TIN HỌC
05.02.2025 15:35:18 +07:00
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Bắc Ninh, ngày
tháng 02 năm 2025
Kính gửi: Sở Tư pháp

Ủy ban nhân dân tỉnh có ý kiến như sau.

Một AI y KT. CHỦ TỊCH
- Như trên; ĐLIC U
- Sở Nội vụ; xi “HỌ CHỦ TỊCH
- Lưu: VT, KT.

Nguyễn Văn Hải
"""


def _ocr_record(text: str):
    from diacritics.passthrough import passthrough
    from ocr.text import text_page
    from parser import parse

    return parse([passthrough(text_page("0" * 64, 0, text, source="ocr"))])


@pytest.mark.parametrize("field,value", [
    ("agency", "ỦY BAN NHÂN DÂN TỈNH BẮC NINH"),  # the stamp is not an agency
    ("parent_agency", None),
    ("number", None),
    ("symbol", "UBND-KT"),  # "Số:" and the number lost with the handwriting
    ("place", "Bắc Ninh"),
    ("date_partial", "2025-02"),  # read on into the next line; the day is blank
    ("title", "góp ý dự thảo quy chế phối hợp"),
    ("addressee", "Sở Tư pháp"),
    ("signer_title", "KT. CHỦ TỊCH PHÓ CHỦ TỊCH"),  # found without the Nơi nhận label
    ("signer_name", "Nguyễn Văn Hải"),
])
def test_ocr_scan_header(field: str, value: str | None) -> None:
    assert getattr(_ocr_record(OCR_SCAN).header, field).value == value


def test_ocr_recipient_specks_dropped_but_text_kept() -> None:
    ocr_items = [r.value for r in _ocr_record(OCR_SCAN).header.recipients]
    assert ocr_items == ["Như trên", "Sở Nội vụ", "Lưu: VT, KT"]
    text = "Nơi nhận:\n- Các phòng: Quản lý đất đai; Khoáng sản;\n- Đ/c GĐ; PGĐ 3;\n- Lưu: VT.\n"
    assert [r.value for r in parse_text(text).header.recipients] == [  # a text page: as printed
        "Các phòng: Quản lý đất đai; Khoáng sản", "Đ/c GĐ; PGĐ 3", "Lưu: VT"]


# Tesseract on a low-resolution scan: the motto broken over two lines, the number line
# garbled past reading, the V/v run into the date beside it, Eth for Đ, "Vềviệc" glued
OCR_BROKEN_MOTTO = """BỘ TÀI CHÍNH
CỘNG HOÀXÃ
!HỦ NGHĨA VIỆT NAM
Độc lập -
Tự do - Hạnh phúc
số,” 6 ŸBTC-QLG :
V/v hướng dẫn thủ tục cấp Hà Nội, ngày: tháng:- năm 2026
Kính gửi: Các bộ, ngành
"""


@pytest.mark.parametrize("text,field,value", [
    (OCR_BROKEN_MOTTO, "agency", "BỘ TÀI CHÍNH"),
    (OCR_BROKEN_MOTTO, "place", "Hà Nội"),  # not "hướng dẫn thủ tục cấp Hà Nội"
    (OCR_BROKEN_MOTTO, "date_partial", "2026"),
    (OCR_BROKEN_MOTTO, "title", "hướng dẫn thủ tục cấp"),
    ("ỦY BAN NHÂN DÂN\nTỈNH X\nsố:\n/QÐ-UBND\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
     "X, ngày 03 tháng È năm 2026\nQUYẾT ĐỊNH\nVềviệc giao đất\n", "symbol", "QĐ-UBND"),
    ("ỦY BAN NHÂN DÂN\nTỈNH X\nsố:\n/QÐ-UBND\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
     "X, ngày 03 tháng È năm 2026\nQUYẾT ĐỊNH\nVềviệc giao đất\n", "date_partial", "2026"),
    ("ỦY BAN NHÂN DÂN\nTỈNH X\nsố:\n/QÐ-UBND\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
     "X, ngày 03 tháng È năm 2026\nQUYẾT ĐỊNH\nVềviệc giao đất\n", "title", "giao đất"),
    ("UBND TỈNH X\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố:⁄44 /CT-UBND\nQuảng Ngãi,\ntháng 5 năm 2021\nCHỈ THỊ\nVề thi\n",
     "date_partial", "2021-05"),  # "ngày" lost with the handwritten day
])
def test_ocr_damage(text: str, field: str, value: str) -> None:
    assert getattr(parse_text(text).header, field).value == value


def test_ocr_damaged_label_and_name_after_item() -> None:
    """`Với nhận:` is the Nơi nhận label one letter off; the signer's name OCR merged into
    an item after its ';' (an OCR page only: on a text page it would stay in the item)."""
    text = ("CHỈ THỊ\nVề thi cử\nNội dung./.\n\nVới nhận: CHỦ TỊCH\n- Văn phòng Chính phủ;\n"
            "- Ban Dân vận Tỉnh ủy; Đặng Văn Minh\n- Lưu: VT, KGVX.\n")
    h = _ocr_record(text).header
    assert (h.signer_title.value, h.signer_name.value) == ("CHỦ TỊCH", "Đặng Văn Minh")
    assert [r.value for r in h.recipients] == ["Văn phòng Chính phủ", "Ban Dân vận Tỉnh ủy", "Lưu: VT, KGVX"]
    assert parse_text(text).header.signer_name.value is None


def test_symbol_from_garbled_number_line() -> None:
    h = parse_text(OCR_BROKEN_MOTTO).header
    assert (h.symbol.value, h.number.value) == ("BTC-QLG", None) and h.symbol.confidence < 0.8


@pytest.mark.parametrize("text,field,value", [
    ("ĐẢNG BỘ TỈNH LÀO CAI          ĐẢNG CỘNG SẢN VIỆT NAM\nBAN THƯỜNG VỤ\n*\nSố 51-KH/TU      Lào Cai, ngày 3 tháng 4 năm 2024\n"
     "KẾ HOẠCH\nthực hiện Nghị quyết\n", "symbol", "KH/TU"),
    ("ĐẢNG BỘ TỈNH LÀO CAI          ĐẢNG CỘNG SẢN VIỆT NAM\nBAN THƯỜNG VỤ\n*\nSố 51-KH/TU      Lào Cai, ngày 3 tháng 4 năm 2024\n"
     "KẾ HOẠCH\nthực hiện Nghị quyết\n", "number", "51"),
    ("ĐẢNG BỘ TỈNH LÀO CAI          ĐẢNG CỘNG SẢN VIỆT NAM\nBAN THƯỜNG VỤ\n*\nSố 51-KH/TU      Lào Cai, ngày 3 tháng 4 năm 2024\n"
     "KẾ HOẠCH\nthực hiện Nghị quyết\n", "agency", "BAN THƯỜNG VỤ"),
    ("UBND THÀNH PHỐ HỒ CHÍ MINH       CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSỞ CÔNG THƯƠNG\nSố: 5/KH-SCT     Thành phố Hồ Chí Minh, ngày 2 tháng 3 năm 2024\n"
     "KẾ HOẠCH\nThử\n", "place", "Thành phố Hồ Chí Minh"),
])
def test_party_documents_and_city_places(text: str, field: str, value: str) -> None:
    assert getattr(parse_text(text).header, field).value == value


@pytest.mark.parametrize("line,kind", [
    ("QUYẾT ĐJNH", "QUYẾT ĐỊNH"), ("THÔNG BA0", "THÔNG BÁO"), ("KẾ HQACH", "KẾ HOẠCH"),
    ("QUYẾT ĐỊNH", "QUYẾT ĐỊNH"), ("THÔNG TIN", None), ("Kế hqach", None),
])
def test_damaged_type_word(line: str, kind: str | None) -> None:
    text = f"UBND TỈNH X\nSỞ Y\nSố: 3/ZZ-SY\n{line}\nThử nghiệm\n"
    assert parse_text(text).header.doc_type.value == kind


def test_capitals_page_without_header_gives_empty_header() -> None:
    rec = parse_text("ANNUAL REPORT\nSUMMARY OF RESULTS\nThe committee met twice.\nIt decided nothing.\n")
    assert rec.header == type(rec.header)() and rec.warnings


def test_province_in_agency_spelled_as_in_place_line() -> None:
    text = ("UBND TỈNH ĐÔNG NAI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSỞ CÔNG THƯƠNG Độc lập - Tự do - Hạnh phúc\n"
            "Đồng Nai, ngày 5 tháng 3 năm 2024\nSố: 7/KH-SCT\nKẾ HOẠCH\nThử nghiệm\nSở Công Thương tỉnh Đồng Nai thực hiện.\n")
    h = parse_text(text).header
    assert (h.parent_agency.value, h.place.value) == ("UBND TỈNH ĐỒNG NAI", "Đồng Nai")


def test_restoration_slips_in_closing() -> None:
    """Restored text: `Nguyên` for the family name Nguyễn, `Số` for the department word
    Sở, `Luu` for the Lưu line; raw OCR without marks keeps its own spelling."""
    closing = ("Nơi nhận:\n- UBND tỉnh;\n- Số Tư pháp;\n- Luu: VT, TT.\n\nKT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n\n"
               "Nguyên Trí Phương\n")
    body = "KẾ HOẠCH\nThông tin tuyên truyền về kiểm soát thủ tục hành chính của Sở Công Thương năm 2021\n"
    h = parse_text(body + closing).header
    assert h.signer_name.value == "Nguyễn Trí Phương"
    assert [r.value for r in h.recipients] == ["UBND tỉnh", "Sở Tư pháp", "Lưu: VT, TT"]
    raw_closing = "Noi nhan:\n- UBND tinh;\n- So Tu phap;\n- Luu: VT, TT.\n\nKT. GIAM DOC\nPHO GIAM DOC\n\nNguyen Tri Phuong\n"
    raw = parse_text("KE HOACH\nThong tin tuyen truyen nam 2021\n" + raw_closing).header
    assert [r.value for r in raw.recipients][1:] == ["So Tu phap", "Luu: VT, TT"]
    assert raw.signer_name.value == "Nguyen Tri Phuong"


def test_unreadable_day_is_flagged_not_guessed() -> None:
    h = parse_text("UBND TỈNH X   CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 8/CT-UBND X, ngày Ø3 tháng 4 năm 2018\n"
                   "CHỈ THỊ\nVề việc thử\n").header
    assert (h.date.value, h.date_partial.value, h.place.value) == (None, "2018-04", "X")
    assert "unreadable" in h.date.note


@pytest.mark.parametrize("first,second,parent,agency", [
    ("CỤC HÓA CHẤT", "BỘ CÔNG THƯƠNG", "BỘ CÔNG THƯƠNG", "CỤC HÓA CHẤT"),  # OCR read the blocks upside down
    ("BỘ CÔNG THƯƠNG", "CỤC HÓA CHẤT", "BỘ CÔNG THƯƠNG", "CỤC HÓA CHẤT"),
    ("SỞ CÔNG THƯƠNG", "ĐOÀN KIỂM TRA", "SỞ CÔNG THƯƠNG", "ĐOÀN KIỂM TRA"),
    ("CÔNG TY ABC", "BAN QUẢN LÝ DỰ ÁN", "CÔNG TY ABC", "BAN QUẢN LÝ DỰ ÁN"),  # unknown rank: order kept
])
def test_agency_order_by_rank(first: str, second: str, parent: str, agency: str) -> None:
    h = parse_text(f"{first}\n{second}\nSố: 1/HC-X\nHà Nội, ngày 2 tháng 3 năm 2026\nV/v thử\n").header
    assert (h.parent_agency.value, h.agency.value) == (parent, agency)


def test_date_line_alone_in_the_right_half_is_read() -> None:
    text = ("    UBND TỈNH X\n    SỞ Y\n    Số: 4/KH-SY\n" + " " * 44 + "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            + " " * 44 + "X, ngày 9 tháng 9 năm 2025\n" + " " * 44 + "TRUNG TÂM LƯU TRỮ\nKẾ HOẠCH\nThử nghiệm\n")
    h = parse_text(text).header
    assert (h.date.value, h.place.value, h.agency.value) == ("2025-09-09", "X", "SỞ Y")


def test_place_one_letter_off_read_again_but_not_an_agency() -> None:
    """`Cuo Bằng` in the date line is Cao Bằng, named twice in the body; `BỘ CÔNG THƯƠNG`
    stays although the body names `Sở Công Thương` (one letter off, another agency)."""
    text = ("BỘ CÔNG THƯƠNG   CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nCỤC HÓA CHẤT\nSố: 9/HC-CN\n"
            "Cuo Bằng, ngày 2 tháng 3 năm 2024\nV/v thử nghiệm\n\nKính gửi: Sở Công Thương\n\n"
            "Sở Công Thương tỉnh Cao Bằng báo cáo; Sở Công Thương tỉnh Cao Bằng đề nghị.\n")
    h = parse_text(text).header
    assert (h.place.value, h.parent_agency.value) == ("Cao Bằng", "BỘ CÔNG THƯƠNG")


@pytest.mark.parametrize("line,symbol,flagged", [
    ("Số: ổ† /QĐÐ-UBND", "QĐ-UBND", True),  # regression (qn_qd87ct scan): an Eth beside the Đ
    ("Số: 12/KKH-SCT", "KH-SCT", True),
    ("Số: 87/QĐ-UBND", "QĐ-UBND", False),
    ("Số: 507/UBND-KGVX", "UBND-KGVX", False),  # a Công văn: no type code to undo
    ("Số: 3/TTLT-BTC", "TTLT-BTC", False),  # a real code that holds a double
])
def test_doubled_symbol_letter_undone_and_flagged(line: str, symbol: str, flagged: bool) -> None:
    text = f"ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\n{line}\nQUYẾT ĐỊNH\nVề việc bổ nhiệm công chức\n"
    field = parse_text(text).header.symbol
    assert field.value == symbol
    assert (field.confidence < 0.8) is flagged


@pytest.mark.parametrize("doc_type,line,symbol,flagged", [
    ("CHỈ THỊ", "Số: 41/CI-UBND", "CT-UBND", True),  # regression (qn_ct11 scan): T read as I
    ("TỜ TRÌNH", "Số: 4/TIr-UBND", "TTr-UBND", True),  # regression (qn_ttr24 scan)
    ("QUYẾT ĐỊNH", "Số: 4/KH-UBND", "KH-UBND", False),  # another real code: left as printed
    ("CÔNG VĂN", "Số: 4/UBND-KT", "UBND-KT", False),  # no type code in a Công văn
])
def test_symbol_type_code_from_document_type(doc_type: str, line: str, symbol: str, flagged: bool) -> None:
    text = f"ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\n{line}\n{doc_type}\nVề việc triển khai công tác\n"
    field = parse_text(text).header.symbol
    assert field.value == symbol
    assert (field.confidence < 0.8) is flagged


@pytest.mark.parametrize("ocr,confidence", [(True, 0.3), (False, 1.0)])
def test_blank_number_on_a_scan_is_not_sure(ocr: bool, confidence: float) -> None:
    """Regression (qn_qd87 scan): OCR missed a handwritten number and the field said, with
    full confidence, that it was left blank; on a scan a blank may be unread ink."""
    text = "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nSố: /QĐ-UBND\nQUYẾT ĐỊNH\nVề việc bổ nhiệm công chức\n"
    field = (_ocr_record(text) if ocr else parse_text(text)).header.number
    assert field.value is None
    assert field.confidence == confidence


@pytest.mark.parametrize("ocr,confidence", [(True, 0.3), (False, 1.0)])
def test_blank_day_on_a_scan_is_not_sure(ocr: bool, confidence: float) -> None:
    """Regression (qn_ct11, qn_ttr01 scans): a day written by hand that OCR missed came out
    as `day left blank` at full confidence; on a scan a blank may be unread ink."""
    text = ("ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nSố: 4/QĐ-UBND\nQuảng Ngãi, ngày   tháng 3 năm 2025\n"
            "QUYẾT ĐỊNH\nVề việc bổ nhiệm công chức\n")
    record = _ocr_record(text) if ocr else parse_text(text)
    assert record.header.date.value is None
    assert record.header.date.confidence == confidence
