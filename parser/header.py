"""Header fields per Decree 30/2020: agencies, number and symbol, place and date, type,
title, addressee; and the closing: signer and recipients.

Why line roles rather than positions: OCR may read the two header columns as two blocks
(left first) or merge them into one line (`UBND TỈNH ... CỘNG HÒA XÃ HỘI ...`), so each
line (or part of a merged line) is classified by what it says.
"""

from __future__ import annotations

import re
from typing import Any

from .doc import Doc, clean
from .header_fix import repair
from .models import EMPTY, Field, Header

TYPES = {"ke hoach": "KẾ HOẠCH", "quyet dinh": "QUYẾT ĐỊNH", "chi thi": "CHỈ THỊ",
         "to trinh": "TỜ TRÌNH", "thong bao": "THÔNG BÁO", "bao cao": "BÁO CÁO",
         "giay phep": "GIẤY PHÉP", "nghi dinh": "NGHỊ ĐỊNH", "nghi quyet": "NGHỊ QUYẾT",
         "thong tu": "THÔNG TƯ", "huong dan": "HƯỚNG DẪN", "chuong trinh": "CHƯƠNG TRÌNH",
         "giay chung nhan": "GIẤY CHỨNG NHẬN", "quy dinh": "QUY ĐỊNH", "cong van": "CÔNG VĂN",
         "bien ban": "BIÊN BẢN", "de an": "ĐỀ ÁN", "phuong an": "PHƯƠNG ÁN", "ket luan": "KẾT LUẬN"}
MOTTO = re.compile(r"c\S{1,3}g\s+h\S{1,2}a\s+x\S{1,2}\s+h\S{1,2}i|(?:\S+\s+\S+\s*-\s*)?\S+\s+\S+\s*-\s*h\w{2,3}h ph\w{1,3}\b")
# place: words (or a lone dash, as in "Bà Rịa - Vũng Tàu"), not glued to a code before it
DATE = re.compile(r"(?<![\w\-/])(?P<place>[^\W\d][^\s,\d/:\-]*(?:\s+(?:-|[^\W\d][^\s,\d/:\-]*)){0,5})\s*,\s*ng[a-z]?y\s*(?P<d>\d{1,2})?(?P<dj>[^\d\n]{0,4}?)\s*(?:th[a-z]{1,2}ng|/)\s*(?P<m>\d{1,2})?\s*(?:n[a-z]m|/)\s*(?P<y>\d{4})?")
# (ngày/tháng/năm matched loosely: raw OCR reads them "ngdy", "thang", "nim")
NUMBER = re.compile(r"^[\s|*-]*s[o6]\s*[:.]?\s*(?P<num>\d+(?:\s*/\s*\d{4}(?=\s*/))?)?(?P<junk>[^/\n]{0,6}?)\s*/\s*(?P<sym>[a-z][a-z0-9\-/]*(?:-[a-z0-9]+)*)")
HEAD_LINES = 40


def _type_of(doc: Doc, a: int, b: int) -> str | None:
    """The folded type a line announces: the line is the type alone, or the type followed
    by more capitals (`GIẤY PHÉP SỬ DỤNG VẬT LIỆU NỔ`)."""
    f = doc.folded[a:b].strip().rstrip(":")
    text = doc.text[a:b].strip()
    if f in TYPES and text[:1].isupper():
        return f
    for t in sorted(TYPES, key=len, reverse=True):
        if f.startswith(t + " ") and text.isupper() and not MOTTO.search(f):
            return t
    return None


def _type_line(doc: Doc) -> int | None:
    """Index (in doc.lines()) of the document-type line near the top."""
    for i, (a, b, _) in enumerate(doc.lines()[:HEAD_LINES]):
        if _type_of(doc, a, b):
            return i
    return None


def _field(doc: Doc, a: int, b: int, value: str | None = None, conf: float = 1.0) -> Field:
    return Field(clean(doc.text[a:b]) if value is None else value, doc.span(a, b), conf)


