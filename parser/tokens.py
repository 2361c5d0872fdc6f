"""Tokens of a text for the unit recogniser, and the lookups its grammar uses: phrases of
the vocabularies by first token, two-syllable words of pyvi's MIT list. Every token keeps
its offsets in the text and carries its folded form, so matching is mark-insensitive and
spans map back unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from diacritics.lexicon import fold_tone_placement

from .doc import fold
from .vocab import SPELLINGS

_TOKEN = re.compile(r"\w+(?:/\w+)?|[^\w\s]")


@dataclass(frozen=True, slots=True)
class Tok:
    start: int
    end: int
    text: str
    norm: str
    line_start: bool = False  # the first token of a printed line

    @property
    def cap(self) -> bool:
        return self.text[:1].isupper() or self.text[:1].isdigit()


def split(phrase: str) -> list[str]:
    return [t.group() for t in _TOKEN.finditer(phrase)]


@lru_cache(maxsize=1)
def _words() -> frozenset[str]:
    """Two-syllable words (lower case, marks kept) of pyvi's MIT word list: a lower-case
    syllable goes on with a name when it makes a word with the one before (`Tài chính`)."""
    try:
        import pyvi
    except ImportError:  # pragma: no cover - pyvi is a dependency
        return frozenset()
    path = Path(pyvi.__file__).parent / "models" / "words.txt"
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        w = unicodedata.normalize("NFC", line.strip().lower())
        if w.count(" ") == 1:
            out.add(_pair(*w.split()))
    return frozenset(out)


def _pair(a: str, b: str) -> str:
    return f"{fold_tone_placement(a.lower())} {fold_tone_placement(b.lower())}"


def is_word(a: Tok, b: Tok) -> bool:
    return _pair(a.text, b.text) in _words()


def phrases(words: tuple[str, ...]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Phrases by first token, longest first."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for p in words:
        t = tuple(split(p))
        out.setdefault(t[0], []).append(t)
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in out.items()}


def at(toks: list[Tok], i: int, table: dict[str, tuple[tuple[str, ...], ...]]) -> int:
    """Length of the longest phrase of `table` at token i (0: none)."""
    if i >= len(toks):
        return 0
    for p in table.get(toks[i].norm, ()):
        if len(p) == 1 and p[0] in SPELLINGS and toks[i].text.lower() not in SPELLINGS[p[0]]:
            continue  # `cổ` folds like `có`, `số` like `sở`: a one-syllable word keeps its marks
        if tuple(t.norm for t in toks[i:i + len(p)]) == p:
            return len(p)
    return 0


def tokens(text: str) -> list[Tok]:
    folded = fold(text).replace("–", "-")
    out, prev = [], 0
    for m in _TOKEN.finditer(text):
        a, b = m.span()
        out.append(Tok(a, b, m.group(), folded[a:b], text.find("\n", prev, a) >= 0))
        prev = b
    return out
