"""Audience blocks and responsibility assignments.

Audiences: `Đối với ...` / `Đối tượng ...` blocks, with their items and channels.
Responsibilities: in the `Tổ chức thực hiện` part, a unit is either the title of a
numbered item (its tasks follow) or the subject of a sentence before its duty verb
(chủ trì, làm đầu mối, có trách nhiệm, ...); `phối hợp với X` makes X a supporting unit.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .doc import Doc, clean
from .models import Audience, Responsibility, RespRole, Section

UNIT_HEAD = re.compile(
    r"^(cac |tat ca )?(phong|van phong|so|thanh tra|ban|trung tam|ubnd|uy ban|doan|chi cuc|"
    r"lanh dao|cuc|bo phan|don vi|co quan|cong an|dai|bao|hoi|to|truong|phong ban|giam doc)\b")
VERBS = re.compile(r"\b(chu tri|lam dau moi|la dau moi|co trach nhiem|co nhiem vu|chiu trach nhiem|"
                   r"tham muu|phoi hop|chu dong|can cu|to chuc|trien khai|thuc hien|theo doi|"
                   r"huong dan|bao cao|xay dung|cung cap|dam bao)\b")
_TCTH = re.compile(r"to chuc\s+th\w{0,3}\s+h\w{1,3}n")  # "tổ chức thực hiện", OCR-tolerant
# an audience block opens a line, after its outline number or bullet (a prose `đối với`
# that a line wrap happens to put near the line start is not one)
AUDIENCE = re.compile(r"^\s*(?:(?:[0-9]{1,2}(?:\.[0-9]{1,2})*|[IVX]{1,4})[.)]|[a-zđ]\)|[-+•*])\s*"
                      r"doi (?:voi|tuong)\b\s*(?:tuyen truyen|la)?\s*:?\s*")
LEAD_VERBS = ("chu tri", "lam dau moi", "la dau moi", "tham muu", "chiu trach nhiem")
CADENCE = re.compile(r"(dinh ky\s+(?:hang|hàng|hằng)?\s*(?:thang|quy|nam|tuan)|"
                     r"\d+\s*thang,\s*\d+\s*thang(?:,\s*\d+\s*thang)?\s*(?:va|,)\s*nam|"
                     r"truoc ngay\s*\d{1,2}(?:\s*/\s*\d{1,2})?)")
SUPPORT = re.compile(r"phoi hop(?:\s+voi)?\s+(?P<units>(?:cac|tat ca)\s[^.;:]{3,80}?)(?=\s+(?:trien\s+khai|"
                     r"thuc\s+hien|de|trong|xay\s+dung|tham\s+muu|to\s+chuc|cung\s+cap)\b|[.;:]|$)")


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


def parse_responsibilities(doc: Doc, sections: list[Section]) -> list[Responsibility]:
    start = next((i for i, s in enumerate(sections) if s.level == 1 and
                  _TCTH.search(doc.folded[_abs(doc, s.span):_abs(doc, s.span) + s.span.end - s.span.start])), None)
    if start is None:
        return []
    a = _abs(doc, sections[start].span)
    nxt = next((s for s in sections[start + 1:] if s.level == 1), None)
    b = _abs(doc, nxt.span) if nxt else len(doc.text)
    out: list[Responsibility] = []
    items = [s for s in sections[start + 1:] if s.level > 1 and a <= _abs(doc, s.span) < b]
    for k, s in enumerate(items):
        sa = _abs(doc, s.span)
        sb = _abs(doc, items[k + 1].span) if k + 1 < len(items) else b
        out += _item(doc, s, sa, sb)
    return _dedup(out)


def _abs(doc: Doc, span) -> int:
    k = next((i for i, p in enumerate(doc.pages) if p.index == span.page), 0)
    return doc.starts[k] + span.start


def _item(doc: Doc, s: Section, a: int, b: int) -> list[Responsibility]:
    title_f = doc.folded[a:a + len(s.title) + 8]
    body = doc.flat[a:b]
    cadence = CADENCE.search(body)
    cad = clean(doc.text[a + cadence.start(): a + cadence.end()]) if cadence else None
    head = re.sub(r"^\s*\S+\s+", "", title_f)
    title = s.title
    if head.startswith("giao "):  # "Giao Văn phòng Sở là đầu mối ..."
        head, title = head[5:], title[5:]
    out = []
    verb = VERBS.search(head)
    unit_text = title if verb is None else clean(title[: verb.start()])
    if UNIT_HEAD.match(head) and 3 <= len(unit_text) <= 90:
        role: RespRole = _role(unit_text, body)
        out.append(Responsibility(unit_text, role, "section", (clean(doc.text[a:b])[:300],),
                                  doc.span(a, b), cad))
        for m in SUPPORT.finditer(body):
            unit = clean(doc.text[a + m.start("units"): a + m.end("units")])
            out.append(Responsibility(unit[:1].upper() + unit[1:], "support", "section", (),
                                      doc.span(a + m.start("units"), a + m.end("units")), cad))
    return out


def _role(unit: str, body: str) -> RespRole:
    from .doc import fold

    fu = fold(unit)
    if fu.startswith(("cac ", "tat ca", "lanh dao", "thu truong")):
        return "all"
    return "lead"


_DASH = re.compile(r"(?<=\w)\s*[-–]\s+(?=\w)|(?<=\w)\s+[-–]\s*(?=\w)")


def unit_name(unit: str) -> str:
    """`Phòng Kế hoạch- Tài chính- Tổng hợp` → `Phòng Kế hoạch - Tài chính - Tổng hợp`:
    a dash spaced on one side only is a separator between name parts, spaced on both."""
    return _DASH.sub(" - ", clean(unit))


def _words(unit: str) -> str:
    from .doc import fold

    return " ".join(re.findall(r"\w+", fold(unit)))


def _dedup(items: list[Responsibility]) -> list[Responsibility]:
    """One entry per (unit, role); a supporting unit already covered by a collective
    assignment (`phối hợp với các phòng, đơn vị` beside `Các phòng đơn vị thuộc Sở`, all)
    is not listed again."""
    seen: dict[tuple[str, str], Responsibility] = {}
    for r in items:
        r = replace(r, unit=unit_name(r.unit))
        seen.setdefault((_words(r.unit), r.role), r)
    collective = [w for w, role in seen if role == "all"]
    return [r for (w, role), r in seen.items()
            if not (role == "support" and any(c.startswith(w) for c in collective))]
