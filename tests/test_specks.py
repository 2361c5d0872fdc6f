"""Specks (ocr/specks.py): junk words from signatures and stamp ghosts are dropped,
text is not."""

from __future__ import annotations

import pytest

from ocr.specks import drop_specks
from ocr.tesseract import RawWord

PAGE_H = 3500
LINE_H = 32


def _w(text: str, x0: int, y0: int, conf: float = 95.0, w: int = 80, h: int = LINE_H) -> RawWord:
    return RawWord(text, x0, y0, x0 + w, y0 + h, conf, 1, 1, 1)


def _recipients(y0: int = 2600) -> list[RawWord]:
    """Eight lines of a recipients' list on the left half of the page."""
    return [_w(t, 380 + 100 * i, y0 + 46 * k) for k in range(8)
            for i, t in enumerate(("-", "Sở", "Công", "Thương;"))]


@pytest.mark.parametrize("extra,dropped", [
    (_w("Z1", 1714, 2610, conf=21), True),  # unsure, far from any word on its line
    (_w("4", 1700, 2656, conf=82, w=18, h=13), True),  # sure, but far smaller than letters
    (_w("`", 1596, 2702, conf=92, w=16), True),  # no letter, no digit
    (_w("2", 1200, 3300, conf=95, w=20, h=29), False),  # a page number: like text
    (_w("ủ", 800, 2610, conf=37), False),  # unsure, but beside a word of its line
    (_w("41", 300, 400, conf=8), False),  # a handwritten number in the header zone
])
def test_lone_junk_dropped_text_kept(extra: RawWord, dropped: bool) -> None:
    words = [*_recipients(), extra]
    kept, n = drop_specks(words, PAGE_H)
    assert (extra not in kept) is dropped
    assert n == int(dropped) and len(kept) == len(words) - n


def test_specks_beside_specks_are_still_alone() -> None:
    """Regression (GP 2507): `mó (s4 —` beside each other kept each other in."""
    junk = [_w("mó", 1688, 2612, conf=0, w=18), _w("(s4", 1755, 2612, conf=28), _w("—", 1833, 2630, conf=50, h=2)]
    kept, n = drop_specks([*_recipients(), *junk], PAGE_H)
    assert n == 3 and not set(junk) & set(kept)


def test_too_little_text_to_judge() -> None:
    words = [_w("Z1", 1714, 2610, conf=21), _w("Sở", 380, 2610)]
    assert drop_specks(words, PAGE_H) == (words, 0)


def test_worn_page_left_alone() -> None:
    """Regression (1999 archival scan): on a page where many words are unsure, unsure
    words are its text, and dropping them lost real words (`đến`, `Lần`)."""
    worn = [_w("đến", 1500, 2600 + 46 * k, conf=30) for k in range(4)]
    kept, n = drop_specks([*_recipients(), *worn], PAGE_H)
    assert n == 0 and len(kept) == 36
