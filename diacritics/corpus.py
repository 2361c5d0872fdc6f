"""Public legal corpora (../shared/corpora/*.txt.xz) into the compact n-gram store.

Why a leakage check here too: the corpora were filtered against the test documents when
they were made, but the shipped model must never be built from test material, and test
sets grow; so `make lexicon` drops again every paragraph that shares a run of
`SHINGLE` word tokens with any text under ../shared/external, seeds or gold.
"""

from __future__ import annotations

import hashlib
import lzma
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .lexicon import all_syllables
from .lm import BOS, NUM, UNK
from .model import _SENT, sentence
from .store import NgramCounter, kn_arrays, write_store

SHINGLE = 12
_WORD = re.compile(r"\w+")
_P = np.uint64(1_000_003)
TEST_DIRS = ("external", "seeds", "gold")


class CorpusError(Exception):
    """A corpus file that is missing, truncated or not UTF-8 (one line, naming it)."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")


def corpus_files(corpora: Path) -> list[Path]:
    """The files INDEX.tsv lists (each must be there), else every *.txt.xz."""
    index = corpora / "INDEX.tsv"
    if index.is_file():
        names = sorted({row.split("\t")[0] for row in index.read_text(encoding="utf-8").splitlines()[1:] if row})
        return [corpora / n for n in names]
    return sorted(corpora.glob("*.txt.xz"))


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        raise CorpusError(path, f"cannot read ({exc.strerror or type(exc).__name__})") from exc
    return digest.hexdigest()


def paragraphs(path: Path) -> Iterator[str]:
    """The file's non-empty lines, decoded strictly (a bad byte or a cut stream is an error)."""
    if not path.is_file():
        raise CorpusError(path, "missing")
    try:
        with lzma.open(path, "rt", encoding="utf-8", errors="strict") as fh:
            for line in fh:
                if line.strip():
                    yield line.strip()
    except UnicodeDecodeError as exc:
        raise CorpusError(path, f"not UTF-8 (byte {exc.start} of a block)") from exc
    except EOFError as exc:
        raise CorpusError(path, "truncated xz stream") from exc
    except lzma.LZMAError as exc:
        raise CorpusError(path, f"not a valid xz file ({exc})") from exc


class Shingles:
    """Hashes of every run of SHINGLE lower-case word tokens in the test texts."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.ids: dict[str, int] = {}
        found = [self.hashes(self.code(text)) for text in texts]
        self.test = np.unique(np.concatenate(found)) if found else np.zeros(0, np.uint64)

    def code(self, text: str) -> np.ndarray:
        ids = self.ids
        return np.fromiter((ids.setdefault(t, len(ids) + 1) for t in _WORD.findall(text.lower())), np.uint64)

    @staticmethod
    def hashes(coded: np.ndarray) -> np.ndarray:
        """A polynomial hash (mod 2^64) of each window of SHINGLE tokens."""
        n = len(coded) - SHINGLE + 1
        if n <= 0:
            return np.zeros(0, np.uint64)
        h = np.zeros(n, np.uint64)
        with np.errstate(over="ignore"):
            for k in range(SHINGLE):
                h = h * _P + coded[k:k + n]
        return h

    def leaks(self, paragraph: str) -> bool:
        return bool(self.leaking([paragraph])[0])

    def leaking(self, batch: list[str]) -> np.ndarray:
        """For each paragraph of `batch`, whether it shares a run with a test text (one
        hash pass over the batch, windows across paragraph ends masked out)."""
        coded = [self.code(p) for p in batch]
        lengths = np.array([len(c) for c in coded], dtype=np.int64)
        out = np.zeros(len(batch), dtype=bool)
        if not len(self.test) or not len(batch) or lengths.max() < SHINGLE:
            return out
        h = self.hashes(np.concatenate(coded))
        owner = np.repeat(np.arange(len(batch)), lengths)[:len(h)]
        inside = np.arange(len(h)) + SHINGLE <= np.cumsum(lengths)[owner]
        i = np.minimum(np.searchsorted(self.test, h), len(self.test) - 1)
        hit = inside & (self.test[i] == h)
        out[owner[hit]] = True
        return out


def leak_texts(shared: Path) -> list[str]:
    """Every text file under the test directories (read leniently: they only filter)."""
    out = []
    for sub in TEST_DIRS:
        for f in sorted((shared / sub).rglob("*")):
            if f.is_file() and f.suffix in (".txt", ".md") and f.name != "SOURCES.md":
                out.append(f.read_text(encoding="utf-8", errors="replace"))
    return out


@dataclass
class CorpusCounts:
    """What the corpora give the model: the store's arrays and their provenance."""

    vocab: list[str]
    arrays: dict[str, np.ndarray]
    meta: dict
    caps: Counter = field(default_factory=Counter)


def count(files: list[Path], shingles: Shingles, min_count: int = 2, log: bool = True) -> CorpusCounts:
    """Integer-coded trigram counts of the corpora's sentences, leaking paragraphs dropped."""
    vocab = [BOS, UNK, NUM, *all_syllables()]
    ids = {tok: i for i, tok in enumerate(vocab)}
    counter = NgramCounter(ids[BOS])
    meta: dict = {"corpora": {}, "dropped": {}, "shingle": SHINGLE, "min_count": min_count}
    for path in files:
        meta["corpora"][path.name] = sha256(path)
        dropped = kept = 0
        for batch in _batches(paragraphs(path)):
            leaks = shingles.leaking(batch)
            dropped += int(leaks.sum())
            kept += len(batch) - int(leaks.sum())
            for para, leak in zip(batch, leaks, strict=True):
                if not leak:
                    for chunk in _SENT.split(para):
                        counter.add(_ids(sentence(chunk), ids, vocab))
        meta["dropped"][path.name] = dropped
        if log:
            print(f"  {path.name}: {kept} paragraphs, {dropped} dropped (shared a "
                  f"{SHINGLE}-token run with a test text)", file=sys.stderr)
    if len(vocab) >= 1 << 16:
        raise ValueError("vocabulary over 2^16 tokens")
    keys, counts = counter.counts()
    arrays = kn_arrays(keys, counts, len(vocab), min_count)
    meta.update(tokens=counter.tokens, trigram_types=int(len(keys)),
                trigrams_kept=int(len(arrays["tri_keys"])), cont1_total=int(arrays["cont1"].sum()))
    return CorpusCounts(vocab, arrays, meta)


def _batches(items: Iterable[str], n: int = 2000) -> Iterator[list[str]]:
    batch: list[str] = []
    for item in items:
        batch.append(item)
        if len(batch) >= n:
            yield batch
            batch = []
    if batch:
        yield batch


def _ids(tokens: list[str], ids: dict[str, int], vocab: list[str]) -> list[int]:
    out = []
    for t in tokens:
        i = ids.get(t)
        if i is None:
            i = ids[t] = len(vocab)
            vocab.append(t)
        out.append(i)
    return out


def save(counts: CorpusCounts, path: Path) -> str:
    return write_store(path, counts.vocab, counts.arrays, counts.meta)
