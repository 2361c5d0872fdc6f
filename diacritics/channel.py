"""The OCR channel: how an intended syllable turns into what the scanner's OCR printed.

Two parts. Skeleton rules (`ti` for `u` as in `ctia`/`của`, `d` for `o` as in `nudc`/`nước`,
`p` for `đ`) are substitutions learned from aligned (OCR, truth) pairs, plus a few priors for
the confusions OCR without Vietnamese support is known for. Mark costs say how cheap it is
that a mark was lost or changed; they depend on the page: on legacy text (few marks) a
lost mark is the norm, on Vietnamese OCR it is rare.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from .lexicon import skeleton

# observed substring -> intended substring (on skeletons). Confusions that OCR made
# without Vietnamese support is known for; learned counts are added on top.
PRIOR_RULES: dict[tuple[str, str], int] = {
    ("p", "d"): 3, ("b", "d"): 1, ("ti", "u"): 3, ("ii", "u"): 2, ("ir", "u"): 2, ("rt", "u"): 2,
    ("tr", "u"): 1, ("d", "o"): 2, ("6", "o"): 3, ("0", "o"): 2, ("1", "l"): 3, ("1", "i"): 2,
    ("l", "i"): 1, ("i", "l"): 1, ("3", "a"): 1, ("4", "a"): 1, ("c", "e"): 1, ("q", "o"): 1,
    ("9", "g"): 1, ("¢", "c"): 1, ("&", "a"): 1, ("€", "e"): 2, ("@", "a"): 1, ("rn", "m"): 1, ("m", "rn"): 1, ("cl", "d"): 1,
    ("y", "u"): 1, ("u", "y"): 1, ("a", "u"): 1, ("e", "c"): 1,
}
RULE_BASE_COST = 2.0  # nats: even a frequent rule costs something
MAX_RULES = 2  # rules applied to one token


@dataclass(frozen=True, slots=True)
class MarkCosts:
    """Costs (nats) of mark differences between what OCR printed and a candidate."""

    lost: float  # printed without a mark the candidate has
    wrong: float  # printed with another mark
    spurious: float  # printed with a mark the candidate lacks
    rule_scale: float = 1.0  # multiplies skeleton-rule costs
    keep: float = 6.0  # cost of keeping a token that is no syllable
    slip: float | None = None  # a hatted vowel (â ê ô ă) printed with another tone

    @classmethod
    def for_text(cls, marked_rate: float, ocr: bool = False, damage: float = 1.0) -> MarkCosts:
        """`damage`: share of words that are no syllable with their marks stripped."""
        if marked_rate < 0.2 and damage < STRIPPED_DAMAGE:  # marks stripped, letters intact
            return cls(lost=0.05, wrong=0.6, spurious=1.0, rule_scale=STRIPPED_RULES)
        if marked_rate < 0.2:  # legacy OCR without Vietnamese: marks are mostly gone
            return cls(lost=0.05, wrong=0.6, spurious=1.0)
        if ocr:  # Vietnamese OCR: marks are read, but hỏi/ngã/huyền on â, ô, ê slip
            return cls(lost=3.0, wrong=4.0, spurious=5.0, rule_scale=2.0, keep=3.0, slip=SLIP)
        # clean text: what is printed is right (measured on 60 real texts: changing a
        # marked syllable there was wrong far more often than right, names above all;
        # the corpus LM made even 9-nat changes pay, khoảng → khoáng: now none is made)
        return cls(lost=6.0, wrong=CLEAN_MARK, spurious=CLEAN_MARK, rule_scale=2.0, keep=3.0)


SLIP = 2.5
MAX_MARK = 9.0  # as costly as any change the decoder considers
CLEAN_MARK = 9.5  # over decode.MAX_CHANNEL: never considered
STRIPPED_DAMAGE = 0.05  # measured: stripped clean text 0.2-1.2 %, legacy OCR (001) 17 %
STRIPPED_RULES = 3.0  # measured (a): 1.0 → 97.2 %, 2-5 → 97.4 % on 002
_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
_HATS = frozenset("âêôă")


def _tone_slip(o: str, c: str) -> bool:
    """One hatted vowel printed with another tone (ổ read as ỗ, ô or ồ). Why apart: the
    tone sits on top of the hat, small and stacked, and Tesseract `vie` confuses these
    far more than any other mark (real scans GP 2507, TB 1894: nổ → nỗ/nô, thầu → thâu)."""
    return same_tone_family(o, c, _HATS)


def same_tone_family(a: str, b: str, bases: frozenset[str]) -> bool:
    """`a` and `b` are one vowel of `bases` with different tones, or the same letter."""
    base = toneless(a)
    return base == toneless(b) and base in bases


@lru_cache(maxsize=512)
def toneless(ch: str) -> str:
    return unicodedata.normalize("NFC", "".join(
        x for x in unicodedata.normalize("NFD", ch) if x not in _TONE_MARKS))


def conf_scale(conf: float) -> float:
    """How far to trust a word Tesseract printed, as a factor on its change costs. Only
    guesses (under 70) are made cheaper: on real scans a lower factor for 70-90 words
    changed more right words than wrong ones (GP 2507, TB 1894)."""
    return 1.0 if conf >= 70.0 else max(0.5, conf / 70.0)


def align_rules(observed: str, intended: str) -> list[tuple[str, str]]:
    """Substitution blocks between an observed token's skeleton and the intended one."""
    o, t = skeleton(observed), skeleton(intended)
    rules = []
    for op in Levenshtein.opcodes(o, t):
        if op.tag != "equal":
            rules.append((o[op.src_start:op.src_end], t[op.dest_start:op.dest_end]))
    return rules


