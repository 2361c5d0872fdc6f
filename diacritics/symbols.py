"""Codes and document symbols: recognise them, and give them back their Vietnamese letters.

Why a closed list: the symbols of Decree 30/2020 (Appendix III) are official abbreviations
(NĐ, QĐ, HĐND, ...). OCR without Vietnamese prints Đ as D or P, so `ND-CP`, `QD-TTg`,
`QP-UBND` are repaired segment by segment; other segments are left as printed.
"""

from __future__ import annotations

import re

# segment as OCR prints it -> the official abbreviation
SEGMENT_FIXES = {
    "ND": "NĐ", "NP": "NĐ", "NB": "NĐ", "QD": "QĐ", "QP": "QĐ", "QB": "QĐ", "HDND": "HĐND", "HPND": "HĐND",
}
_SEGMENT = re.compile(r"[A-Za-zĐđ]+")
_CODE = re.compile(r"^(?=.*[/\-])[\w/\-.]+$|^\d[\d.,/:\-]*$")


def is_code(token: str) -> bool:
    """Numbers, dates and document symbols (`12/KH-UBND`, `QĐ-TTg`, `08/6/2010`).
    Abbreviations in capitals (`UBND`) are left to the decoder: they have no candidate."""
    if "/" in token:
        return True
    if any(c.isdigit() for c in token) or "-" in token.strip("-"):
        return bool(_CODE.match(token))
    return False


def repair_symbol(token: str) -> str:
    """`47/KH-UBND` stays; `63/2010/ND-CP` → `63/2010/NĐ-CP`; `QP-TTg` → `QĐ-TTg`."""
    if not any(sep in token for sep in "/-"):
        return token
    return _SEGMENT.sub(lambda m: SEGMENT_FIXES.get(m.group(), m.group()), token)


# a clock time as Decree-30 texts write it (`10h00’`) with its minute mark misread: OCR
# prints the small raised ’ as °, ” or " (and ? before more words)
_TIME_MARK = re.compile(r"(?<![\w/.,])(\d{1,2}h\d{2})([°”\"?])(?=[\s,.;:)]|$)")
_OPENERS = {"”": "“", '"': '"'}


def time_marks(line: str) -> str:
    """`lúc 10h00°,` → `lúc 10h00’,`. The replacement is one character for one, so offsets
    into the line stay as they are. Left as printed: a closing quote whose opening one
    stands earlier on the line (`“từ 7h00 đến 18h30”`), and a question mark ending a
    sentence (one that more words in small letters follow is a misread mark)."""
    if not any(m in line for m in "°”\"?"):
        return line

    def fix(m: re.Match[str]) -> str:
        mark, rest = m.group(2), line[m.end():].lstrip()
        if mark == "?" and not (rest[:1].islower() or rest[:1].isdigit()):
            return m.group()
        opener = _OPENERS.get(mark)
        if opener and _open_quote(line[:m.start()], opener, mark):
            return m.group()
        return m.group(1) + "’"

    return _TIME_MARK.sub(fix, line)


def _open_quote(before: str, opener: str, closer: str) -> bool:
    """An opening quote before this point that no closing one matches yet."""
    if opener == closer:
        return before.count(opener) % 2 == 1
    return before.count(opener) > before.count(closer)
