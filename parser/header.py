"""Header fields per Decree 30/2020: agencies, number and symbol, place and date, type,
title, addressee; and the closing: signer and recipients.

Why line roles rather than positions: OCR may read the two header columns as two blocks
(left first) or merge them into one line (`UBND TỈNH ... CỘNG HÒA XÃ HỘI ...`), so each
line (or part of a merged line) is classified by what it says.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from .doc import Doc, clean
from .header_closing import closing
from .header_fix import repair
from .header_number import (
    NUMBER,
    PARTY_NUMBER,
    caps_reference,
    number_fields,
    party_number,
    symbol_only,
)
from .header_title import HEADS, addressee, title_field, title_lines
from .models import Field, Header

TYPES = {"ke hoach": "KẾ HOẠCH", "quyet dinh": "QUYẾT ĐỊNH", "chi thi": "CHỈ THỊ",
         "to trinh": "TỜ TRÌNH", "thong bao": "THÔNG BÁO", "bao cao": "BÁO CÁO",
         "giay phep": "GIẤY PHÉP", "nghi dinh": "NGHỊ ĐỊNH", "nghi quyet": "NGHỊ QUYẾT",
         "thong tu": "THÔNG TƯ", "huong dan": "HƯỚNG DẪN", "chuong trinh": "CHƯƠNG TRÌNH",
         "giay chung nhan": "GIẤY CHỨNG NHẬN", "quy dinh": "QUY ĐỊNH", "cong van": "CÔNG VĂN",
         "bien ban": "BIÊN BẢN", "de an": "ĐỀ ÁN", "phuong an": "PHƯƠNG ÁN", "ket luan": "KẾT LUẬN",
         "luat": "LUẬT", "phap lenh": "PHÁP LỆNH", "cong dien": "CÔNG ĐIỆN"}
MOTTO = re.compile(r"c\S{1,3}g\s+h\S{1,2}a\s+x\S{1,2}\s+h\S{1,2}i|(?:\S+\s+\S+\s*[-–]\s*)?\S+\s+\S+\s*[-–]\s*h\w{2,3}h ph\w{1,3}\b"
                   r"|d\S{1,2}c\s+l\S{1,2}p\W+t\S{1,2}\s+do\b"
                   r"|d\S{1,2}ng\s+c\S{1,3}ng\s+s\S{1,2}n\s+vi\S{1,2}t\s+nam")  # party documents
# place: words (or a lone dash, as in "Bà Rịa - Vũng Tàu"), not glued to a code before it
# (a number ends a place only right before its comma: `Phường 3, ngày`, `Thôn 2, ngày`)
_DATE = (r"(?<![\w\-/])(?P<place>[^\W\d][^\s,\d/:\-]*(?:[ ]{1,2}(?:-|[^\W\d][^\s,\d/:\-]*|\d{1,2}(?=\s*,))){0,5})\s*,\s*NGAY\s*(?P<d>\d{1,2})?(?P<dj>[^\n]{0,4}?)\s*(?:th[a-z]{1,2}ng|/)\s*(?P<m>\d{1,2})?(?P<mj>[^\d\n/]{0,3}?)\s*(?:n[a-z]m|/)\s*(?P<y>\d{4})?")
DATE = re.compile(_DATE.replace("NGAY", "ng[a-z]?y"))
DATE_NO_DAY = re.compile(_DATE.replace("NGAY", "(?:ng[a-z]?y)?"))  # OCR lost "ngày" with the blank
# a date printed without its day (`Hà Nội, tháng 11 năm 2025`) or with the year only
# (`Hà Nội, năm 2026`): the month word itself is required, a slash is not enough
MONTH_ONLY = re.compile(_DATE.replace("NGAY", "").replace("(?:th[a-z]{1,2}ng|/)", "th[a-z]{1,2}ng"))
YEAR_ONLY = re.compile(_DATE[:_DATE.index("NGAY")] + r"(?P<d>)(?P<dj>)(?P<m>)(?P<mj>)n[a-z]m\s*(?P<y>\d{4})\b")
# (ngày/tháng/năm matched loosely: raw OCR reads them "ngdy", "thang", "nim")
HEAD_LINES = 40
RANKS = (r"(chinh phu|quoc hoi|thu tuong)\b", r"(bo|ubnd|uy ban|hdnd|hoi dong nhan dan|tinh uy|dang bo)\b",
         r"(tong cuc|cuc|so|ban|van phong|thanh tra|cong an)\b", r"(chi cuc|phong|trung tam|doan|to)\b")
STATE = re.compile(r"c\S{1,3}g\s+h\S{1,2}a\s+x\S{1,2}\s+h\S{1,2}i|d\S{1,2}ng\s+c\S{1,3}ng\s+s\S{1,2}n")  # motto line
MOTTO_TEXT = "cong hoa xa hoi chu nghia viet nam"
MOTTO_SCORE = 80
STAMP_INDENT = 40  # columns: the header's left column starts near the margin
BLANKS = " \t.…_"


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
    return _damaged_type(f, text)


def _damaged_type(f: str, text: str) -> str | None:
    """A capitals line one OCR slip from a type name (`QUYẾT ĐJNH`, `THÔNG BA0`); names
    shorter than 7 letters (`ĐỀ ÁN`) are too close to other words to be guessed."""
    if not text.isupper() or not 7 <= len(f) <= 20:
        return None
    dist, t = min((Levenshtein.distance(f, t), -len(t), t) for t in TYPES)[::2]
    return t if dist == 1 and len(t) >= 7 else None


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
    top = lines[: t if t is not None else _top_end(doc, lines)]
    left, fields = _split_top(doc, top)
    fields.update(_left_block(doc, left, lines))
    if t is not None:
        fields.update(_typed_title(doc, lines, t))
        if "date" not in fields and "date_partial" not in fields:
            fields.update(_date_under_type(doc, lines, t))
    elif "title" in fields:  # a công văn: no type line, a V/v under the number
        fields["doc_type"] = Field("CÔNG VĂN", fields["title"].span, 0.8)
    if not _has_header(doc, top, fields):  # no field guessed from stray capitals
        return repair(doc, Header(**closing(doc)))
    fields.update(addressee(doc))
    fields.update(closing(doc))
    return repair(doc, Header(**fields))  # type: ignore[arg-type]  # recipients: tuple of Fields


def _has_header(doc: Doc, top: list[tuple[int, int, str]], fields: dict[str, Field]) -> bool:
    """A type, a number line, a place-and-date line or the motto: what makes a header."""
    if any(k in fields for k in ("doc_type", "symbol", "place", "date", "date_partial")):
        return True
    return any(motto_start(doc.folded[a:b]) is not None for a, b, _ in top)


def _split_top(doc: Doc, top: list[tuple[int, int, str]]) -> tuple[list[tuple[int, int]], dict[str, Field]]:
    """The left-column parts of the lines above the type line, and place and date."""
    left: list[tuple[int, int]] = []
    fields: dict[str, Field] = {}
    stamped = _stamp_lines(top)
    motto = _motto_span(doc, top)
    for i, (a, b, text) in enumerate(top):
        if i in stamped or motto[0] <= a and b <= motto[1]:
            continue  # a stamp, or a line inside a motto OCR broke over lines
        right = "|" not in text and len(text) - len(text.lstrip()) >= STAMP_INDENT  # right half only
        f = doc.folded[a:b]
        cut = motto_start(f)
        if cut is None and a <= motto[0] < b:
            cut = motto[0] - a
        date = DATE.search(f) or _broken_date(doc, a, b) or MONTH_ONLY.search(f) or YEAR_ONLY.search(f)
        skip = _place_skip(doc.text[a:b], date) if date else 0
        if date and date.start() + skip > 0 and (cut is None or date.start() + skip < cut):
            cut = date.start() + skip
        if date and "place" not in fields:
            fields.update(_date_fields(doc, *_whole_date(doc, a, b, date)))
        if right:
            continue
        if cut is not None and f[:cut].strip(" \t|\xa0"):
            left.append((a, a + cut))
        elif cut is None and not date:
            left.append((a, b))
    return left, fields


def _top_end(doc: Doc, lines: list[tuple[int, int, str]]) -> int:
    """No type line (a công văn): the header runs to `Kính gửi` or the body's first
    `Căn cứ`, which OCR may push well below line 12 (stamps, a V/v over four lines)."""
    for i, (a, b, _) in enumerate(lines[:HEAD_LINES]):
        if re.match(r"\s*(kinh gui|can cu)\b", doc.folded[a:b]):
            return max(i, 1)
    return min(len(lines), 12)


def _broken_date(doc: Doc, a: int, b: int) -> re.Match | None:
    """`Quảng Ngãi, ngày` with `tháng 02 năm 2025` on the next line: matched on the
    flattened text from this line's start, offsets kept relative to the line."""
    if not re.search(r",\s*(?:ng[a-z]?y\s*\d{0,2}\s*)?$", doc.folded[a:b]):
        return None
    joined = DATE_NO_DAY.search(doc.flat[a:min(len(doc.flat), b + 40)])
    return joined if joined and joined.start() < b - a else None


