"""The parts of a document's body that assignments are read from: its paragraphs and
sentences, the parts that state duties (`Tổ chức thực hiện`, `Trách nhiệm ...`), those that
state aims (`Mục đích, yêu cầu`), and the `Nơi nhận` blocks, which address and assign
nothing. Why apart from parser.assign: these are the document's shape, read the same way
whatever is assigned in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .doc import Doc, fold
from .models import Section

DUTY_PART = re.compile(
    r"^(?:to chuc (?:thuc hien|trien khai)|trach nhiem(?: cua| thuc hien| cac)?|phan cong"
    r"|giai phap va phan cong|nhiem vu (?:cua|cu the)|de nghi|kien nghi|de xuat|"
    r"phan cong nhiem vu|trach nhiem thi hanh|hieu luc va trach nhiem|"
    r"(?:cac |mot so )?nhiem vu(?:,| va)? giai phap|che do (?:thong tin,? )?bao cao)")
NON_DUTY_PART = re.compile(r"^(?:muc dich|yeu cau|muc tieu|quan diem|can cu|tinh hinh|ket qua|danh gia|"
                           r"thuc trang|co so)")
CLOSING = re.compile(r"^(?:tren day|trong qua trinh (?:thuc hien|trien khai)|qua trinh thuc hien|"
                      r"de nghi cac|yeu cau cac|nhan duoc van ban nay)")
PREAMBLE = re.compile(r"^\s*(?:can cu|xet|theo de nghi)\b")
BULLET = re.compile(r"^\s*(?:Điều\s+\d{1,3}\s*[.:]|[-+•*–]|\d{1,2}(?:\.\d{1,2})*\s*[.)]|[a-zđ]\s*\)|[IVX]{1,4}\s*\.)\s*")

@dataclass(frozen=True, slots=True)
class Para:
    """A logical paragraph (wrapped lines joined): [start, end) in the joined text."""

    start: int
    end: int
    body: int  # where its text starts after a bullet or outline number


def paragraphs(doc: Doc, a: int, b: int) -> list[Para]:
    """Paragraphs of doc.text[a:b]: a line opens one when it starts with a bullet or a
    number, or when the line before ended a sentence."""
    out: list[Para] = []
    for la, lb, line in doc.lines_in(a, b):
        if lb <= a or la >= b or not line.strip():
            continue
        m = BULLET.match(line)
        opens = m is not None or not out or re.search(r"[.:;!?]\s*$", doc.text[out[-1].start:out[-1].end]) \
            or line[:1].isupper() and doc.text[out[-1].end - 1:out[-1].end] in ".:;"
        if opens or line.lstrip()[:1] == "\f":
            out.append(Para(la, lb, la + (m.end() if m else len(line) - len(line.lstrip()))))
        else:
            out[-1] = Para(out[-1].start, lb, out[-1].body)
    return out


def skip_number(line: str) -> int:
    m = BULLET.match(line)
    return m.end() if m else 0


def sentences(doc: Doc, a: int, b: int) -> list[tuple[int, int]]:
    """Sentences of [a, b): cut at `. ` before a capital and at semicolons."""
    out, pos = [], a
    for m in re.finditer(r"(?<=[^\s.]{2})[.;!?]\s+(?=[A-ZĐÀ-Ỹ\-+])|;\s*", doc.text[a:b]):
        out.append((pos, a + m.start() + 1))
        pos = a + m.end()
    out.append((pos, b))
    return [(x, y) for x, y in out if y - x > 3]


def recipients(doc: Doc) -> list[tuple[int, int]]:
    """[start, end) of each `Nơi nhận:` block (its bullets and blank lines): recipients
    are addressed, not assigned."""
    out = []
    for m in re.finditer(r"^\s*n[a-z]{1,3}\s*nh[a-z]{0,3}n?\s*:", doc.folded, re.M):  # OCR-tolerant: `Nội nhn:`
        end = m.end()
        for line in re.finditer(r"\n([^\n]*)", doc.folded[m.end():]):
            if line.group(1).strip() and not line.group(1).lstrip().startswith(("-", "+", "•")):
                break
            end = m.end() + line.end()
        out.append((m.start(), end))
    return out


def duty_parts(doc: Doc, sections: list[Section], body: tuple[int, int]) -> list[tuple[int, int]]:
    """[start, end) of each part whose title names duties, to the next heading of its level."""
    return parts(doc, sections, body, DUTY_PART)


def parts(doc: Doc, sections: list[Section], body: tuple[int, int], title: re.Pattern) -> list[tuple[int, int]]:
    out = []
    for i, s in enumerate(sections):
        if title.match(fold(s.title)):
            a = section_start(doc, s)
            nxt = next((t for t in sections[i + 1:] if t.level <= s.level), None)
            out.append((a, min(body[1], section_start(doc, nxt) if nxt else body[1])))
    return out


def section_start(doc: Doc, s: Section) -> int:
    k = next((i for i, p in enumerate(doc.pages) if p.index == s.span.page), 0)
    return doc.starts[k] + s.span.start
