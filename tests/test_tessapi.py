"""The in-process Tesseract (libtesseract's C API) against the `tesseract` command."""

from __future__ import annotations

import subprocess
from dataclasses import replace

import numpy as np
import pytest

from ocr import tessapi
from ocr.tesseract import _pgm, read_words
from samples.degrade import degrade
from samples.render import Style, render_document

DOC = """UBND TỈNH QUẢNG NGÃI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
SỞ TƯ PHÁP Độc lập - Tự do - Hạnh phúc
Số: 45/KH-STP
Quảng Ngãi, ngày 03 tháng 3 năm 2025
KẾ HOẠCH
Phổ biến, giáo dục pháp luật năm 2025
Căn cứ Luật Phổ biến, giáo dục pháp luật ngày 20/6/2012;
- Các phòng, đơn vị thuộc Sở chủ trì, phối hợp thực hiện.
"""

needs_library = pytest.mark.skipif(not tessapi.available(), reason="libtesseract not loadable")


@pytest.fixture(scope="module")
def gray() -> np.ndarray:
    page = degrade(render_document(DOC, Style("liberation", 12, 300))[0], "degraded", seed=5)
    return np.asarray(page.image.convert("L"))


def _command_tsv(gray: np.ndarray, sauvola: bool) -> dict[str, list]:
    with _pgm(gray) as path:
        out = subprocess.run(
            ["tesseract", path, "stdout", "-l", "vie", "--dpi", "300", "--psm", "3",
             "-c", f"thresholding_method={2 if sauvola else 0}", "tsv"],
            capture_output=True, text=True, check=True, env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"},
        ).stdout
    return tessapi.parse_tsv(out)


@needs_library
@pytest.mark.parametrize("sauvola", [True, False])
def test_in_process_reads_what_the_command_reads(gray: np.ndarray, sauvola: bool) -> None:
    ours = tessapi.image_data(gray, "vie", 300, 3, sauvola)
    choices = ours.pop("choices")  # lstm_choice_mode adds doubts, and changes no reading
    assert ours == _command_tsv(gray, sauvola)
    assert any("KẾ" in t for t in ours["text"])
    assert len(choices) == len(ours["text"]) and any(choices)


