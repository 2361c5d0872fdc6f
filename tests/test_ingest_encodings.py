"""Ingest: legacy encodings detected and restored, over generated Vietnamese (Hypothesis).

Sentences are drawn from the orthography itself (onset + rhyme + tone, kept when
`is_syllable` accepts them), so the round trips cover the whole alphabet, not a sample text.
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ingest
from ingest.legacy import encode_tcvn3, encode_vni
from ingest.orthography import ONSETS, RHYMES, TONE_MARKS, is_syllable, strip_marks, strip_tone

_VOWELS = "aăâeêioôơuưy"


def _with_tone(plain: str, tone: str) -> str:
    """Put the tone where the orthography puts it: on the marked vowel (the last of ươ),
    else on the last vowel before a coda or of oa/oe/uy, else on the first of two."""
    idx = [i for i, c in enumerate(plain) if c in _VOWELS]
    if plain.startswith(("qu", "gi")) and len(idx) > 1:
        idx = idx[1:]
    marked = [i for i in idx if plain[i] in "ăâêôơư"]
    if marked:
        at = marked[-1]
    elif len(idx) == 1 or idx[-1] < len(plain) - 1 or plain[idx[0]:idx[-1] + 1] in ("oa", "oe", "uy"):
        at = idx[-1]
    else:
        at = idx[-2]
    return unicodedata.normalize("NFC", plain[:at + 1] + tone + plain[at + 1:])


_SYLLABLES = sorted({
    s for s in (
        _with_tone(onset + rhyme, tone)
        for onset in ONSETS for rhyme in sorted(RHYMES) for tone in ("", *TONE_MARKS)
    ) if is_syllable(s)
})
_MARKED = [s for s in _SYLLABLES if strip_marks(s) != s]
# Real Vietnamese marks most syllables: a run of bare "a a a" is plain ASCII in any encoding
SENTENCE = st.lists(st.tuples(st.sampled_from(_MARKED), st.sampled_from(_SYLLABLES)),
                    min_size=6, max_size=20).map(lambda ws: " ".join(a + " " + b for a, b in ws))


def _cp1258(text: str) -> bytes:
    """Windows-1258 as Word wrote it: vowel letters precomposed, tones as combining marks."""
    out = []
    for ch in text:
        base, tone = strip_tone(ch)
        mark = next((m for m, name in TONE_MARKS.items() if name == tone), "")
        out.append(base + mark)
    return "".join(out).encode("cp1258")


def test_syllable_inventory() -> None:
    for word in ("nghiêng", "quyết", "hoà", "thuỷ", "người", "giữa", "khuya", "ước"):
        assert word in _SYLLABLES, word
    assert len(_SYLLABLES) > 3000


@settings(max_examples=60, deadline=None)
@given(SENTENCE)
def test_tcvn3_detected_and_restored(text: str) -> None:
    out, enc = ingest.decode_text(encode_tcvn3(text).encode("latin-1"))
    assert (out, enc) == (text, "tcvn3")


@settings(max_examples=60, deadline=None)
@given(SENTENCE.map(str.capitalize))
def test_vni_detected_and_restored(text: str) -> None:
    out, enc = ingest.decode_text(encode_vni(text).encode("cp1252"))
    assert (out, enc) == (text, "vni")


@settings(max_examples=60, deadline=None)
@given(SENTENCE.map(str.capitalize))
def test_windows_1258_detected_and_restored(text: str) -> None:
    out, enc = ingest.decode_text(_cp1258(text))
    assert (out, enc) == (text, "windows-1258")


@settings(max_examples=30, deadline=None)
@given(SENTENCE, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"]))
def test_unicode_forms(text: str, codec: str) -> None:
    out, _ = ingest.decode_text(unicodedata.normalize("NFD", text).encode(codec))
    assert out == text


@pytest.mark.parametrize("data,expected", [
    # regression: cp1258 tones are combining marks; scoring must see NFC or "biếc" splits
    (_cp1258("Biêm a biêm a biếc a biếc buấn buốc biếc buốc buấn"), "windows-1258"),
    # regression: decomposed text in UTF-16-LE has NUL low bytes (U+0300) too
    (unicodedata.normalize("NFD", "a a a a a a a a a a bè bè").encode("utf-16-le"), "utf-16-le"),
])
def test_found_by_hypothesis(data: bytes, expected: str) -> None:
    out, enc = ingest.decode_text(data)
    assert enc == expected and out == unicodedata.normalize("NFC", out) and "b" in out


@pytest.mark.parametrize("data", [bytes(range(256)) * 20, b"\x00\x01\x02\x03" * 500])
def test_binary_junk_is_a_decode_error(data: bytes) -> None:
    """Regression: junk with NULs every other byte passed as UTF-16 without a check."""
    from vnplans.exceptions import DecodeError

    with pytest.raises(DecodeError, match="binary|none of|not valid"):
        ingest.decode_text(data)


@pytest.mark.parametrize("raw,fixed", [
    ("BỘ CÔNG THƢƠNG", "BỘ CÔNG THƯƠNG"),  # regression: a PDF font's ƣ (LATIN OI) for ư
    ("hƣớng dẫn, đƣợc", "hướng dẫn, được"),
    ("Thương mại", "Thương mại"),  # already right: unchanged
])
def test_font_glyph_slips_repaired(raw: str, fixed: str) -> None:
    out, _ = ingest.decode_text(raw.encode("utf-8"))
    assert out == fixed and len(out) == len(raw)


@given(st.text())
def test_repair_glyphs_keeps_length(text: str) -> None:
    assert len(ingest.repair_glyphs(text)) == len(text)
