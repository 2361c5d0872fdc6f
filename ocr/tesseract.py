"""Thin wrapper over Tesseract (libtesseract, or pytesseract and the command): words with boxes, and orientation (OSD).

Why a wrapper: one place sets OMP_THREAD_LIMIT=1 (OpenMP threading is 6-10x slower on
small machines; we parallelise by process), passes --dpi, and turns Tesseract's failures
into our error classes: a missing binary or language is MissingDependencyError, a crash
on a page is ExternalToolError.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from vnplans.exceptions import ExternalToolError, MissingDependencyError

from . import tessapi
from .models import CharDoubt


@dataclass(frozen=True, slots=True)
class RawWord:
    """A word as Tesseract reports it, before layout."""

    text: str
    x0: int
    y0: int
    x1: int
    y1: int
    conf: float
    block: int
    par: int
    line: int
    doubts: tuple[CharDoubt, ...] | None = None  # see ocr.models.Word


@contextmanager
def _pgm(gray: np.ndarray) -> Iterator[str]:
    """The page as an uncompressed PGM file for Tesseract. Why not pytesseract's own
    hand-over: it writes a compressed PNG, 0.15 s a page, 7 % of Tesseract's time."""
    import cv2

    fd, path = tempfile.mkstemp(suffix=".pgm", prefix="vnplans-")
    os.close(fd)
    try:
        if not cv2.imwrite(path, gray):
            raise ExternalToolError(f"could not write the page image for tesseract ({path})")
        yield path
    finally:
        with suppress(OSError):
            os.unlink(path)


@lru_cache(maxsize=1)
def available_langs() -> frozenset[str]:
    """Installed models, read from `tesseract --list-langs` itself (pytesseract's parser
    drops names with capitals, such as the `Vietnamese` script model)."""
    import subprocess

    try:
        out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True,
                             check=False, timeout=30).stdout
    except FileNotFoundError as exc:
        raise MissingDependencyError("tesseract not found: install tesseract-ocr") from exc
    return frozenset(line.strip() for line in out.splitlines()[1:] if line.strip())


def check_lang(lang: str) -> None:
    missing = [code for code in lang.split("+") if code not in available_langs()]
    if missing:
        raise MissingDependencyError(
            f"Tesseract language {'+'.join(missing)} not installed "
            "(apt: tesseract-ocr-vie, tesseract-ocr-script-viet)"
        )


def image_data(path: str, lang: str, dpi: int, psm: int = 3, sauvola: bool = True) -> dict[str, list]:
    """Tesseract's TSV for an image file (or a list file of images) as columns, parsed as
    the in-process reads are (confidences keep their decimals)."""
    import pytesseract

    os.environ["OMP_THREAD_LIMIT"] = "1"
    check_lang(lang)
    config = f"--psm {psm} --dpi {dpi}" + (" -c thresholding_method=2" if sauvola else "")
    try:
        return tessapi.parse_tsv(pytesseract.image_to_data(path, lang=lang, config=config))
    except pytesseract.TesseractError as exc:
        raise ExternalToolError(f"tesseract failed: {' '.join(str(exc).split())[:160]}") from exc


def clean_text(text: str) -> str:
    """A word as Tesseract printed it, trimmed, its odd slashes made plain."""
    return text.strip().translate(_SLASHES)


def read_words(gray: np.ndarray, lang: str, dpi: int, psm: int = 3,
               sauvola: bool = True, doubts: bool = True) -> list[RawWord]:
    """All words Tesseract finds, with boxes and confidences (−1 rows dropped). In
    process when libtesseract loads (see `tessapi`), else through the command."""
    if tessapi.available():
        check_lang(lang)
        data = tessapi.image_data(gray, lang, dpi, psm, sauvola, doubts)
    else:
        with _pgm(gray) as path:
            data = image_data(path, lang, dpi, psm, sauvola)
    words = []
    for i, printed in enumerate(data["text"]):
        conf = float(data["conf"][i])
        text = clean_text(printed)
        if conf < 0 or not text or is_noise(text, conf):
            continue
        x, y, w, h = (int(data[k][i]) for k in ("left", "top", "width", "height"))
        words.append(RawWord(text, x, y, x + w, y + h, max(0.0, min(100.0, conf)),
                             int(data["block_num"][i]), int(data["par_num"][i]),
                             int(data["line_num"][i]), letter_doubts(printed, text, data, i)))
    return words


def letter_doubts(printed: str, text: str, data: dict[str, list], row: int) -> tuple[CharDoubt, ...] | None:
    """The row's doubtful characters, placed in the cleaned text (one that cleaning
    moved or changed is dropped rather than misplaced); None when the read could not
    report them (the command)."""
    rows = data.get("choices")
    if rows is None:
        return None
    shift = len(printed) - len(printed.lstrip())
    out = []
    for index, char, conf, alternatives in rows[row]:
        at = index - shift
        if at >= 0 and text[at:at + len(char)] == char:
            out.append(CharDoubt(at, char, min(100.0, conf),
                                 tuple((a, min(100.0, c)) for a, c in alternatives)))
    return tuple(out)


# Tesseract prints the slash of `1105/KH-ĐKT` as a fraction or division slash at times
_SLASHES = str.maketrans({"\u2044": "/", "\u2215": "/", "\u29f8": "/"})
NOISE_CONF = 50.0  # symbol-only words under this confidence are specks, not text
GARBLE_CONF = 30.0
_CODE = re.compile(r"[/-][A-ZĐ]{2}|[A-ZĐ]{2}[/-]")  # a document symbol (/QĐ-UBND): never noise


def is_noise(text: str, conf: float) -> bool:
    """A word Tesseract made out of a seal's remnant, a signature stroke or a speck:
    symbols only and unsure, or a letter string that is no Vietnamese syllable and very
    unsure. Digits and symbols (`/QĐ-UBND`) are kept whatever their confidence (handwritten
    numbers are flagged downstream, never dropped)."""
    from ingest.orthography import is_syllable

    if any(c.isdigit() for c in text) or _CODE.search(text):
        return False
    if not any(c.isalnum() for c in text):
        return conf < NOISE_CONF
    core = text.strip(".,;:!?()[]{}\"'“”‘’-–_")
    return conf < GARBLE_CONF and not (core and is_syllable(core.lower()))


def detect_rotation(gray: np.ndarray, dpi: int) -> tuple[int, float]:
    """(degrees to rotate clockwise to make the page upright, OSD confidence);
    (0, 0.0) when OSD cannot tell (too little text)."""
    import pytesseract

    os.environ["OMP_THREAD_LIMIT"] = "1"
    try:
        with _pgm(gray) as path:
            osd = pytesseract.image_to_osd(path, config=f"--psm 0 --dpi {dpi}",
                                           output_type=pytesseract.Output.DICT)
    except pytesseract.TesseractError:
        return 0, 0.0
    return int(osd.get("rotate", 0)), float(osd.get("orientation_conf", 0.0))
