"""Artefacts of the restoration stage.

Restoration changes text, so every restored line carries an offset map back to the raw
line: spans found later in restored text still point at the OCR words (and their boxes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ocr.models import OcrPage

TokenKind = Literal["word", "passthrough", "code", "space"]


@dataclass(frozen=True, slots=True)
class RestoredToken:
    """A token of a raw line and what it became. `start`/`end` index the raw line;
    `alternatives` are (form, probability) pairs, best first, including `restored`."""

    original: str
    restored: str
    start: int
    end: int
    confidence: float
    kind: TokenKind = "word"
    alternatives: tuple[tuple[str, float], ...] = ()

    def __post_init__(self) -> None:
        if self.end - self.start != len(self.original):
            raise ValueError("token span does not match its original text")
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"confidence out of range: {self.confidence}")

    @property
    def changed(self) -> bool:
        return self.original != self.restored


@dataclass(frozen=True, slots=True)
class RestoredLine:
    """`text` is the restored line; `offsets[i]` is the raw index of restored char i
    (len(text)+1 entries, the last one the raw length)."""

    raw: str
    text: str
    tokens: tuple[RestoredToken, ...]
    offsets: tuple[int, ...]

    def __post_init__(self) -> None:
        if len(self.offsets) != len(self.text) + 1:
            raise ValueError("offsets need one entry per restored char, plus one")
        if self.offsets and (self.offsets[0] != 0 or self.offsets[-1] != len(self.raw)):
            raise ValueError("offsets must run from 0 to len(raw)")

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The raw-line span of restored span [start, end)."""
        return self.offsets[start], self.offsets[end]


@dataclass(frozen=True, slots=True)
class RestoredPage:
    """A page after restoration. `text` has exactly the raw page's line structure;
    `offsets` maps restored page chars to raw page chars like RestoredLine.offsets."""

    raw: OcrPage
    text: str
    lines: tuple[RestoredLine, ...]
    offsets: tuple[int, ...]
    restored: bool = True  # False when restoration was skipped (--no-restore)

    def __post_init__(self) -> None:
        if len(self.offsets) != len(self.text) + 1:
            raise ValueError("offsets need one entry per restored char, plus one")
        if self.text.count("\n") != self.raw.text.count("\n"):
            raise ValueError("restoration must keep the page's lines")

    @property
    def doc_id(self) -> str:
        return self.raw.doc_id

    @property
    def index(self) -> int:
        return self.raw.index

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        return self.offsets[start], self.offsets[end]
