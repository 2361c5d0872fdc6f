"""`make lexicon`: build diacritics/data/model.json.gz reproducibly.

Inputs, read at build time only: the syllable inventory generated from the orthography,
Debian's hunspell-vi (attested syllables), `wordfreq`'s Vietnamese frequencies (a general
unigram prior), pyvi's MIT word list and our hand-typed list of provinces (syllable pairs
inside words), the clean seed texts
(002, 004, gold 001) and Tesseract `eng` readings of pages rendered from them (the OCR
channel), and the public legal corpora of ../shared/corpora (`diacritics.corpus`: a
memory-mapped trigram store beside the model, mixed in with weight CORPUS_WEIGHT). Only
counts are written. Without the corpora the committed model is kept as it is.
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.orthography import is_syllable

from .channel import learn_rules
from .lexicon import all_syllables, fold_tone_placement, skeleton
from .lm import TrigramLM
from .model import MODEL_PATH, Model, lm_from_texts
from .store import NgramStore

if TYPE_CHECKING:
    from .corpus import CorpusCounts

SHARED = Path(__file__).resolve().parents[2] / "shared"
HUNSPELL = Path("/usr/share/hunspell/vi_VN.dic")
SOURCES = {"002": "seeds/002_*.txt", "004": "seeds/004_*.txt", "001": "gold/text/001.txt"}


def clean_texts(exclude: frozenset[str] | set[str] = frozenset()) -> dict[str, str]:
    out = {}
    for name, pattern in SOURCES.items():
        files = sorted(SHARED.glob(pattern))
        if files and name not in exclude:
            out[name] = files[0].read_text(encoding="utf-8")
    return out


def prior() -> dict[str, float]:
    """General unigram probabilities: wordfreq's, plus a floor for hunspell-attested
    syllables, normalised."""
    import wordfreq

    probs: dict[str, float] = {}
    for w in wordfreq.top_n_list("vi", 100_000):
        if is_syllable(w):
            key = fold_tone_placement(w)
            probs[key] = probs.get(key, 0.0) + wordfreq.word_frequency(w, "vi")
    if HUNSPELL.exists():
        for line in HUNSPELL.read_text(encoding="utf-8", errors="ignore").splitlines()[1:]:
            w = line.split("/")[0].strip().lower()
            if is_syllable(w):
                key = fold_tone_placement(w)
                probs[key] = probs.get(key, 0.0) + 2e-6
    total = sum(probs.values())
    return {w: round(p / total, 9) for w, p in probs.items() if p / total > 1e-9}


PLACES = Path(__file__).resolve().parent / "data" / "places.txt"


def word_pairs() -> Counter:
    """Syllable pairs inside pyvi's multi-syllable words and the names of provinces
    (one count per word)."""
    import pyvi

    path = Path(pyvi.__file__).parent / "models" / "words.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines += [x for x in PLACES.read_text(encoding="utf-8").splitlines() if not x.startswith("#")]
    pairs: Counter = Counter()
    for line in lines:
        sy = line.lower().replace(" - ", " ").split()
        if len(sy) > 1 and all(is_syllable(s) for s in sy):
            sy = [fold_tone_placement(s) for s in sy]
            pairs.update(zip(sy, sy[1:], strict=False))
    return pairs


def token_pairs(observed: str, truth: str) -> list[tuple[str, str]]:
    """(observed, intended) token pairs from two texts of the same content."""
    o, t = observed.split(), truth.split()
    sm = difflib.SequenceMatcher(a=[skeleton(x) for x in o], b=[skeleton(x) for x in t],
                                 autojunk=False)
    pairs = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag in ("equal", "replace") and i2 - i1 == j2 - j1:
            pairs += list(zip(o[i1:i2], t[j1:j2], strict=True))
    return pairs


def rendered_pairs(text: str) -> list[tuple[str, str]]:
    """Pairs from pages rendered from `text` and read by Tesseract `eng` (which, like
    the legacy archives, knows no Vietnamese)."""
    import pytesseract

    from samples.render import Style, render_document

    os.environ["OMP_THREAD_LIMIT"] = "1"
    pairs = []
    for k, page in enumerate(render_document(text, Style("liberation", 13, 300))):
        if k >= 3:
            break
        hyp = pytesseract.image_to_string(page.image, lang="eng", config="--dpi 300")
        pairs += token_pairs(hyp, page.truth)
    return pairs


CORPUS_WEIGHT = 0.95  # the corpus's share of the mix; chosen on held-out texts (DESIGN.md)
STORE_NAME = "corpus_lm.bin"


def base_lm(store: NgramStore | None = None, weight: float = CORPUS_WEIGHT) -> TrigramLM:
    lm = TrigramLM(prior=prior(), extra_bigrams=word_pairs(), vocab_size=len(all_syllables()))
    if store is not None:
        lm.corpus, lm.corpus_weight = store, weight
    return lm


def build(exclude: frozenset[str] | set[str] = frozenset(), with_renders: bool = True,
          store: NgramStore | None = None) -> Model:
    texts = clean_texts(exclude)
    lm = lm_from_texts(texts.values(), base_lm(store))
    rules: dict[str, Counter] = {}
    raw001 = sorted(SHARED.glob("seeds/001_*.txt"))
    if "001" in texts and raw001:
        rules["001"] = learn_rules(token_pairs(raw001[0].read_text(encoding="utf-8"), texts["001"]))
    if with_renders:
        for name, text in texts.items():
            rules[f"render-{name}"] = learn_rules(rendered_pairs(text))
    return Model.create(lm, rules)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m diacritics.build", description=__doc__)
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    ap.add_argument("--no-renders", action="store_true", help="skip the Tesseract eng pairs")
    ap.add_argument("--min-count", type=int, default=1, help="prune corpus trigrams seen fewer times")
    args = ap.parse_args(argv)
    corpora = SHARED / "corpora"
    if not SHARED.is_dir() or not corpora.is_dir():
        print(f"diacritics.build: {corpora} not found: keeping the committed model {args.out}",
              file=sys.stderr)
        return 0
    from .corpus import CorpusError, Shingles, corpus_files, count, leak_texts

    try:  # every corpus file is read before anything is written
        counts = count(corpus_files(corpora), Shingles(leak_texts(SHARED)), args.min_count)
    except CorpusError as exc:
        print(f"diacritics.build: {exc}; the committed model is untouched", file=sys.stderr)
        return 1
    model = _write(counts, args.out, not args.no_renders)
    meta = counts.meta
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KiB) and {STORE_NAME} "
          f"({model.lm.corpus.size() // 1024 if model.lm.corpus else 0} KiB): {len(model.lm.tri)} "
          f"trigrams of the seeds, {meta['trigrams_kept']} of {meta['trigram_types']} corpus "
          f"trigrams (seen ≥ {args.min_count} times) from {meta['tokens']} corpus tokens, "
          f"{sum(meta['dropped'].values())} corpus paragraphs dropped as leaks; "
          f"{sum(len(c) for c in model.rule_counts.values())} rules")
    return 0


def _write(counts: CorpusCounts, out: Path, with_renders: bool) -> Model:
    """The store beside the model, then the model; a failure leaves both as they were."""
    from .corpus import save

    tmp = out.parent / (STORE_NAME + ".new")
    try:
        save(counts, tmp)
        model = build(with_renders=with_renders, store=NgramStore(tmp))
        tmp.replace(out.parent / STORE_NAME)
    finally:
        tmp.unlink(missing_ok=True)
    model.lm.corpus = NgramStore(out.parent / STORE_NAME)
    model.save(out)
    return model

if __name__ == "__main__":
    sys.exit(main())
