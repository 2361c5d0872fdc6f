"""Text pages (text files, real PDF text layers, DOCX) as OcrPages.

Why: later stages see one shape whatever the source; a text page simply has no boxes and
full confidence.
"""

from __future__ import annotations

import re

from ingest.models import Page

from .models import Line, OcrPage, OcrSource, Word

_WORD = re.compile(r"\S+")


def text_page(doc_id: str, index: int, text: str, source: OcrSource = "text") -> OcrPage:
    """Build an OcrPage from plain text, keeping the text exactly (lines and spacing);
    only line endings are normalised to "\\n"."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines: list[Line] = []
    words: list[Word] = []
    pos = 0
    for i, raw in enumerate(text.split("\n")):
        lines.append(Line(raw, None, block=0, start=pos, end=pos + len(raw)))
        for m in _WORD.finditer(raw):
            words.append(Word(m.group(), None, 100.0, 0, i, pos + m.start(), pos + m.end()))
        pos += len(raw) + 1
    return OcrPage(doc_id, index, source, text, tuple(lines), tuple(words))


def page_from_text(page: Page) -> OcrPage:
    """The OcrPage of an ingested text or text-layer page."""
    if page.text is None or page.source == "image":
        raise ValueError(f"page {page.index} of {page.doc_id[:12]} is not a text page")
    source: OcrSource = "text-layer" if page.source == "text-layer" else "text"
    return text_page(page.doc_id, page.index, page.text, source)
