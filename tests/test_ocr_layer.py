"""Deciphering a PDF text layer of glyph numbers against the page's OCR."""

from __future__ import annotations

import random
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ocr.layer import decipher, decipher_pages, vietnamese_letter
from samples.truth import cer

TRUTH = Path(__file__).resolve().parents[1] / "samples" / "truth"
SHARED = Path(__file__).resolve().parents[2] / "shared"
_OTHER = {c: chr(0x460 + i) for i, c in enumerate(  # glyphs outside the run
    "àáâãèéêìíòóôõùúýăđĩũơưÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝĂĐĨŨƠƯ")}


def _glyph(c: str) -> str:
    """What poppler prints for `c` from a font with no map: ASCII shifted by the glyph
    order (digits become control characters), Vietnamese letters as numbers elsewhere."""
    if c.isascii() and c.isprintable() and c != " ":
        return chr(ord(c) - 29)
    if 0x1EA0 <= ord(c) <= 0x1EF9:
        return chr(ord(c) - 0x19FC)
    return _OTHER.get(c, c)


def _broken(text: str, seed: int = 0) -> str:
    """Half the words from a font with no map, a quarter from one that maps ASCII only."""
    rng = random.Random(seed)
    out = []
    for w in text.split(" "):
        r = rng.random()
        if r < 0.5:
            out.append("".join(_glyph(c) for c in w))
        elif r < 0.75:
            out.append("".join(c if c.isascii() else _glyph(c) for c in w))
        else:
            out.append(w)
    return " ".join(out)


def _ocr(text: str, seed: int = 1) -> str:
    """An OCR reading with a systematic slip (ổ read as ỗ a third of the time) and noise."""
    rng = random.Random(seed)
    chars = []
    for c in text:
        if c == "ổ" and rng.random() < 0.35:
            c = "ỗ"
        elif c.isalpha() and rng.random() < 0.03:
            c = rng.choice("ilo")
        chars.append(c)
    return "".join(chars)


@pytest.fixture(scope="module")
def plan() -> str:
    text = (TRUTH / "002_clean_liberation.page2.txt").read_text(encoding="utf-8")
    return unicodedata.normalize("NFC", text)


def test_layer_of_glyph_numbers_deciphered(plan: str) -> None:
    layer, ocr = _broken(plan), _ocr(plan)
    fixed = decipher(layer, ocr)
    assert fixed is not None
    assert cer(plan, fixed) < 0.01 < cer(plan, ocr)  # better than the OCR it learned from
    assert fixed.count("\n") == layer.count("\n")  # the layer's lines, in its order


def test_majority_outvotes_a_systematic_ocr_slip(plan: str) -> None:
    fixed = decipher(_broken(plan), _ocr(plan))
    assert fixed is not None and fixed.count("ổ") == plan.count("ổ") and "ỗ" not in fixed


@pytest.mark.parametrize("n_pages", [3, 4, 6])
def test_votes_pooled_over_a_documents_pages(plan: str, n_pages: int) -> None:
    """Short pages give each glyph too few votes; the document's pages share one key."""
    lines = plan.split("\n")
    pages = ["\n".join(lines[i::n_pages]) for i in range(n_pages)]
    layers = [_broken(p, i) for i, p in enumerate(pages)]
    ocrs = [_ocr(p, i + 9) for i, p in enumerate(pages)]

    def score(read: list[str | None]) -> float:
        return cer("\n".join(pages), "\n".join(r if r is not None else o for r, o in zip(read, ocrs, strict=True)))
    alone = score([decipher(layer, o) for layer, o in zip(layers, ocrs, strict=True)])
    pooled = score(decipher_pages(layers, ocrs))
    assert pooled < 0.006 and pooled < alone


def test_pages_without_glyph_numbers_are_left_alone(plan: str) -> None:
    assert decipher_pages([plan, _broken(plan)], [_ocr(plan), _ocr(plan)])[0] is None


@pytest.mark.parametrize("layer", [
    "Kế hoạch triển khai công tác cải cách hành chính",  # a good layer: nothing to decipher
    "",
    "\x01\x02 ѬѪ",  # too little to learn from
])
def test_nothing_to_decipher(layer: str) -> None:
    assert decipher(layer, "Kế hoạch triển khai công tác cải cách hành chính") is None


