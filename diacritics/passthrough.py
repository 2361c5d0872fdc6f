"""The identity restoration, for `--no-restore` and for text already in good Vietnamese."""

from __future__ import annotations

import re

from ocr.models import OcrPage

from .models import RestoredLine, RestoredPage, RestoredToken

_WORD = re.compile(r"\S+")


def passthrough_line(raw: str) -> RestoredLine:
    """A RestoredLine equal to its raw line, one passthrough token per word."""
    tokens = [RestoredToken(m.group(), m.group(), m.start(), m.end(), 1.0, "passthrough")
              for m in _WORD.finditer(raw)]
    return RestoredLine(raw, raw, tuple(tokens), tuple(range(len(raw) + 1)))


def passthrough(page: OcrPage) -> RestoredPage:
    """Wrap an OcrPage unchanged, so the parser always takes RestoredPages."""
    lines = tuple(passthrough_line(t) for t in page.text.split("\n"))
    return RestoredPage(page, page.text, lines, tuple(range(len(page.text) + 1)), restored=False)
