"""Header fields on noisy and non-plan documents (issues 4 and 7).

Texts here are written for the tests in the layouts real documents use (two header
columns merged on one line, a Word table flattened with ' | ', a công văn's V/v under
the number); none is copied from a sample.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

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


def test_header_speed() -> None:
    """≤ 20 ms per page (45 lines) on a header-heavy page."""
    text = NOISY + "\n".join(f"Nội dung dòng thứ {i} của kế hoạch." for i in range(40))
    parse_text(text)
    t0 = time.perf_counter()
    for _ in range(5):
        parse_text(text)
    assert (time.perf_counter() - t0) / 5 < 0.02 * max(1, text.count("\n") / 45) * 3


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
