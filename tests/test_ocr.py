"""OCR: real Tesseract on rendered pages, clean-up steps, header columns, failures."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

import ocr
from ocr.clean import estimate_skew, remove_colour_ink, rotate
from samples.degrade import degrade
from samples.render import Style, render_document, render_lines
from samples.truth import cer
from vnplans.exceptions import MissingDependencyError

DOC = """UBND TỈNH ĐỒNG NAI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
SỞ CÔNG THƯƠNG Độc lập - Tự do - Hạnh phúc
Số: 12/KH-SCT
Đồng Nai, ngày 28 tháng 02 năm 2025
KẾ HOẠCH
Thông tin, tuyên truyền cải cách hành chính năm 2025
Căn cứ Kế hoạch số 116/KH-UBND ngày 06/01/2025 của UBND tỉnh về thông tin, tuyên truyền kiểm soát thủ tục hành chính năm 2025;
I. MỤC ĐÍCH, YÊU CẦU
- Nâng cao nhận thức, trách nhiệm của cán bộ, công chức trong thực hiện các nhiệm vụ cải cách hành chính.
- Tăng cường phối hợp, chia sẻ thông tin giữa các cơ quan hành chính nhà nước với các cơ quan báo chí.
"""


@pytest.fixture(scope="module")
def page():
    return render_document(DOC, Style("liberation", 13, 300))[0]


@pytest.mark.parametrize("condition,bound", [("clean", 0.01), ("degraded", 0.02), ("seal", 0.02)])
def test_real_tesseract_cer(page, condition: str, bound: float) -> None:
    p = degrade(page, condition, seed=3)
    result = ocr.ocr_image(np.asarray(p.image), ocr.OcrOptions(), p.dpi)
    assert cer(p.truth, result.text) <= bound
    assert result.words and all(w.box is not None for w in result.words)
    for w in result.words:  # every word points into the page text
        assert result.text[w.start:w.end] == w.text


def test_header_columns_not_interleaved(page) -> None:
    result = ocr.ocr_image(np.asarray(page.image), ocr.OcrOptions(), page.dpi)
    lines = [ln.text for ln in result.lines]
    joined = "\n".join(lines)
    assert joined.index("SỞ CÔNG THƯƠNG") < joined.index("CỘNG HÒA")
    assert joined.index("Số: 12/KH-SCT") < joined.index("CỘNG HÒA")
    assert not any("UBND" in ln and "CỘNG" in ln for ln in lines)


def test_text_pages_pass_through() -> None:
    from ingest.models import Page

    p = Page("a" * 64, 0, "text", text="Kế hoạch\nsố 1")
    out = ocr.ocr_page(p)
    assert out.source == "text" and out.text == "Kế hoạch\nsố 1" and len(out.lines) == 2


def test_blank_page_is_soft_failure() -> None:
    blank = np.full((1200, 900, 3), 255, np.uint8)
    result = ocr.ocr_image(blank, ocr.OcrOptions(), 150)
    assert result.is_empty and result.warnings


def test_missing_language_is_hard_failure() -> None:
    with pytest.raises(MissingDependencyError):
        ocr.ocr_image(np.full((200, 200), 255, np.uint8), ocr.OcrOptions(lang="xyz"), 300)


@settings(max_examples=8, deadline=None)
@given(st.floats(min_value=-9.5, max_value=9.5))
def test_deskew_recovers_angle(angle: float) -> None:
    img = Image.new("L", (1200, 1500), 255)
    d = ImageDraw.Draw(img)
    for i in range(25):
        d.rectangle((100, 100 + i * 50, 1100, 120 + i * 50), fill=0)
    tilted = rotate(np.asarray(img), angle)
    assert abs(estimate_skew(tilted) + angle) < 0.35


def test_seal_removal_keeps_black_text() -> None:
    rgb = np.full((100, 100, 3), 255, np.uint8)
    rgb[10:20, 10:90] = (0, 0, 0)  # black text
    rgb[40:60, 10:90] = (210, 30, 40)  # red ink
    rgb[70:80, 10:90] = (30, 40, 200)  # blue stamp
    out = remove_colour_ink(rgb)
    assert out[15, 50] < 50 and out[50, 50] == 255 and out[75, 50] == 255


def test_lines_render_and_read() -> None:
    p = render_lines(["Độc lập - Tự do - Hạnh phúc", "Nghị định số 63/2010/NĐ-CP"])[0]
    result = ocr.ocr_image(np.asarray(p.image), ocr.OcrOptions(), p.dpi)
    assert cer(p.truth, result.text) < 0.05


def test_script_model_is_seen() -> None:
    """Regression: pytesseract's language list dropped `Vietnamese` (capital letter)."""
    from ocr.tesseract import available_langs

    assert "vie" in available_langs()
    import shutil

    if not list(__import__("pathlib").Path("/usr/share/tesseract-ocr").rglob("Vietnamese.traineddata")):
        pytest.skip("tesseract-ocr-script-viet not installed")
    assert "Vietnamese" in available_langs()
    assert shutil.which("tesseract")


