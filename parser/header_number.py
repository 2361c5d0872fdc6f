"""The document's number and symbol (`Số: 1298/KH-SCT`), as printed or as OCR left them.

Why apart from the header: the number line carries most of OCR's damage in a header
(a handwritten number, `Số:` lost under it, `II` for 11, a slash read as a letter), and
each repair here is flagged with a confidence below 0.8 and a note, never silent.
"""

from __future__ import annotations

import re

from .acts import SYMBOL_KINDS, canonical  # as in citations: `nd-cp` → `NĐ-CP`
from .doc import Doc
from .models import Field

PARTY_NUMBER = re.compile(r"^[\s|*-]*s[o6]\s*[:.]?\s*(?P<num>\d+)?\s*-\s*(?P<sym>[a-zđ]{1,5}\s*/\s*[a-zđ]{1,5})\b")  # 12-KH/TU
# a law or resolution names its kind before the number, with a colon (`Luật số: 83/2025/QH15`;
# without one it is a citation: `Thông tư số 02/2017/...`); a symbol
# may hold a stray space at a hyphen (`HD- MTTQ-BTT`, as typed)
NUMBER = re.compile(r"^[\s|*-]*(?:(?:luat|nghi quyet|nghi dinh|phap lenh|lenh|thong tu)\s+s[o6]\s*:\s*"
                    r"|s[o6]\s*[:.]?\s*|(?=/\s*[a-zð]+-))(?P<num>\d+(?:\s*/\s*\d{4}(?=\s*/))?)?(?P<junk>[^/\n]{0,6}?)"
                    r"\s*/\s*(?P<year>\d{4}\s*/\s*)?(?P<sym>[a-zð][a-zð0-9/]*(?:[ ]?-[ ]?[a-zð0-9/]+)*)")


def number_fields(doc: Doc, a: int, n: re.Match) -> dict[str, Field]:
    """Symbol, and the number when it is printed, blank, or read from OCR letters."""
    s0, s1 = a + n.start("sym"), a + n.end("sym")
    symbol = canonical(n.group("sym"), doc.text[s0:s1].replace("Ð", "Đ"))  # OCR's Eth for Đ
    fixed = undoubled(symbol)
    out = {"symbol": Field(fixed, doc.span(s0, s1)) if fixed == symbol else
           Field(fixed, doc.span(s0, s1), 0.6, f"OCR read {symbol}: a letter doubled")}
    junk = n.group("junk").strip()
    if not n.group("num") and re.fullmatch(r"[0-9ilo|]{1,5}", junk):  # OCR: "II" for 11, "O5" for 05
        na, nb = a + n.start("junk"), a + n.end("junk")
        digits = junk.translate(str.maketrans("ilo|", "1101")) + _year(n)
        return out | {"number": Field(digits, doc.span(na, nb), 0.5, "digits read from OCR letters: check the scan")}
    if n.group("num") and not junk:
        na, nb = a + n.start("num"), a + n.end("num")
        conf = doc.confidence(na, nb)
        note = "" if conf >= 0.8 else "low OCR confidence: handwritten? check the scan"
        out["number"] = Field(re.sub(r"\s+", "", n.group("num")) + _year(n), doc.span(na, nb), conf, note)
    elif junk:  # a handwritten number OCR could not read: flagged, never guessed
        out["number"] = Field(None, doc.span(a + n.start("junk"), a + n.end("junk")), 0.0,
                              "unreadable number (handwritten?): check the scan")
    elif doc.scanned(a):  # on a scan, OCR may have missed a handwritten number
        out["number"] = Field(None, doc.span(a + n.start(), s0), 0.3,
                              "no number read: left blank, or handwritten? check the scan")
    else:
        out["number"] = Field(None, doc.span(a + n.start(), s0), 1.0, "number left blank")
    return out


def undoubled(symbol: str) -> str:
    """`QĐĐ-UBND` → `QĐ-UBND`: OCR doubles a glyph (an Eth beside a Đ, a bold stroke); a
    type code that is no Decree 30 code but becomes one with the double undone."""
    code, sep, rest = symbol.partition("-")
    if not sep or code in SYMBOL_KINDS:
        return symbol
    single = re.sub(r"(.)\1", r"\1", code)
    return f"{single}-{rest}" if single in SYMBOL_KINDS else symbol


def _year(n: re.Match) -> str:
    """`/2026` when the year follows a number OCR split off (`Số: 16 /2026/QĐ-UBND`)."""
    year = n.group("year")
    return "/" + re.sub(r"\D", "", year) if year else ""
def party_number(doc: Doc, a: int, m: re.Match) -> dict[str, Field]:
    """`Số 12-KH/TU` (party documents): number 12, symbol KH/TU."""
    s0, s1 = a + m.start("sym"), a + m.end("sym")
    out = {"symbol": Field(re.sub(r"\s+", "", doc.text[s0:s1]).upper(), doc.span(s0, s1))}
    if m.group("num"):
        out["number"] = Field(m.group("num"), doc.span(a + m.start("num"), a + m.end("num")))
    else:
        out["number"] = Field(None, doc.span(a + m.start(), s0), 1.0, "number left blank")
    return out


def symbol_only(doc: Doc, a: int, b: int) -> dict[str, Field]:
    """The agency code from a garbled number line (`số,” 6 ŸBCT-ATMT`: the slash read
    as a letter): its last capitals-with-hyphen code, flagged for a check."""
    codes = list(re.finditer(r"[A-ZĐ]{2,}(?:-[A-ZĐ0-9]+)+\b", doc.text[a:b]))
    if not codes:
        return {}
    m = codes[-1]
    span = doc.span(a + m.start(), a + m.end())
    return {"symbol": Field(m.group(), span, 0.5, "read from a garbled number line: check the scan"),
            "number": Field(None, span, 0.0, "number unreadable")}


def caps_reference(text: str) -> bool:
    """`SỐ 1050/QĐ-SCT` in capitals without a colon: part of an agency's name (a team set
    up by that decision), not the document's own number, when another number line exists."""
    return bool(re.match(r"\s*SỐ\s+\d", text))
