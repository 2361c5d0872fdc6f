"""The restoration model: lexicon index, language model, channel rules; build and load.

Why one file of counts: everything the decoder needs is derived data (counts and lists),
built reproducibly by `make lexicon` from the orthography, Debian's hunspell-vi, word
frequencies, pyvi's word list and the clean texts we may use; no source text is stored.
Rule counts are kept per source document, so a benchmark can leave a document out.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ingest.orthography import is_syllable

from .channel import RuleSet
from .lexicon import all_syllables, build_index, fold_tone_placement
from .lm import UNK, TrigramLM

DATA = Path(__file__).resolve().parent / "data"
MODEL_PATH = DATA / "model.json.gz"
_SENT = re.compile(r"[.;!?]\s")  # training text is split into sentences, not print lines


_LEAD = "\"'([{“‘«*•·-–"
_TRAIL = "\"'.,;:!?)]}”’»…"


def sentence(line: str) -> list[str]:
    """LM tokens of a line, cut as the decoder cuts them (whitespace chunks without
    surrounding punctuation): lower-case syllables, traditional tone placement, or UNK
    for anything else (a number, a code, a foreign word)."""
    out = []
    for chunk in line.lower().split():
        core = chunk.strip(_LEAD).rstrip(_TRAIL)
        if core:
            out.append(fold_tone_placement(core) if is_syllable(core) else UNK)
    return out


@dataclass
class Model:
    """What the decoder reads. Built once per process (see `load`)."""

    lm: TrigramLM
    rule_counts: dict[str, Counter]  # source name -> rule counts
    index: dict[str, tuple[str, ...]]
    rules: RuleSet

    @classmethod
    def create(cls, lm: TrigramLM, rule_counts: dict[str, Counter],
               exclude: Iterable[str] = ()) -> Model:
        excluded = set(exclude)
        total: Counter = Counter()
        for name, counts in rule_counts.items():
            if name not in excluded:
                total.update(counts)
        return cls(lm, rule_counts, build_index(all_syllables()), RuleSet(total))

    def save(self, path: Path = MODEL_PATH) -> None:
        data = {
            "lm": self.lm.to_json(),
            "rules": {name: [[a, b, c] for (a, b), c in counts.items()]
                      for name, counts in self.rule_counts.items()},
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with gzip.open(tmp, "wt", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, separators=(",", ":"))
        tmp.replace(path)

    @classmethod
    def read(cls, path: Path = MODEL_PATH, exclude: Iterable[str] = ()) -> Model:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            data = json.load(fh)
        lm = TrigramLM.from_json(data["lm"])
        rules = {name: Counter({(a, b): c for a, b, c in rows})
                 for name, rows in data["rules"].items()}
        return cls.create(lm, rules, exclude)


@lru_cache(maxsize=4)
def load(path: str = str(MODEL_PATH)) -> Model:
    """The shipped model (or a trained one), loaded once per process."""
    return Model.read(Path(path))


def lm_from_texts(texts: Iterable[str], base: TrigramLM | None = None) -> TrigramLM:
    """A trigram model over clean texts, on top of `base`'s prior and word-list pairs."""
    lm = TrigramLM(prior=base.prior if base else {},
                   extra_bigrams=Counter(base.extra_bigrams) if base else Counter())
    if base is not None:
        lm.tri = Counter(base.tri)
    lm.add_sentences(sentence(chunk) for text in texts for chunk in _SENT.split(" ".join(text.split())))
    return lm
