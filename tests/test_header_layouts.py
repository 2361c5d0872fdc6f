"""Header fields on the layouts a Decree-30 header takes (parser/header*.py), each case a
regression: titles by layout and grammar, dates without a day, number lines that name the
kind of act, agency names broken over lines. Texts written here, not taken from documents.
"""

from __future__ import annotations

import pytest

from parser import parse_text

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
XA = "ỦY BAN NHÂN DÂN\nXÃ AN BÌNH\nSố: 12/KH-UBND\n" + MOTTO + "An Bình, ngày 3 tháng 2 năm 2025\n"
TINH = "ỦY BAN NHÂN DÂN\nTỈNH AN GIANG\nSố: 87/QĐ-UBND\n" + MOTTO + "An Giang, ngày 5 tháng 2 năm 2025\nQUYẾT ĐỊNH\n"
ISSUER = "\nCHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH AN GIANG\nCăn cứ Luật Tổ chức chính quyền địa phương;\n"
BNV = "BỘ NỘI VỤ\nSố: 123/BNV-TCBC\n"
VV = "hướng dẫn xác định cơ cấu ngạch công chức theo vị trí việc làm"
DATED = "Hà Nội, ngày 21 tháng 11 năm 2025"
BLANK_NO = "ỦY BAN NHÂN DÂN\nXÃ AN BÌNH\nSố:   /KH-UBND\n" + MOTTO


@pytest.mark.parametrize("text,title", [
    # a one-line title straight above the body, whatever its first word
    (XA + "KẾ HOẠCH\nThực hiện Chương trình chuyển đổi số năm 2025\nThực hiện Quyết định số 12/QĐ-UBND;\n",
     "Thực hiện Chương trình chuyển đổi số năm 2025"),
    (XA + "KẾ HOẠCH\nTổ chức Hội nghị tổng kết năm 2024\nCăn cứ Kết luận số 5-KL/TU;\n",
     "Tổ chức Hội nghị tổng kết năm 2024"),
    (XA + "KẾ HOẠCH\nPHÒNG, CHỐNG THIÊN TAI NĂM 2025\nCăn cứ Luật;\n", "PHÒNG, CHỐNG THIÊN TAI NĂM 2025"),
    (XA + "KẾ HOẠCH\nBỔ SUNG KẾ HOẠCH CHUYỂN ĐỔI SỐ NĂM 2025\nCăn cứ Luật;\n",
     "BỔ SUNG KẾ HOẠCH CHUYỂN ĐỔI SỐ NĂM 2025"),
    # two-line Quyết định titles
    (TINH + "Về việc phê duyệt\nĐề án phát triển du lịch tỉnh An Giang" + ISSUER,
     "phê duyệt Đề án phát triển du lịch tỉnh An Giang"),
    (TINH + "BAN HÀNH QUY ĐỊNH\nCHỨC NĂNG, NHIỆM VỤ CỦA SỞ XÂY DỰNG" + ISSUER,
     "BAN HÀNH QUY ĐỊNH CHỨC NĂNG, NHIỆM VỤ CỦA SỞ XÂY DỰNG"),
    (TINH + "Phê duyệt Kế hoạch sử dụng đất năm 2025\ncủa thành phố Long Xuyên" + ISSUER,
     "Phê duyệt Kế hoạch sử dụng đất năm 2025 của thành phố Long Xuyên"),
    # a công văn's V/v: the place and date beside or under it are the other column's
    (BNV.replace("\n", "\n" + MOTTO, 1) + "V/v " + VV + "\n" + DATED + "\nKính gửi: Các bộ, ngành\n", VV),
    (BNV + "V/v " + VV + " " + DATED + "\n" + MOTTO + "Kính gửi: Các bộ, ngành\n", VV),
    (BNV + "V/v hướng dẫn xác định cơ cấu ngạch\ncông chức theo vị trí việc làm        " + DATED + "\n"
     + MOTTO + "Kính gửi: Các bộ, ngành\n", VV),
])
def test_titles(text: str, title: str) -> None:
    assert parse_text(text).header.title.value == title


@pytest.mark.parametrize("line,date,partial", [
    ("An Bình, tháng 11 năm 2025", None, "2025-11"),
    ("An Bình, năm 2026", None, "2026"),
    ("An Bình, ngày ... tháng ... năm 2026", None, "2026"),
    ("An Bình, ngày …… tháng 11 năm 2025", None, "2025-11"),
    ("An Bình, ngày     tháng 11 năm 2025", None, "2025-11"),
    ("An Bình, ngày 3 tháng 11 năm 2025", "2025-11-03", None),
])
def test_dates_without_a_day(line: str, date: str | None, partial: str | None) -> None:
    h = parse_text(BLANK_NO + line + "\nKẾ HOẠCH\nTriển khai công tác năm 2025\nCăn cứ Luật;\n").header
    assert (h.place.value, h.date.value, h.date_partial.value) == ("An Bình", date, partial)
    if partial and "…" in line:
        assert h.date.confidence == 1.0 and h.date.note == "day left blank"  # dots: a blank, not ink