def _whole_date(doc: Doc, a: int, b: int, date: re.Match) -> tuple[int, re.Match]:
    """(start, match) of the date line, read on into the next line when OCR broke it
    there (`Quảng Ngãi, ngày` / `tháng 02 năm 2025`)."""
    if not date.group("y"):
        joined = DATE.search(doc.flat, a + date.start(), min(len(doc.flat), b + 40))
        if joined and joined.group("y") and joined.start() == a + date.start():
            return joined.start(), joined
    return a + date.start(), date


def motto_start(folded: str) -> int | None:
    """Where the national motto begins on a (merged) line: by pattern, or by fuzzy match
    when OCR damaged it (`CỘNG HOÀXÃ !HỦ NGHĨA VIỆT NAM`)."""
    m = MOTTO.search(folded)
    if m:
        return m.start()
    if len(folded.strip()) < 20:
        return None
    found = fuzz.partial_ratio_alignment(MOTTO_TEXT, folded, score_cutoff=MOTTO_SCORE)
    return found.dest_start if found else None


def _motto_span(doc: Doc, top: list[tuple[int, int, str]]) -> tuple[int, int]:
    """(start, end) in the joined text of the motto's first line, found on the flattened
    header when OCR broke it over lines (`CỘNG HOÀXÃ` / `!HỦ NGHĨA VIỆT NAM`)."""
    if not top or any(STATE.search(doc.folded[a:b]) for a, b, _ in top):
        return (-1, -1)
    a0, b0 = top[0][0], top[-1][1]
    found = fuzz.partial_ratio_alignment(MOTTO_TEXT, doc.flat[a0:b0], score_cutoff=MOTTO_SCORE)
    return (a0 + found.dest_start, a0 + found.dest_end) if found else (-1, -1)


