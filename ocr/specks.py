"""Specks: marks Tesseract reads as words where there is no text.

Why: a signature, the ghost of a removed seal or a stray stroke in the signature column
of a Decree-30 page comes out as short junk "words" (`Á`, `Z1`, `(s4`, `—`, a tiny
`4`) that land on the lines of the recipients' list beside them (real scan GP 2507:
about 20 characters of junk in the body). What tells them from text is where they stand
and how they look: alone on their line, far from any other word, and unlike text
(Tesseract unsure of them, much smaller than the page's letters, or no letter or digit
at all). A page where many words are unsure is a worn scan, not a clean page with a
signature (the 1999 archival scan: 26-45 % on three pages, whose unsure words are what a
reader has of the text); it is left alone. So is the header zone: a number written by
hand on a printed form stands there, alone in its blank, and must reach the parser to be
flagged.
"""

from __future__ import annotations

from statistics import median

from .layout import HEADER_ZONE  # handwritten fields live in the top third
from .tesseract import RawWord

ALONE = 3.0  # text heights of empty paper on both sides on its line: a word stands alone
UNSURE = 50.0  # Tesseract's confidence under which a lone word is taken for a mark
SMALL = 0.45  # of the page's median word height: smaller than any printed letter
BAD_PAGE = 0.10  # share of unsure words over which a page is a worn scan, not specks


def drop_specks(words: list[RawWord], page_height: int) -> tuple[list[RawWord], int]:
    """The words that are text, and how many specks were dropped."""
    body = [w for w in words if w.y0 > HEADER_ZONE * page_height]
    sure = [w.y1 - w.y0 for w in body if w.conf >= 80 and any(c.isalpha() for c in w.text)]
    if len(sure) < 5:  # too little text to know what text looks like here
        return words, 0
    unsure = [w for w in body if w.conf < UNSURE and any(c.isalnum() for c in w.text)]
    if len(unsure) > BAD_PAGE * len(body):  # a worn page: unsure words are its text
        return words, 0
    height = median(sure)
    unlike = {id(w) for w in words if _unlike_text(w, height)}
    text = [w for w in words if id(w) not in unlike]  # a speck beside a speck: still alone
    specks = {id(w) for w in body if id(w) in unlike and _alone(w, text, height)}
    return [w for w in words if id(w) not in specks], len(specks)


def _unlike_text(w: RawWord, height: float) -> bool:
    return (w.conf < UNSURE or (w.y1 - w.y0) < SMALL * height
            or not any(c.isalnum() for c in w.text))


def _alone(w: RawWord, text: list[RawWord], height: float) -> bool:
    """No word of text on its line (overlapping it vertically by half the smaller
    height) within ALONE text heights."""
    reach = ALONE * height
    for o in text:
        overlap = min(w.y1, o.y1) - max(w.y0, o.y0)
        if overlap < 0.5 * min(w.y1 - w.y0, o.y1 - o.y0, height):
            continue
        if o.x0 - w.x1 < reach and w.x0 - o.x1 < reach:
            return False
    return True


__all__ = ["drop_specks"]
