"""Assignments from every form a plan or a Công văn uses (parser.assign), deadlines and
cadences (parser.when), acts cited by name (parser.named_acts), audiences
(parser.audiences). The texts are written for the tests, one form each."""

from __future__ import annotations

import pytest

from parser import parse_text
from parser.audiences import split_groups
from parser.when import cadence, deadline

HEAD_KH = "UBND TỈNH HÀ NAM\nSỞ Y TẾ\nSố: 12/KH-SYT\nKẾ HOẠCH\nPhòng, chống dịch năm 2026\n"
HEAD_CV = ("UBND TỈNH HÀ NAM\nSố: 34/UBND-VX\nV/v phòng, chống dịch\n"
           "Kính gửi: Công ty cổ phần Dược Hà Nam\n")


def duties(text: str) -> list[tuple[str, str, str]]:
    return [(r.unit, r.role, r.source) for r in parse_text(text).responsibilities]


CASES = [
    ("unit-titled item, bulleted tasks, partners",
     HEAD_KH + "I. TỔ CHỨC THỰC HIỆN\n1. Sở Y tế\n- Chủ trì, phối hợp với Sở Tài chính, Công an tỉnh "
     "triển khai Kế hoạch.\n- Tổng hợp kết quả.\n2. Sở Tài chính\n- Bố trí kinh phí.\n",
     [("Sở Y tế", "lead", "section"), ("Sở Tài chính", "support", "section"),
      ("Công an tỉnh", "support", "section"), ("Sở Y tế", "lead", "section"),
      ("Sở Tài chính", "lead", "section")]),
    ("giao X chủ trì, phối hợp với Y và UBND các xã",
     HEAD_KH + "II. TỔ CHỨC THỰC HIỆN\nGiao Sở Y tế chủ trì, phối hợp với Sở Nội vụ và UBND các xã "
     "tổ chức thực hiện.\n",
     [("Sở Y tế", "lead", "section"), ("Sở Nội vụ", "support", "section"),
      ("UBND các xã", "support", "section")]),
    ("collective with a duty verb, and a Chủ tịch's responsibility",
     HEAD_KH + "II. TỔ CHỨC THỰC HIỆN\n1. Các sở, ban, ngành tỉnh có trách nhiệm triển khai Kế hoạch.\n"
     "2. Chủ tịch UBND các xã, phường chịu trách nhiệm trước Chủ tịch UBND tỉnh.\n",
     [("Các sở, ban, ngành tỉnh", "all", "section"),
      ("Chủ tịch UBND các xã, phường", "all", "section")]),
    ("đề nghị X phối hợp: a unit asked only to coordinate",
     HEAD_KH + "II. TỔ CHỨC THỰC HIỆN\nĐề nghị Ủy ban MTTQ tỉnh phối hợp tuyên truyền.\n",
     [("Ủy ban MTTQ tỉnh", "support", "section")]),
    ("people with roles in an inspection plan",
     HEAD_KH + "III. PHÂN CÔNG NHIỆM VỤ\n3.1. Ông Lê Văn An - Trưởng đoàn: Phụ trách chung.\n"
     "3.2. Bà Trần Thị Hoa - Thư ký đoàn: Tổng hợp biên bản.\n",
     [("Trưởng đoàn", "lead", "section"), ("Thư ký đoàn", "lead", "section")]),
    ("a Công văn: numbered units, the issuer's request, the addressee named again",
     HEAD_CV + "Để phòng, chống dịch, Chủ tịch UBND tỉnh yêu cầu:\n1. Sở Y tế\n- Theo dõi tình hình dịch.\n"
     "Đề nghị Công ty thực hiện các nội dung sau:\n- Báo cáo số liệu hằng tuần.\n",
     [("Sở Y tế", "lead", "prose"), ("Công ty cổ phần Dược Hà Nam", "lead", "prose"),
      ("Công ty cổ phần Dược Hà Nam", "lead", "prose")]),
    ("an item titled by whose duties follow, a doer with no unit's head",
     HEAD_KH + "II. TỔ CHỨC THỰC HIỆN\n1. Trách nhiệm của nhà đầu tư\n- Triển khai dự án đúng tiến độ.\n"
     "2. Yêu cầu đối với chủ đầu tư\n- Lắp đặt biển báo.\n",
     [("Nhà đầu tư", "lead", "section"), ("Chủ đầu tư", "lead", "section")]),
    ("Quyết định: a collective spelled out after a colon, a cue wrapped over lines",
     "UBND TỈNH HÀ NAM\nSố: 6/QĐ-UBND\nQUYẾT ĐỊNH\nVề việc chấp thuận\nĐiều 3. Điều khoản thi hành\n"
     "1. Chánh Văn phòng UBND tỉnh; Giám đốc các sở, ngành: Sở Tài chính, Công an tỉnh có trách\n"
     "nhiệm thi hành Quyết định này.\n",
     [("Chánh Văn phòng UBND tỉnh", "lead", "prose"), ("Sở Tài chính", "lead", "prose"),
      ("Công an tỉnh", "lead", "prose")]),
    ("Quyết định: the execution clause",
     "UBND TỈNH HÀ NAM\nSố: 5/QĐ-UBND\nQUYẾT ĐỊNH\nVề việc thành lập Tổ công tác\n"
     "Điều 1. Thành lập Tổ công tác.\nĐiều 2. Chánh Văn phòng UBND tỉnh, Giám đốc Sở Y tế và các tổ chức, "
     "cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này.\n",
     [("Chánh Văn phòng UBND tỉnh", "lead", "prose"), ("Giám đốc Sở Y tế", "lead", "prose"),
      ("Các tổ chức, cá nhân có liên quan", "all", "prose")]),
]


