"""Tesseract's own hesitation over a character, priced as a channel cost.

Why: on real scans `vie` prints `nô` or `nỗ` for `nổ` with a word confidence over 90, so
the word's confidence cannot tell a slip from a sure reading, and a flat mark cost either
keeps the slip or changes right words. With `lstm_choice_mode` Tesseract reports, per
character, the readings it weighed (`ocr.CharDoubt`): where it hesitated between tones,
the tone it nearly chose costs what its hesitation says; where it did not, nothing here
applies and the usual mark costs stand.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from ocr.models import CharDoubt

from .channel import same_tone_family

DOUBT_BASE = 0.5  # any change of a printed character costs at least this
DOUBT_SCALE = 1.0  # times ln(confidence of the printed reading / of the alternative)
FAMILY_EXTRA = 1.0  # a tone of a hesitated vowel that Tesseract did not list
SURE_EXTRA = 3.0  # added to a change of a letter Tesseract did not hesitate over
_VOWELS = frozenset("aăâeêioôơuưy")

Where = dict[int, tuple[float, dict[str, float]]]


def places(core: str, doubts: Iterable[CharDoubt], shift: int) -> Where:
    """Doubted positions of `core` (a word's text from `shift` on): the printed
    character's confidence and its alternatives, lower case, one character each."""
    where: Where = {}
    for d in doubts:
        i = d.index - shift
        if len(d.char) != 1 or not 0 <= i < len(core) or core[i] != d.char:
            continue
        alts = {a.lower(): c for a, c in d.alternatives if len(a) == 1 and a.isalpha() and c > 0}
        if alts and d.conf > 0:
            where[i] = (d.conf, alts)
    return where


def change_cost(core: str, cand: str, where: Where) -> float | None:
    """What reading `cand` where Tesseract printed `core` costs by its doubts; None when
    the change touches a character it did not doubt (the usual costs apply there)."""
    if len(cand) != len(core) or not where:
        return None
    total, changed = 0.0, False
    for j, (o, c) in enumerate(zip(core.lower(), cand.lower(), strict=True)):
        if o == c:
            continue
        if j not in where:
            return None
        own, alts = where[j]
        conf, extra = alts.get(c), 0.0
        if conf is None:  # not listed: another tone of a vowel whose tone it hesitated on
            family = [v for a, v in alts.items() if same_tone_family(a, o, _VOWELS)]
            if not family or not same_tone_family(c, o, _VOWELS):
                return None
            conf, extra = max(family), FAMILY_EXTRA
        total += DOUBT_BASE + extra + DOUBT_SCALE * max(0.0, math.log(own / conf))
        changed = True
    return total if changed else None


def variants(core: str, where: Where) -> set[str]:
    """`core` with one doubted character replaced by one of its alternatives."""
    out = set()
    for i, (_, alts) in where.items():
        for a in alts:
            out.add(core[:i] + (a.upper() if core[i].isupper() else a) + core[i + 1:])
    return out
