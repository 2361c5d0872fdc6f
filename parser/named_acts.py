"""Acts cited by name, without a number: `Luật Địa chất và khoáng sản`, `Quy hoạch tỉnh
Lào Cai thời kỳ 2021 - 2030, tầm nhìn đến năm 2050`, `Nghị quyết Đại hội ... lần thứ XIII`.

Why by the printed name and not by a list: every law and plan has its own name; what they
share is a capitalised kind word followed by a capitalised name, which ends where the
sentence goes on (a date, `số`, a verb or preposition, a comma before another capitalised
item, a line's end before a new item). A kind followed by a bare number (`Chỉ thị 11`)
is a short form of a numbered act, not an act of its own.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from .doc import Doc, clean, fold
from .models import UnnumberedAct

KINDS = ("bo luat", "luat", "phap lenh", "nghi quyet", "quy hoach", "chien luoc", "chuong trinh",
         "de an", "ke hoach", "chi thi", "quy che", "ket luan", "hien phap")
_KIND = re.compile(r"\b(?:" + "|".join(sorted(KINDS, key=len, reverse=True)) + r")\b")
# where a name ends: a date, a number, a verb or preposition that goes on with the sentence
_END = re.compile(r"\s(?:ngày|số|được|đã|về việc|về|theo|tại|để|nhằm|trong|với|cho|thì|là|"
                  r"đến cán bộ|này|do|quy định|hướng dẫn|phê duyệt|ban hành|sửa đổi|thực hiện|"
                  r"triển khai|và các|của các|đối với|khi|và khoản|và điều|nêu trên|có hiệu lực|phải|có trách nhiệm|vào)(?!\w)|,\s+(?:các|và|đồng thời)\s", re.I)
_NUMBERED = re.compile(r"^\s*,?\s*(?:số\s*)?\d{1,5}\s*/", re.I)
_NEXT_ITEM = re.compile(r",\s+(?=[A-ZĐÀ-Ỹ])|\s+và\s+(?=[A-ZĐÀ-Ỹ])")


_LOWER_NAMED = ("quy hoach", "chien luoc", "chuong trinh", "de an", "luat")


def extract_unnumbered(doc: Doc, hits_at: set[int], title: str | None = None) -> list[UnnumberedAct]:
    """Distinct acts cited by name, in order of first mention; the document's own name
    (its title) is no citation."""
    own = _key(title or "")[:40]
    found: list[tuple[int, str]] = []
    numbered: set[str] = set()
    for m in _KIND.finditer(doc.flat):
        a = m.start()
        if a in hits_at or not doc.text[a:a + 1].isupper() or _line_start_heading(doc, a):
            continue
        b = _name_end(doc, a, m.end(), m.group() in _LOWER_NAMED)
        if b is None or b <= m.end() + 1:
            continue
        if re.search(r"tren day la\s*$", doc.flat[max(0, a - 20):a]):
            continue  # `Trên đây là Kế hoạch ...`: the document itself
        text = re.sub(r"(?<=[^\W\d])\d+$", "", clean(doc.text[a:b]))  # a footnote mark
        text = re.sub(r"\s+(?:và|hoặc)$", "", text)
        name = _key(text[len(m.group()):])
        if own and (name[:40] == own[:len(name[:40])] or own.startswith(name[:30])):
            continue
        if _NUMBERED.match(doc.text[b:b + 20]):
            numbered.add(_key(text))  # `Luật X số 54/2024/QH15`: the name of a numbered act
        else:
            found.append((a, text))
    kept: dict[str, tuple[int, str]] = {}  # key → (start, text); one entry per act
    for a, text in found:
        key = _key(text)
        if any(_same(key, n) for n in numbered):
            continue
        same = next((k for k in kept if _same(key, k)), None)
        if same is None:
            kept[key] = (a, text)
        elif len(key) < len(same):  # the shorter reading is the name, the longer ran on
            kept = {(key if k == same else k): ((kept[k][0], text) if k == same else v)
                    for k, v in kept.items()}
    return [UnnumberedAct(text, doc.span(a, a + len(text))) for a, text in kept.values()]


def _same(a: str, b: str) -> bool:
    """Two readings of one act's name: one runs on past the other, adds the year, or
    differs by a typo (`Luật Địa chất và koáng sản số 54/2024/QH15`)."""
    a, b = _YEAR.sub("", a), _YEAR.sub("", b)
    return a.startswith(b) or b.startswith(a) or fuzz.ratio(a, b) >= 92


_YEAR = re.compile(r"\s+(?:nam\s+)?\d{4}$")


def _key(text: str) -> str:
    return " ".join(re.findall(r"\w+", fold(text)))


def _name_end(doc: Doc, a: int, k: int, lower_ok: bool) -> int | None:
    """End of the name after the kind word at [a, k), None when no name follows: a
    capitalised one, or for plans and strategies a lower-case one when the kind is
    capitalised inside a sentence (`vào điều chỉnh Quy hoạch tỉnh ...`)."""
    rest = _joined(doc.text[k:k + 260])
    word = rest.split(None, 1)[0] if rest.strip() else ""
    mid_sentence = re.search(r"[a-zà-ỹđ,]\s*$", doc.text[max(0, a - 40):a])
    if not word or re.match(r"\s+(?:số\s*)?\d", rest) or not (word[:1].isupper() or mid_sentence and lower_ok):
        return None
    stop = len(rest)
    m = _END.search(rest)
    if m:
        stop = m.start()
    m = re.search(r"[;:.()\n]|\s[-–]\s(?=[A-ZĐ])", rest[:stop])
    stop = m.start() if m else stop
    nxt = _NEXT_ITEM.search(rest[:stop])
    while nxt is not None and not _KIND.match(doc.flat[k + nxt.end():k + nxt.end() + 12]):
        nxt = _NEXT_ITEM.search(rest[:stop], nxt.end())
    if nxt is not None:
        stop = nxt.start()
    if not word[:1].isupper() and (word.lower() in ("và", "hoặc", "của", "này", "đó", "nêu", "trên", "có")
                                   or len(rest[:stop].split()) < 3):
        return None  # a lower-case name is a name only when it says which plan
    return k + len(rest[:stop].rstrip(" ,"))


def _joined(text: str) -> str:
    """A name wrapped over lines goes on; a line that opens a bullet, a number or is blank
    ends it (kept as a newline)."""
    text = re.sub(r"\n[ \t]*\n(?=[ \t]*(?:[a-zà-ỹđ]|\d{4}))", " ", text)  # a blank line inside a wrap
    return re.sub(r"\n(?!\s*(?:[-+•*]|\d{1,2}[.)]|\n|[IVX]{1,4}\.))", " ", text)


def _line_start_heading(doc: Doc, a: int) -> bool:
    """A kind word opening a line in capitals (`KẾ HOẠCH`, the document's own type) or a
    title line of the header is the document itself."""
    line_start = doc.text.rfind("\n", 0, a) + 1
    word = doc.text[a:a + 8]
    return word.isupper() or (line_start == a and a < 400)
