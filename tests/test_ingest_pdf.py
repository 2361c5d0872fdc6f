"""Ingest: PDF text layers built by hand (plain, TCVN3, none), real born-digital files
against their ground truth, and the cost of ingesting text."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

import ingest
from ingest.esign import strip_signature_text
from ingest.legacy import encode_tcvn3, encode_vni
from ingest.pdf import _decode_tcvn3_layer

LINES = [
    "cộng hoà xã hội chủ nghĩa việt nam",
    "độc lập - tự do - hạnh phúc",
    "kế hoạch thông tin, tuyên truyền cải cách hành chính của sở công thương năm 2025",
    "ủy ban nhân dân tỉnh giao các sở, ngành triển khai thực hiện nước sạch nông thôn",
]

# Vietnamese that WinAnsi can draw (no ơ, ư, đ, ạ...): a plain, good layer
LATIN1_VIET = "các công viên và xã có trách nhiêm thi hành nghiêm túc chính sách tài chính"


def _text_pdf(lines: list[bytes], wrapped_image: bool = False) -> bytes:
    """A one-page PDF whose text layer is `lines` in Helvetica/WinAnsi: a born-digital
    file without any PDF library. `wrapped_image` adds a page image inside a form XObject,
    as some scanners write it."""
    def esc(b: bytes) -> bytes:
        return b.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")

    ops = b"BT /F1 11 Tf 14 TL 60 780 Td " + b" ".join(b"(" + esc(ln) + b") '" for ln in lines) + b" ET"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(ops) + ops + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    if wrapped_image:
        objs[2] = objs[2].replace(b">> >> >>", b">> /XObject << /Fm1 6 0 R >> >> >>")
        objs[3] = objs[3].replace(b"BT", b"q /Fm1 Do Q BT")
        objs[3] = b"<< /Length %d >>" % (len(objs[3].split(b"stream\n", 1)[1]) - len(b"\nendstream")) \
            + b"\nstream\n" + objs[3].split(b"stream\n", 1)[1]
        form = b"q 595 0 0 842 0 0 cm /Im1 Do Q"
        objs.append(b"<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] "
                    b"/Resources << /XObject << /Im1 7 0 R >> >> /Length %d >>\nstream\n" % len(form)
                    + form + b"\nendstream")
        objs.append(b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray "
                    b"/BitsPerComponent 8 /Length 1 >>\nstream\n\xff\nendstream")
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def _strip(s: str) -> str:
    d = unicodedata.normalize("NFD", s)
    return "".join(c for c in d if unicodedata.category(c) != "Mn").replace("đ", "d")


@pytest.mark.parametrize("encode,source,note,expect", [
    # unmarked text breaks the orthography (stop codas need a tone, "iên" its circumflex):
    # the page image holds the marks, so it is OCRed; the layer is kept for the record
    (lambda s: _strip(s).encode("ascii"), "image", "rejected", "ke hoach thong tin"),
    (lambda s: s.encode("cp1252", errors="replace"), "image", "rejected", "k? ho?ch"),
    (lambda s: LATIN1_VIET.encode("cp1252"), "text-layer", "accepted", "nghiêm túc"),
    (lambda s: encode_tcvn3(s).encode("latin-1"), "text-layer", "TCVN3", "sở công thương"),
    (lambda s: encode_vni(s.capitalize()).encode("cp1252"), "text-layer", "VNI", "Độc lập - tự do"),
])
def test_hand_made_text_layer(tmp_path: Path, encode, source: str, note: str, expect: str) -> None:
    path = tmp_path / "born.pdf"
    path.write_bytes(_text_pdf([encode(s) for s in LINES * 2]))
    doc = ingest.load(path)
    page = doc.pages[0]
    assert (page.source, doc.kind) == (source, "pdf")
    assert note in page.note and expect in page.text
    forced = ingest.load(path, force_ocr=True).pages[0]
    assert forced.source == "image" and forced.image is not None and forced.image.dpi == 300


def test_scan_with_signature_layer_is_ocred(tmp_path: Path) -> None:
    """A scan (page image wrapped in a form XObject) with a short e-signature text layer:
    the layer is not the page's text."""
    path = tmp_path / "scan.pdf"
    sig = [LATIN1_VIET.encode("cp1252")]
    path.write_bytes(_text_pdf(sig, wrapped_image=True))
    assert ingest.load(path).pages[0].source == "image"
    path.write_bytes(_text_pdf(sig))
    assert ingest.load(path).pages[0].source == "text-layer"