def parse_header(doc: Doc) -> Header:
    lines = doc.lines()
    t = _type_line(doc)
    top = lines[: t if t is not None else min(len(lines), 12)]
    left: list[tuple[int, int]] = []
    fields: dict[str, Field] = {}
    for a, b, _ in top:
        f = doc.folded[a:b]
        m = MOTTO.search(f)
        cut = m.start() if m else None
        date = DATE.search(f)
        if date and date.start() > 0 and (cut is None or date.start() < cut):
            cut = date.start()
        if cut is not None:
            if f[:cut].strip():
                left.append((a, a + cut))
            if date and "place" not in fields:
                fields.update(_date_fields(doc, a + date.start(), date))
            continue
        if date and "place" not in fields:
            fields.update(_date_fields(doc, a + date.start(), date))
            continue
        left.append((a, b))
    fields.update(_left_block(doc, left))
    if t is not None:
        a, b, _ = lines[t]
        kind = _type_of(doc, a, b) or ""
        fields["doc_type"] = Field(TYPES[kind], doc.span(a, b))
        rest = doc.text[a:b].strip()[len(kind):].strip()
        if rest:  # "GIẤY PHÉP SỬ DỤNG ...": the title is on the type line
            start = doc.text.index(rest, a)
            fields["title"] = _field(doc, start, start + len(rest))
        else:
            fields.update(_title(doc, lines, t))
    elif "title" in fields:  # a công văn: no type line, a V/v under the number
        fields["doc_type"] = Field("CÔNG VĂN", fields["title"].span, 0.8)
    fields.update(_addressee(doc))
    fields.update(_closing(doc))
    return repair(doc, Header(**fields))  # type: ignore[arg-type]  # recipients: tuple of Fields


def _date_fields(doc: Doc, start: int, m: re.Match) -> dict[str, Field]:
    a, b = start, start + (m.end() - m.start())
    place_end = start + (m.end("place") - m.start())
    out = {"place": _field(doc, start, place_end)}
    d, mo, y = m.group("d"), m.group("m"), m.group("y")
    if m.group("dj").strip():  # the day is written by hand and unreadable: never guessed
        d = None
    if d and mo and y and 1 <= int(d) <= 31 and 1 <= int(mo) <= 12:
        out["date"] = Field(f"{int(y):04d}-{int(mo):02d}-{int(d):02d}", doc.span(a, b))
    elif mo and y:
        out["date"] = Field(None, doc.span(a, b), 1.0, "day left blank")
        out["date_partial"] = Field(f"{int(y):04d}-{int(mo):02d}", doc.span(a, b))
    elif y:
        out["date_partial"] = Field(f"{int(y):04d}", doc.span(a, b))
    return out


def _left_block(doc: Doc, left: list[tuple[int, int]]) -> dict[str, Field]:
    out: dict[str, Field] = {}
    agency: list[tuple[int, int]] = []
    for a, b in left:
        f = doc.folded[a:b]
        n = NUMBER.search(f)
        if n:
            out.update(_number(doc, a, n))
            continue
        vv = re.search(r"\bv/v\b|\bve viec\b", f)
        if vv:
            out["title"] = _field(doc, a + vv.end(), b)
            continue
        text = doc.text[a:b].strip()
        if text and sum(c.isupper() for c in text) >= 0.6 * sum(c.isalpha() for c in text):
            agency.append((a, b))
    if agency:
        a, b = agency[0]
        out["parent_agency"] = _field(doc, a, b) if len(agency) > 1 else EMPTY
        rest = agency[1:] if len(agency) > 1 else agency
        value = " ".join(clean(doc.text[x:y]) for x, y in rest)
        out["agency"] = Field(value, doc.span(rest[0][0], rest[-1][1]))
    return out


def _number(doc: Doc, a: int, n: re.Match) -> dict[str, Field]:
    from .acts import canonical

    s0, s1 = a + n.start("sym"), a + n.end("sym")
    symbol = canonical(n.group("sym"), doc.text[s0:s1])
    out = {"symbol": Field(symbol, doc.span(s0, s1))}
    junk = n.group("junk").strip()
    if n.group("num") and not junk:
        na, nb = a + n.start("num"), a + n.end("num")
        conf = doc.confidence(na, nb)
        note = "" if conf >= 0.8 else "low OCR confidence: handwritten? check the scan"
        out["number"] = Field(re.sub(r"\s+", "", n.group("num")), doc.span(na, nb), conf, note)
    elif junk:  # a handwritten number OCR could not read: flagged, never guessed
        out["number"] = Field(None, doc.span(a + n.start("junk"), a + n.end("junk")), 0.0,
                              "unreadable number (handwritten?): check the scan")
    else:
        out["number"] = Field(None, doc.span(a + n.start(), s0), 1.0, "number left blank")
    return out


