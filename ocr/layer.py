"""Decipher a PDF text layer that prints glyph numbers instead of letters.

Why: many Vietnamese born-digital PDFs embed TrueType subsets (Identity-H) whose ToUnicode
map is missing or covers ASCII only. poppler then prints each glyph's number as the code
point: `7+ѬѪ1*` for THƯƠNG (the ASCII letters shifted by the font's glyph order, the
Vietnamese letters as Cyrillic or combining marks, digits and some punctuation as control
characters). The layer is a substitution cipher of the true text, in reading order and
with no recognition errors. We read the page anyway, so OCR gives a noisy plaintext: words
of the layer aligned with OCR words vote, glyph by glyph, for the letter each stands for.
A glyph always stands for the same letter, so a majority over the page outvotes OCR's own
slips (`nổ` read as `nỗ`), and the glyph order (runs of glyphs share one offset to
Unicode) fills in glyphs too rare to vote and overrules votes that break a run.

A word is either from a font whose ASCII letters are right (only its other glyphs are
numbers) or from a font with no map at all; each reading is tried and the more Vietnamese
one kept. Only words whose ASCII letters mostly face other letters (a font with no map)
let those letters vote, so `i` can stand for á there and for i elsewhere. A glyph off the
ASCII rows that faced one marked letter once takes it: such a glyph is a marked letter, and
left unread it is surely wrong. Votes are pooled over a document's pages (one font
subset per document). The result is used only if the ingest triage would accept it as a
text layer.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import count

from rapidfuzz.distance import Levenshtein

from ingest.orthography import is_syllable
from ingest.pdf import judge_layer

MIN_VOTES = 2
MIN_SHARE = 0.5  # of a glyph's votes, for its letter
RUN_SHARE = 0.8  # of the mapped glyphs of a code block that share one offset
MIN_COVER = 0.6  # the layer's letters over OCR's: a layer with part of the page is not used
_PUNCT = frozenset("–—…“”‘’°§№«»•·")
_MODS = {"\u0306": "a", "\u0302": "aeo", "\u031b": "ou"}  # breve, circumflex, horn
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
_WORD = re.compile(r"[^ \n\t\r]+")  # not str.split: it splits at \x1c-\x1f, which are glyphs here
_NUMBER = re.compile(r"^[(\[]?\d+([.,/:-]\d+)*[.,;:)\]]?$")  # 1, 2024/ (3) as printed


def decipher(layer: str, ocr_text: str) -> str | None:
    """The layer with its glyph numbers turned into letters, or None when it does not
    come out as good Vietnamese text covering the page."""
    return decipher_pages([layer], [ocr_text])[0]


def decipher_pages(layers: Sequence[str], ocr_texts: Sequence[str]) -> list[str | None]:
    """`decipher` over a document's pages with one key: a PDF's font subsets are the
    document's, so votes pooled over its pages read the glyphs that are too rare on any
    one page (headings, capitals). Pages with no glyph numbers give None."""
    todo = [i for i, layer in enumerate(layers) if any(_foreign(c) for c in layer)]
    votes: dict[str, Counter] = defaultdict(Counter)
    partners: dict[int, dict[int, str]] = {}
    for i in todo:
        page_votes, partners[i] = _aligned(_WORD.findall(layers[i]), ocr_texts[i].split())
        for glyph, letters in page_votes.items():
            votes[glyph].update(letters)
    mapping = _mapping(votes, {c for i in todo for c in layers[i]}) if todo else {}
    out: list[str | None] = [None] * len(layers)
    if mapping:
        key = _Key.of(mapping)
        for i in todo:
            out[i] = _apply(layers[i], ocr_texts[i], key, partners[i])
    return out


@dataclass(frozen=True)
class _Key:
    """Glyph → letter, with the two translation tables every word's readings use (built
    once per document, not per word): all glyphs, and only those that are no ASCII."""

    mapping: dict[str, str]
    full: dict[int, str]
    glyphs_only: dict[int, str]

    @classmethod
    def of(cls, mapping: dict[str, str]) -> _Key:
        glyphs = {k: v for k, v in mapping.items() if not k.isascii() or ord(k) < 32}
        return cls(mapping, str.maketrans(mapping), str.maketrans(glyphs))


def _apply(layer: str, ocr_text: str, key: _Key, partner: dict[int, str]) -> str | None:
    index = count()
    fixed = _WORD.sub(lambda m: _word(m.group(), key, partner.get(next(index))), layer)
    letters = sum(c.isalpha() for c in fixed)
    if letters < MIN_COVER * sum(c.isalpha() for c in ocr_text):
        return None
    return fixed if judge_layer(fixed).text is not None else None


def vietnamese_letter(c: str) -> bool:
    """A letter of the Vietnamese alphabet (or f, j, w, z), with marks it can carry."""
    if c in "Đđ":
        return True
    d = unicodedata.normalize("NFD", c.lower())
    if not ("a" <= d[0] <= "z"):
        return False
    mods = [m for m in d[1:] if m in _MODS]
    tones = [m for m in d[1:] if m in _TONES]
    return (len(mods) + len(tones) == len(d) - 1 and len(mods) <= 1 and len(tones) <= 1
            and all(d[0] in _MODS[m] for m in mods))


def _foreign(c: str) -> bool:
    """A glyph number: a control character, or a non-ASCII character that is no
    Vietnamese letter and no usual punctuation."""
    return (ord(c) < 32 and c not in "\n\t\r") or (not c.isascii() and not vietnamese_letter(c) and c not in _PUNCT)


def _aligned(lw: list[str], ow: list[str]) -> tuple[dict[str, Counter], dict[int, str]]:
    """Glyph → letters it faced, over layer words aligned one to one with OCR words; and
    each aligned layer word's OCR word (the arbiter between a word's readings)."""
    votes: dict[str, Counter] = defaultdict(Counter)
    partner: dict[int, str] = {}
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, lw, ow, autojunk=False).get_opcodes():
        if tag != "replace" or i2 - i1 != j2 - j1:
            continue
        for i, (a, b) in enumerate(zip(lw[i1:i2], ow[j1:j2], strict=True), i1):
            partner[i] = b
            if len(a) == len(b) and any(_foreign(c) for c in a):
                shifted = _shifted(a, b)
                for x, y in zip(a, b, strict=True):
                    if shifted or not x.isascii() or ord(x) < 32:
                        votes[x][y] += 1
    return votes, partner


def _shifted(a: str, b: str) -> bool:
    """Whether the word's ASCII characters are glyph numbers too (a font with no map:
    most of them face another letter), so that they may vote. In a font that maps ASCII
    they are themselves, and their votes would drown the other font's."""
    pairs = [(x, y) for x, y in zip(a, b, strict=True) if x.isascii() and x.isprintable() and x != " "]
    return 2 * sum(x != y for x, y in pairs) > len(pairs)


