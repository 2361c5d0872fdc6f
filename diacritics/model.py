"""The restoration model: lexicon index, language model, channel rules; build and load.

Why one file of counts: everything the decoder needs is derived data (counts and lists),
built reproducibly by `make lexicon` from the orthography, Debian's hunspell-vi, word
frequencies, pyvi's word list and the clean texts we may use; no source text is stored.
Rule counts are kept per source document, so a benchmark can leave a document out.
"""

from __future__ import annotations

import gc
import gzip
import io
import json
import re
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ingest.orthography import is_syllable

from .channel import RuleSet
from .lexicon import all_syllables, build_index, fold_tone_placement
from .lm import NUM, UNK, TrigramLM
from .symbols import is_code

DATA = Path(__file__).resolve().parent / "data"
MODEL_PATH = DATA / "model.json.gz"
_SENT = re.compile(r"[.;!?]\s")  # training text is split into sentences, not print lines


_LEAD = "\"'([{“‘«*•·-–"
_TRAIL = "\"'.,;:!?)]}”’»…"


def sentence(line: str) -> list[str]:
    """LM tokens of a line, cut as the decoder cuts them (whitespace chunks without
    surrounding punctuation): lower-case syllables, traditional tone placement, NUM for a
    number or code, UNK for any other word. Why two classes: line starts are mostly
    numbers (`1.`, `a)` labels are cut to `1`, `a`), and one class made a damaged word
    at a line start look likelier kept than restored."""
    out = []
    for chunk in line.lower().split():
        core = chunk.strip(_LEAD).rstrip(_TRAIL)
        if core:
            out.append(_lm_token(core))
    return out


def _lm_token(core: str) -> str:
    if is_syllable(core):
        return fold_tone_placement(core)
    if not any(c.isalpha() for c in core) or is_code(core):
        return NUM
    return UNK


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
        lm.pairs()  # an index, like the lexicon's: built with the model, not on first use
        lm.pair_sides()
        model = cls(lm, rule_counts, build_index(all_syllables()), RuleSet(total))
        gc.freeze()  # millions of long-lived counts: keep the cyclic collector off them
        return model

    def save(self, path: Path = MODEL_PATH) -> None:
        data = {
            "lm": self.lm.to_json(),
            "rules": {name: [[a, b, c] for (a, b), c in counts.items()]
                      for name, counts in self.rule_counts.items()},
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with open(tmp, "wb") as raw, gzip.GzipFile("", "wb", fileobj=raw, mtime=0) as gz, \
                io.TextIOWrapper(gz, encoding="utf-8") as fh:  # mtime 0: the same counts, the same bytes
            json.dump(data, fh, ensure_ascii=False, separators=(",", ":"))
        tmp.replace(path)

    @classmethod
    def read(cls, path: Path = MODEL_PATH, exclude: Iterable[str] = ()) -> Model:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            data = json.load(fh)
        lm = TrigramLM.from_json(data["lm"], path.parent)
        rules = {name: Counter({(a, b): c for a, b, c in rows})
                 for name, rows in data["rules"].items()}
        return cls.create(lm, rules, exclude)


_LOADING = threading.Lock()


def load(path: str = str(MODEL_PATH)) -> Model:
    """The shipped model (or a trained one), loaded once per process, even when a
    worker's warm-up thread and its first document ask at the same time."""
    with _LOADING:
        return _load(path)


@lru_cache(maxsize=4)
def _load(path: str) -> Model:
    return Model.read(Path(path))


def forget() -> None:
    """Drop loaded models (after `vnplans train` rewrote one)."""
    _load.cache_clear()


def load_model(path: str | Path) -> Model:
    """A model file written by `vnplans train`, with a clear error when it is missing or
    is not one (the CLI checks `--model` with this before a batch starts)."""
    from vnplans.exceptions import MissingDependencyError

    p = Path(path)
    if not p.is_file():
        raise MissingDependencyError("restoration model not found", path=p)
    try:
        return load(str(p.resolve()))
    except (OSError, EOFError, ValueError, KeyError, TypeError) as exc:
        raise MissingDependencyError(f"not a restoration model ({type(exc).__name__})", path=p) from exc


def lm_from_texts(texts: Iterable[str], base: TrigramLM | None = None) -> TrigramLM:
    """A trigram model over clean texts, on top of `base`'s prior and word-list pairs."""
    lm = TrigramLM(prior=base.prior if base else {},
                   extra_bigrams=Counter(base.extra_bigrams) if base else Counter())
    if base is not None:
        lm.corpus, lm.corpus_weight = base.corpus, base.corpus_weight
        lm.tri = Counter(base.tri)
        lm.caps, lm.seen = Counter(base.caps), Counter(base.seen)
        lm.acronyms = Counter(base.acronyms)
    texts = list(texts)
    chunks = [chunk for text in texts for chunk in _SENT.split(" ".join(text.split()))]
    lm.add_sentences(sentence(chunk) for chunk in chunks)
    lm.add_acronyms(sentence(chunk) for chunk in chunks)
    lm.add_case(w for text in texts for line in text.split("\n") for w in case_words(line))
    return lm


def ends_sentence(token: str) -> bool:
    """The token closes a sentence or clause (so the next word may be capitalised)."""
    return token.rstrip("\"'”’»)").endswith((".", ":", ";", "!", "?"))


def case_words(line: str) -> list[tuple[str, bool]]:
    """(syllable, capitalised) for the words of a line that follow a word of the same
    sentence, as the decoder sees them (a line may open a heading or a list item);
    words in capitals throughout (titles) say nothing about case."""
    out = []
    tokens = line.split()
    for prev, token in zip(tokens, tokens[1:], strict=False):
        core = token.strip(_LEAD).rstrip(_TRAIL)
        if ends_sentence(prev):
            continue
        if core and is_syllable(core.lower()) and not (len(core) > 1 and core.isupper()):
            out.append((fold_tone_placement(core.lower()), core[0].isupper()))
    return out
