"""Scoring against ground truth: CER and WER on NFC text with whitespace folded."""

from __future__ import annotations

import unicodedata

from rapidfuzz.distance import Levenshtein


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def cer(ref: str, hyp: str) -> float:
    """Character error rate: edit distance / reference length."""
    r, h = normalise(ref), normalise(hyp)
    return Levenshtein.distance(r, h) / max(1, len(r))


def wer(ref: str, hyp: str) -> float:
    """Word error rate: word-level edit distance / reference words."""
    r, h = normalise(ref).split(), normalise(hyp).split()
    return Levenshtein.distance(r, h) / max(1, len(r))
