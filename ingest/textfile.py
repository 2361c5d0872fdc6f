"""Text files to Unicode: UTF-8/16, Windows-1258, and the legacy TCVN3 and VNI encodings.

Why scoring: a TCVN3 or VNI file is valid cp1252, and often valid Latin-1, so only the
result tells which reading is right. Each candidate is scored by how much of it reads as
well-formed Vietnamese syllables (ingest.orthography), the best one wins.
"""

from __future__ import annotations

import codecs
import contextlib
import re
import unicodedata
from collections.abc import Callable

from vnplans.exceptions import DecodeError

from .legacy import decode_tcvn3, decode_vni
from .orthography import repair_glyphs, syllable_rate

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


class UndecodableText(DecodeError, ValueError):
    """No supported encoding reads these bytes as text. A DecodeError (without a path:
    `load` adds it), so callers of the public `decode_text` catch the usual error class."""


def _looks_utf16(data: bytes) -> str | None:
    """UTF-16 without BOM: the high byte of ASCII (most of any Vietnamese text: spaces,
    digits, plain letters) is NUL. The low bytes may hold NULs too (U+0300, the combining
    grave of decomposed text), but far fewer."""
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2].count(0) / len(sample[0::2]), sample[1::2].count(0) / len(sample[1::2])
    if odd > 0.3 and even < odd / 3:
        return "utf-16-le"
    if even > 0.3 and odd < even / 3:
        return "utf-16-be"
    return None


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Letters only real Unicode Vietnamese has (ă â đ ê ô ơ ư with tones live above U+00FF):
# a text holding them is not legacy mojibake, whose every character is a Latin-1/cp1252 one.
_UNICODE_VIET = re.compile(r"[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169"
                           r"\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9]|[aeiouyAEIOUY][\u0300-\u0323]")
_LATIN1_HIGH = re.compile(r"[\x80-\xff]")
SCORE_SAMPLE = 6000  # characters scored per candidate: enough to decide, cheap on big files


def _is_texty(text: str) -> bool:
    """Reject binary junk: control characters other than whitespace and form feed."""
    sample = text[:20000]
    return len(_CONTROL.findall(sample)) <= 0.001 * len(sample)


def _tcvn3(data: bytes) -> str:
    return decode_tcvn3(data.decode("latin-1"))


def _vni(data: bytes) -> str:
    return decode_vni(data.decode("cp1252"))  # cp1252 leaves 5 bytes undefined: may raise


def _cp1258(data: bytes) -> str:
    return data.decode("cp1258")


def _utf8(data: bytes) -> str:
    """The text as it stands (used only for already-decoded mojibake re-read as bytes)."""
    return data.decode("cp1252", errors="replace")


_Decoder = Callable[[bytes], str]
_LEGACY: tuple[tuple[str, _Decoder], ...] = (("tcvn3", _tcvn3), ("vni", _vni))


def _best(data: bytes, cands: tuple[tuple[str, _Decoder], ...]) -> tuple[str, str]:
    """(name, text) of the reading that looks most like Vietnamese. Candidates are scored
    on a sample (decoding a large file three times over would be slow); the first one
    wins ties; a reading that fails on the bytes is out."""
    best: tuple[str, _Decoder] | None = None
    best_score = -1.0
    for name, conv in cands:
        try:
            score = syllable_rate(unicodedata.normalize("NFC", conv(data[:SCORE_SAMPLE])))
        except UnicodeDecodeError:
            continue
        if best is None or score > best_score + 0.02:
            best, best_score = (name, conv), score
    if best is None:
        raise UndecodableText("bytes fit none of the supported encodings")
    return best[0], best[1](data)


def decode_text(data: bytes) -> tuple[str, str]:
    """(NFC text, encoding name) for a text file's bytes; raises UndecodableText."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(enc, errors="strict"), enc)
            except UnicodeDecodeError as exc:
                raise UndecodableText(f"starts with a {enc} byte-order mark but is not "
                                      f"{enc} ({exc.reason} at byte {exc.start})") from exc
    utf16 = _looks_utf16(data)
    if utf16:
        with contextlib.suppress(UnicodeDecodeError, UndecodableText):
            return _checked(data.decode(utf16), utf16)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return _decode_8bit(data)
    if not _is_texty(text):
        raise UndecodableText("binary content (control characters), not text")
    if _LATIN1_HIGH.search(text) and not _UNICODE_VIET.search(text):  # mojibake saved as UTF-8
        name, fixed = _best(_as_bytes(text), (("utf-8", _utf8), *_LEGACY))
        if name == "utf-8":
            return _finish(text, "utf-8")
        return _finish(fixed, f"utf-8+{name}")
    return _finish(text, "utf-8")


def _as_bytes(text: str) -> bytes:
    """The bytes a legacy text was before someone read it as cp1252 (or Latin-1) and saved
    it as UTF-8."""
    try:
        return text.encode("cp1252")
    except UnicodeEncodeError:
        return text.encode("latin-1", errors="replace")


def _decode_8bit(data: bytes) -> tuple[str, str]:
    if not _is_texty(data[:20000].decode("latin-1")):
        raise UndecodableText("binary content (control characters): not UTF-8, UTF-16, "
                              "Windows-1258, TCVN3 or VNI text")
    name, text = _best(data, (("windows-1258", _cp1258), *_LEGACY))
    text = unicodedata.normalize("NFC", text)  # cp1258 writes tones as combining marks
    if syllable_rate(text[:SCORE_SAMPLE]) < 0.3 and any(c.isalpha() for c in text[:2000]):
        raise UndecodableText("bytes are not valid UTF-8, and no Vietnamese 8-bit encoding fits")
    return _finish(text, name)


def _checked(text: str, encoding: str) -> tuple[str, str]:
    """A UTF-16 reading of binary junk is still "text": check it like the others."""
    if not _is_texty(text):
        raise UndecodableText(f"binary content (control characters) in {encoding}, not text")
    return _finish(text, encoding)


def _finish(text: str, encoding: str) -> tuple[str, str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return repair_glyphs(unicodedata.normalize("NFC", text)), encoding