def test_tcvn3_layer_round_trip_through_pdf(tmp_path: Path) -> None:
    """Regression: TCVN3 ư is 0xAD (soft hyphen), which pdftotext prints as '-'."""
    path = tmp_path / "tcvn3.pdf"
    path.write_bytes(_text_pdf([encode_tcvn3(s).encode("latin-1") for s in LINES]))
    text = ingest.load(path).pages[0].text
    assert [ln.strip() for ln in text.splitlines() if ln.strip()] == LINES


@pytest.mark.parametrize("layer,expected", [
    ("th-¬ng", "thương"), ("n-íc", "nước"), ("Q§-UBND", "QĐ-UBND"), ("12-KH", "12-KH"),
    ("tù do - h¹nh phóc", "tự do - hạnh phúc"),
])
def test_tcvn3_soft_hyphen_repair(layer: str, expected: str) -> None:
    assert _decode_tcvn3_layer(layer) == expected


BORN = ["qn_cv507_2025_ubnd", "qn_tb11_2025_ubnd", "qn_tb542_2024_ubnd", "qn_tb565_2024_ubnd"]
BROKEN = ["lc_kh1105_2026_sct_dkt", "lc_qd1050_2026_sct", "lc_tb1894_2026_sct"]


@pytest.mark.parametrize("name", BORN + BROKEN)
def test_real_born_digital(external: Path, name: str) -> None:
    path = external / "born_digital" / f"{name}.pdf"
    if not path.exists():
        pytest.skip(f"{path} absent")
    doc = ingest.load(path)  # triage reads the layer; pages are rasterised later, by the OCR stage
    assert all(p.image is None or p.text is None or p.source == "image" for p in doc.pages)
    if name in BROKEN:
        assert all(p.source == "image" and "rejected" in p.note for p in doc.pages)
        return
    assert all(p.source == "text-layer" for p in doc.pages)
    gt = (path.with_suffix(".gt.txt")).read_text(encoding="utf-8")
    got = "\f".join(p.text or "" for p in doc.pages)
    # the e-signature boxes' lines are Document.signatures, not the text (issue 19)
    gt_pages = unicodedata.normalize("NFC", gt).split("\f")
    want = "\f".join(strip_signature_text(t, [s for s in doc.signatures if s.page == i])
                     for i, t in enumerate(gt_pages))
    assert got.split() == want.split()
    assert "ttcbth@" not in got and any(s.organisation for s in doc.signatures)


def test_text_ingest_reads_once(tmp_path: Path) -> None:
    """A 40 kB text file is one text page, decoded as UTF-8 (ingest time per document is
    a benchmark row: bench.batch_bench, text inputs per second)."""
    path = tmp_path / "plan.txt"
    path.write_text("\n".join(LINES * 200), encoding="utf-8")  # ~40 kB
    doc = ingest.load(path)
    assert doc.encoding == "utf-8" and len(doc.pages) == 1 and doc.pages[0].text.count("\n") > 100


def test_legacy_text_saved_as_utf8(tmp_path: Path) -> None:
    """A TCVN3 file opened as Latin-1 and saved as UTF-8 is still recognised."""
    text = "\n".join(LINES)
    data = encode_tcvn3(text).encode("utf-8")
    out, enc = ingest.decode_text(data)
    assert enc == "utf-8+tcvn3" and out == text
