"""Public verbs of the restoration stage: lines, pages and text in, restored forms out.

Why lines in, lines out: reviewers compare raw and restored text line by line, and the
parser's spans must map back to OCR words, so a line is never split or joined and every
restored character keeps an offset into its raw line.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from ingest.orthography import is_syllable, marked_rate
from ocr.models import CharDoubt, OcrPage, Word

from .channel import MarkCosts
from .decode import Decoder, damage_rate, end_state
from .lexicon import skeleton
from .lm import BOS, DocumentCache
from .model import MODEL_PATH, Model, forget, lm_from_texts, load, load_model
from .models import RestoredLine, RestoredPage, RestoredToken
from .symbols import time_marks

T = TypeVar("T")
DOC_CACHE = True  # each call remembers its own word pairs (see DocumentCache)
MAX_LINE = 20_000  # longer lines are decoded in windows of this many characters


class Restorer:
    """A loaded model; `restore` decodes lines with mark costs fitted to them."""

    def __init__(self, model: Model | None = None) -> None:
        self.model = model or load()

    def restore(self, lines: Sequence[str], ocr: bool = False,
                confs: Sequence[dict[int, float]] | None = None,
                doubts: Sequence[dict[int, tuple[CharDoubt, ...]]] | None = None
                ) -> list[RestoredLine]:
        """`ocr`: the lines are Vietnamese OCR output (marks less sure than in clean
        text); `confs`: per line, the OCR confidence of each word by its start; `doubts`:
        per line, the characters of each word Tesseract hesitated on."""
        decoder = Decoder.for_lines(self.model, list(lines), ocr)
        # a line of several words without a single mark lost its marks even on a page
        # that is otherwise good Vietnamese; its letters may be intact or damaged too
        unmarked = [_unmarked(line) for line in lines]
        bare = "\n".join(line for line, u in zip(lines, unmarked, strict=True) if u)
        legacy = Decoder(self.model, MarkCosts.for_text(0.0, damage=damage_rate(bare, self.model.index)))
        # only where marks were lost: on a page that kept them, a cached slip repeats itself
        legacy.doc = DocumentCache() if DOC_CACHE else None
        decoder.doc = legacy.doc if decoder.costs.lost < 1.0 else None
        out, ctx, label = [], (BOS, BOS), ""
        for i, line in enumerate(lines):
            use = legacy if unmarked[i] else decoder
            restored, ctx = _restore_line(use, line, ctx, confs[i] if confs else None,
                                          doubts[i] if doubts else None)
            restored, label = _list_label(restored, label)
            out.append(restored)
        return out


_LABEL = re.compile(r"\s*([a-zđ])\)\s")


def _list_label(line: RestoredLine, prev: str) -> tuple[RestoredLine, str]:
    """Lettered items run a, b, c, d, đ, e: a second `d)` is an `đ)` that lost its bar
    (legacy OCR, stripped text, a slip of Tesseract)."""
    m = _LABEL.match(line.text + " ")
    if not m:
        return line, prev
    if m.group(1) != "d" or prev != "d":
        return line, m.group(1)
    i = m.start(1)
    text = line.text[:i] + "đ" + line.text[i + 1:]
    tokens = tuple(replace(t, restored="đ", kind="word") if t.start == line.offsets[i] and t.restored == "d"
                   else t for t in line.tokens)
    return RestoredLine(line.raw, text, tokens, line.offsets), "đ"


def _unmarked(line: str) -> bool:
    words = [w for w in line.split() if w.isalpha() and not w.isupper()]
    return len(words) >= 4 and marked_rate(line) == 0.0


def _restore_line(decoder: Decoder, raw: str, ctx: tuple[str, str],
                  confs: dict[int, float] | None = None,
                  doubts: dict[int, tuple[CharDoubt, ...]] | None = None
                  ) -> tuple[RestoredLine, tuple[str, str]]:
    """One line, and the LM state it ends in. Why no reset at a blank line: the model
    is trained on sentences, and layouts (tables, double spacing) put blank lines inside
    them; the state starts afresh after a sentence end instead."""
    if len(raw) > MAX_LINE:
        pieces = []
        for a, b in _windows(raw):
            piece, ctx = _restore_line(decoder, raw[a:b], ctx)
            pieces.append(piece)
        return _join(pieces, raw), ctx
    slots = decoder.slots(raw, confs, doubts)
    best = decoder.decode(slots, ctx)
    decoder.remember(slots, best)
    ctx = end_state(slots, [k for k, _ in best], ctx)
    tokens: list[RestoredToken] = []
    parts: list[str] = []
    offsets: list[int] = []
    pos = 0
    vie_ocr = decoder.costs.slip is not None
    prev = ""  # the line's first word: its case is judged on its own
    for i, (slot, (k, alts)) in enumerate(zip(slots, best, strict=True)):
        text = slot.cands[k].text
        if vie_ocr and slot.kind == "word":
            text = case_slip(text, prev, slots[i + 1].original if i + 1 < len(slots) else "")
        prev = text if slot.kind == "word" else ""
        parts.append(raw[pos:slot.start])
        offsets += range(pos, slot.start)
        parts.append(text)
        offsets += _span_map(slot.start, slot.end, len(text))
        pos = slot.end
        conf = next((p for t, p in alts if t == text), alts[0][1] if alts else 1.0)
        tokens.append(RestoredToken(slot.original, text, slot.start, slot.end,
                                    min(1.0, max(0.0, conf)), slot.kind, tuple(alts)))  # type: ignore[arg-type]
    parts.append(raw[pos:])
    offsets += range(pos, len(raw) + 1)
    text = "".join(parts)
    if vie_ocr:  # one character for one: the offsets hold
        text = time_marks(text)
    return RestoredLine(raw, text, tuple(tokens), tuple(offsets)), ctx


_SIZE_ONLY = frozenset("cosuvwxz")  # capital and small letter differ in size alone (skeletons)


def case_slip(word: str, prev: str, nxt: str = "") -> str:
    """`word` with the capitals Tesseract misread on letters whose capital is the small
    letter drawn bigger (`CÔng`, `SỐ` in `doanh nghiệp SỐ: 53...` for `công`, `số`).
    A syllable mixing cases is a slip wherever it stands; one in capitals is taken for a
    slip only right after a word in small letters (`prev`, the word before on the line)
    and not before another word in capitals
    (`nxt`: a run of capitals is a name or a title). The first letter is lowered only
    after a small word, and only size-only letters change (ô, ơ, ư, ố count as o, u): a
    capital with its own shape (`T`, `Đ`, `H`) was printed as a capital."""
    if word.islower() or len(word) < 2 or not is_syllable(word):
        return word
    tail_upper = any(c.isupper() for c in word[1:])
    mixed = tail_upper and any(c.islower() for c in word)
    # a run of capitals after a small word is a name or a title (ông VÕ VĂN A)
    after_small = prev[:1].islower() and prev.isalpha() and not (len(nxt) > 1 and nxt.isupper())
    if not (mixed or tail_upper and after_small):
        return word
    if not all(skeleton(c) in _SIZE_ONLY for c in word if c.isupper()):
        return word
    return "".join(c.lower() if c.isupper() and (i or after_small) else c for i, c in enumerate(word))


def _windows(raw: str) -> list[tuple[int, int]]:
    """[start, end) windows of at most MAX_LINE characters, cut at a space (a word cut in
    two would be restored as two)."""
    out, a = [], 0
    while a < len(raw):
        b = min(len(raw), a + MAX_LINE)
        if b < len(raw):
            space = raw.rfind(" ", a + MAX_LINE // 2, b)
            b = space + 1 if space > 0 else b
        out.append((a, b))
        a = b
    return out


def _span_map(start: int, end: int, n: int) -> list[int]:
    """Raw offsets for the n characters replacing raw[start:end] (monotonic)."""
    width = end - start
    return [start + (i * width) // max(1, n) for i in range(n)]


def _join(pieces: list[RestoredLine], raw: str) -> RestoredLine:
    text, tokens, offsets, base = "", [], [], 0
    for p in pieces:
        text += p.text
        offsets += [o + base for o in p.offsets[:-1]]
        tokens += [RestoredToken(t.original, t.restored, t.start + base, t.end + base,
                                 t.confidence, t.kind, t.alternatives) for t in p.tokens]
        base += len(p.raw)
    return RestoredLine(raw, text, tuple(tokens), (*offsets, len(raw)))


_DEFAULT: Restorer | None = None


def _default() -> Restorer:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Restorer()  # two threads may both build one: they share the loaded model
    return _DEFAULT


def restore(lines: Sequence[str], restorer: Restorer | None = None) -> list[RestoredLine]:
    """Restore diacritics and repair OCR damage, line by line (with the shipped model
    unless `restorer` holds another, e.g. `Restorer(load_model(path))`)."""
    return (restorer or _default()).restore(lines)


def restore_text(text: str, restorer: Restorer | None = None) -> str:
    """The restored text, with exactly the input's lines (same count and order)."""
    lines = text.split("\n")
    return "\n".join(r.text for r in restore(lines, restorer))