def test_layer_covering_part_of_the_page_is_not_used(plan: str) -> None:
    """An e-signature stamp's few lines are no page text, however well they decipher."""
    part = "\n".join(plan.split("\n")[:3])
    assert decipher(_broken(part), _ocr(plan)) is None


@given(st.characters())
def test_vietnamese_letters(c: str) -> None:
    letters = {ch for s in ("ăâđêôơư", "ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ") for ch in s}
    if c.lower() in letters or ("a" <= c.lower() <= "z" and c.isascii()):
        assert vietnamese_letter(c)
    if c in "ÿĈӢѬѪ\x12" or (c.isalpha() and unicodedata.category(c) == "Lo"):
        assert not vietnamese_letter(c)


def test_real_broken_layer() -> None:
    """A real born-digital PDF whose fonts print glyph numbers: CER 0.25 % against its
    text (plain Tesseract 2.3 %, our OCR 3.6 %, both in another order than the layout's)."""
    pdf = SHARED / "external" / "born_digital" / "lc_tb1894_2026_sct.pdf"
    if not pdf.exists():
        pytest.skip("../shared/external absent")
    from vnplans.pipeline import PipelineOptions, load_document, ocr_document

    options = PipelineOptions()
    pages = ocr_document(load_document(str(pdf), options), options)
    assert all(p.source == "text-layer" and "layer deciphered" in p.steps for p in pages)
    truth = pdf.with_suffix(".gt.txt").read_text(encoding="utf-8")
    assert cer(truth, "\n".join(p.text for p in pages)) < 0.01


_MAP = {"6": "S", "ӕ": "ố", "Q": "n", "P": "m", "7": "T", "+": "H", "Ѭ": "Ư", "Ѫ": "Ơ", "1": "N",
        "*": "G", "\x12": "/", ".": "K", "[": "x", "X": "u", "ҩ": "ấ", "W": "t", "m": "ã", "0": "M",
        "J": "g", "K": "h"}


@pytest.mark.parametrize("layer,ocr,shifted", [
    ("ĈiQK", "Đánh", True),  # a font with no map: its ASCII letters are glyph numbers and vote
    ("6Ở", "SỞ", True),
    ("chi͇n", "chiến", False),  # a font that maps ASCII: its letters must not vote
])
def test_which_ascii_votes(layer: str, ocr: str, shifted: bool) -> None:
    from ocr.layer import _shifted

    assert _shifted(layer, ocr) is shifted


@pytest.mark.parametrize("word,seen,want", [
    ("6ӕ\x1d", None, "Số\x1d"),  # regression (QĐ1050): an unread stop kept `6ố` for `Số:`
    ("QăP", None, "năm"),  # regression (TB1894): a glyph number that lands on a letter
    ("7+ѬѪ1*", "THƯƠNG", "THƯƠNG"),  # OCR arbitrates: the whole word from a font with no map
    ("7+ѬѪ1*", None, "THƯƠNG"),
    ("THѬѪNG", "THƯƠNG", "THƯƠNG"),  # a font that maps ASCII only
    ("1105\x12.+", None, "1105/KH"),  # ASCII digits beside control characters are real
    ("tra", "trình", "tra"),  # a plain word stays, whatever a slipped alignment says
    ("[XҩW", "xuât", "xuất"),  # regression (KH1105): `[` is a glyph number, not a bracket
    ("[XҩW", None, "xuất"),
    ("đky", "đây", "đây"),  # regression (KH1105): â's glyph number is `k`; OCR's syllable wins
    ("đky", None, "đky"),  # with no OCR word, nothing to go by
    ("nếu", "(nếu", "(nếu"),  # regression (KH1105): poppler drops `(` (glyph number 11)
    ("Km0", None, "Km0"),  # regression (TB1894): ASCII with digits is as printed
    ("7ăQJ", None, "Tăng"),  # but a marked letter among glyph numbers is read
])
def test_word_readings(word: str, seen: str | None, want: str) -> None:
    from ocr.layer import _Key, _word

    assert _word(word, _Key.of(_MAP), seen) == want