def learn_rules(pairs: Iterable[tuple[str, str]]) -> Counter:
    """Count substitution rules over aligned (observed, intended) token pairs; pairs too
    different to be the same word are skipped."""
    counts: Counter = Counter()
    for obs, truth in pairs:
        rules = align_rules(obs, truth)
        if 0 < len(rules) <= MAX_RULES and all(len(a) <= 2 and len(b) <= 2 for a, b in rules):
            counts.update(rules)
    return counts


class RuleSet:
    """Rules with costs, and candidate skeletons for an observed skeleton."""

    def __init__(self, counts: Counter) -> None:
        merged = Counter(PRIOR_RULES)
        merged.update(counts)
        by_obs: dict[str, list[tuple[str, float]]] = {}
        for (obs, tgt), c in merged.items():
            if not obs:
                continue
            cost = RULE_BASE_COST + 1.5 / math.sqrt(c)
            by_obs.setdefault(obs, []).append((tgt, cost))
        self.by_obs = by_obs
        self.max_len = max((len(k) for k in by_obs), default=1)
        self._variants: dict[str, dict[str, float]] = {}

    def variants(self, skel: str) -> dict[str, float]:
        """Skeletons reachable by up to MAX_RULES rule applications, with their cost
        (cached: many printed forms share a skeleton; do not mutate the result)."""
        hit = self._variants.get(skel)
        if hit is None:
            if len(self._variants) > 100_000:
                self._variants.clear()
            hit = self._variants[skel] = self._expand(skel)
        return hit

    def _expand(self, skel: str) -> dict[str, float]:
        out = {skel: 0.0}
        frontier = {skel: 0.0}
        for _ in range(MAX_RULES):
            nxt: dict[str, float] = {}
            for s, cost in frontier.items():
                for i in range(len(s)):
                    for n in range(1, self.max_len + 1):
                        for tgt, c in self.by_obs.get(s[i:i + n], ()):
                            v = s[:i] + tgt + s[i + n:]
                            if v and cost + c < out.get(v, math.inf):
                                out[v] = nxt[v] = cost + c
            frontier = nxt
        return out


def mark_cost(observed: str, candidate: str, costs: MarkCosts) -> float:
    """Cost of the mark differences, position by position, when skeletons agree."""
    if len(observed) != len(candidate):
        return sum(costs.lost for c in candidate if skeleton(c) != c.lower())
    total = 0.0
    for o, c in zip(observed.lower(), candidate.lower(), strict=True):
        if o == c:
            continue
        if costs.slip is not None and _tone_slip(o, c):
            total += costs.slip
            continue
        o_bare = unicodedata.normalize("NFD", o)[0]
        if skeleton(o) != skeleton(c) or o_bare == o:  # rule-changed, or printed bare
            total += costs.lost if o_bare == o or skeleton(o) != skeleton(c) else costs.wrong
        elif skeleton(c) == c:
            total += costs.spurious
        else:
            total += costs.wrong
    return total
