"""Audience blocks and responsibility assignments.

Audiences: `Đối với ...` / `Đối tượng ...` blocks, with their items and channels.
Responsibilities: in the `Tổ chức thực hiện` part, a unit is either the title of a
numbered item (its tasks follow) or the subject of a sentence before its duty verb
(chủ trì, làm đầu mối, có trách nhiệm, ...); `phối hợp với X` makes X a supporting unit.
"""

from __future__ import annotations

import re

from .doc import Doc, clean
from .models import Audience, Section

# an audience block opens a line, after its outline number or bullet (a prose `đối với`
# that a line wrap happens to put near the line start is not one)
AUDIENCE = re.compile(r"^\s*(?:(?:[0-9]{1,2}(?:\.[0-9]{1,2})*|[IVX]{1,4})[.)]|[a-zđ]\)|[-+•*])\s*"
                      r"doi (?:voi|tuong)\b\s*(?:tuyen truyen|la)?\s*:?\s*")
def parse_audiences(doc: Doc, sections: list[Section], locate) -> list[Audience]:
    out = []
    for a, b, text in doc.lines():
        f = doc.folded[a:b]
        m = AUDIENCE.match(f)
        if not m or re.search(r"noi dung|hinh thuc", f[m.end():]):
            continue
        name = clean(text[m.end():]).rstrip(":")
        if len(name) < 3:  # "Đối tượng tuyên truyền" heading: the audiences follow
            name = _next_sentence(doc, b)
        for part in re.split(r";\s*|\s+và\s+(?=các\s|những\s)", name):
            part = clean(re.sub(r"\s+và$", "", part))
            if len(part) >= 3:
                out.append(Audience(part[:1].upper() + part[1:], locate(a), (), (), doc.span(a, b)))
    unique = {(a.name.lower(), a.number): a for a in reversed(out)}
    return [a for a in out if unique.get((a.name.lower(), a.number)) is a]


def _next_sentence(doc: Doc, pos: int) -> str:
    text = doc.text[pos:pos + 600]
    m = re.search(r"(?:Đối tượng\s+là\s+)?(.+?)(?:\.\s|$)", text.strip(), re.S)
    return clean(m.group(1)) if m else ""


_DASH = re.compile(r"(?<=\w)\s*[-–]\s+(?=\w)|(?<=\w)\s+[-–]\s*(?=\w)")


def unit_name(unit: str) -> str:
    """`Phòng Kế hoạch- Tài chính- Tổng hợp` → `Phòng Kế hoạch - Tài chính - Tổng hợp`:
    a dash spaced on one side only is a separator between name parts, spaced on both."""
    return _DASH.sub(" - ", clean(unit))