@pytest.mark.parametrize(("label", "text", "want"), CASES, ids=[c[0] for c in CASES])
def test_assignment_forms(label: str, text: str, want: list[tuple[str, str, str]]) -> None:
    assert duties(text) == want


@pytest.mark.parametrize("text", [
    # narrative of past work, a preamble and recipients: no duty assigned
    HEAD_KH + "I. KẾT QUẢ\nSở Y tế đã phối hợp với Sở Tài chính kiểm tra 12 cơ sở.\n",
    HEAD_KH + "Căn cứ Quyết định số 5/QĐ-UBND của UBND tỉnh; Sở Y tế xây dựng Kế hoạch như sau:\n",
    HEAD_KH + "Nơi nhận:\n- Sở Tài chính;\n- Công an tỉnh;\n- Lưu: VT.\n",
    HEAD_KH + "Nội nhn:\n- UBND tỉnh;\n- Các đơn vị, bộ phận trực thuộc;\n",  # regression: restored OCR
    "",
])
def test_no_assignment_no_guess(text: str) -> None:
    assert parse_text(text).responsibilities == ()


def test_task_deadline_cadence_section() -> None:
    text = (HEAD_KH + "II. TỔ CHỨC THỰC HIỆN\n1. Sở Y tế\n- Báo cáo kết quả định kỳ 6 tháng, "
            "trước ngày 15/12/2026.\n")
    (r,) = parse_text(text).responsibilities
    assert r.task == "Báo cáo kết quả định kỳ 6 tháng, trước ngày 15/12/2026"
    assert (r.deadline, r.cadence, r.section) == ("trước ngày 15/12/2026", "định kỳ 6 tháng", "II.1")
    assert text[r.span.start:r.span.end].startswith("Báo cáo kết quả")


@pytest.mark.parametrize(("text", "want"), [
    ("hoàn thành trước ngày 15/12/2025", "trước ngày 15/12/2025"),
    ("xong trong Quý II/2026", "trong Quý II/2026"),
    ("thực hiện trong tháng 3", "trong tháng 3"),
    ("Quý I", "Quý I"),
    ("chậm nhất ngày 30/6/2026", "chậm nhất ngày 30/6/2026"),
    ("trong thời hạn 10 ngày làm việc", None),
    ("thường xuyên", None),
])
def test_deadline(text: str, want: str | None) -> None:
    assert deadline(text) == want


@pytest.mark.parametrize(("text", "want"), [
    ("báo cáo định kỳ 6 tháng và hằng năm", "định kỳ 6 tháng và hằng năm"),
    ("Hàng năm", "Hàng năm"),
    ("thực hiện thường xuyên", "thường xuyên"),
    ("trước ngày 15/12/2025", None),
])
def test_cadence(text: str, want: str | None) -> None:
    assert cadence(text) == want


@pytest.mark.parametrize(("text", "want"), [
    ("Căn cứ Luật Đất đai năm 2024 và các văn bản hướng dẫn;", ["Luật Đất đai năm 2024"]),
    ("theo Luật Quản lý, sử dụng vũ khí, vật liệu nổ và công cụ hỗ trợ ngày 26 tháng 8 năm 2024;",
     ["Luật Quản lý, sử dụng vũ khí, vật liệu nổ và công cụ hỗ trợ"]),
    ("tích hợp vào điều chỉnh Quy hoạch tỉnh Hà Nam thời kỳ 2021 - 2030, tầm nhìn đến năm 2050; đồng thời",
     ["Quy hoạch tỉnh Hà Nam thời kỳ 2021 - 2030, tầm nhìn đến năm 2050"]),
    # the name of a numbered act, a bare number, the document itself: none
    ("theo Luật Hóa chất số 69/2025/QH15 và Luật Hóa chất.", []),
    ("thực hiện Chỉ thị 11 của Tỉnh ủy.", []),
    ("Trên đây là Kế hoạch Phòng, chống dịch năm 2026 của Sở Y tế.", []),
])
def test_unnumbered_acts(text: str, want: list[str]) -> None:
    body = "UBND TỈNH HÀ NAM\nSố: 1/KH-UBND\nKẾ HOẠCH\nVề việc khác\n" + text + "\n"
    assert [u.text for u in parse_text(body).unnumbered_acts] == want


