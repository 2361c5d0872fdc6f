"""The trích yếu (title) and the addressee (`Kính gửi`) of a Decree-30 document.

Why rules on line shape rather than a fixed line count: titles run to one to six lines
and end where the print changes register: a body opener (`Căn cứ`, `Thực hiện`), the
issuing authority in capitals (`CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH ...`), a rule line, or a
switch between capitals and sentence case. Continuation lines of a công văn's `V/v`
stay in the left column, so only the line's first cell is read.
"""

from __future__ import annotations

import re

from .doc import Doc, clean
from .header_closing import cells
from .header_fix import nearest_position
from .models import Field

OPENERS = re.compile(r"(can cu|kinh gui|thuc hien|theo |xet |de |trong |ngay \d|nham |sau khi|tren co so"
                     r"|(?:[ivx]+|\d+)[.)]\s|chuong [ivx\d]|dieu \d|noi nhan)")
# head words of agency names; the same syllables folded also open verbs and compounds
# a title begins with (`BAN HÀNH`, `BỔ SUNG`, `PHÒNG, CHỐNG`, `SỐ HÓA`): those are not heads
HEADS = re.compile(r"(ubnd|uy ban|hdnd|hoi dong|so (?!\d|hoa)|bo (?!sung|nhiem)|cuc |tong cuc|chi cuc"
                   r"|ban (?!hanh)|doan |phong (?!chong|ngua|chay)|trung tam|bch |chi bo |dang bo "
                   r"|hoi (?!dong|nghi|thao|thi|dien|giang|cho|nhap)"
                   r"|van phong|thanh tra|cong an|vien |kho bac|chinh phu|thu tuong|quoc hoi|toa an"
                   r"|tong cong ty|cong ty|hoc vien|dai hoc|truong |benh vien|dang uy|tinh uy)")
MAX_TITLE_LINES = 7
# what may open the body right under the type line: the title is mandatory there, so a
# first line that opens like a sentence (`Thực hiện Chương trình ...`, `Về việc ...`) is
# still the title, unless it is a legal basis, an addressee or a numbered part
BODY_FIRST = re.compile(r"(can cu|kinh gui|(?:[ivx]+|\d+)[.)]\s|chuong [ivx\d]|dieu \d|noi nhan|phan [ivx\d])")


def authority_line(doc: Doc, a: int, b: int) -> bool:
    """`UỶ BAN NHÂN DÂN TỈNH LÀO CAI`, `GIÁM ĐỐC SỞ ...`: the issuer's line under a title."""
    text = doc.text[a:b].strip()
    f = doc.folded[a:b].strip() + " "
    if not text.isupper():
        return False
    return bool(HEADS.match(f) or nearest_position(" ".join(text.split()[:3]))
                or nearest_position(" ".join(text.split()[:2])))


def title_lines(doc: Doc, lines: list[tuple[int, int, str]], start: int,
                first: tuple[int, int] | None = None) -> list[tuple[int, int]]:
    """Spans of the title's lines from lines[start] on (`first`: a part already read)."""
    parts: list[tuple[int, int]] = [first] if first else []
    blank = False
    for a, b, text in lines[start:start + MAX_TITLE_LINES + 4]:
        f = doc.folded[a:b].strip(" \t|\xa0")
        if not f:
            blank = bool(parts)
            continue
        if _ends_title(doc, parts, a, b, f, blank):
            break
        parts.append(_before_date(doc, *_first_cell(a, text)))
        if len(parts) >= MAX_TITLE_LINES:
            break
    return parts


def _first_cell(a: int, text: str) -> tuple[int, int]:
    found = cells(text)
    return (a + found[0][0], a + found[0][1]) if found else (a, a + len(text))


def _before_date(doc: Doc, a: int, b: int) -> tuple[int, int]:
    """A V/v line OCR merged with the date or motto beside it keeps only its own words."""
    from .header import DATE, motto_start

    f = doc.folded[a:b]
    date = DATE.search(f)
    cuts = [c for c in (date.start() if date else None, motto_start(f)) if c is not None]
    return (a, a + min(cuts)) if cuts else (a, b)