def restore_page(page: OcrPage, restorer: Restorer | None = None) -> RestoredPage:
    """A page's text restored, with an offset map to the raw page text."""
    raw_lines = page.text.split("\n")
    ocr = page.source == "ocr"
    confs = _word_confs(page, raw_lines) if ocr else None
    doubts = _word_doubts(page, raw_lines) if ocr else None
    restored = (restorer or _default()).restore(raw_lines, ocr, confs, doubts)
    offsets: list[int] = []
    base = 0
    for r in restored:
        offsets += [base + o for o in r.offsets[:-1]]
        offsets.append(base + len(r.raw))  # the newline (or the end)
        base += len(r.raw) + 1
    text = "\n".join(r.text for r in restored)
    return RestoredPage(page, text, tuple(restored), tuple(offsets))


def _word_confs(page: OcrPage, raw_lines: list[str]) -> list[dict[int, float]]:
    """Per line, each OCR word's confidence keyed by its start within the line."""
    return _by_line(page, raw_lines, lambda w: w.conf)


def _word_doubts(page: OcrPage, raw_lines: list[str]) -> list[dict[int, tuple[CharDoubt, ...]]]:
    """Per line, the doubted characters of each OCR word read in process (none
    doubted: an empty tuple), by its start."""
    return _by_line(page, raw_lines, lambda w: w.doubts)


