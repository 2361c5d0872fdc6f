"""Syllable trigram language model with interpolated Kneser–Ney smoothing.

Why Kneser–Ney: with little clean in-domain text, how many contexts a syllable follows is
a better guide to an unseen continuation than how often it occurs. The unigram level is
interpolated with a general-Vietnamese prior (word frequencies) and a uniform floor, so
no valid syllable has zero probability.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .store import NgramStore

BOS = "<s>"
UNK = "<x>"  # a word that is not a Vietnamese syllable (abbreviation, English word)
NUM = "<n>"  # a number, date or document symbol: never competes with a syllable
_CLASSES = frozenset({BOS, UNK, NUM})
D = 0.75
CAP_RATE = 0.1  # share of words capitalised mid-sentence, for a word never seen


@dataclass
class TrigramLM:
    """Counts and the derived Kneser–Ney statistics (built once, then read-only)."""

    tri: Counter = field(default_factory=Counter)
    prior: dict[str, float] = field(default_factory=dict)  # general unigram probabilities
    extra_bigrams: Counter = field(default_factory=Counter)  # pairs from a word list
    vocab_size: int = 20000
    caps: Counter = field(default_factory=Counter)  # syllable -> capitalised mid-sentence
    seen: Counter = field(default_factory=Counter)  # syllable -> seen mid-sentence
    acronyms: Counter = field(default_factory=Counter)  # initials of syllable runs with d/đ
    corpus: NgramStore | None = None  # counts of the public legal corpora (memory-mapped)
    corpus_weight: float = 0.0  # its share in the linear mix with the counts above

    def __post_init__(self) -> None:
        self.finalise()

    def add_sentences(self, sentences: Iterable[Sequence[str]]) -> None:
        for sent in sentences:
            toks = [BOS, BOS, *sent]
            for i in range(2, len(toks)):
                self.tri[(toks[i - 2], toks[i - 1], toks[i])] += 1
        self.finalise()

    def finalise(self) -> None:
        """Derive context counts and continuation counts from the trigram counts."""
        self.ctx3: Counter = Counter()
        self.types3: Counter = Counter()
        cont2: Counter = Counter()
        for (u, v, w), c in self.tri.items():
            self.ctx3[(u, v)] += c
            self.types3[(u, v)] += 1
            cont2[(v, w)] += 1
        for pair, c in self.extra_bigrams.items():
            cont2[pair] += c
        self.cont2 = cont2
        self.ctx2: Counter = Counter()
        self.types2: Counter = Counter()
        cont1: Counter = Counter()
        for (v, w), c in cont2.items():
            self.ctx2[v] += c
            self.types2[v] += 1
            cont1[w] += 1
        self.cont1 = cont1
        self.cont1_total = max(1, sum(cont1.values()))
        self.__dict__.pop("_pairs", None)
        self.__dict__.pop("_pair_sides", None)
        self.clear_caches()

    def clear_caches(self) -> None:
        """Forget computed probabilities (benchmarks measure a cold start with this)."""
        self._cache: dict[tuple[str, str, str], float] = {}
        self._p1: dict[str, float] = {}
        self._logp1: dict[str, float] = {}
        self._cache2: dict[tuple[str, str], float] = {}
        self._ctxc: dict[tuple[str, str], tuple[int, int]] = {}
        self._bi: dict[tuple[str, str], tuple[float, float]] = {}

    def p1(self, w: str) -> float:
        hit = self._p1.get(w)
        if hit is None:
            kn = self.cont1.get(w, 0) / self.cont1_total
            hit = 0.55 * kn + 0.4 * self.prior.get(w, 0.0) + 0.05 / self.vocab_size
            if self.corpus is not None:  # the corpus's own unigram, over the same floor
                lam = self.corpus_weight
                hit = (1 - lam) * hit + lam * (0.95 * self.corpus.p1(w) + 0.05 / self.vocab_size)
            self._p1[w] = hit
        return hit

    def has_context(self, u: str, v: str) -> bool:
        """(u, v) was seen as a trigram context (by the small counts or the corpus)."""
        if (u, v) in self.ctx3:
            return True
        if self.corpus is None:
            return False
        hit = self._ctxc.get((u, v))
        if hit is None:
            hit = self._context(u, v)
        return hit[0] > 0

    def _context(self, u: str, v: str) -> tuple[int, int]:
        """The corpus's counts for the context (u, v), remembered (up to a bound: a long
        batch must not grow a worker without end)."""
        assert self.corpus is not None
        hit = self.corpus.context(u, v)
        if len(self._ctxc) < 1_000_000:
            self._ctxc[(u, v)] = hit
        return hit

    def _bigrams(self, v: str, w: str) -> tuple[float, float]:
        """(P_small, P_corpus) of w after v, cached: every context u ending in v asks."""
        key = (v, w)
        hit = self._bi.get(key)
        if hit is None:
            store = self.corpus
            assert store is not None
            hit = (self.p2(v, w), store.p2(v, w, self._p1.get(w) or self.p1(w)))
            if len(self._bi) < 1_000_000:
                self._bi[key] = hit
        return hit

    def _bigrams_many(self, v: str, words: Sequence[str]) -> list[tuple[float, float]]:
        """_bigrams for each of `words`, v's counts looked up once."""
        bi = self._bi
        out = [bi.get((v, w)) for w in words]
        if None in out:
            store = self.corpus
            assert store is not None
            miss = [w for w, hit in zip(words, out, strict=True) if hit is None]
            p1s = [self._p1.get(w) or self.p1(w) for w in miss]
            corpus = store.p2_many(v, miss, p1s)
            n = self.ctx2.get(v, 0)
            back = D * self.types2[v] / n if n else 1.0
            got = {}
            for w, p1, pc in zip(miss, p1s, corpus, strict=True):
                c = self.cont2.get((v, w), 0) if n else 0
                got[w] = hit = ((c - D if c > D else 0.0) / n if n else 0.0) + back * p1, pc
                if len(bi) < 1_000_000:
                    bi[(v, w)] = hit
            out = [hit if hit is not None else got[w] for hit, w in zip(out, words, strict=True)]
        return out  # type: ignore[return-value]

    def logp2s(self, v: str, words: Sequence[str]) -> list[float]:
        """logp2(v, w) for each of `words`."""
        cache2 = self._cache2
        out = [cache2.get((v, w)) for w in words]
        if None not in out:
            return out  # type: ignore[return-value]
        if self.corpus is None:
            return [lp if lp is not None else self.logp2(v, w) for lp, w in zip(out, words, strict=True)]
        lam = self.corpus_weight
        for i, (small, p) in enumerate(self._bigrams_many(v, words)):
            if out[i] is None:
                lp = out[i] = math.log((1 - lam) * small + lam * p)
                if len(cache2) < 2_000_000:
                    cache2[(v, words[i])] = lp
        return out  # type: ignore[return-value]

    def _mixed(self, u: str, v: str, w: str, n: int) -> float:
        """(1 − λ)·P_small + λ·P_corpus, both over the shared unigram (n: the small
        counts' total for the context (u, v))."""
        store = self.corpus
        assert store is not None
        small, p = self._bigrams(v, w)
        if n:
            small = max(self.tri.get((u, v, w), 0) - D, 0) / n + D * self.types3[(u, v)] / n * small
        ctx = self._ctxc.get((u, v))
        if ctx is None:
            ctx = self._context(u, v)
        if ctx[0]:
            p = store.p3(u, v, w, p, ctx)
        lam = self.corpus_weight
        return (1 - lam) * small + lam * p

    def logp1(self, w: str) -> float:
        hit = self._logp1.get(w)
        if hit is None:
            hit = self._logp1[w] = math.log(self.p1(w))
        return hit

    def p2(self, v: str, w: str) -> float:
        n = self.ctx2.get(v, 0)
        if not n:
            return self.p1(w)
        c = self.cont2.get((v, w), 0)
        return max(c - D, 0) / n + D * self.types2[v] / n * self.p1(w)

    def logp(self, u: str, v: str, w: str) -> float:
        """Natural-log probability of w after (u, v)."""
        n = self.ctx3.get((u, v), 0)
        if not n and not (self.corpus is not None and self.has_context(u, v)):
            return self.logp2(v, w)  # most contexts were never seen: the bigram level, cached on its own
        key = (u, v, w)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        if self.corpus is not None:
            lp = math.log(self._mixed(u, v, w, n))
        else:
            c = self.tri.get(key, 0)
            lp = math.log(max(c - D, 0) / n + D * self.types3[(u, v)] / n * self.p2(v, w))
        if len(self._cache) < 2_000_000:
            self._cache[key] = lp
        return lp

    def logps(self, u: str, v: str, words: Sequence[str]) -> list[float]:
        """logp(u, v, w) for each of `words`, the context (u, v) looked up once (the
        decoder asks for every candidate of a slot after every beam state)."""
        cache = self._cache
        out = [cache.get((u, v, w)) for w in words]
        store = self.corpus
        if None not in out or store is None:
            return [lp if lp is not None else self.logp(u, v, w) for lp, w in zip(out, words, strict=True)]
        n = self.ctx3.get((u, v), 0)
        ctx = self._ctxc.get((u, v))
        if ctx is None:
            ctx = self._context(u, v)
        if not n and not ctx[0]:
            return [self.logp2(v, w) for w in words]
        span = store.span(u, v) if ctx[0] else None
        lam = self.corpus_weight
        bis = self._bigrams_many(v, words)
        for i, w in enumerate(words):
            if out[i] is None:
                small, p = bis[i]
                if n:
                    small = max(self.tri.get((u, v, w), 0) - D, 0) / n + D * self.types3[(u, v)] / n * small
                if span is not None:
                    p = store.p3_in(span, w, p, ctx)
                lp = out[i] = math.log((1 - lam) * small + lam * p)
                if len(cache) < 2_000_000:
                    cache[(u, v, w)] = lp
        return out  # type: ignore[return-value]

    def logp2(self, v: str, w: str) -> float:
        key = (v, w)
        hit = self._cache2.get(key)
        if hit is None and self.corpus is not None:
            small, p = self._bigrams(v, w)
            lam = self.corpus_weight
            hit = math.log((1 - lam) * small + lam * p)
            if len(self._cache2) < 2_000_000:
                self._cache2[key] = hit
        elif hit is None:
            n = self.ctx2.get(v, 0)
            p1 = self._p1.get(w) or self.p1(w)
            if n:  # p2, inlined: this is the decoder's hottest cold path
                c = self.cont2.get(key, 0)
                p1 = (c - D if c > D else 0.0) / n + D * self.types2[v] / n * p1
            hit = math.log(p1)
            if len(self._cache2) < 2_000_000:
                self._cache2[key] = hit
        return hit

    def pairs(self) -> dict[tuple[str, str], tuple[tuple[str, str], ...]]:
        """Seen syllable pairs by their skeleton pair (`lang phi` → `lãng phí`), built on
        first use. Why: a word's rarer syllable can fall out of the per-token candidate
        cut before its partner is seen; the pair brings it back."""
        hit = self.__dict__.get("_pairs")
        if hit is None:
            from .lexicon import skeleton

            table: dict[tuple[str, str], list[tuple[str, str]]] = {}
            skel = {s: skeleton(s) for s in self.cont1.keys() | self.ctx2.keys()}
            for v, w in self.cont2:
                if v not in _CLASSES and w not in _CLASSES:
                    table.setdefault((skel[v], skel[w]), []).append((v, w))
            hit = self.__dict__["_pairs"] = {k: tuple(x) for k, x in table.items()}
        return hit

    def pair_sides(self) -> tuple[dict[str, tuple[tuple[str, str, str], ...]],
                                  dict[str, tuple[tuple[str, str, str], ...]]]:
        """Seen pairs by the skeleton of one side: (second skeleton → (first skeleton,
        first, second)), and the mirror. Why: when one syllable of a word is damaged
        beyond the learned rules (`by phan` for `bộ phận`), its intact partner finds it."""
        hit = self.__dict__.get("_pair_sides")
        if hit is None:
            by_second: dict[str, list[tuple[str, str, str]]] = {}
            by_first: dict[str, list[tuple[str, str, str]]] = {}
            for (sa, sb), pairs in self.pairs().items():
                for v, w in pairs:
                    by_second.setdefault(sb, []).append((sa, v, w))
                    by_first.setdefault(sa, []).append((sb, w, v))
            hit = self.__dict__["_pair_sides"] = (
                {k: tuple(x) for k, x in by_second.items()},
                {k: tuple(x) for k, x in by_first.items()})
        return hit

    def case_logp(self, w: str, capital: bool) -> float:
        """log P(the word is written with a capital | it is w, mid-sentence). Why: names
        of bodies are capitalised (`Sở`, `Đảng`, `Bộ`) where their homographs are not
        (`số`, `đang`, `bộ` as in `cán bộ`), and the printed case survives OCR."""
        n, k = self.seen.get(w, 0), self.caps.get(w, 0)
        p = (k + 2 * CAP_RATE) / (n + 2)
        return math.log(p if capital else 1.0 - p)

    def add_case(self, words: Iterable[tuple[str, bool]]) -> None:
        for w, capital in words:
            self.seen[w] += 1
            if capital:
                self.caps[w] += 1

    def add_acronyms(self, sentences: Iterable[Sequence[str]], min_count: int = 2) -> None:
        """Count the initials of every run of 2-5 syllables that holds a d or đ (`thông
        tin điện tử` → TTĐT). Why: marks lost, `TTDT` cannot tell Đ from D; the phrases
        the clean text spells out can."""
        found: Counter = Counter()
        for sent in sentences:
            heads = [w[0].upper() if not w.startswith("<") else "" for w in sent]
            for n in range(2, 6):
                for i in range(len(heads) - n + 1):
                    run = heads[i:i + n]
                    if all(run) and ("D" in run or "Đ" in run):
                        found["".join(run)] += 1
        self.acronyms.update({a: c for a, c in found.items() if c >= min_count})

    def acronym(self, printed: str) -> str:
        """The spelling of `printed` (Đ printed as D) that the clean text's phrases favour."""
        best, best_n = printed, self.acronyms.get(printed, 0)
        for i, ch in enumerate(printed):
            if ch == "D":
                alt = printed[:i] + "Đ" + printed[i + 1:]
                n = self.acronyms.get(alt, 0)
                if n > best_n:
                    best, best_n = alt, n
        return best

    def to_json(self) -> dict:
        corpus = None if self.corpus is None else {
            "store": self.corpus.path.name, "weight": self.corpus_weight,
            "corpora": self.corpus.meta.get("corpora", {})}
        return {
            "corpus": corpus,
            "acronyms": dict(self.acronyms),
            "caps": [[w, self.caps[w], n] for w, n in self.seen.items()],
            "tri": [[u, v, w, c] for (u, v, w), c in self.tri.items()],
            "extra_bigrams": [[v, w, c] for (v, w), c in self.extra_bigrams.items()],
            "prior": self.prior,
            "vocab_size": self.vocab_size,
        }

    @classmethod
    def from_json(cls, data: dict, near: Path | None = None) -> TrigramLM:
        lm = cls.__new__(cls)
        lm.tri = Counter({(u, v, w): c for u, v, w, c in data["tri"]})
        lm.extra_bigrams = Counter({(v, w): c for v, w, c in data["extra_bigrams"]})
        lm.prior = data["prior"]
        lm.vocab_size = data["vocab_size"]
        lm.caps = Counter({w: k for w, k, _ in data.get("caps", ()) if k})
        lm.seen = Counter({w: n for w, _, n in data.get("caps", ())})
        lm.acronyms = Counter(data.get("acronyms", {}))
        lm.corpus, lm.corpus_weight = _store(data.get("corpus"), near), 0.0
        if lm.corpus is not None:
            lm.corpus_weight = float(data["corpus"]["weight"])
        lm.finalise()
        return lm