def _ends_title(doc: Doc, parts: list[tuple[int, int]], a: int, b: int, f: str, blank: bool) -> bool:
    from .header import DATE, motto_start

    text = doc.text[a:b].strip(" \t|\xa0")
    if re.fullmatch(r"[-–—_=.*\s]+", text) or text.startswith("("):
        return True
    date = DATE.search(f)
    if date and not f[:date.start()].strip() or motto_start(f) == 0:
        return True  # the place-and-date line or the motto: the other header column
    if not parts:
        return bool(BODY_FIRST.match(f)) or authority_line(doc, a, b)
    if _opener(text, f) or text.endswith(":") and not text.isupper():
        return True  # a body opener, or a lead-in (`... thông báo như sau:`)
    prev = " ".join(doc.text[x:y] for x, y in parts).strip()
    if authority_line(doc, a, b) or prev.isupper() != text.isupper():
        return True
    if blank and not text[:1].islower():
        return True  # after a blank line only a lower-case run-on continues the title
    return prev.endswith((".", ";", ":")) and text[:1].isupper()


# openers whose folded form is also another word: only the marked one opens a paragraph
# (`Để thực hiện` opens, `Đề án ...` goes on with a title; `Xét đề nghị`, not `Xe ...`)
_MARKED = {"de": "để", "xet": "xét"}


def _opener(text: str, folded: str) -> bool:
    """A body paragraph's first words (`Căn cứ`, `Thực hiện`): capitalised, unlike the
    same words running on in a title (`... trong sử dụng`)."""
    if not OPENERS.match(folded) or text[:1].islower():
        return False
    first = folded.split(" ", 1)[0]
    if first in _MARKED and text.split(" ", 1)[0].lower() != _MARKED[first]:
        return text.isascii()  # unmarked text cannot tell: as before
    return True


def title_field(doc: Doc, parts: list[tuple[int, int]]) -> dict[str, Field]:
    value = clean(" ".join(doc.text[a:b].replace("|", " ") for a, b in parts))
    value = re.sub(r"^(?:về\s*việc|v/v)\s*:?\s*", "", value, flags=re.IGNORECASE)
    if not value:
        return {}
    return {"title": Field(value, doc.span(parts[0][0], parts[-1][1]))}


def addressee(doc: Doc) -> dict[str, Field]:
    """`Kính gửi: A` or a list `- A; - B.` under it, items joined with '; '."""
    m = re.search(r"kinh gui\s*:?", doc.folded[:8000])
    if not m:
        return {}
    lines = doc.lines()
    i = next(k for k, (a, b, _) in enumerate(lines) if a <= m.start() <= b)
    indent = len(lines[i][2]) - len(lines[i][2].lstrip())
    items: list[list[int]] = []
    _add(doc, items, m.end(), lines[i][1], new=True)
    for a, b, text in lines[i + 1:i + 16]:
        stripped = text.strip(" \t|\xa0")
        lead = len(text) - len(text.lstrip())
        if not stripped or _opener(stripped, doc.folded[a:b].strip(" \t|\xa0")):
            break
        is_item = bool(re.match(r"[-–+•]\s", stripped))
        open_bracket = items and doc.text[items[-1][0]:items[-1][1]].count("(") > doc.text[items[-1][0]:items[-1][1]].count(")")
        if not is_item and lead <= indent and not stripped.startswith("(") and not open_bracket:
            break
        _add(doc, items, a, b, new=is_item)
    spans = [(a, b) for a, b in items if _item(doc.text[a:b])]
    if not spans:
        return {}
    value = "; ".join(_item(doc.text[a:b]) for a, b in spans)
    return {"addressee": Field(value, doc.span(spans[0][0], spans[-1][1]))}


def _add(doc: Doc, items: list[list[int]], a: int, b: int, new: bool) -> None:
    if new or not items:
        items.append([a, b])
    else:
        items[-1][1] = b


def _item(text: str) -> str:
    s = " ".join(text.replace("|", " ").split())
    return clean(re.sub(r"^[-–+•]\s*", "", s))
