"""Administrative bodies, officials, collectives and named people in a text, by grammar.

Why grammar and not a list of units: every province, ministry and commune names its
bodies differently, but the names are built the same way: a head from a closed set
(`Sở`, `UBND`, `Phòng`, `Chi cục` ..., `parser.vocab`) and a name after it, printed with
capitals (`Sở Nông nghiệp và Môi trường`), a place word (`Công an tỉnh`, `UBND xã Bản
Lầu`) or a plural list (`UBND các xã, phường`); a collective is a plural and nouns
(`các sở, ban, ngành tỉnh`); an official is a title before a unit (`Chủ tịch UBND các
xã`); a person is `Ông`/`Bà` and a capitalised name, with a role after it.

Heads are found by a spaCy `Matcher` over tokens whose NORM is the folded form (so
`Uy ban`, `Ủy ban` and OCR's `Ủy bạn` match alike); the extent of each name is then read
token by token. A conjunction or comma before another head ends a name, so conjoined
units come out one by one. Offsets are characters of the text given, so every unit maps
back to its page, raw text and box.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from .doc import clean, fold
from .tokens import Tok, at, is_word, phrases, split, tokens
from .vocab import (
    COLLECTIVE_NOUNS,
    DOMAINS,
    GROUPS,
    MODIFIERS,
    OFFICIALS,
    PERSON_TITLES,
    PLACE_WORDS,
    PLURALS,
    QUALIFIERS,
    STANDALONE,
    STOP_WORDS,
    UNIT_HEADS,
)

UnitKind = Literal["body", "official", "collective", "person"]
@dataclass(frozen=True, slots=True)
class Unit:
    """A unit mention: [start, end) in the text, the name as printed (spacing folded)."""

    start: int
    end: int
    text: str
    kind: UnitKind
    person: str | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end or not self.text:
            raise ValueError(f"bad unit {self}")

    @property
    def collective(self) -> bool:
        return self.kind == "collective" or bool(re.search(r"\b(?:cac|tat ca|nhung|cap (?:xa|huyen|tinh))\b",
                                                            fold(self.text)))


@lru_cache(maxsize=1)
def _nlp():
    """A blank Vietnamese pipeline (no pyvi: tokens are made here) and a PhraseMatcher
    of the vocabularies, on folded tokens (hash lookups: a Matcher of token patterns cost
    half the parser's time on long documents)."""
    import spacy
    from spacy.matcher import PhraseMatcher

    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
    for label, words in (("HEAD", UNIT_HEADS), ("OFFICIAL", OFFICIALS), ("PLURAL", PLURALS),
                           ("GROUP", GROUPS), ("PERSON", PERSON_TITLES)):
        matcher.add(label, [_doc(nlp, split(p)) for p in words])
    return nlp, matcher


def _doc(nlp, words: list[str]):
    from spacy.tokens import Doc

    return Doc(nlp.vocab, words=words, spaces=[True] * len(words))


_STOP = phrases(STOP_WORDS)
_PLACE = phrases(PLACE_WORDS)
_QUAL = phrases(QUALIFIERS)
_NOUNS = phrases(COLLECTIVE_NOUNS)
_PLUR = phrases(PLURALS)
_HEADS = phrases(UNIT_HEADS)
_OFFICIAL = phrases(OFFICIALS)
_GROUPS = phrases(GROUPS)
_DOMAINS = phrases(DOMAINS)
_MODS = phrases(MODIFIERS)
_ALONE = {tuple(split(p)) for p in STANDALONE}


def _stop(toks: list[Tok], k: int) -> int:
    """Length of the verb or function word at k (0: none)."""
    return at(toks, k, _STOP)


def find_units(text: str) -> list[Unit]:
    """Every unit mention in `text`, left to right, none overlapping."""
    toks = tokens(text)
    if not toks:
        return []
    starts = _matches(toks)
    out: list[Unit] = []
    i = 0
    while i < len(toks):
        label = starts.get(i)
        found = _read(text, toks, i, label) if label else None
        if found is None:
            i += 1
            continue
        unit, i = found
        out.append(unit)
    return out


def _matches(toks: list[Tok]) -> dict[int, str]:
    """Token index → the label of the first vocabulary phrase starting there (a person's
    title before an official's, an official's before a plural, a plural before a head)."""
    nlp, matcher = _nlp()
    doc = _doc(nlp, [t.norm for t in toks])
    order = {"PERSON": 0, "OFFICIAL": 1, "PLURAL": 2, "GROUP": 3, "HEAD": 4}
    out: dict[int, str] = {}
    for match_id, start, _ in matcher(doc):
        label = nlp.vocab.strings[match_id]
        if start not in out or order[label] < order[out[start]]:
            out[start] = label
    return out


def _read(text: str, toks: list[Tok], i: int, label: str) -> tuple[Unit, int] | None:
    if label == "PERSON":
        return _person(text, toks, i)
    if label == "OFFICIAL":
        return _official(text, toks, i)
    if label == "GROUP":
        end: int | None = i + at(toks, i, _GROUPS)
    else:
        end = _collective(toks, i) if label == "PLURAL" else _body(toks, i)
    if end is None:
        return None
    if label != "HEAD":
        end = _modifier(toks, end)
    kind: UnitKind = "body" if label == "HEAD" else "collective"
    return _unit(text, toks, i, end, kind), end


def _unit(text: str, toks: list[Tok], i: int, end: int, kind: UnitKind,
          person: str | None = None) -> Unit:
    a, b = toks[i].start, toks[end - 1].end
    return Unit(a, b, " ".join(text[a:b].split()), kind, person)


def _body(toks: list[Tok], i: int) -> int | None:
    """End (token index) of the body whose head is at i, None when it is no unit."""
    n = at(toks, i, _HEADS)
    if not n:
        return None
    head = tuple(t.norm for t in toks[i:i + n])
    nxt = toks[i + n] if i + n < len(toks) else None
    shout = nxt is not None and toks[i].text.isupper() and nxt.text.isupper() and len(nxt.text) > 1
    if nxt is not None and (not nxt.cap or shout) and is_word(toks[i + n - 1], nxt):
        return None  # `ban hành`, `tổ chức`, `bảo đảm`: a word, not a head
    if not toks[i].cap and (nxt is None or not nxt.cap):
        return None  # a lower-case head needs a capitalised name (`phòng Quản lý ...`)
    end, named = _name(toks, i + n, head)
    if named or (toks[i].cap and head in _ALONE):
        return end
    return None


def _name(toks: list[Tok], k: int, head: tuple[str, ...]) -> tuple[int, bool]:
    """Read a name from token k: (end, whether it holds a name, place or collective)."""
    named, last_cap = False, k - 1
    while k < len(toks):
        t = toks[k]
        step = _name_step(toks, k, head, k - last_cap)
        if step == 0:
            break
        if t.cap or at(toks, k, _PLACE) or at(toks, k, _PLUR) or at(toks, k, _QUAL):
            named = True
        k += step
        last_cap = k - 1 if toks[k - 1].cap else last_cap
    return k, named


def _name_step(toks: list[Tok], k: int, head: tuple[str, ...], since_cap: int) -> int:
    """How many tokens at k continue the name (0: it ends before k)."""
    t = toks[k]
    nxt = toks[k + 1] if k + 1 < len(toks) else None
    if t.line_start and (not t.text[:1].isalpha() or _stop(toks, k) or at(toks, k, _HEADS)):
        return 0  # a new line that opens a bullet, a duty verb or another unit
    starts_unit = nxt is not None and (bool(at(toks, k + 1, _HEADS)) or bool(at(toks, k + 1, _OFFICIAL)))
    if t.text in "-–&":
        return 1 if nxt is not None and nxt.cap else 0
    if t.text == "," and at(toks, k - 1, _PLACE) and at(toks, k + 1, _PLACE):
        return 1 + at(toks, k + 1, _PLACE)  # `UBND cấp xã, phường`
    if t.norm == "va" or t.text == ",":
        comma_ok = t.text != "," or head[:1] in (("so",), ("bo",), ("vu",), ("cuc",))
        return 1 if comma_ok and nxt is not None and nxt.cap and not starts_unit else 0
    if t.cap:
        if t.text.isupper() and len(t.text) > 1 and _stop(toks, k):
            return 0  # a line in capitals: `GIÁM ĐỐC SỞ CÔNG THƯƠNG THỰC HIỆN`
        return 1 if t.text.isalnum() or t.text.isdigit() else 0
    if not t.text[:1].isalpha():
        return 0
    for table in (_PLACE, _QUAL):
        n = at(toks, k, table)
        if n:
            return n
    if at(toks, k, _PLUR):
        end = _collective(toks, k)
        return (end - k) if end else 0
    if _stop(toks, k):
        return 0
    if since_cap <= 1 and is_word(toks[k - 1], t):
        return 1
    return _lower_run(toks, k)


def _lower_run(toks: list[Tok], k: int) -> int:
    """A run of one or two lower-case words inside a name, before its next capital
    (`Chi nhánh Mỏ tuyển đồng Sin Quyền`): none of them a verb or a function word."""
    for n in (1, 2):
        if k + n < len(toks) and toks[k + n].cap and toks[k + n].text.isalpha() \
                and not at(toks, k + n, _HEADS) and not at(toks, k + n, _OFFICIAL):
            run = toks[k:k + n]
            if all(t.text.isalpha() and not t.cap and not _stop(toks, k + j)
                   for j, t in enumerate(run)):
                return n
    return at(toks, k, _DOMAINS)  # a field of work in lower case (`Phòng Quản lý công nghiệp`)


def _collective(toks: list[Tok], i: int) -> int | None:
    """End of `các sở, ban, ngành tỉnh`-like collectives at i (a plural, then nouns)."""
    plural = at(toks, i, _PLUR)
    if not plural:
        return None
    k = i + plural
    n = at(toks, k, _NOUNS) or at(toks, k, _HEADS)
    if not n or _glued(toks, k + n - 1):
        return None
    k += n
    while k < len(toks):
        t = toks[k]
        if t.line_start and t.cap:
            break
        m = at(toks, k, _NOUNS)
        if m and not _glued(toks, k + m - 1) and not t.cap and not _stop(toks, k):
            k += m  # `các phòng đơn vị thuộc Sở`: nouns with no comma between
            continue
        if t.text == "," or t.norm == "va":
            m = at(toks, k + 1, _NOUNS)
            if m and not _glued(toks, k + m) and not (toks[k + 1].cap and at(toks, k + 1, _HEADS) and t.norm == "va"):
                k += 1 + m
                continue
            break
        m = at(toks, k, _QUAL) or at(toks, k, _PLACE)
        if m:
            k += m
            continue
        if t.cap and t.text.isalnum() and (toks[k - 1].norm in ("so", "tinh", "huyen", "xa", "thuoc")
                                           or at(toks, k, _HEADS) and not at(toks, k + 1, _HEADS)
                                           and (k + 1 >= len(toks) or not toks[k + 1].cap)):
            k += 1  # `thuộc Sở Công Thương`, `tỉnh Lào Cai`
            continue
        break
    return k


def _glued(toks: list[Tok], k: int) -> bool:
    """Token k makes a word with the lower-case one after it (`trường hợp`, `phương tiện`)."""
    return k + 1 < len(toks) and not toks[k + 1].cap and is_word(toks[k], toks[k + 1]) \
        and not at(toks, k + 1, _QUAL) and not at(toks, k + 1, _PLACE) and not at(toks, k + 1, _NOUNS)


def _modifier(toks: list[Tok], k: int) -> int:
    """A collective's modifier after it (`hoạt động khoáng sản trên địa bàn tỉnh`), to the
    next punctuation, line break before a capital, or duty verb."""
    n = at(toks, k, _MODS)
    if not n:
        return k
    end = k + n
    while end < len(toks) and end - k < 16 and (toks[end].text[:1].isalnum() or (
            toks[end].text == "," and at(toks, end + 1, _MODS))):  # `thăm dò, khai thác`
        t = toks[end]
        if (t.line_start and t.cap) or (_stop(toks, end) and not at(toks, end, _MODS)) \
                or t.norm in ("va", "hoac"):
            break
        end += 1
    return end if end > k + n else k


def _official(text: str, toks: list[Tok], i: int) -> tuple[Unit, int] | None:
    """`Giám đốc Sở X`, `Chủ tịch UBND các xã`, `Thủ trưởng các ban, ngành`, or a role
    alone (`Trưởng đoàn`) when capitalised."""
    n = at(toks, i, _OFFICIAL)
    if not n:
        return None
    k = i + n
    for reader in (_body, _collective):
        end = reader(toks, k) if k < len(toks) else None
        if end:
            return _unit(text, toks, i, end, "official"), end
    if toks[i].cap:
        end, _ = _name(toks, k, ())
        return _unit(text, toks, i, max(end, k), "official"), max(end, k)
    return None


def _person(text: str, toks: list[Tok], i: int) -> tuple[Unit, int] | None:
    """`Ông Hoàng Văn Thuân - Trưởng đoàn`: the role is the unit, the name the person."""
    n = at(toks, i, PERSON_TABLE)
    if not n:
        return None
    k = i + n
    if k < len(toks) and toks[k].text == ".":
        k += 1  # `Ông. Hoàng Văn Thuân`
    a = k
    while k < len(toks) and toks[k].cap and toks[k].text.isalpha() and k - a < 5:
        k += 1
    if k - a < 2:
        return None
    name = " ".join(t.text for t in toks[a:k])
    if k < len(toks) and toks[k].text in "-–,:(" and k + 1 < len(toks):
        role = _official(text, toks, k + 1) if at(toks, k + 1, _OFFICIAL) else None
        if role is not None:
            unit, end = role
            return Unit(toks[i].start, unit.end, unit.text, "person", name), end
    return _unit(text, toks, a, k, "person", name), k


_DASH = re.compile(r"(?<=\w)\s*[-–]\s+(?=\w)|(?<=\w)\s+[-–]\s*(?=\w)")


def unit_name(unit: str) -> str:
    """`Phòng Kế hoạch- Tài chính- Tổng hợp` → `Phòng Kế hoạch - Tài chính - Tổng hợp`:
    a dash spaced on one side only is a separator between name parts, spaced on both."""
    return _DASH.sub(" - ", clean(unit))


PERSON_TABLE = phrases(PERSON_TITLES)