def _mapping(votes: dict[str, Counter], chars: set[str]) -> dict[str, str]:
    """Glyph → letter: the votes' majority, then the offset most glyphs of each code
    block share, for glyphs that did not vote and for votes that break the run."""
    voted = {}
    for x, c in votes.items():
        y, n = c.most_common(1)[0]
        sure = n >= MIN_VOTES or (_foreign(x) and not x.isascii() and not y.isascii() and vietnamese_letter(y))
        if sure and n / sum(c.values()) >= MIN_SHARE and y != x:
            voted[x] = y
    offsets: dict[int, Counter] = defaultdict(Counter)
    for k, v in voted.items():
        offsets[ord(k) >> 7][ord(v) - ord(k)] += 1
    out = dict(voted)
    for x in chars:
        y = _in_run(x, offsets[ord(x) >> 7])
        if y is not None and (x not in voted or votes[x][y] > 0):
            out[x] = y
    return out


def _in_run(x: str, offsets: Counter) -> str | None:
    total = sum(offsets.values())
    if x.isspace() or total < 3:
        return None
    d, n = offsets.most_common(1)[0]
    code = ord(x) + d
    if n / total < RUN_SHARE or not 0 < code < 0x110000:
        return None
    y = chr(code)
    return y if vietnamese_letter(y) or (y.isprintable() and not y.isalpha()) else None