def test_wide_font_header_columns_split() -> None:
    """Regression: with DejaVu Serif the gutter between the header columns is under 5 %
    of the page width, and the first header line came out merged and out of order."""
    p = render_document(DOC, Style("dejavu", 13, 300))[0]
    result = ocr.ocr_image(np.asarray(p.image), ocr.OcrOptions(), p.dpi)
    lines = [ln.text for ln in result.lines]
    assert not any("UBND" in ln and "CỘNG" in ln for ln in lines)
    assert cer(p.truth, result.text) < 0.01


@pytest.mark.parametrize("text,conf,noise", [
    ("~", 20.0, True),  # a speck of a seal's remnant
    ("_¬", 45.0, True),
    ("-", 90.0, False),  # a confident bullet dash is text
    ("ướcaeỒổh", 20.0, True),  # letters, no syllable, very unsure: a signature stroke
    ("nhận", 20.0, False),  # a real syllable is kept however unsure
    ("12", 5.0, False),  # digits are kept: handwritten numbers are flagged, not dropped
    ("UBND", 80.0, False),
    ("xyzq", 60.0, False),  # unsure but not very unsure: kept
    ("/QĐ-UBND", 29.0, False),  # regression (qn_qd87 scan): a symbol beside a handwritten number
    ("KH-SCT", 10.0, False),
])
def test_noise_words(text: str, conf: float, noise: bool) -> None:
    from ocr.tesseract import is_noise

    assert is_noise(text, conf) is noise


def test_seal_fringe_is_whitened() -> None:
    """Regression (GP 2507 p. 2): the light anti-aliased edge of a red seal stayed grey and
    Tesseract's adaptive threshold read its ghost outline as junk."""
    import cv2

    rgb = np.full((60, 60, 3), 255, np.uint8)
    cv2.circle(rgb, (30, 30), 20, (200, 30, 30), 4)  # the seal's ring
    cv2.circle(rgb, (30, 30), 23, (235, 190, 190), 1)  # its pale fringe
    rgb[28:32, 5:55] = (20, 20, 20)  # black text crossing it
    out = remove_colour_ink(rgb)
    assert out[10, 30] == 255 and out[7, 30] == 255  # ring and fringe gone
    assert out[30, 30] < 60  # text kept


@pytest.mark.parametrize("printed", ["1105\u2044KH-ĐKT", "1105\u2215KH-ĐKT"])
def test_fraction_slash_is_a_slash(printed: str) -> None:
    """Regression (KH 1105): Tesseract printed the symbol's slash as U+2044, and the
    header took the agency block's `SỐ 1050/QĐ-SCT` as the plan's number."""
    from ocr.tesseract import _SLASHES

    assert printed.translate(_SLASHES) == "1105/KH-ĐKT"


@pytest.mark.parametrize("condition,uneven", [
    ("clean", False), ("degraded", False), ("low_contrast", False), ("seal", False),
    ("uneven_light", True), ("phone_photo", True),
])
def test_uneven_light_decides_sauvola(page, condition: str, uneven: bool) -> None:
    """Sauvola only where the paper's brightness varies: on evenly lit scans Tesseract's
    Otsu read real scans better (GP 2507, TB 1894) and faster."""
    from ocr.clean import uneven_light

    gray = np.asarray(degrade(page, condition, seed=1).image.convert("L"))
    assert uneven_light(gray) is uneven


def test_uneven_page_is_read_with_sauvola(page) -> None:
    p = degrade(page, "uneven_light", seed=2)
    result = ocr.ocr_image(np.asarray(p.image), ocr.OcrOptions(), p.dpi)
    assert "sauvola" in result.steps and cer(p.truth, result.text) <= 0.02