def _by_line(page: OcrPage, raw_lines: list[str],
             value: Callable[[Word], T | None]) -> list[dict[int, T]]:
    """Per line, `value` of each word that has one, keyed by the word's start in the line."""
    starts, pos = [], 0
    for line in raw_lines:
        starts.append(pos)
        pos += len(line) + 1
    out: list[dict[int, T]] = [{} for _ in raw_lines]
    for w in page.words:
        i = bisect.bisect_right(starts, w.start) - 1
        v = value(w)
        if 0 <= i < len(out) and v is not None:
            out[i][w.start - starts[i]] = v
    return out


def train(corpus_dir: str | Path, model_path: str | Path = MODEL_PATH) -> Path:
    """Extend the model with a user's own clean Vietnamese text (*.txt, recursively)."""
    from ingest import decode_text
    from vnplans.exceptions import InputNotFoundError

    files = sorted(Path(corpus_dir).rglob("*.txt")) if Path(corpus_dir).is_dir() else []
    if not files:  # a missing path is a missing input (exit 3), not a bug (70)
        raise InputNotFoundError("no .txt files to train on", path=corpus_dir)
    texts = [decode_text(f.read_bytes())[0] for f in files]
    base = load_model(model_path) if Path(model_path).exists() else load()
    lm = lm_from_texts(texts, base.lm)
    out = Model.create(lm, base.rule_counts)
    out.save(Path(model_path))
    forget()
    global _DEFAULT
    _DEFAULT = None
    return Path(model_path)
