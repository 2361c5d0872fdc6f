"""Legacy Vietnamese font encodings (TCVN3/ABC and VNI-Windows) to Unicode.

Why: archives hold text typed with the .VnTime (TCVN3) and VNI-Times fonts. Read as bytes
they look like Latin-1 mojibake (`Céng hoµ x· héi`, `Coäng hoøa xaõ hoäi`); PDF text layers
made from such fonts carry the same characters. Both converters work on `str` (the
Latin-1/cp1252 reading of the bytes), so they serve files and text layers alike. The tables
are the encodings' published code points, written out here.
"""

from __future__ import annotations

import unicodedata

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


def decode_tcvn3(text: str) -> str:
    """TCVN3 mojibake (Latin-1 reading) to NFC Unicode."""
    return unicodedata.normalize("NFC", text.translate(_TCVN3_TABLE))


def _vni_modifier(base: str, mark: str) -> str | None:
    """Combining marks for `mark` after vowel `base`, or None when it is no VNI mark here."""
    low = mark.lower()
    if low in _VNI_SHAPES:
        shape, tone = _VNI_SHAPES[low]
        takes = ("a",) if shape == "\u0306" else ("a", "e", "o")
        if base.lower() in takes:
            return shape + tone
    if mark in _VNI_TONE_ANY:
        return _VNI_TONE_ANY[mark]
    return None


def decode_vni(text: str) -> str:
    """VNI-Windows mojibake (cp1252 reading) to NFC Unicode."""
    out: list[str] = []
    for ch in text:
        prev = out[-1] if out else ""
        base = unicodedata.normalize("NFD", prev)[:1] if prev else ""
        if base in _VOWELS:
            mod = _vni_modifier(base, ch)
            if mod is not None and _accepts(prev, mod):
                out[-1] = unicodedata.normalize("NFC", unicodedata.normalize("NFD", prev) + mod)
                continue
        single = _VNI_SINGLE.get(ch.lower())
        if single is not None:
            out.append(single.upper() if ch.isupper() else single)
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def _accepts(prev: str, mod: str) -> bool:
    """A letter takes one vowel mark and one tone: refuse a second of either."""
    marks = set(unicodedata.normalize("NFD", prev)[1:])
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    if marks & tones and set(mod) & tones:
        return False
    return not (marks - tones and set(mod) - tones)


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
