"""Noisy-channel decoding of a line: candidates per token, beam search with the trigram LM.

score(candidate sequence) = Σ channel cost (rules + marks) − Σ log P_LM(syllable | two before).
Tokens that are not Vietnamese (numbers, dates, codes, abbreviations, foreign words) pass
through; document symbols get their Vietnamese letters back (ND-CP → NĐ-CP).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from ingest.orthography import is_syllable, marked_rate
from ocr.models import CharDoubt

from . import doubts as _doubts
from .channel import STRIPPED_RULES, MarkCosts, conf_scale, mark_cost
from .lexicon import fold_tone_placement, skeleton
from .lm import BOS, NUM, UNK, DocumentCache
from .model import Model, ends_sentence
from .symbols import is_code, repair_symbol

BEAM = 10
BEAM_WIDTH = 8.0  # nats behind the best state
TOP_K = 8
MAX_CHANNEL = 9.0  # candidates costlier than this are not considered
RANK_GAP = 4.0  # nats behind the best candidate's rank score
RANK_LM = 0.75  # weight of the unigram when candidates are cut to TOP_K, before context
_SYMBOL_LETTERS = frozenset("¢€&@")
PAIRS = True
DOC_SURE = 0.3  # alternatives' probability a choice needs to enter the document cache
FUZZY_PAIR = 7.0  # one letter edit beyond the learned rules, found through an intact partner
FUZZY_DAMAGED = 2.0  # the same edit on a marked word that is no syllable (Nohị): surely damage
WEAK = 9.5  # a token whose best candidate costs more than this (channel − unigram) is suspect
SHAPE_KEEP = 4.0  # keeping a bare skeleton of a syllable (xuyen): a stripped word, not a foreign one
VALID_RULES = 3.0
DAMAGED_KEEP = 2.0  # keeping a marked word that is no syllable (trƣởng, Nohị): extra nats
NAME_COST = 2.0  # measured on real vie OCR: Mù Cang Chải stays, fixes kept
CASE_WEIGHT = 0.5  # measured: 1.0 over-trusts the few capitals in our clean text
_LEAD = "\"'([{“‘«*•·"
_TRAIL = "\"'.,;:!?)]}”’»…"
_MARKER = re.compile(r"^[a-zđ]\)$")
_STOP = re.compile(r"[.;!?][\"'”’»)\]]*$")  # as the training text is cut into sentences
SENT_RESET = True
_ABBREV = re.compile(r"^(?:[IVXLC]+|[B-DF-HJ-NP-TV-XZĐ]{2,})$")  # roman numerals, vowelless caps
_MIXED = re.compile(r"^(?=.*[^\W\d_])(?=.*\d)[^\W_]{2,7}$")  # s6, 16i: letters with digits


@dataclass(frozen=True, slots=True)
class Cand:
    text: str  # restored core, case applied
    lm: str  # LM token
    cost: float  # channel cost


@dataclass(frozen=True, slots=True)
class Slot:
    """A token of the line: its span in the raw line and its candidates."""

    start: int
    end: int
    original: str
    cands: tuple[Cand, ...]
    kind: str
    stop: bool = False  # the token closes a sentence: the LM starts afresh after it


def split_core(chunk: str) -> tuple[int, int]:
    """(start, end) of the core of a whitespace chunk, without surrounding punctuation."""
    i, j = 0, len(chunk)
    while i < j and chunk[i] in _LEAD:
        i += 1
    while j > i and chunk[j - 1] in _TRAIL:
        j -= 1
    return i, j


def apply_case(original: str, cand: str) -> str:
    letters = [c for c in original if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return cand.upper()
    if original[:1].isupper():
        return cand[:1].upper() + cand[1:]
    return cand


class Decoder:
    """Decodes lines with one model and one set of mark costs (one page's worth)."""

    _shared: dict[tuple[int, MarkCosts], dict[str, tuple[Cand, ...]]] = {}
    _cased_shared: dict[tuple[int, MarkCosts], dict[tuple[str, tuple[Cand, ...]], tuple[Cand, ...]]] = {}
    _fuzzy_shared: dict[tuple[int, str, str, bool], frozenset[str]] = {}

    def __init__(self, model: Model, costs: MarkCosts) -> None:
        self.model = model
        self.costs = costs
        self.doc: DocumentCache | None = None  # set per document by the restorer
        # candidates depend only on the model and the costs: share them across pages
        self._cands = self._shared.setdefault((id(model), costs), {})
        self._cased_cache = self._cased_shared.setdefault((id(model), costs), {})
        if len(self._cands) > 200_000:
            self._cands.clear()
            self._cased_cache.clear()

    @classmethod
    def clear_caches(cls) -> None:
        """Forget candidates (benchmarks measure a cold start with this)."""
        cls._shared.clear()
        cls._cased_shared.clear()
        cls._fuzzy_shared.clear()

    @classmethod
    def for_lines(cls, model: Model, lines: list[str], ocr: bool = False) -> Decoder:
        text = "\n".join(lines)[:200_000]
        return cls(model, MarkCosts.for_text(marked_rate(text), ocr, damage_rate(text, model.index)))

    def candidates(self, core: str) -> tuple[Cand, ...]:
        hit = self._cands.get(core)
        if hit is None:
            hit = self._cands[core] = self._candidates(core)
        return hit

    def _candidates(self, core: str) -> tuple[Cand, ...]:
        lm, idx = self.model.lm, self.model.index
        obs = skeleton(core)
        scored: dict[str, float] = {}
        # a well-formed syllable on a page that kept its marks: its letters are likely right
        sure = VALID_RULES if self.costs.lost >= 1.0 and is_syllable(core) else 0.0
        for skel, rule_cost in self.model.rules.variants(obs).items():
            rule_cost = rule_cost * self.costs.rule_scale + (sure if skel != obs else 0.0)
            for syl in idx.get(skel, ()):
                cost = rule_cost + (mark_cost(core, syl, self.costs) if skel == obs
                                    else self.costs.lost * _marks(syl))
                if cost <= MAX_CHANNEL and cost < scored.get(syl, math.inf):
                    scored[syl] = cost
        lp1, logp1 = lm._logp1, lm.logp1
        rank = {syl: cost - RANK_LM * (lp1.get(syl) or logp1(syl)) for syl, cost in scored.items()}
        ranked = sorted(scored.items(), key=lambda kv: rank[kv[0]])[:TOP_K]
        if ranked:  # far behind the best before any context: the context will not save them
            ranked = [kv for kv in ranked if rank[kv[0]] <= rank[ranked[0][0]] + RANK_GAP]
        low = fold_tone_placement(core.lower())
        cands = [Cand(core if s == low else apply_case(core, s), s, c) for s, c in ranked]
        if not is_syllable(core):
            # letters mixed with digits (s6, 16i) are OCR damage far more often than codes
            keep = self.costs.keep + (4.0 if _MIXED.match(core) else 0.0)
            if obs in idx:
                keep += SHAPE_KEEP
            if self._damaged(core):  # the corpus LM's non-syllable class is abbreviations
                keep += DAMAGED_KEEP  # and list letters (điểm d), not damaged words
            cands.append(Cand(core, UNK, keep if cands or self._damaged(core) else 0.0))
        elif all(c.lm != low for c in cands):
            cands.append(Cand(core, low, 0.0))
        return tuple(cands)

    def slots(self, line: str, confs: dict[int, float] | None = None,
              doubts: dict[int, tuple[CharDoubt, ...]] | None = None) -> list[Slot]:
        """The line's tokens with candidates; `confs` (OCR confidence by the raw start of
        each word) makes changes cheaper where Tesseract was unsure, `doubts` (the
        characters it hesitated on, by the same key) where it weighed another reading."""
        out: list[Slot] = []
        where: dict[int, _doubts.Where] = {}
        prev = ""
        for m in re.finditer(r"\S+", line):
            a, b = split_core(m.group())
            core = m.group()[a:b]
            if not core:
                continue
            if not out and _MARKER.match(m.group()):  # a), b), đ): a list label, not a word
                out.append(Slot(m.start(), m.start() + 1, core, (Cand(core, _marker_lm(core), 0.0),), "passthrough"))
                prev = m.group()
                continue
            slot = self._slot(m.start() + a, core)
            if confs and m.start() in confs:
                slot = _scaled(slot, conf_scale(confs[m.start()]))
            if doubts is not None and m.start() in doubts and slot.kind == "word":
                where[len(out)] = _doubts.places(core, doubts[m.start()], a)
            if prev and not ends_sentence(prev) and slot.kind == "word":
                slot = self._cased(slot)
            if SENT_RESET and _STOP.search(m.group()):
                slot = replace(slot, stop=True)
            out.append(slot)
            prev = m.group()
        out = self._paired(out) if PAIRS else out
        for i, places in where.items():  # last: pairs add candidates at plain mark costs
            out[i] = self._doubted(out[i], places)
        return out

    def _paired(self, slots: list[Slot]) -> list[Slot]:
        """Add both syllables of every seen pair whose skeletons match two neighbours."""
        pairs = self.model.lm.pairs()
        extra: dict[int, set[str]] = {}
        fuzzy: dict[int, set[str]] = {}
        weak = [self._weak(slot) for slot in slots]
        for i in range(len(slots) - 1):
            a, b = slots[i], slots[i + 1]
            if a.kind != "word" or b.kind != "word" or b.start - a.end > 1:
                continue
            sa, sb = skeleton(a.original), skeleton(b.original)
            for v, w in pairs.get((sa, sb), ()):
                extra.setdefault(i, set()).add(v)
                extra.setdefault(i + 1, set()).add(w)
            for j, k, damaged, partner in ((i, i + 1, sa, sb), (i + 1, i, sb, sa)):
                if weak[j] and not weak[k]:
                    fuzzy.setdefault(j, set()).update(self._fuzzy(damaged, partner, j > k))
        for i, syls in extra.items():
            slots[i] = self._with(slots[i], syls)
        for i, syls in fuzzy.items():
            marked = self._damaged(slots[i].original)
            slots[i] = self._with(slots[i], syls, FUZZY_DAMAGED if marked else FUZZY_PAIR * self.costs.rule_scale,
                                  marked)
        return slots

    def _weak(self, slot: Slot) -> bool:
        """Rare and unsure: no candidate is both cheap and common. On a page that kept
        its marks, a well-formed syllable is a rare word as printed, not damage. Capitals
        are left out: headings and titles use a closed vocabulary the parser matches."""
        core = slot.original
        if slot.kind != "word" or core.isupper() or self.costs.lost >= 1.0 and is_syllable(core):
            return False
        if self._damaged(core):
            return True
        lm = self.model.lm
        lp1, cached = lm.logp1, lm._logp1
        return min(c.cost - (cached.get(c.lm) or lp1(c.lm)) for c in slot.cands) > WEAK

    def _fuzzy(self, damaged: str, partner: str, second: bool) -> frozenset[str]:
        """Syllables one letter edit from `damaged` that form a seen pair with an
        intact neighbour whose skeleton is `partner`."""
        if len(damaged) < 2:
            return frozenset()
        key = (id(self.model), damaged, partner, second)
        hit = self._fuzzy_shared.get(key)
        if hit is None:
            if len(self._fuzzy_shared) > 200_000:
                self._fuzzy_shared.clear()
            by_second, by_first = self.model.lm.pair_sides()
            table = by_first if second else by_second
            dist = Levenshtein.distance
            hit = self._fuzzy_shared[key] = frozenset(
                syl for skel, syl, _ in table.get(partner, ())
                if skel != damaged and dist(skel, damaged, score_cutoff=1) <= 1)
        return hit

    def _with(self, slot: Slot, syls: set[str], edit: float = 0.0, marked: bool = False) -> Slot:
        """`slot` with candidates `syls` added at `edit` plus their marks' cost: each
        mark counts as lost after an edit, unless the printed word kept its marks
        (`marked`: then they are compared letter by letter, or, when a letter was
        dropped or added, the marks gained or lost count, at least one)."""
        have = {c.lm for c in slot.cands}
        core = slot.original
        add = [Cand(apply_case(core, s), s, edit + self._marks_cost(core, s, bool(edit), marked))
               for s in sorted(syls - have)]
        add = [c for c in add if c.cost <= MAX_CHANNEL]
        if not add:
            return slot
        return Slot(slot.start, slot.end, core, slot.cands + tuple(add), slot.kind)

    def _damaged(self, core: str) -> bool:
        """A damaged Vietnamese word, on a page that kept its marks (on one that lost
        them, `é` or `ô` is OCR without Vietnamese printing a symbol, not a mark)."""
        return self.costs.lost >= 1.0 and damaged_word(core)

    def _marks_cost(self, core: str, syl: str, edited: bool, marked: bool) -> float:
        if edited and not marked:
            return self.costs.lost * _marks(syl)
        if marked and len(core) != len(syl):  # regression: trƣởng (ƣ for ư) became trong
            return self.costs.lost * max(1, abs(_marks(core.lower()) - _marks(syl)))
        return mark_cost(core, syl, self.costs)

    def _doubted(self, slot: Slot, where: _doubts.Where) -> Slot:
        """Price candidates by Tesseract's hesitation: a change it weighed costs what
        its hesitation says, one touching a letter it was sure of costs SURE_EXTRA more;
        the readings it weighed that are syllables are added."""
        core = slot.original
        cands = []
        for c in slot.cands:
            cost = _doubts.change_cost(core, c.text, where)
            if cost is None:
                cost = c.cost + (_doubts.SURE_EXTRA if c.text.lower() != core.lower() else 0.0)
            cands.append(c if cost == c.cost else Cand(c.text, c.lm, min(cost, MAX_CHANNEL)))
        have = {c.text for c in cands}
        index = self.model.index
        for text in sorted(_doubts.variants(core, where) - have):
            low = fold_tone_placement(text.lower())
            cost = _doubts.change_cost(core, text, where)
            if cost is not None and low in index.get(skeleton(low), ()):
                cands.append(Cand(text, low, cost))
        return Slot(slot.start, slot.end, core, tuple(cands), slot.kind)

    def _cased(self, slot: Slot) -> Slot:
        """Mid-sentence, a capital (or its absence) is evidence for the candidate."""
        core = slot.original
        if len(core) > 1 and core.isupper():
            return slot
        key = (core, slot.cands)
        cands = self._cased_cache.get(key)
        if cands is None:
            capital = core[0].isupper()
            lm = self.model.lm
            # a capital mid-sentence on a page that kept its marks is a name as printed
            name = NAME_COST if capital and self.costs.lost >= 1.0 else 0.0
            cands = self._cased_cache[key] = tuple(
                Cand(c.text, c.lm, c.cost - CASE_WEIGHT * lm.case_logp(c.lm, capital)
                     + (name if c.text != core else 0.0)) for c in slot.cands)
        return Slot(slot.start, slot.end, slot.original, cands, slot.kind)

    def _slot(self, start: int, core: str) -> Slot:
        end = start + len(core)
        mixed = _MIXED.match(core)
        if is_code(core) and not mixed:
            fixed = repair_symbol(core)
            return Slot(start, end, core, (Cand(fixed, NUM, 0.0),), "code")
        intact = self.costs.lost >= 1.0 or self.costs.rule_scale >= STRIPPED_RULES
        if mixed and intact or not any(c.isalpha() for c in core) and not _garbled(core):
            # on a page that kept its marks, or lost only them (stripped text: `Nậm Cang
            # 1A` became `là`), letters with digits (1A, B40) are codes
            return Slot(start, end, core, (Cand(core, NUM, 0.0),), "passthrough")
        if len(core) > 12 or _ABBREV.match(core):
            if self.costs.lost < 1.0 and "D" in core:  # marks lost: Đ may be printed as D
                fixed = self.model.lm.acronym(core)
                if fixed != core:
                    return Slot(start, end, core, (Cand(fixed, UNK, 0.0),), "code")
            return Slot(start, end, core, (Cand(core, UNK, 0.0),), "passthrough")
        cands = self.candidates(core)
        kind = "word" if len(cands) > 1 or cands[0].lm != UNK or self._damaged(core) else "passthrough"
        return Slot(start, end, core, cands, kind)

    def decode(self, slots: list[Slot], context: tuple[str, str] = (BOS, BOS)
               ) -> list[tuple[int, list[tuple[str, float]]]]:
        """Best candidate index per slot, with (text, probability) alternatives.
        `context` is the LM state the line starts in (the end of the previous line:
        print lines break sentences anywhere)."""
        beam: dict[tuple[str, str], tuple[float, Path]] = {context: (0.0, None)}
        for slot in slots:
            nxt = self._step(beam, slot)
            beam = _pruned(nxt)
            if slot.stop:  # as in training, a sentence end starts the context afresh
                best_state = min(beam.values(), key=lambda sp: sp[0])
                beam = {(BOS, BOS): best_state}
        best = _unroll(min(beam.values(), key=lambda sp: sp[0])[1]) if slots else []
        out = []
        ctx = context
        for slot, k in zip(slots, best, strict=True):
            out.append((k, self._alternatives(slot, ctx)))
            ctx = (BOS, BOS) if slot.stop else (ctx[1], slot.cands[k].lm)
        return out

    def _step(self, beam: dict[tuple[str, str], tuple[float, Path]], slot: Slot
              ) -> dict[tuple[str, str], tuple[float, Path]]:
        """Every beam state extended by every candidate of the slot, best per new state."""
        lm = self.model.lm
        ctx3, logps, logp2s = lm.ctx3, lm.logps, lm.logp2s
        seen3 = lm.has_context if lm.corpus is not None else None
        words = [c.lm for c in slot.cands]
        costs = [c.cost for c in slot.cands]
        nxt: dict[tuple[str, str], tuple[float, Path]] = {}
        doc = self.doc
        seen = doc.ctx if doc is not None else {}
        # states whose context was never seen share the bigram level: of those ending in
        # the same syllable only the best can win, so only it is extended
        shared: dict[str, tuple[float, Path]] = {}
        extend: list[tuple[str, float, Path, list[float]]] = []
        for (u, v), (score, path) in beam.items():
            if (u, v) in ctx3 or seen3 is not None and seen3(u, v):
                lps = logps(u, v, words)
                extend.append((v, score, path, doc.mixed(v, words, lps) if v in seen else lps))  # type: ignore[union-attr]
            else:
                old = shared.get(v)
                if old is None or score < old[0]:
                    shared[v] = (score, path)
        for v, (score, path) in shared.items():
            lps = logp2s(v, words)
            extend.append((v, score, path, doc.mixed(v, words, lps) if v in seen else lps))  # type: ignore[union-attr]
        for v, score, path, lps in extend:
            for k, (w, c, lp) in enumerate(zip(words, costs, lps, strict=True)):
                s = score + c - lp
                key = (v, w)
                old = nxt.get(key)
                if old is None or s < old[0]:
                    nxt[key] = (s, (k, path))  # a back pointer: copying the path was quadratic
        return nxt

    def remember(self, slots: list[Slot], best: list[tuple[int, list[tuple[str, float]]]]) -> None:
        """Feed the document cache with the line's neighbouring words as restored."""
        if self.doc is None:
            return
        for i in range(len(slots) - 1):
            a, b = slots[i], slots[i + 1]
            if a.kind == b.kind == "word" and b.start - a.end == 1 and _sure(best[i]) and _sure(best[i + 1]):
                self.doc.add(a.cands[best[i][0]].lm, b.cands[best[i + 1][0]].lm)

    def _alternatives(self, slot: Slot, ctx: tuple[str, str]) -> list[tuple[str, float]]:
        """The slot's likeliest candidates after the chosen left context (a confidence,
        not a full posterior: the right context is not summed over)."""
        if len(slot.cands) == 1:
            return [(slot.cands[0].text, 1.0)]
        logp = self.model.lm.logp
        u, v = ctx
        scores = [c.cost - logp(u, v, c.lm) for c in slot.cands]
        low = min(scores)
        weights = [math.exp(low - s) for s in scores]
        z = sum(weights)
        alts = sorted(((slot.cands[k].text, w / z) for k, w in enumerate(weights)),
                      key=lambda a: -a[1])
        return alts[:3]


def _sure(choice: tuple[int, list[tuple[str, float]]]) -> bool:
    return bool(choice[1]) and choice[1][0][1] >= DOC_SURE


def end_state(slots: list[Slot], best: Sequence[int], ctx: tuple[str, str]) -> tuple[str, str]:
    """The LM state after the chosen candidates (afresh after a sentence end)."""
    for slot, k in zip(slots, best, strict=True):
        ctx = (BOS, BOS) if slot.stop else (ctx[1], slot.cands[k].lm)
    return ctx


def _marker_lm(letter: str) -> str:
    return fold_tone_placement(letter) if is_syllable(letter) else UNK


# a beam state's choices so far, newest first, as back pointers: (index, earlier) or None
Path = tuple[int, "Path"] | None


def _unroll(path: Path) -> list[int]:
    """The candidate index per slot, oldest first."""
    out = []
    while path is not None:
        k, path = path
        out.append(k)
    return out[::-1]


def _pruned(states: dict[tuple[str, str], tuple[float, Path]]
            ) -> dict[tuple[str, str], tuple[float, Path]]:
    """The BEAM best states, and of those only the ones within BEAM_WIDTH nats of the
    best. Why both: a wide beam saves a rare word's first syllable until its partner
    arrives, and most of the time few states are anywhere near the best."""
    if len(states) <= 1:
        return states
    limit = min(sp[0] for sp in states.values()) + BEAM_WIDTH
    kept = [kv for kv in states.items() if kv[1][0] <= limit]
    if len(kept) > BEAM:
        kept = sorted(kept, key=lambda kv: kv[1][0])[:BEAM]
    return dict(kept)


def damage_rate(text: str, index: dict[str, tuple[str, ...]], sample: int = 4000) -> float:
    """Share of lower-case words that are not a syllable's skeleton. Why: text that lost
    only its marks (stripped, ~1 %) needs no letter repairs, legacy OCR (~17 %) needs many;
    the marked rate alone cannot tell the two apart."""
    words = [w for w in (m.group() for m in _WORD.finditer(text[:sample * 8])) if not w.isupper()]
    words = words[:sample]
    bad = sum(skeleton(w) not in index and not is_syllable(w) for w in words)
    return (bad + 1) / (len(words) + 10)  # a few words cannot show the letters are intact


_WORD = re.compile(r"(?<!\S)[^\W\d_]+(?=[.,;:)]?(?:\s|$))")


def damaged_word(core: str) -> bool:
    """A word with Vietnamese marks that is no syllable (`Nohị`, `quyê`): OCR damage to
    repair, not a foreign word or an abbreviation to keep (those carry no marks)."""
    return (1 < len(core) <= 7 and core.isalpha() and skeleton(core) != core.lower()
            and not is_syllable(core))


def _garbled(core: str) -> bool:
    """`¢6` (có), `&` inside a word: OCR without Vietnamese prints marked letters as these
    symbols, so a short token holding one is a damaged word, not a number."""
    return 1 < len(core) <= 7 and any(c in _SYMBOL_LETTERS for c in core)


def _scaled(slot: Slot, factor: float) -> Slot:
    if factor >= 1.0 or len(slot.cands) < 2:
        return slot
    cands = tuple(Cand(c.text, c.lm, c.cost * factor) for c in slot.cands)
    return Slot(slot.start, slot.end, slot.original, cands, slot.kind)


@lru_cache(maxsize=100_000)
def _marks(syllable: str) -> int:
    return sum(1 for c in syllable if skeleton(c) != c)