def _title(doc: Doc, lines: list, t: int) -> dict[str, Field]:
    parts: list[tuple[int, int]] = []
    for a, b, text in lines[t + 1: t + 9]:
        f = doc.folded[a:b].strip()
        if not f:
            continue
        if parts and text.strip()[:1].isupper() and not doc.text[parts[-1][1] - 1:parts[-1][1]].strip(" ").endswith(","):
            break
        if re.match(r"(can cu|kinh gui|thuc hien|theo|xet|i\.|1\.|chu tich|uy ban|giam doc)", f) and parts:
            break
        if re.match(r"(can cu|kinh gui)", f):
            break
        parts.append((a, b))
    if not parts:
        return {}
    value = clean(" ".join(doc.text[a:b] for a, b in parts))
    value = re.sub(r"^(?:Về việc|V/v)\s+", "", value)
    return {"title": Field(value, doc.span(parts[0][0], parts[-1][1]))}


def _addressee(doc: Doc) -> dict[str, Field]:
    m = re.search(r"kinh gui\s*:?\s*", doc.folded[:6000])
    if not m:
        return {}
    end = doc.folded.find("\n\n", m.end())
    end = end if 0 < end < m.end() + 400 else doc.folded.find("\n", m.end())
    return {"addressee": _field(doc, m.end(), end if end > 0 else m.end())}


NOI = r"n[o0]i\s*nh(?:a?n|[a-z]n)\b"  # "Nơi nhận", also OCR "Noi nhn"
NAME = r"[A-ZĐÀ-Ỹ][^\W\d_]+(?:\s+[A-ZĐÀ-Ỹ][^\W\d_]+){1,4}"  # a person: 2-5 capitalised words
SIGN_PREFIX = re.compile(r"^(kt|tl|tm|q|tuq)\s*\.")
CAPS_TAIL = re.compile(r"\s((?:KT|TL|TM|Q|TUQ)\.\s*)?[A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ .]{5,}$")


def _closing(doc: Doc) -> dict[str, Field]:
    m = list(re.finditer(rf"(?m)^\s*{NOI}\s*:?", doc.folded))
    if not m:
        return {}
    start = m[-1].start()
    recips, titles, names = [], [], []
    for a, b, text in [ln for ln in doc.lines() if ln[0] >= start]:
        f = doc.folded[a:b].strip()
        tail = CAPS_TAIL.search(text)
        body_end = a + tail.start() if tail and not text[: tail.start()].strip().isupper() else b
        if tail and body_end < b:
            titles.append((body_end, b))
        item = re.match(rf"^\s*(?:{NOI}\s*:?\s*)?[-–+•]\s*", doc.folded[a:body_end])
        if item:
            recips.append((a + item.end(), body_end))
        elif not f or re.match(NOI, f) or body_end < b:
            continue
        elif SIGN_PREFIX.match(f) or text.strip().isupper():
            titles.append((a, b))
        elif re.fullmatch(NAME, text.strip()):
            names.append((a, b))
        elif (tail := re.search(rf"\)\s*({NAME})\s*$", text)) and tail.group(1).istitle():
            names.append((a + tail.start(1), a + tail.end(1)))  # "(D/.../path) Nguyễn Văn A"
    out: dict[str, Any] = {}
    if recips:
        out["recipients"] = tuple(_field(doc, a, b) for a, b in recips)
    if titles:
        out["signer_title"] = Field(" ".join(clean(doc.text[a:b]) for a, b in titles),
                                    doc.span(titles[0][0], titles[-1][1]))
    if names:
        out["signer_name"] = _field(doc, *names[-1])
    return out
