"""The unit recogniser and its vocabularies (parser.units, parser.vocab): table-driven."""

from __future__ import annotations

import pytest

from parser import vocab
from parser.doc import fold
from parser.units import find_units, unit_name


@pytest.mark.parametrize(("text", "want"), [
    # conjoined units split, collectives kept whole
    ("Giao Sở Tài chính chủ trì, phối hợp với Sở Nội vụ và UBND các xã, phường thực hiện.",
     ["Sở Tài chính", "Sở Nội vụ", "UBND các xã, phường"]),
    ("- Chủ trì, phối hợp với Thuế tỉnh, Sở Công Thương, Sở Xây dựng triển khai",
     ["Thuế tỉnh", "Sở Công Thương", "Sở Xây dựng"]),
    # a name with `và` and commas inside it
    ("Sở Văn hóa, Thể thao và Du lịch tổ chức", ["Sở Văn hóa, Thể thao và Du lịch"]),
    ("Sở Khoa học và Công nghệ chủ trì", ["Sở Khoa học và Công nghệ"]),
    # lower-case words inside a name, and a name's last word in lower case
    ("Chi nhánh Mỏ tuyển đồng Bắc Hà", ["Chi nhánh Mỏ tuyển đồng Bắc Hà"]),
    ("Trưởng phòng Quản lý công nghiệp, Chánh Văn phòng",
     ["Trưởng phòng Quản lý công nghiệp", "Chánh Văn phòng"]),
    ("Công ty cổ phần Khai thác và Chế biến kim loại Hà Nam thực hiện",
     ["Công ty cổ phần Khai thác và Chế biến kim loại Hà Nam"]),
    # place words and standalone heads
    ("Công an tỉnh chủ trì", ["Công an tỉnh"]),
    ("Bộ Chỉ huy Quân sự tỉnh", ["Bộ Chỉ huy Quân sự tỉnh"]),
    ("UBND cấp xã, phường", ["UBND cấp xã, phường"]),
    ("Thanh tra sở có trách nhiệm", ["Thanh tra sở"]),
    # officials and collectives
    ("Giám đốc các Sở và Thủ trưởng các ban, ngành tỉnh; Chủ tịch Ủy ban nhân dân các xã, phường:",
     ["Giám đốc các Sở", "Thủ trưởng các ban, ngành tỉnh", "Chủ tịch Ủy ban nhân dân các xã, phường"]),
    ("các cơ quan, đơn vị, địa phương liên quan", ["các cơ quan, đơn vị, địa phương liên quan"]),
    ("Các phòng đơn vị thuộc Sở", ["Các phòng đơn vị thuộc Sở"]),
    ("các tổ chức, cá nhân hoạt động khoáng sản thực hiện nghiêm",
     ["các tổ chức, cá nhân hoạt động khoáng sản"]),
    ("Đối với đơn vị được kiểm tra:", ["đơn vị được kiểm tra"]),
    # a person with a role: the role is the unit
    ("4.1. Ông Lê Văn An - Trưởng đoàn: Phụ trách chung", ["Trưởng đoàn"]),
    ("Ông. Lê Văn An - Thư ký đoàn", ["Thư ký đoàn"]),
    # words that share a folded form with a head, or a head that makes a word: none
    ("Ban hành Quyết định số 5 về việc tổ chức", []),
    ("Tổ chức kiểm tra các trường hợp vi phạm bằng phương tiện", []),
    ("TỔ CHỨC THỰC HIỆN", []),
    ("bảo đảm hội nghị đoàn kết", []),
    # a name ends at a new line that opens a bullet or a duty verb
    ("2. Sở Nông nghiệp và Môi trường\n- Là cơ quan thường trực", ["Sở Nông nghiệp và Môi trường"]),
    ("11. Bộ Chỉ huy Quân sự tỉnh\nChỉ đạo lực lượng", ["Bộ Chỉ huy Quân sự tỉnh"]),
])
def test_units(text: str, want: list[str]) -> None:
    assert [u.text for u in find_units(text)] == want


def test_person_and_offsets() -> None:
    text = "1. Bà Trần Thị Hoa - Phó Trưởng đoàn: chủ trì"
    (u,) = find_units(text)
    assert (u.text, u.person, u.kind) == ("Phó Trưởng đoàn", "Trần Thị Hoa", "person")
    assert text[u.start:u.end].startswith("Bà") and text[u.end - 4:u.end] == "đoàn"


def test_offsets_map_back() -> None:
    text = "Đề nghị Ủy ban MTTQ tỉnh phối hợp với Sở Y tế."
    for u in find_units(text):
        assert " ".join(text[u.start:u.end].split()) == u.text


def test_collective_flag() -> None:
    kinds = {u.text: u.collective for u in find_units("Sở Y tế, các sở, ban, ngành và UBND cấp xã")}
    assert kinds == {"Sở Y tế": False, "các sở, ban, ngành": True, "UBND cấp xã": True}


@pytest.mark.parametrize(("raw", "want"), [
    ("Phòng Kế hoạch- Tài chính- Tổng hợp", "Phòng Kế hoạch - Tài chính - Tổng hợp"),
    ("Sở  Nội vụ ;", "Sở Nội vụ"),
])
def test_unit_name(raw: str, want: str) -> None:
    assert unit_name(raw) == want


VOCABS = [name for name in dir(vocab) if name.isupper() and isinstance(getattr(vocab, name), tuple)]


@pytest.mark.parametrize("name", VOCABS)
def test_vocabulary_is_folded_and_unique(name: str) -> None:
    words = getattr(vocab, name)
    assert len(words) == len(set(words)), f"{name} repeats an entry"
    for w in words:
        assert w == fold(w) == w.strip(), f"{name}: {w!r} is not in folded form"


def test_spellings_fold_to_their_key() -> None:
    for key, forms in vocab.SPELLINGS.items():
        assert all(fold(f) == key for f in forms), key


def test_large_paragraph_is_read() -> None:
    """A paragraph of 1 MB on one line: found once per mention, nothing lost."""
    text = "Sở Tài chính, Sở Nội vụ và các phòng, đơn vị liên quan; " * 18000
    units = find_units(text)
    assert len(units) == 3 * 18000
