"""Legacy Vietnamese font encodings (TCVN3/ABC and VNI-Windows) to Unicode.

Why: archives hold text typed with the .VnTime (TCVN3) and VNI-Times fonts. Read as bytes
they look like Latin-1 mojibake (`Céng hoµ x· héi`, `Coäng hoøa xaõ hoäi`); PDF text layers
made from such fonts carry the same characters. Both converters work on `str` (the
Latin-1/cp1252 reading of the bytes), so they serve files and text layers alike. The tables
are the encodings' published code points, written out here.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# TCVN3 (TCVN 5712:1993, VN3): one byte per precomposed lower-case letter. Upper-case
# accented letters are drawn by the "H" fonts with the same codes, so they decode lower-case.
_TCVN3_PAIRS = (
    "\xa1Ă \xa2Â \xa3Ê \xa4Ô \xa5Ơ \xa6Ư \xa7Đ \xa8ă \xa9â \xaaê \xabô \xacơ \xadư \xaeđ "
    "\xb5à \xb6ả \xb7ã \xb8á \xb9ạ \xbbằ \xbcẳ \xbdẵ \xbeắ \xc6ặ \xc7ầ \xc8ẩ \xc9ẫ \xcaấ \xcbậ "
    "\xccè \xceẻ \xcfẽ \xd0é \xd1ẹ \xd2ề \xd3ể \xd4ễ \xd5ế \xd6ệ \xd7ì \xd8ỉ \xdcĩ \xddí \xdeị "
    "\xdfò \xe1ỏ \xe2õ \xe3ó \xe4ọ \xe5ồ \xe6ổ \xe7ỗ \xe8ố \xe9ộ \xeaờ \xebở \xecỡ \xedớ \xeeợ "
    "\xefù \xf1ủ \xf2ũ \xf3ú \xf4ụ \xf5ừ \xf6ử \xf7ữ \xf8ứ \xf9ự \xfaỳ \xfbỷ \xfcỹ \xfdý \xfeỵ"
)
TCVN3_TO_UNICODE: dict[str, str] = {p[0]: p[1] for p in _TCVN3_PAIRS.split()}
_TCVN3_TABLE = str.maketrans(TCVN3_TO_UNICODE)

# VNI-Windows: a base letter followed by a mark character (cp1252), except i-with-tone and
# đ, which are single characters.
_VNI_TONES = {"ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}
_VNI_SHAPES = {  # mark character -> (vowel-mark, tone) combined in one code
    "â": ("\u0302", ""), "á": ("\u0302", "\u0301"), "à": ("\u0302", "\u0300"),
    "å": ("\u0302", "\u0309"), "ã": ("\u0302", "\u0303"), "ä": ("\u0302", "\u0323"),
    "ê": ("\u0306", ""), "é": ("\u0306", "\u0301"), "è": ("\u0306", "\u0300"),
    "ú": ("\u0306", "\u0309"), "ü": ("\u0306", "\u0303"), "ë": ("\u0306", "\u0323"),
}
_VNI_SINGLE = {  # whole letters (a tone may still follow ơ and ư)
    "í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "ñ": "đ", "î": "ỵ", "ô": "ơ", "ö": "ư",
}


def _vni_marks() -> dict[str, str]:
    table: dict[str, str] = {}
    for ch, tone in _VNI_TONES.items():
        table[ch] = tone
        table[ch.upper()] = tone
    return table


_VNI_TONE_ANY = _vni_marks()
_VOWELS = set("aeiouyAEIOUY")


_WORD = re.compile(r"[^\W\d_]+")


def _caps(word: str) -> int:
    """2: a capital word ("HO¹CH"); 1: one capital and marked letters only ("KÕ", could be
    "Kế" or "KẾ"); 0: anything else."""
    plain = [c for c in word if c.isascii()]
    if not plain or not all(c.isupper() for c in plain) or len(word) == 1:
        return 0
    return 2 if len(plain) > 1 else 1


def _recase(text: str) -> str:
    """The "H" (capital) fonts draw accented capitals with the lower-case codes, so a
    heading decodes as "Kế HOạCH". A capital word is upper-cased; a one-capital word too
    when a neighbour is a capital word ("KẾ HOẠCH", but "Số 12")."""
    words = list(_WORD.finditer(text))
    kinds = [_caps(m.group(0)) for m in words]
    out, last = [], 0
    for i, m in enumerate(words):
        near = (i > 0 and kinds[i - 1] == 2) or (i + 1 < len(words) and kinds[i + 1] == 2)
        if kinds[i] == 2 or (kinds[i] == 1 and near):
            out += [text[last:m.start()], m.group(0).upper()]
            last = m.end()
    return "".join(out) + text[last:]


def decode_tcvn3(text: str) -> str:
    """TCVN3 mojibake (Latin-1 reading) to NFC Unicode."""
    return _recase(unicodedata.normalize("NFC", text.translate(_TCVN3_TABLE)))


_VIET_LETTERS = "aăâeêioôơuưyđ"
_TONES = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")


@lru_cache(maxsize=1)
def _vni_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    """Every letter's VNI spelling (any case of its mark characters), longest first, so
    that decoding is one regex pass instead of a character loop. Built from the encoder,
    so decode is its inverse by construction."""
    table: dict[str, str] = {}
    for base in _VIET_LETTERS:
        for tone in _TONES if base != "đ" else ("",):
            for letter in (unicodedata.normalize("NFC", base + tone),):
                for ch in (letter, letter.upper()):
                    seq = encode_vni(ch)
                    if seq == ch:
                        continue
                    head, tail = seq[0], seq[1:]
                    for t in {tail, tail.lower(), tail.upper()}:
                        table.setdefault(head + t, ch)
    for i in "iI":  # i takes its tones as single codes, but a separate tone mark renders too
        for mark, tone in _VNI_TONE_ANY.items():
            table.setdefault(i + mark, unicodedata.normalize("NFC", i + tone))
    heads = "".join(sorted({k[0] for k in table if len(k) == 2}))
    marks = "".join(sorted({k[1] for k in table if len(k) == 2}))
    for h in heads:  # a mark this vowel cannot take stays as it is
        for m in marks:
            table.setdefault(h + m, table.get(h, h) + table.get(m, m))
    singles = "".join(sorted(k for k in table if len(k) == 1))
    pattern = re.compile(f"[{re.escape(heads)}][{re.escape(marks)}]|[{re.escape(singles)}]")
    return pattern, table


def decode_vni(text: str) -> str:
    """VNI-Windows mojibake (cp1252 reading) to NFC Unicode."""
    pattern, table = _vni_pattern()
    return unicodedata.normalize("NFC", pattern.sub(lambda m: table[m[0]], text))


def encode_tcvn3(text: str) -> str:
    """Unicode to the TCVN3 Latin-1 reading (for tests and round trips). Upper-case
    accented letters become lower-case, as in the encoding itself."""
    rev = {u: c for c, u in TCVN3_TO_UNICODE.items()}
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in rev:
            out.append(rev[ch])
        elif ch.lower() in rev and ch not in "ĂÂÊÔƠƯĐ":
            out.append(rev[ch.lower()])
        else:
            out.append(ch)
    return "".join(out)


def encode_vni(text: str) -> str:
    """Unicode to the VNI cp1252 reading (for tests and round trips)."""
    singles = {v: k for k, v in _VNI_SINGLE.items()}
    shapes = {v: k for k, v in _VNI_SHAPES.items()}
    tones = {v: k for k, v in _VNI_TONES.items()}
    out = []
    for ch in unicodedata.normalize("NFC", text):
        low = ch.lower()
        if low in singles:
            s = singles[low]
            out.append(s.upper() if ch.isupper() else s)
            continue
        d = unicodedata.normalize("NFD", ch)
        base, marks = d[0], d[1:]
        if not marks or base not in _VOWELS:
            out.append(ch)
            continue
        out.append(_vni_encode_letter(base, marks, ch.isupper(), shapes, tones))
    return "".join(out)


def _vni_encode_letter(base: str, marks: str, upper: bool, shapes: dict, tones: dict) -> str:
    shape = "".join(m for m in marks if m in "\u0302\u0306\u031b")
    tone = "".join(m for m in marks if m not in "\u0302\u0306\u031b")
    res = base
    if shape == "\u031b":
        res = ("ô" if base.lower() == "o" else "ö") + tones.get(tone, "")
        return res[0].upper() + res[1:].upper() if upper else res
    if shape:
        res += shapes[(shape, tone)]
    else:
        res += tones.get(tone, "")
    head, tail = res[0], res[1:]
    return head + (tail.upper() if upper else tail)