def merge(a: TrigramLM, b: TrigramLM) -> TrigramLM:
    """A model with the counts of both (used by `train` to add a user's corpus)."""
    out = TrigramLM(tri=a.tri + b.tri, prior=a.prior or b.prior,
                    extra_bigrams=a.extra_bigrams + b.extra_bigrams, vocab_size=a.vocab_size,
                    caps=a.caps + b.caps, seen=a.seen + b.seen, acronyms=a.acronyms + b.acronyms,
                    corpus=a.corpus or b.corpus, corpus_weight=a.corpus_weight or b.corpus_weight)
    return out


def _store(ref: dict | None, near: Path | None) -> NgramStore | None:
    """The corpus store a model names: shipped beside the package's model, so a model
    `vnplans train` wrote elsewhere finds it too. A store built from other corpora than
    the model records is refused (its counts would not be the ones measured)."""
    if not ref:
        return None
    from .store import open_store

    store = open_store(ref["store"], near)
    if store.meta.get("corpora") != ref.get("corpora"):
        raise ValueError(f"{store.path}: built from other corpora than the model records")
    return store




class DocumentCache:
    """Syllable pairs this document has already restored, mixed into the trigram's
    bigram level (a cache language model). Why: a document repeats its own names
    (`Ban Quản lý`), and its earlier occurrences are better evidence than a general word
    list (`tài bàn`) for the damaged ones that follow."""

    def __init__(self, weight: float = 0.03) -> None:
        self.weight = weight
        self.pairs: Counter = Counter()
        self.ctx: Counter = Counter()

    def add(self, v: str, w: str) -> None:
        if v not in _CLASSES and w not in _CLASSES:
            self.pairs[(v, w)] += 1
            self.ctx[v] += 1

    def mixed(self, v: str, words: Sequence[str], lps: Sequence[float]) -> list[float]:
        """log((1 − λ)·P_lm(w | …v) + λ·P_doc(w | v)) for each candidate w."""
        n, lam = self.ctx[v], self.weight
        keep = math.log1p(-lam)
        out = []
        for w, lp in zip(words, lps, strict=True):
            c = self.pairs.get((v, w))
            out.append(math.log((1.0 - lam) * math.exp(lp) + lam * c / n) if c else lp + keep)
        return out