@needs_library
def test_engine_is_reused_and_settings_do_not_leak(gray: np.ndarray) -> None:
    """A psm-6 read between two psm-3 reads leaves the third equal to the first."""
    first = tessapi.image_data(gray, "vie", 300, 3, True)
    engines = dict(tessapi._ENGINES)
    tessapi.image_data(gray[: gray.shape[0] // 3], "vie", 300, 6, False)
    assert tessapi.image_data(gray, "vie", 300, 3, True) == first
    assert engines == tessapi._ENGINES


def test_command_fallback_reads_the_same_words(gray: np.ndarray, monkeypatch) -> None:
    """The same words; only the engine can say which letters it doubted (the command's
    words say None: not known, rather than () : sure of every letter)."""
    ours = read_words(gray, "vie", 300)
    monkeypatch.setattr(tessapi, "available", lambda: False)
    theirs = read_words(gray, "vie", 300)
    assert [replace(w, doubts=None) for w in ours] == theirs
    assert all(w.doubts is None for w in theirs)
    assert all(w.doubts is not None for w in ours) and any(w.doubts for w in ours)


@pytest.mark.parametrize("tsv,texts,confs", [
    ("", [], []),
    ("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
     "5\t1\t1\t1\t1\t1\t10\t20\t30\t40\t96.5\tSố:\n", ["Số:"], [96.5]),
    ("1\t1\t0\t0\t0\t0\t0\t0\t100\t200\t-1\t\n5\t1\t1\t1\t1\t2\t1\t2\t3\t4\t0\ta\tb\n",
     ["", "a\tb"], [-1.0, 0.0]),
    ("5\t1\t1\n", [], []),  # a cut-off row is dropped, not misread
])
def test_parse_tsv(tsv: str, texts: list[str], confs: list[float]) -> None:
    data = tessapi.parse_tsv(tsv)
    assert data["text"] == texts and data["conf"] == confs
    assert all(len(col) == len(texts) for col in data.values())
    assert all(isinstance(v, int) for v in data["left"])


def test_env_forces_the_command(monkeypatch) -> None:
    monkeypatch.setenv("VNPLANS_TESSERACT", "cli")
    tessapi._library.cache_clear()
    try:
        assert not tessapi.available()
    finally:
        monkeypatch.delenv("VNPLANS_TESSERACT")
        tessapi._library.cache_clear()
    assert tessapi.available() == (tessapi._library() is not None)


def test_table_cells_read_alike_in_process_and_by_command(monkeypatch) -> None:
    """The cells' sheets go to the engine one by one, or to the command as a list file:
    the same words on the same sheets."""
    import ocr
    from samples.render import render_table

    rows = [["STT", "Nội dung", "Đơn vị chủ trì"], ["01", "Kiểm tra hồ sơ", "Thanh tra Sở"],
            ["02", "Tổ chức hội nghị", "Văn phòng Sở"]]
    (page,) = render_table(rows, Style("liberation", 13, 300), [0.1, 0.55, 0.35])
    image = np.asarray(page.image)
    ours = ocr.ocr_image(image, ocr.OcrOptions(), page.dpi)
    monkeypatch.setattr(tessapi, "available", lambda: False)
    theirs = ocr.ocr_image(image, ocr.OcrOptions(), page.dpi)
    assert ours.tables and ours.tables == theirs.tables
    assert ours.text == theirs.text and "Thanh tra Sở" in ours.text


@needs_library
def test_engine_prints_nothing(capfd) -> None:
    """Regression: the library printed "Detected N diacritics" on our stderr, which is for
    errors (a long page under a seal made it do so)."""
    head, body = DOC.split("KẾ HOẠCH\n")
    title, *rest = body.splitlines()
    text = f"{head}KẾ HOẠCH\n{title}\n" + "\n".join(rest * 8) + "\n"
    page = render_document(text, Style("liberation", 13, 300))[0]
    capfd.readouterr()
    for seed in (1, 2, 3):
        assert read_words(np.asarray(degrade(page, "seal", seed=seed).image.convert("L")), "vie", 300)
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""


@needs_library
def test_threads_read_at_once_with_their_own_engines(gray: np.ndarray) -> None:
    """A Dask worker runs tasks in threads: each gets its own engine, and reads agree."""
    from concurrent.futures import ThreadPoolExecutor

    serial = tessapi.image_data(gray, "vie", 300)
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda _: (tessapi.image_data(gray, "vie", 300),
                                           id(tessapi._engine("vie"))), range(2)))
    assert all(r == serial for r, _ in results)
    assert results[0][1] != results[1][1]


@needs_library
@pytest.mark.parametrize("shape", [(0, 0), (0, 40), (40, 0)])
def test_empty_image_reads_nothing(shape: tuple[int, int]) -> None:
    assert tessapi.image_data(np.zeros(shape, np.uint8), "vie", 300)["text"] == []


@needs_library
def test_colour_array_is_refused() -> None:
    with pytest.raises(ValueError, match="2-D"):
        tessapi.image_data(np.zeros((20, 20, 3), np.uint8), "vie", 300)


_LEPT_SLIP = """
import ctypes, ctypes.util, sys
from ocr import tessapi
if sys.argv[1] == "engine":
    assert tessapi.available()
lept = ctypes.CDLL(ctypes.util.find_library("lept") or "liblept.so.5")
lept.boxCreate.restype = ctypes.c_void_p
lept.boxClipToRectangle.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int]
lept.boxClipToRectangle(lept.boxCreate(100, 100, 10, 10), 50, 50)  # a box outside the page
"""


@needs_library
@pytest.mark.parametrize(("load_engine", "quiet"), [(False, False), (True, True)])
def test_leptonica_slips_do_not_reach_stderr(load_engine: bool, quiet: bool) -> None:
    """Regression: Tesseract's layout analysis made Leptonica print "Error in
    boxClipToRectangle: box outside rectangle" on our stderr (`make run`, sample 004)."""
    import sys

    err = subprocess.run([sys.executable, "-c", _LEPT_SLIP, "engine" if load_engine else "bare"],
                         capture_output=True, text=True, check=True).stderr
    assert ("boxClipToRectangle" not in err) is quiet
