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