def _stamp_lines(top: list[tuple[int, int, str]]) -> set[int]:
    """Indices of e-signature stamp lines: the time-stamp or e-mail line, and the lines of
    its paragraph just above it (`TRUNG TÂM CÔNG` / `BÁO VÀ TIN HỌC`: OCR keeps them in
    the header's run, without their right-margin indent)."""
    out: set[int] = set()
    for i, (_, _, text) in enumerate(top):
        if not _stamp(text):
            continue
        out.add(i)
        for k in range(i - 1, max(-1, i - 4), -1):
            above = top[k][2]
            if not above.strip() or k in out or NUMBER.search(above.lower()) or MOTTO.search(above.lower()):
                break
            out.add(k)
    return out


def _stamp(text: str) -> bool:
    """An e-signature stamp printed at the top right (`TRUNG TÂM CÔNG BÁO ...`, an e-mail,
    a time stamp): not part of the header's left column."""
    return "@" in text or bool(re.search(r"\d{1,2}:\d{2}:\d{2}|[+]\d{2}:\d{2}\b", text))


def _typed_title(doc: Doc, lines: list[tuple[int, int, str]], t: int) -> dict[str, Field]:
    a, b, _ = lines[t]
    kind = _type_of(doc, a, b) or ""
    out = {"doc_type": Field(TYPES[kind], doc.span(a, b))}
    rest = doc.text[a:b].strip()[len(kind):].strip(" |\t\xa0")
    first = None
    if rest:  # "GIẤY PHÉP SỬ DỤNG ...": the title begins on the type line
        start = doc.text.index(rest, a)
        first = (start, start + len(rest))
    out.update(title_field(doc, title_lines(doc, lines, t + 1, first)))
    return out


