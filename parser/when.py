"""By when: the deadline and the cadence of a task, as printed.

Why two fields: a compliance officer asks both "is it late?" (a deadline: `trước ngày
15/12/2025`, `Quý II/2026`, `trong tháng 3`) and "is it due again?" (a cadence: `định kỳ 6
tháng`, `hằng năm`, `thường xuyên`). One phrase may give both (`trước ngày 10/12 hằng năm`).
Matched on folded text (same offsets), returned from the printed text.
"""

from __future__ import annotations

import re

from .doc import clean, fold

_DAY = r"\d{1,2}\s*[/.-]\s*\d{1,2}(?:\s*[/.-]\s*\d{2,4})?"
_WORDS_DATE = r"ngay\s+\d{1,2}\s+thang\s+\d{1,2}(?:\s+nam\s+\d{4})?"
_QUARTER = r"quy\s+(?:[ivx]{1,4}|\d)(?:\s*(?:/|nam)\s*\d{4})?"
_MONTH = r"thang\s+\d{1,2}(?:\s*(?:/|nam)\s*\d{4})?"
_YEAR = r"nam\s+\d{4}"
DEADLINE = re.compile(
    r"\b(?P<when>truoc\s+(?:ngay\s+)?(?:" + _DAY + "|" + _WORDS_DATE + r")"
    r"|truoc\s+(?:" + _QUARTER + "|" + _MONTH + "|" + _YEAR + r")"
    r"|(?:trong|trong thoi gian|cuoi|dau)\s+(?:" + _QUARTER + "|" + _MONTH + "|" + _YEAR + r")"
    r"|(?:xong|hoan thanh)\s+(?:trong\s+)?(?:" + _QUARTER + "|" + _MONTH + "|" + _YEAR + r")"
    r"|cham nhat(?:\s+la)?\s+(?:ngay\s+)?(?:" + _DAY + "|" + _WORDS_DATE + r")"
    r"|trong\s+(?:vong\s+)?\d{1,3}\s+ngay(?:\s+lam\s+viec)?(?:\s+ke\s+tu[^,;.]{0,60})?"
    r"|(?<!\w)" + _QUARTER + r")\b")
# a deadline is given without the verb before it (`xong trong Quý II` → `trong Quý II`)
_DONE = re.compile(r"^(?:hoan thanh|xong)\s+(?=truoc|trong|cuoi|dau)")
CADENCE = re.compile(
    r"\b(?:dinh ky\s+(?:(?:hang|hằng)\s+)?(?:\d+\s+)?(?:thang|quy|nam|tuan|ngay)"
    r"(?:\s*,\s*(?:\d+\s+)?(?:thang|quy|nam))*"
    r"(?:\s+(?:va|hoac)\s+(?:(?:hang|hằng)\s+)?(?:\d+\s+)?(?:thang|quy|nam|dot xuat))?"
    r"|(?:hang|hằng)\s+(?:nam|quy|thang|tuan|ngay)|thuong xuyen|dot xuat|lien tuc)\b")


def deadline(text: str) -> str | None:
    """The first deadline phrase of `text`, as printed."""
    folded = fold(text)
    m = DEADLINE.search(folded)
    if not m:
        return None
    a = m.start("when")
    done = _DONE.match(folded[a:])
    return clean(text[a + (done.end() if done else 0):m.end()])


def cadence(text: str) -> str | None:
    """The first cadence phrase of `text`, as printed (`định kỳ hằng quý`)."""
    m = CADENCE.search(fold(text))
    return clean(text[m.start():m.end()]) if m else None
