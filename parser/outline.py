"""The heading tree: I., II. / 1., 2. / 1.1. / a), b), đ) with titles, levels and spans.

Why on line starts only: numbering inside sentences ("theo mục 2.") is no heading. OCR
reads the roman I as `|`, `l` or `1`, so those count as I before a dot and a capital.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .doc import Doc, clean
from .models import Section

HEADING = re.compile(
    r"^\s*(?:(?P<article>Điều\s+\d{1,3})\s*[.:]|(?P<roman>[IVX]{1,5}|[|l](?=\.\s*[A-ZĐÀ-Ỹ]))\s*[.:]|(?P<sub>\d{1,2}\.\d{1,2}(?:\.\d{1,2})?)\.?"
    r"|(?P<num>\d{1,2})\s*[.)]|(?P<letter>[a-zđ])\s*\))\s+(?P<title>\S.*)$"
    r"|^\s*(?P<article2>Điều\s+\d{1,3})\s*[.:]\s+(?P<body>\S.*)$"
)


def parse_outline(doc: Doc) -> list[Section]:
    sections: list[Section] = []
    stack: list[int] = []  # indices of open sections by level
    for a, b, text in doc.lines():
        m = HEADING.match(text)
        if not m:
            continue
        number, level = _number(m)
        while stack and sections[stack[-1]].level >= level:
            stack.pop()
        parent = stack[-1] if stack else -1
        title = m.group("title") or m.group("body")
        sections.append(Section(number, clean(title)[:200], level, doc.span(a, b), parent))
        stack.append(len(sections) - 1)
    return sections


def _number(m: re.Match) -> tuple[str, int]:
    article = m.group("article") or m.group("article2")
    if article:  # a Quyết định's articles: `Điều 3.` is the top of its outline, whatever its length
        return " ".join(article.split()), 1
    if m.group("roman"):
        r = m.group("roman")
        return ("I" if r in "|l" else r), 1
    if m.group("sub"):
        return m.group("sub"), 2 + m.group("sub").count(".")
    if m.group("num"):
        return m.group("num"), 2
    return m.group("letter"), 4


def section_locator(doc: Doc, sections: list[Section]) -> Callable[[int], str]:
    """A function: joined-text offset → outline path of the section it falls in (I.1)."""
    starts = [(doc.starts[_page_pos(doc, s)] + s.span.start, i) for i, s in enumerate(sections)]

    def path(i: int) -> str:
        parts = []
        while i >= 0:
            parts.append(sections[i].number)
            i = sections[i].parent
        return ".".join(reversed(parts))

    def locate(pos: int) -> str:
        best = -1
        for start, i in starts:
            if start <= pos:
                best = i
            else:
                break
        return path(best) if best >= 0 else ""

    return locate


def _page_pos(doc: Doc, s: Section) -> int:
    return next((k for k, p in enumerate(doc.pages) if p.index == s.span.page), 0)