@pytest.mark.parametrize(("text", "want"), [
    ("Chỉ huy nổ mìn; Thợ mìn; Quản lý kho, người phục vụ",
     ["Chỉ huy nổ mìn", "Thợ mìn", "Quản lý kho", "người phục vụ"]),
    ("cán bộ, công chức, viên chức", ["cán bộ, công chức, viên chức"]),
    ("Người dân và doanh nghiệp", ["Người dân và doanh nghiệp"]),
])
def test_split_groups(text: str, want: list[str]) -> None:
    assert split_groups(text) == want


@pytest.mark.parametrize(("block", "want"), [
    ("1. Đối tượng huấn luyện: Chỉ huy nổ mìn; Thợ nổ mìn.", ["Chỉ huy nổ mìn", "Thợ nổ mìn"]),
    ("Đối tượng: Theo danh sách đăng ký, cụ thể:\n- Chỉ huy nổ mìn: 7 người.\n- Thợ nổ mìn: 38 người.",
     ["Chỉ huy nổ mìn", "Thợ nổ mìn"]),
    ("2. Đối với cán bộ, công chức\na) Nội dung tuyên truyền", ["Cán bộ, công chức"]),
    ("2. Đối với Đoàn kiểm tra:\n- Thực hiện đúng Kế hoạch.", []),  # a duty block
    ("2. Đối với các trường hợp vi phạm\n- Xử lý nghiêm.", []),
    ("- Đối tượng tham gia kiểm tra đầy đủ, đúng thành phần.", []),  # a requirement
])
def test_audiences(block: str, want: list[str]) -> None:
    text = HEAD_KH + "II. NỘI DUNG\n" + block + "\n"
    assert [a.name for a in parse_text(text).audiences] == [w[:1].upper() + w[1:] for w in want]


def test_long_single_paragraph() -> None:
    """1 MB of one line: parsed (time linear in length: bench.duty_bench), nothing guessed
    outside a document's duties."""
    text = "Sở Tài chính chủ trì, phối hợp với Sở Nội vụ triển khai thực hiện " * 15200
    rec = parse_text(text)
    assert rec.responsibilities == () and len(text) > 1_000_000


def test_corrected_symbol_is_flagged() -> None:
    text = ("UBND TỈNH HÀ NAM\nSố: 1/KH-UBND\nKẾ HOẠCH\nVề việc khác\nCăn cứ Quyết định số 866/QĐ-Tg "
            "ngày 18/7/2023 của Thủ tướng Chính phủ; Nghị định 45/2020/ND-CP; Nghị quyết số 71/NQ-TW;\n")
    got = {a.number: a.corrected for a in parse_text(text).legal_acts}
    assert got == {"866/QĐ-TTg": True, "45/2020/NĐ-CP": False, "71-NQ/TW": False}


@pytest.mark.parametrize(("text", "issuer"), [
    ("Xét đề nghị của Công ty TNHH Hòa Bình tại Văn bản số 12/CV-HB ngày 2/4/2026;", "Công ty TNHH Hòa Bình"),
    ("đã được Thủ tướng Chính phủ phê duyệt tại Quyết định số 1626/QĐ-TTg ngày 15/12/2023", "Thủ tướng Chính phủ"),
    ("theo văn bản số 138/SNNMT-KS ngày 15/7/2025 và số 164/SNNMT-KS ngày 16/7/2025 của Sở Nông nghiệp "
     "và Môi trường;", "Sở Nông nghiệp và Môi trường"),
    ("Căn cứ Quyết định số 5/2025/QĐ-UBND ngày 1/7/2025 của UBND tỉnh Hà Nam về việc ban hành", "UBND tỉnh Hà Nam"),
])
def test_issuers(text: str, issuer: str) -> None:
    body = "UBND TỈNH HÀ NAM\nSố: 1/KH-UBND\nKẾ HOẠCH\nVề việc khác\n" + text + "\n"
    acts = parse_text(body).legal_acts
    assert acts and acts[0].issuer == issuer
