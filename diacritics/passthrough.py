"""The identity restoration, for `--no-restore` and for text already in good Vietnamese."""

from __future__ import annotations

from ocr.models import OcrPage

from .models import RestoredLine, RestoredPage, RestoredToken


def passthrough_line(raw: str) -> RestoredLine:
    """A RestoredLine equal to its raw line, one passthrough token per word."""
    tokens = []
    start = None
    for i, ch in enumerate(raw + " "):
        if ch.isspace():
            if start is not None:
                word = raw[start:i]
                tokens.append(RestoredToken(word, word, start, i, 1.0, "passthrough"))
                start = None
        elif start is None:
            start = i
    return RestoredLine(raw, raw, tuple(tokens), tuple(range(len(raw) + 1)))


def passthrough(page: OcrPage) -> RestoredPage:
    """Wrap an OcrPage unchanged, so the parser always takes RestoredPages."""
    lines = tuple(passthrough_line(t) for t in page.text.split("\n"))
    return RestoredPage(page, page.text, lines, tuple(range(len(page.text) + 1)), restored=False)