@pytest.mark.parametrize("text,want", [
    ("QUỐC HỘI\n-------\nLuật số: 83/2025/QH15\n" + MOTTO + "Hà Nội, ngày 24 tháng 6 năm 2025\nLUẬT\n"
     "SỬA ĐỔI, BỔ SUNG MỘT SỐ ĐIỀU CỦA LUẬT BẦU CỬ\nCăn cứ Hiến pháp;\n",
     ("LUẬT", "83/2025", "QH15", "QUỐC HỘI", None)),
    ("ỦY BAN THƯỜNG VỤ\nQUỐC HỘI\n-------\nNghị quyết số: 101/2025/UBTVQH15\n" + MOTTO
     + "Hà Nội, ngày 26 tháng 9 năm 2025\nNGHỊ QUYẾT\nQUY ĐỊNH CHI TIẾT VIỆC TỔ CHỨC HỘI NGHỊ CỬ TRI\n"
     "ỦY BAN THƯỜNG VỤ QUỐC HỘI\nCăn cứ Hiến pháp;\n",
     ("NGHỊ QUYẾT", "101/2025", "UBTVQH15", "ỦY BAN THƯỜNG VỤ QUỐC HỘI", None)),
    ("ỦY BAN MTTQ VIỆT NAM\nXÃ AN BÌNH\nBAN THƯỜNG TRỰC\nSố:   /HD- MTTQ-BTT\n" + MOTTO
     + "An Bình, ngày 3 tháng 11 năm 2025\nHƯỚNG DẪN\nQuy trình hiệp thương\nCăn cứ Luật;\n",
     ("HƯỚNG DẪN", None, "HD-MTTQ-BTT", "BAN THƯỜNG TRỰC", "ỦY BAN MTTQ VIỆT NAM XÃ AN BÌNH")),
])
def test_number_lines_and_agencies(text: str, want: tuple) -> None:
    h = parse_text(text).header
    assert (h.doc_type.value, h.number.value, h.symbol.value, h.agency.value, h.parent_agency.value) == want


PARTY = "ĐẢNG CỘNG SẢN VIỆT NAM\n"
BODY = "KẾ HOẠCH\nTổ chức Đại hội năm 2025\nCăn cứ Điều lệ;\n"


@pytest.mark.parametrize("text,want", [
    # a place with its number (`Thôn 2`, `Phường 3`); a chi bộ under its đảng bộ
    ("ĐẢNG BỘ XÃ AN BÌNH\nCHI BỘ THÔN 2\n*\nSố 03-KH/CB\n" + PARTY + "Thôn 2, ngày 5 tháng 3 năm 2025\n" + BODY,
     ("ĐẢNG BỘ XÃ AN BÌNH", "CHI BỘ THÔN 2", "Thôn 2", "2025-03-05")),
    ("HỘI NÔNG DÂN TỈNH AN GIANG\nBCH HỘI NÔNG DÂN XÃ AN BÌNH\nSố: 05-KH/HND\n" + MOTTO
     + "An Bình, ngày 5 tháng 3 năm 2025\n" + BODY,
     ("HỘI NÔNG DÂN TỈNH AN GIANG", "BCH HỘI NÔNG DÂN XÃ AN BÌNH", "An Bình", "2025-03-05")),
])
def test_commune_bodies(text: str, want: tuple) -> None:
    h = parse_text(text).header
    assert (h.parent_agency.value, h.agency.value, h.place.value, h.date.value) == want
    assert h.title.value == "Tổ chức Đại hội năm 2025"


def test_a_lead_in_ends_the_title() -> None:
    """Regression: `Ủy ban nhân dân xã thông báo như sau:` ran on into the title."""
    text = XA.replace("KH-UBND", "TB-UBND") + "THÔNG BÁO\nLịch tiếp công dân tháng 3 năm 2025\n" \
        "Ủy ban nhân dân xã thông báo như sau:\n1. Thời gian\n"
    assert parse_text(text).header.title.value == "Lịch tiếp công dân tháng 3 năm 2025"


def test_a_citation_is_no_number_line() -> None:
    """`Thông tư số 02/...` without a colon opens a text citing an act, not a header."""
    rec = parse_text("Thông tư số 02/2017/TT-VPCP ngày 31/10/2017 hướng dẫn")
    assert rec.header.symbol.value is None


def test_signing_body_keeps_its_name() -> None:
    """Regression: `TM. BAN THƯỜNG TRỰC` was snapped to the known position THƯỜNG TRỰC."""
    text = ("ỦY BAN MTTQ VIỆT NAM\nXÃ AN BÌNH\nBAN THƯỜNG TRỰC\nSố:   /HD-MTTQ-BTT\n" + MOTTO
            + "An Bình, ngày 3 tháng 11 năm 2025\nHƯỚNG DẪN\nQuy trình hiệp thương\nCăn cứ Luật;\n"
            "Nội dung.\nNơi nhận:\n- Lưu: VT.\nTM. BAN THƯỜNG TRỰC\nCHỦ TỊCH\n\n\nLan Thị Vân\n")
    h = parse_text(text).header
    assert (h.signer_title.value, h.signer_name.value) == ("TM. BAN THƯỜNG TRỰC CHỦ TỊCH", "Lan Thị Vân")
