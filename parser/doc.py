"""The document as the parser sees it: restored pages joined, with spans mapped back.

Why a joined text: citations and sentences run across page breaks. Every match in the
joined text becomes a `Span` on its page, with the raw-text offsets (through the
restoration offset map) and the union box of the OCR words underneath.
"""

from __future__ import annotations

import bisect
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from diacritics.models import RestoredPage
from ocr.models import Box

from .models import Span


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    if c in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", c)[:1] or c
    return base.lower() if len(base.lower()) == 1 else c


class _FoldTable(dict):
    """str.translate table filled on first sight of each character (C-speed folding)."""

    def __missing__(self, code: int) -> str:
        out = self[code] = _fold_char(chr(code))
        return out


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """Lower-case, no marks, đ → d, SAME LENGTH as `text` (so offsets carry over)."""
    return text.translate(_FOLD)


class Doc:
    """Joined restored text of all pages (pages separated by "\\n\\f\\n")."""

    SEP = "\n\f\n"

    def __init__(self, pages: Sequence[RestoredPage]) -> None:
        self.pages = tuple(pages)
        self.starts: list[int] = []
        parts, pos = [], 0
        for p in self.pages:
            self.starts.append(pos)
            parts.append(p.text)
            pos += len(p.text) + len(self.SEP)
        self.text = self.SEP.join(parts)
        self.folded = fold(self.text)
        # one line: for phrases that the print broke across lines (same offsets again)
        self.flat = self.folded.replace("\n", " ").replace("\f", " ")
        self._starts: dict[int, list[int]] = {}
        self._ends: dict[int, list[int]] = {}
        self._ordered: dict[int, bool] = {}
        self._lines: list[tuple[int, int, str]] | None = None
        self._line_ends: list[int] = []

    def span(self, start: int, end: int) -> Span:
        """The Span of joined-text [start, end): page, page offsets, raw offsets, box."""
        i = max(0, bisect.bisect_right(self.starts, start) - 1)
        if not self.pages:
            return Span(0, start, end)
        page = self.pages[i]
        a = max(0, start - self.starts[i])
        b = max(a, min(len(page.text), end - self.starts[i]))
        ra, rb = page.raw_span(a, b)
        return Span(page.index, a, b, ra, rb, self._box(i, ra, rb))

    def _words(self, i: int, ra: int, rb: int) -> Sequence:
        """The OCR words of page i under raw [ra, rb), by bisection: a linear scan per
        span cost more than the rest of the parser on long pages."""
        if i not in self._ends:
            self._ends[i] = [w.end for w in self.pages[i].raw.words]
            self._starts[i] = [w.start for w in self.pages[i].raw.words]
            self._ordered[i] = self._ends[i] == sorted(self._ends[i])
        words = self.pages[i].raw.words
        if not self._ordered[i]:  # not in text order: scan them all
            return [w for w in words if w.start < rb and w.end > ra]
        lo, hi = bisect.bisect_right(self._ends[i], ra), bisect.bisect_left(self._starts[i], rb)
        return words[lo:hi]

    def _box(self, i: int, ra: int, rb: int) -> Box | None:
        return Box.enclosing(w.box for w in self._words(i, ra, rb))

    def confidence(self, start: int, end: int) -> float:
        """Mean OCR confidence (0-1) of the words under [start, end); 1.0 for text pages."""
        i = max(0, bisect.bisect_right(self.starts, start) - 1)
        if not self.pages:
            return 1.0
        page = self.pages[i]
        a = max(0, start - self.starts[i])
        ra, rb = page.raw_span(a, max(a, min(len(page.text), end - self.starts[i])))
        confs = [w.conf for w in self._words(i, ra, rb)]
        return min(1.0, sum(confs) / len(confs) / 100) if confs and page.raw.source == "ocr" else 1.0

    def scanned(self, pos: int) -> bool:
        """Whether the text at `pos` was read by OCR (a blank there may be ink OCR missed)."""
        if not self.pages:
            return False
        return self.pages[max(0, bisect.bisect_right(self.starts, pos) - 1)].raw.source == "ocr"

    def lines(self) -> list[tuple[int, int, str]]:
        """(start, end, text) of every line of the joined text (made once: every reader
        of the document walks them)."""
        if self._lines is None:
            out, pos = [], 0
            for line in self.text.split("\n"):
                out.append((pos, pos + len(line), line))
                pos += len(line) + 1
            self._lines = out
            self._line_ends = [b for _, b, _ in out]
        return self._lines

    def lines_in(self, a: int, b: int) -> list[tuple[int, int, str]]:
        """The lines that overlap [a, b), by bisection."""
        lines = self.lines()
        i = bisect.bisect_right(self._line_ends, a) if a > 0 else 0
        out = []
        for la, lb, line in lines[max(0, i - 1):]:
            if la >= b:
                break
            if lb > a or (lb == a == la):
                out.append((la, lb, line))
        return out


def clean(s: str) -> str:
    """Folded whitespace, NFC, trimmed punctuation at the ends."""
    return " ".join(unicodedata.normalize("NFC", s).split()).strip(" ,;:.-–")
