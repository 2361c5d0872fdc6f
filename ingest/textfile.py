"""Text files to Unicode: UTF-8/16, Windows-1258, and the legacy TCVN3 and VNI encodings.

Why scoring: a TCVN3 or VNI file is valid cp1252, and often valid Latin-1, so only the
result tells which reading is right. Each candidate is scored by how much of it reads as
well-formed Vietnamese syllables (ingest.orthography), the best one wins.
"""

from __future__ import annotations

import codecs
import contextlib
import unicodedata

from .legacy import decode_tcvn3, decode_vni
from .orthography import syllable_rate

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


class UndecodableText(ValueError):
    """No supported encoding reads these bytes as text."""


def _looks_utf16(data: bytes) -> str | None:
    """UTF-16 without BOM: every other byte NUL in mostly-ASCII text."""
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.3 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.3 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _is_texty(text: str) -> bool:
    """Reject binary junk: control characters other than whitespace and form feed."""
    if not text:
        return True
    bad = sum(1 for c in text[:20000] if unicodedata.category(c) == "Cc" and c not in "\t\n\r\f")
    return bad <= 0.001 * min(len(text), 20000)


def _legacy_candidates(text: str) -> list[tuple[str, str]]:
    return [("tcvn3", decode_tcvn3(text)), ("vni", decode_vni(text))]


def _best(cands: list[tuple[str, str]]) -> tuple[str, str]:
    """The candidate that reads most like Vietnamese; the first one wins ties."""
    best = cands[0]
    best_score = syllable_rate(best[1])
    for name, text in cands[1:]:
        score = syllable_rate(text)
        if score > best_score + 0.02:
            best, best_score = (name, text), score
    return best


def decode_text(data: bytes) -> tuple[str, str]:
    """(NFC text, encoding name) for a text file's bytes; raises UndecodableText."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return _finish(data.decode(enc, errors="strict"), enc)
    utf16 = _looks_utf16(data)
    if utf16:
        try:
            return _finish(data.decode(utf16), utf16)
        except UnicodeDecodeError:
            pass
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return _decode_8bit(data)
    if not _is_texty(text):
        raise UndecodableText("binary content (control characters), not text")
    if any("\x80" <= c <= "\xff" for c in text):  # mojibake saved as UTF-8
        name, fixed = _best([("utf-8", text), *_legacy_candidates(text)])
        return _finish(fixed, name if name == "utf-8" else f"utf-8+{name}")
    return _finish(text, "utf-8")


def _decode_8bit(data: bytes) -> tuple[str, str]:
    latin = data.decode("latin-1")
    if not _is_texty(latin):
        raise UndecodableText("not UTF-8, UTF-16, Windows-1258, TCVN3 or VNI text")
    cands: list[tuple[str, str]] = []
    with contextlib.suppress(UnicodeDecodeError):
        cands.append(("windows-1258", data.decode("cp1258")))
    cands += [("tcvn3", decode_tcvn3(latin))]
    with contextlib.suppress(UnicodeDecodeError):  # cp1252 leaves 5 bytes undefined
        cands.append(("vni", decode_vni(data.decode("cp1252"))))
    name, text = _best(cands)
    if syllable_rate(text) < 0.3 and any(c.isalpha() for c in text[:2000]):
        raise UndecodableText("bytes are not valid UTF-8, and no Vietnamese 8-bit encoding fits")
    return _finish(text, name)


def _finish(text: str, encoding: str) -> tuple[str, str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text), encoding
