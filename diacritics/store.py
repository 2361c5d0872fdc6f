"""A compact, memory-mapped Kneser–Ney trigram store for the corpus counts.

Why not Counters: 18 M syllables of legal text give millions of distinct trigrams; a
Counter of string tuples takes gigabytes and seconds to load in every worker. Here
syllables are integer ids (under 2^16), n-grams are packed into sorted integer arrays, and
the file is memory-mapped, so worker processes share one copy through the page cache and a
lookup is a binary search (`bisect` on a memoryview: no numpy call per query).

File layout: a magic line, an 8-byte header length, a JSON header (vocabulary, array
table, provenance), then the arrays at 8-byte aligned offsets.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import mmap
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

MAGIC = b"VNPLANS-NGRAM-1\n"
D = 0.75  # the discount of lm.TrigramLM
_ARRAYS = {  # name -> (dtype, memoryview format)
    "tri_keys": ("<u8", "Q"), "tri_counts": ("<u4", "I"),
    "ctx_keys": ("<u4", "I"), "ctx_n": ("<u4", "I"), "ctx_types": ("<u4", "I"),
    "bi_keys": ("<u4", "I"), "bi_cont": ("<u4", "I"),
    "ctx2": ("<u4", "I"), "types2": ("<u4", "I"), "cont1": ("<u4", "I"),
}


class NgramCounter:
    """Trigram counts of integer-coded sentences, accumulated in sorted numpy batches
    (memory stays near the number of distinct trigrams, not the number of tokens)."""

    def __init__(self, bos: int, batch: int = 4_000_000) -> None:
        self.bos = bos
        self.batch = batch
        self._ids: list[int] = []
        self._parts: list[tuple[np.ndarray, np.ndarray]] = []
        self.tokens = 0

    def add(self, sentence: Iterable[int]) -> None:
        ids = list(sentence)
        if ids:
            self._ids += [self.bos, self.bos, *ids]
            self.tokens += len(ids)
            if len(self._ids) >= self.batch:
                self._flush()

    def _flush(self) -> None:
        if not self._ids:
            return
        a = np.asarray(self._ids, dtype=np.uint64)
        self._ids = []
        keys = (a[:-2] << np.uint64(32)) | (a[1:-1] << np.uint64(16)) | a[2:]
        keys = keys[a[2:] != self.bos]  # a window ending in padding is no trigram
        self._parts.append(_unique(keys, np.ones(len(keys), dtype=np.uint32)))
        if len(self._parts) >= 8:
            self._parts = [_merge(self._parts)]

    def counts(self) -> tuple[np.ndarray, np.ndarray]:
        """Sorted distinct trigram keys (u << 32 | v << 16 | w) and their counts."""
        self._flush()
        if not self._parts:
            return np.zeros(0, np.uint64), np.zeros(0, np.uint32)
        self._parts = [_merge(self._parts)]
        return self._parts[0]


def _unique(keys: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(keys, kind="stable")
    keys, counts = keys[order], counts[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else np.zeros(0, np.int64)
    return keys[starts], np.add.reduceat(counts, starts).astype(np.uint32) if len(keys) else counts


def _merge(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    return _unique(np.concatenate([k for k, _ in parts]), np.concatenate([c for _, c in parts]))


def kn_arrays(keys: np.ndarray, counts: np.ndarray, vocab: int, min_count: int = 2
              ) -> dict[str, np.ndarray]:
    """The Kneser–Ney statistics of lm.TrigramLM, from all trigram types; then the
    trigrams seen fewer than `min_count` times are pruned (their contexts keep their
    totals, so the pruned mass goes to the bigram level)."""
    ctx = (keys >> np.uint64(16)).astype(np.uint32)
    starts = np.flatnonzero(np.r_[True, ctx[1:] != ctx[:-1]])
    ctx_keys = ctx[starts]
    ctx_n = np.add.reduceat(counts, starts).astype(np.uint32)
    ctx_types = np.diff(np.r_[starts, len(ctx)]).astype(np.uint32)
    pair = (keys & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    bi_keys, bi_cont = _unique(pair, np.ones(len(pair), dtype=np.uint32))
    v, w = bi_keys >> np.uint32(16), bi_keys & np.uint32(0xFFFF)
    keep = counts >= min_count
    return {
        "tri_keys": keys[keep], "tri_counts": counts[keep],
        "ctx_keys": ctx_keys, "ctx_n": ctx_n, "ctx_types": ctx_types,
        "bi_keys": bi_keys, "bi_cont": bi_cont,
        "ctx2": np.bincount(v, weights=bi_cont, minlength=vocab).astype(np.uint32),
        "types2": np.bincount(v, minlength=vocab).astype(np.uint32),
        "cont1": np.bincount(w, minlength=vocab).astype(np.uint32),
    }


def write_store(path: Path, vocab: list[str], arrays: dict[str, np.ndarray], meta: dict) -> str:
    """Write the store atomically; returns its content id (sha256 of the file)."""
    table, blobs, offset = {}, [], 0
    for name, (dtype, _) in _ARRAYS.items():
        data = np.ascontiguousarray(arrays[name], dtype=dtype).tobytes()
        table[name] = [offset, len(data)]
        pad = -len(data) % 8
        blobs.append(data + b"\0" * pad)
        offset += len(data) + pad
    header = json.dumps({"vocab": vocab, "arrays": table, "meta": meta},
                        ensure_ascii=False, sort_keys=True).encode()
    header += b" " * (-(len(MAGIC) + 8 + len(header)) % 8)
    tmp = path.with_suffix(".tmp")
    digest = hashlib.sha256()
    with tmp.open("wb") as fh:
        for part in (MAGIC, len(header).to_bytes(8, "little"), header, *blobs):
            fh.write(part)
            digest.update(part)
    tmp.replace(path)
    return digest.hexdigest()


class NgramStore:
    """Read side: the memory-mapped arrays and Kneser–Ney probabilities over them."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with path.open("rb") as fh:
            self._mm = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        if self._mm[:len(MAGIC)] != MAGIC:
            raise ValueError(f"{path}: not an n-gram store")
        n = int.from_bytes(self._mm[len(MAGIC):len(MAGIC) + 8], "little")
        base = len(MAGIC) + 8
        header = json.loads(self._mm[base:base + n])
        self.meta: dict = header["meta"]
        self.vocab: list[str] = header["vocab"]
        self.ids = {tok: i for i, tok in enumerate(self.vocab)}
        view, start = memoryview(self._mm), base + n
        arrays: dict[str, memoryview] = {
            name: view[start + off:start + off + size].cast(_ARRAYS[name][1])  # type: ignore[call-overload]
            for name, (off, size) in header["arrays"].items()}
        self.tri_keys, self.tri_counts = arrays["tri_keys"], arrays["tri_counts"]
        self.ctx_keys, self.ctx_n, self.ctx_types = arrays["ctx_keys"], arrays["ctx_n"], arrays["ctx_types"]
        self.bi_keys, self.bi_cont = arrays["bi_keys"], arrays["bi_cont"]
        self.ctx2, self.types2, self.cont1 = arrays["ctx2"], arrays["types2"], arrays["cont1"]
        self.cont1_total = max(1, int(self.meta["cont1_total"]))

    @staticmethod
    def _find(keys: memoryview, key: int) -> int:
        i = bisect.bisect_left(keys, key)
        return i if i < len(keys) and keys[i] == key else -1

    def context(self, u: str, v: str) -> tuple[int, int]:
        """(count, distinct continuations) of the context (u, v); (0, 0) if unseen."""
        a, b = self.ids.get(u), self.ids.get(v)
        if a is None or b is None:
            return 0, 0
        i = self._find(self.ctx_keys, a << 16 | b)
        return (self.ctx_n[i], self.ctx_types[i]) if i >= 0 else (0, 0)

    def p1(self, w: str) -> float:
        """Continuation probability of w (0 for a token the corpus never had)."""
        i = self.ids.get(w)
        return self.cont1[i] / self.cont1_total if i is not None else 0.0

    def p2(self, v: str, w: str, p1: float) -> float:
        """Bigram level over `p1` (the caller's unigram, floor included)."""
        a = self.ids.get(v)
        n = self.ctx2[a] if a is not None else 0
        if not n:
            return p1
        b = self.ids.get(w)
        i = self._find(self.bi_keys, a << 16 | b) if b is not None else -1  # type: ignore[operator]
        c = self.bi_cont[i] if i >= 0 else 0
        return (c - D if c > D else 0.0) / n + D * self.types2[a] / n * p1  # type: ignore[index]

    def p3(self, u: str, v: str, w: str, p2: float, ctx: tuple[int, int]) -> float:
        """Trigram level over `p2`, for a context `ctx` = context(u, v) seen."""
        n, types = ctx
        a, b, c = self.ids[u], self.ids[v], self.ids.get(w)
        i = self._find(self.tri_keys, a << 32 | b << 16 | c) if c is not None else -1
        k = self.tri_counts[i] if i >= 0 else 0
        return (k - D if k > D else 0.0) / n + D * types / n * p2

    def p2_many(self, v: str, words: Sequence[str], p1s: Sequence[float]) -> list[float]:
        """p2 of each of `words` after v, v's range of bigrams found once."""
        a = self.ids.get(v)
        n = self.ctx2[a] if a is not None else 0
        if not n:
            return list(p1s)
        back = D * self.types2[a] / n  # type: ignore[index]
        keys, prefix = self.bi_keys, a << 16  # type: ignore[operator]
        lo = bisect.bisect_left(keys, prefix)
        hi = bisect.bisect_left(keys, prefix | 0xFFFF, lo)
        out = []
        for w, p1 in zip(words, p1s, strict=True):
            b, c = self.ids.get(w), 0
            if b is not None and lo < hi:
                i = bisect.bisect_left(keys, prefix | b, lo, hi)
                if i < hi and keys[i] == prefix | b:
                    c = self.bi_cont[i]
            out.append((c - D if c > D else 0.0) / n + back * p1)
        return out

    def span(self, u: str, v: str) -> tuple[int, int, int]:
        """(key prefix, first, end) of the trigrams of a seen context (u, v): a
        candidate's trigram is then searched in that range only."""
        prefix = self.ids[u] << 32 | self.ids[v] << 16
        lo = bisect.bisect_left(self.tri_keys, prefix)
        return prefix, lo, bisect.bisect_left(self.tri_keys, prefix | 0xFFFF, lo)

    def p3_in(self, span: tuple[int, int, int], w: str, p2: float, ctx: tuple[int, int]) -> float:
        """p3 of w in a context given by its `span`."""
        n, types = ctx
        c = self.ids.get(w)
        k = 0
        if c is not None and span[1] < span[2]:
            key = span[0] | c
            i = bisect.bisect_left(self.tri_keys, key, span[1], span[2])
            if i < span[2] and self.tri_keys[i] == key:
                k = self.tri_counts[i]
        return (k - D if k > D else 0.0) / n + D * types / n * p2

    def size(self) -> int:
        return len(self._mm)


DATA = Path(__file__).resolve().parent / "data"
_OPEN: dict[Path, NgramStore] = {}


def open_store(name: str, near: Path | None = None) -> NgramStore:
    """The store `name` beside the model file (`near`), else in the package's data (a
    model `vnplans train` wrote elsewhere uses the shipped store); mapped once per process."""
    path = DATA / Path(name).name
    if near is not None and (near / Path(name).name).is_file():
        path = near / Path(name).name
    path = path.resolve()
    hit = _OPEN.get(path)
    if hit is None:
        hit = _OPEN[path] = NgramStore(path)
    return hit
