"""The syllable lexicon: every valid Vietnamese syllable, indexed by its skeleton.

Why generated: the orthography (onset + rhyme + tone, with its spelling rules) defines the
syllables completely, so no dictionary has to be copied. Tones are placed the traditional
way (hòa, thủy, khóa), as the gold texts are; `fold_tone_placement` maps the modern one.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from ingest.orthography import ONSETS, RHYMES, TONE_MARKS, is_syllable, strip_marks

VOWELS = set("aăâeêioôơuưy")
MODIFIED = set("ăâêôơư")
TONES = ("", *TONE_MARKS)  # no mark, then grave, acute, tilde, hook, dot


def tone_index(rhyme: str) -> int:
    """Position in `rhyme` of the vowel that carries the tone (traditional placement)."""
    vowels = [i for i, c in enumerate(rhyme) if c in VOWELS]
    if not vowels:
        return 0
    modified = [i for i in vowels if rhyme[i] in MODIFIED]
    if modified:
        return modified[-1]
    if vowels[-1] < len(rhyme) - 1:  # closed syllable: the last vowel
        return vowels[-1]
    if len(vowels) == 3:
        return vowels[1]
    return vowels[0]


def with_tone(onset: str, rhyme: str, tone: str) -> str:
    """Onset + rhyme with the tone mark on the right vowel, NFC."""
    if not tone:
        return onset + rhyme
    i = tone_index(rhyme)
    marked = unicodedata.normalize("NFC", unicodedata.normalize("NFD", rhyme[i]) + tone)
    return onset + rhyme[:i] + marked + rhyme[i + 1:]


@lru_cache(maxsize=1)
def all_syllables() -> tuple[str, ...]:
    """Every well-formed lower-case syllable, generated from the orthography."""
    out = set()
    for onset in ONSETS:
        for rhyme in RHYMES:
            if onset == "gi" and rhyme.startswith("i"):
                continue
            for tone in TONES:
                s = with_tone(onset, rhyme, tone)
                if is_syllable(s):
                    out.add(s)
    out |= {with_tone("g", "i", t) for t in TONES}  # gì, gỉ ... (onset gi + empty rhyme)
    return tuple(sorted(out))


@lru_cache(maxsize=300_000)
def skeleton(token: str) -> str:
    """Lower-case, mark-stripped, đ → d: the key OCR without Vietnamese support keeps."""
    return strip_marks(token).lower()


_MODERN = {"oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa", "oè": "òe", "oé": "óe",
           "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe", "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy",
           "uỵ": "ụy"}


def fold_tone_placement(syllable: str) -> str:
    """Map the modern tone placement (hoà, thuỷ) to the traditional one (hòa, thủy)
    for open syllables, so both spellings meet in one lexicon entry."""
    low = syllable.lower()
    for modern, trad in _MODERN.items():
        if low.endswith(modern) and not (low.startswith("qu") and modern[0] == "u"):
            fixed = syllable[: -2] + (trad if syllable[-2:].islower() else trad.upper())
            return fixed
    return syllable


def build_index(syllables: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """skeleton → the syllables that share it."""
    index: dict[str, list[str]] = {}
    for s in syllables:
        index.setdefault(skeleton(s), []).append(s)
    return {k: tuple(v) for k, v in index.items()}