def _word(w: str, key: _Key, seen: str | None) -> str:
    """`_reading`, with the brackets OCR saw around it: poppler drops a font's `(` and `)`
    when their glyph numbers are 11 and 12 (vertical tab and form feed)."""
    read = _reading(w, key, seen)
    if seen is not None and _slipped(read, seen):
        return seen
    if seen and seen != read and "(" not in read and ")" not in read and seen.replace("(", "").replace(")", "") == read:
        return seen
    return read


def _reading(w: str, key: _Key, seen: str | None) -> str:
    """The word's likeliest reading: the one closest to what OCR saw there, else the
    most Vietnamese-looking one (plain ASCII words stay unless they read as a syllable)."""
    readings = _readings(w, key)
    if len(readings) == 1:
        return readings[0]
    if seen is not None:  # trusted only when one reading is near it (alignment can slip)
        dist = [Levenshtein.distance(r, seen) for r in readings]
        best = min(dist)
        if dist.count(best) == 1 and best <= len(seen) // 3:
            return readings[dist.index(best)]
    if not any(_foreign(c) for c in w):
        a, b = (r.strip(".,;:!?()") for r in readings[:2])
        syllable = bool(b) and is_syllable(b.lower()) and not (a and is_syllable(a.lower()))
        return readings[1] if syllable and b[1:] in (b[1:].lower(), b[1:].upper()) else w  # not hãM
    if any(ord(c) < 32 for c in w):  # digits and stops of a font with no map at all
        return readings[1]
    if any(_foreign(c) and c not in key.mapping for c in w):  # glyphs left unread: keep ASCII as printed
        return readings[0]
    top = max(readings[1:], key=_score)
    return top if _score(top) >= _score(readings[0]) else readings[0]


def _slipped(w: str, seen: str) -> bool:
    """A word with no glyph numbers that is still no syllable where OCR read one a letter
    or two away: a glyph number that landed on an ASCII letter (`đky` for đây)."""
    core, ocr_core = (x.strip(".,;:!?()[]\"'“”").lower() for x in (w, seen))
    diff = [(a, b) for a, b in zip(w, seen, strict=False) if a != b]
    return (len(w) == len(seen) and 0 < len(diff) <= 2 and all(b.isalpha() for _, b in diff)
            and not is_syllable(core) and is_syllable(ocr_core) and not any(_foreign(c) for c in w))


def _readings(w: str, key: _Key) -> list[str]:
    """As printed (plain ASCII), or: ASCII kept (a font mapping ASCII only), no map but
    ASCII digits kept (digits of a font with no map are control characters, so ASCII ones
    beside them came from another font), no map at all. Edge punctuation stays."""
    full = key.full
    if not any(_foreign(c) for c in w):  # a glyph number may land on a letter (`QăP`: năm)
        if _NUMBER.match(w) or w.translate(full) == w:
            return [w]
        return [w, w.translate(full)]
    lead = re.match(r"^[(\[“\"]*", w).group()  # type: ignore[union-attr]
    trail = re.search(r"[.,;:!?)\]”\"]*$", w[len(lead):]).group()  # type: ignore[union-attr]
    mid = w[len(lead):len(w) - len(trail)]
    digits_kept = "".join(p if p.isdigit() else p.translate(full) for p in re.split(r"([\x00-\x1f])", mid))
    out = [lead + r + trail for r in (mid.translate(key.glyphs_only), digits_kept, mid.translate(full))]
    return list(dict.fromkeys(out + [w.translate(full)]))  # an edge `[` may be a glyph number too


def _score(w: str) -> float:
    """How Vietnamese a reading looks: letters and digits, a syllable, few glyph numbers
    left, few capitals (and none after a small letter)."""
    core = w.strip(".,;:!?()[]\"'“”-/")
    upper = sum(c.isupper() for c in w)
    late_caps = sum(c.isupper() for c in w[1:]) if w[:1].islower() else 0
    return (sum(c.isalnum() for c in w) - 3 * sum(_foreign(c) for c in w) - 0.25 * upper
            - 0.5 * late_caps + (10 if core and is_syllable(core.lower()) else 0))