def _date_under_type(doc: Doc, lines: list[tuple[int, int, str]], t: int) -> dict[str, Field]:
    """No place-and-date line: a certificate dates itself under its name (`Chứng nhận lần
    đầu: ngày 30 tháng 6 năm 2026`), before the first `Căn cứ`. The place stays unknown."""
    for a, b, _ in lines[t + 1:t + 8]:
        f = doc.folded[a:b]
        if re.match(r"\s*(can cu|thuc hien|xet|theo)\b", f):
            break
        m = re.search(r"ngay (\d{1,2}) thang (\d{1,2}) nam (\d{4})", f)
        if m and 1 <= int(m.group(1)) <= 31 and 1 <= int(m.group(2)) <= 12:
            iso = f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}"
            return {"date": Field(iso, doc.span(a + m.start(), a + m.end()), 0.8, "date under the title, no place line")}
    return {}


def _place_skip(line: str, m: re.Match) -> int:
    """Characters to skip at the start of the matched place so that it holds only its
    trailing capitalised words (`Hà Nội`, `Bà Rịa - Vũng Tàu`): a V/v line OCR merged
    with the date must not lend it `thực hiện thủ tục cấp`."""
    words = list(re.finditer(r"\S+", line[m.start("place"):m.end("place")]))
    keep = len(words)
    while keep > 0 and (words[keep - 1].group()[:1].isupper() or words[keep - 1].group() in "-–"):
        keep -= 1
    if 2 <= keep < len(words) and words[keep - 2].group()[:1].isupper():
        keep -= 2  # the unit before the name: "Thành phố Hồ Chí Minh", "Thị xã Sơn Tây"
    return words[keep].start() if keep < len(words) else 0


def _date_fields(doc: Doc, start: int, m: re.Match) -> dict[str, Field]:
    a, b = start, start + (m.end() - m.start())
    place_end = start + (m.end("place") - m.start())
    skip = _place_skip(doc.text[start - m.start():place_end], m)
    out = {"place": _field(doc, start + skip, place_end)}
    d, mo, y = m.group("d"), m.group("m"), m.group("y")
    junk = bool(m.group("dj").strip(BLANKS))  # dots or an ellipsis: a blank left to fill
    if junk:  # the day is written by hand and unreadable: never guessed
        d = None
    if m.group("mj").strip():  # so is a month OCR could not read ("tháng È")
        mo = None
    if d and mo and y and 1 <= int(d) <= 31 and 1 <= int(mo) <= 12:
        out["date"] = Field(f"{int(y):04d}-{int(mo):02d}-{int(d):02d}", doc.span(a, b))
    elif mo and y and 1 <= int(mo) <= 12:
        out["date"] = _no_day(doc, a, b, junk)
        out["date_partial"] = Field(f"{int(y):04d}-{int(mo):02d}", doc.span(a, b))
    elif y:
        out["date_partial"] = Field(f"{int(y):04d}", doc.span(a, b))
    return out


def _no_day(doc: Doc, a: int, b: int, junk: bool) -> Field:
    """A date with no day: unreadable ink, a blank on a scan (OCR may have missed a
    handwritten day: flagged, not sure), or a blank in text (sure)."""
    if junk:
        return Field(None, doc.span(a, b), 0.0, "day unreadable (handwritten?): check the scan")
    if doc.scanned(a):
        return Field(None, doc.span(a, b), 0.3, "no day read: left blank, or handwritten? check the scan")
    return Field(None, doc.span(a, b), 1.0, "day left blank")


