"""Ingest: every input type, every bad input, legacy encodings, text-layer triage."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

import ingest
from ingest.legacy import decode_tcvn3, decode_vni, encode_tcvn3, encode_vni
from ingest.orthography import is_syllable
from ingest.pdf import judge_layer
from vnplans.exceptions import (
    BadInputError,
    DecodeError,
    EncryptedPdfError,
    ImageTooLargeError,
    ImageTooSmallError,
    InputNotFoundError,
    UnsupportedFormatError,
)

TEXT = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nKế hoạch thông tin, tuyên truyền cải cách hành chính của Sở Công Thương năm 2025."


def _page_png(path: Path, size: tuple[int, int] = (600, 400), dpi: int | None = 300) -> Path:
    img = Image.new("RGB", size, "white")
    kw = {"dpi": (dpi, dpi)} if dpi else {}
    img.save(path, **kw)
    return path


@pytest.mark.parametrize("word,ok", [
    ("nghiêng", True), ("Quyết", True), ("giữa", True), ("ĐỒNG", True), ("gì", True),
    ("tàc", False), ("ctia", False), ("nudc", False), ("Céng", False), ("Ӣ", False), ("kan", False),
])
def test_syllable_rules(word: str, ok: bool) -> None:
    assert is_syllable(word) is ok


VIET = st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ .,;:-0123456789",
               max_size=80)


@settings(max_examples=200, deadline=None)
@given(VIET)
def test_tcvn3_round_trip(text: str) -> None:
    assert decode_tcvn3(encode_tcvn3(text)) == unicodedata.normalize("NFC", text)


@settings(max_examples=200, deadline=None)
@given(VIET.map(str.capitalize))
def test_vni_round_trip(text: str) -> None:
    assert decode_vni(encode_vni(text)) == unicodedata.normalize("NFC", text)


@pytest.mark.parametrize("encode,expected", [
    (lambda s: s.encode("utf-8"), "utf-8"),
    (lambda s: s.encode("utf-8-sig"), "utf-8-sig"),
    (lambda s: s.encode("utf-16"), "utf-16"),
    (lambda s: s.encode("utf-16-le"), "utf-16-le"),
    (lambda s: encode_vni(s).encode("cp1252"), "vni"),
    (lambda s: encode_tcvn3(s.lower()).encode("latin-1"), "tcvn3"),
])
def test_decode_text_encodings(encode, expected: str) -> None:
    text, enc = ingest.decode_text(encode(TEXT))
    assert enc == expected
    assert text.lower() == TEXT.lower()


def test_windows_1258_decomposed_tones() -> None:
    # cp1258 keeps â, ê, ô, ơ, ư, ă, đ precomposed and writes tones as combining marks
    from ingest.orthography import TONE_MARKS, strip_tone

    out = []
    for ch in TEXT:
        base, tone = strip_tone(ch)
        mark = next((m for m, name in TONE_MARKS.items() if name == tone), "")
        out.append(base + mark)
    data = "".join(out).encode("cp1258")
    text, enc = ingest.decode_text(data)
    assert enc == "windows-1258" and text == TEXT


@pytest.mark.parametrize("make,error", [
    (lambda p: (p / "empty.txt").write_bytes(b"") and p / "empty.txt" or p / "empty.txt", BadInputError),
    (lambda p: _write(p / "junk.txt", bytes(range(256)) * 50), DecodeError),
    (lambda p: _write(p / "fake.png", b"this is not an image at all" * 10), UnsupportedFormatError),
    (lambda p: _page_png(p / "dot.png", (1, 1)), ImageTooSmallError),
    (lambda p: _write(p / "doc.xyz", b"hello"), UnsupportedFormatError),
    (lambda p: _truncated_pdf(p), BadInputError),
    (lambda p: _encrypted_pdf(p), EncryptedPdfError),
    (lambda p: _huge_png(p), ImageTooLargeError),
    # regression: a non-zip .docx leaked python-docx's PackageNotFoundError
    (lambda p: _write(p / "fake.docx", b"plain words, not a zip"), UnsupportedFormatError),
    (lambda p: _zip(p / "other.docx"), UnsupportedFormatError),
    (lambda p: _write(p / "empty.pdf", b""), BadInputError),
    (lambda p: _write(p / "fake.pdf", b"%PDF-1.4 and nothing else"), BadInputError),
    (lambda p: _write(p / "scan.tiff", b"II*\x00" + b"\xff" * 40), UnsupportedFormatError),
])
def test_bad_inputs(tmp_path: Path, make, error: type) -> None:
    path = make(tmp_path)
    with pytest.raises(error) as info:
        ingest.load(path)
    line = info.value.one_line()
    assert str(path) in line and "\n" not in line


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _zip(path: Path) -> Path:
    import zipfile

    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "a zip, but no Word document")
    return path


def _image_pdf(path: Path) -> Path:
    Image.new("RGB", (850, 1100), "white").save(path, "PDF", resolution=100)
    return path


def _truncated_pdf(tmp: Path) -> Path:
    good = _image_pdf(tmp / "good.pdf").read_bytes()
    return _write(tmp / "cut.pdf", good[: len(good) // 3])


def _encrypted_pdf(tmp: Path) -> Path:
    from pypdf import PdfReader, PdfWriter

    src = PdfReader(str(_image_pdf(tmp / "plain.pdf")))
    w = PdfWriter()
    for page in src.pages:
        w.add_page(page)
    w.encrypt(user_password="secret", owner_password="owner")
    out = tmp / "locked.pdf"
    with out.open("wb") as fh:
        w.write(fh)
    return out


def _huge_png(tmp: Path) -> Path:
    # a valid PNG header declaring 20000x6000 pixels: rejected before decoding
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", 20000, 6000, 8, 0, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0")) + chunk(b"IEND", b"")
    return _write(tmp / "huge.png", data)


def test_inputs_of_every_type(tmp_path: Path) -> None:
    import docx

    _write(tmp_path / "a.txt", (TEXT + "\f" + TEXT).encode("utf-8"))
    _page_png(tmp_path / "b.png")
    Image.new("RGB", (600, 400), "white").save(tmp_path / "c.jpg", dpi=(200, 200))
    frames = [Image.new("L", (500, 700), 255) for _ in range(3)]
    frames[0].save(tmp_path / "d.tiff", save_all=True, append_images=frames[1:])
    _image_pdf(tmp_path / "e.pdf")
    d = docx.Document()
    d.add_paragraph("KẾ HOẠCH")
    t = d.add_table(rows=1, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "STT", "Nội dung"
    d.save(tmp_path / "f.docx")
    files, errors = ingest.discover([tmp_path, tmp_path / "missing"])
    assert [f.name for f in files] == ["a.txt", "b.png", "c.jpg", "d.tiff", "e.pdf", "f.docx"]
    assert isinstance(errors[0], InputNotFoundError)
    docs = {f.name: ingest.load(f) for f in files}
    assert [p.source for p in docs["a.txt"].pages] == ["text", "text"]
    assert docs["b.png"].pages[0].image.dpi == 300
    assert docs["c.jpg"].pages[0].image.dpi == 200
    assert len(docs["d.tiff"].pages) == 3
    assert docs["e.pdf"].pages[0].source == "image"
    assert docs["f.docx"].pages[0].text.splitlines() == ["KẾ HOẠCH", "STT", "Nội dung"]
    img = ingest.load_image(docs["e.pdf"].pages[0].image)
    assert img.ndim == 3 and img.shape[2] == 3
    assert docs["a.txt"].doc_id == ingest.sha256_file(tmp_path / "a.txt")


@pytest.mark.parametrize("text,accepted", [
    ("Kế hoạch thông tin, tuyên truyền cải cách hành chính của tỉnh năm 2025 " * 3, True),
    ("6Ӣ CÔNG 7+ѬѪ1* Ӣ7+ѬѪ1* +Ӧ1+ 3+Ҵ1 9Ӆ 9,Ӌ& 7Ә &+Ӭ& 7+Ӵ& +,Ӊ1 " * 3, False),
    ("Céng hoµ x· héi chñ nghÜa ViÖt Nam §éc lËp Tù do H¹nh phóc kÕ ho¹ch " * 3, True),
    ("short", False),
    ("Nơi nhận: - Như trên; - Lưu: VT.", True),  # a born-digital last page, no image on it
])
def test_text_layer_triage(text: str, accepted: bool) -> None:
    verdict = judge_layer(text)
    assert (verdict.text is not None) is accepted
    if accepted:
        assert any(w in verdict.text for w in ("Cộng hoà", "Kế hoạch", "Nơi nhận"))


def test_real_pdfs_triage(external: Path) -> None:
    broken = ingest.load(external / "born_digital" / "lc_kh1105_2026_sct_dkt.pdf")
    assert all(p.source == "image" for p in broken.pages)
    good = ingest.load(external / "born_digital" / "qn_tb11_2025_ubnd.pdf")
    assert all(p.source == "text-layer" for p in good.pages)
    scan = ingest.load(external / "scans" / "bct_cv2265_2026_atmt.pdf")
    assert all(p.source == "image" for p in scan.pages)  # e-signature text does not count


def test_truncated_image_fails_when_rasterised(tmp_path: Path) -> None:
    """The header check is cheap and lets a cut-off PNG through; decoding it later is a
    BadInputError with the path, not a PIL exception. PIL's bomb guard stays on."""
    from PIL import Image as PILImage

    good = _page_png(tmp_path / "full.png", (800, 600)).read_bytes()
    cut = _write(tmp_path / "cut.png", good[: len(good) // 2])
    doc = ingest.load(cut)
    assert PILImage.MAX_IMAGE_PIXELS == 100_000_000
    with pytest.raises(BadInputError) as info:
        ingest.load_image(doc.pages[0].image)
    assert str(cut) in info.value.one_line()


def test_docx_tables_in_body_order(tmp_path: Path) -> None:
    """Cells row by row, one per line; a multi-paragraph cell on one line; a merged cell
    once; a nested table's cells once (regression: they were also inside the outer cell)."""
    import docx

    d = docx.Document()
    d.add_paragraph("KẾ HOẠCH")
    t = d.add_table(rows=2, cols=3)
    t.cell(0, 0).text, t.cell(0, 1).text, t.cell(0, 2).text = "STT", "Nội dung", "Thời gian"
    t.cell(1, 0).text = "1"
    t.cell(1, 1).text = "Tuyên truyền"
    t.cell(1, 1).add_paragraph("cải cách hành chính")
    t.cell(1, 2).add_table(rows=1, cols=2).rows[0].cells[0].text = "Quý I"
    d.add_paragraph("Nơi nhận:")
    merged = d.add_table(rows=1, cols=2)
    merged.cell(0, 0).merge(merged.cell(0, 1)).text = "Tổng cộng"
    d.save(tmp_path / "plan.docx")
    page = ingest.load(tmp_path / "plan.docx").pages[0]
    assert page.text.split("\n") == [
        "KẾ HOẠCH", "STT", "Nội dung", "Thời gian", "1", "Tuyên truyền cải cách hành chính",
        "", "Quý I", "", "Nơi nhận:", "Tổng cộng",
    ]


def test_discover_skips_hidden_and_duplicates(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / ".cache").mkdir()
    for name in ("b.txt", "sub/a.pdf", ".hidden.txt", ".cache/x.txt", "notes.xyz"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    files, errors = ingest.discover([tmp_path, tmp_path / "b.txt"])
    assert [f.relative_to(tmp_path).as_posix() for f in files] == ["b.txt", "notes.xyz", "sub/a.pdf"]
    assert errors == []


def test_unreadable_file(tmp_path: Path) -> None:
    import os

    path = _write(tmp_path / "locked.txt", TEXT.encode("utf-8"))
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as root: permissions are not enforced")
        with pytest.raises(BadInputError, match="cannot read"):
            ingest.load(path)
    finally:
        path.chmod(0o644)