def _left_block(doc: Doc, left: list[tuple[int, int]], lines: list[tuple[int, int, str]]) -> dict[str, Field]:
    out: dict[str, Field] = {}
    names: list[list[tuple[int, int]]] = []
    numbers = [(a, b, n) for a, b in left if (n := NUMBER.search(doc.folded[a:b]))]
    for a, b in left:
        f = doc.folded[a:b]
        party = PARTY_NUMBER.search(f)
        if party and "symbol" not in out:
            out.update(party_number(doc, a, party))
            continue
        n = NUMBER.search(f)
        if n and not (len(numbers) > 1 and caps_reference(doc.text[a:b])):
            out.update(number_fields(doc, a, n))
            continue
        vv = re.search(r"\bv/v\b|\bve viec\b", f)
        if vv and "title" not in out:
            i = next(k for k, ln in enumerate(lines) if ln[0] == a)
            first = (a + vv.start(), b)
            out.update(title_field(doc, title_lines(doc, lines, i + 1, first)))
            continue
        text = doc.text[a:b].strip(" \t|\xa0")
        if re.match(r"\s*s[o6]\s*[:.,]", f):  # a number line OCR garbled past reading
            out.update(symbol_only(doc, a, b) if "symbol" not in out else {})
            continue
        if _capitals(text) and not n or n and names:
            _add_agency_line(doc, names, a, b)
    out.update(_agencies(doc, names))
    return out


def _capitals(text: str) -> bool:
    letters = sum(c.isalpha() for c in text)
    return letters > 0 and sum(c.isupper() for c in text) >= 0.6 * letters


def _add_agency_line(doc: Doc, names: list[list[tuple[int, int]]], a: int, b: int) -> None:
    """A line opens a new agency name when it begins with an agency word (UBND, SỞ,
    BAN, ...); otherwise it continues the name above (`ỦY BAN NHÂN DÂN` / `TỈNH LÀO CAI`)."""
    f = doc.folded[a:b].strip(" \t|\xa0") + " "
    above = doc.folded[names[-1][-1][0]:names[-1][-1][1]].strip(" \t|\xa0") if names else ""
    if not names or HEADS.match(f) and not _unfinished(above):
        names.append([(a, b)])
    else:
        names[-1].append((a, b))


def _unfinished(line: str) -> bool:
    """A name line that cannot end a name: `ỦY BAN THƯỜNG VỤ` / `QUỐC HỘI`, `BAN
    THƯỜNG VỤ` / `TỈNH ỦY`, or one cut at a conjunction or a hyphen."""
    return bool(re.search(r"(\bthuong vu|\bva|[-,&])$", line))


def _agencies(doc: Doc, names: list[list[tuple[int, int]]]) -> dict[str, Field]:
    """The last name is the issuing agency, the one above it (if any) its parent; OCR
    may read the two blocks in the other order (`CỤC HÓA CHẤT` before `BỘ CÔNG
    THƯƠNG`), which the rank of their head words (BỘ above CỤC) puts right."""
    if not names:
        return {}
    agency: list[tuple[int, int]] = names[-1]
    parent: list[tuple[int, int]] | None = names[-2] if len(names) > 1 else None
    ranks = (_rank(doc, agency), _rank(doc, parent)) if parent else (None, None)
    if parent and ranks[0] is not None and ranks[1] is not None and ranks[0] < ranks[1]:
        agency, parent = parent, agency
    out = {"agency": _joined(doc, agency)}
    if parent:
        out["parent_agency"] = _joined(doc, parent)
    return out


def _rank(doc: Doc, name: list[tuple[int, int]] | None) -> int | None:
    """0 for the highest bodies (Chính phủ), 1 for ministries and provinces, 2 for their
    departments, 3 below; None when the head word is not known (then the order stands)."""
    f = doc.folded[name[0][0]:name[0][1]].strip(" \t|\xa0") + " " if name else ""
    return next((rank for rank, heads in enumerate(RANKS) if re.match(heads, f)), None)


def _joined(doc: Doc, parts: list[tuple[int, int]]) -> Field:
    words = " ".join(doc.text[a:b] for a, b in parts).split()
    value = clean(" ".join(w for w in words if any(c.isalnum() for c in w)))  # "_", "|": scan debris
    return Field(value, doc.span(parts[0][0], parts[-1][1]))
