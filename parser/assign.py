"""Who must do what, with whom, by when: assignments read from a document's prose.

Forms (each seen across agencies, not in one document):
- a unit titling an item, its tasks after it (`4. Sở Nông nghiệp và Môi trường:` then
  `- Chủ trì, phối hợp với Thuế tỉnh ... triển khai ...`): each bullet or paragraph is a
  task of the unit (lead; all for a collective), each partner a support of that task;
- a unit as the subject of a duty (`Sở X chủ trì ...`, `Các sở, ban, ngành ... có trách
  nhiệm ...`, `Chủ tịch UBND các xã chịu trách nhiệm ...`), or after an assigning word
  (`giao Sở X ...`, `đề nghị Ủy ban MTTQ tỉnh phối hợp ...`, `UBND tỉnh yêu cầu ...`);
- a person with a role (`Ông X - Trưởng đoàn: Phụ trách chung ...`).
Inside a duties part (`Tổ chức thực hiện`, `Trách nhiệm ...`, `Phân công ...`) every
sentence led by a unit is a duty; elsewhere only sentences with an assigning word or a
duty verb are, so a report's narrative (`Sở đã phối hợp ...`) or a preamble (`Sở Công
Thương xây dựng Kế hoạch ...`) gives none.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import replace

from .doc import Doc, clean, fold
from .models import Responsibility, RespRole, RespSource, Section
from .parts import (
    CLOSING,
    NON_DUTY_PART,
    PREAMBLE,
    duty_parts,
    paragraphs,
    parts,
    recipients,
    section_start,
    sentences,
    skip_number,
)
from .units import Unit, find_units, unit_name
from .vocab import ASSIGN_INTRO, DOERS, SUPPORT_INTRO
from .when import cadence, deadline

_INTRO = re.compile(r"(?:^|(?<=[\s,;:(]))(?:" + "|".join(sorted(map(re.escape, ASSIGN_INTRO), key=len, reverse=True))
                    + r")\s*:?\s*$")
_INTRO_START = re.compile(r"^(?:" + "|".join(sorted(map(re.escape, ASSIGN_INTRO), key=len, reverse=True)) + r")\b")
_SUPPORT = re.compile(r"(?:" + "|".join(sorted(map(re.escape, SUPPORT_INTRO), key=len, reverse=True))
                      + r")\s*$")
# a duty verb right after a subject outside duties parts (the subject must do it)
_DUTY = re.compile(r"^(?:\(\w+\)\s*)?(?:co trach nhiem|chiu trach nhiem|chu tri|la (?:co quan )?dau moi|"
                   r"lam dau moi|la co quan (?:thuong truc|chu tri)|phoi hop|khan truong|chu dong|"
                   r"can cu|tiep tuc|nghiem tuc|co nhiem vu|tham muu|to chuc thuc hien|"
                   r"thuc hien|trien khai|theo doi|huong dan|bao cao)\b")
_PAST = re.compile(r"^(?:da|dang|vua|nhan duoc|ban hanh|xay dung ke hoach|co van ban|de nghi)\b")
_SEP = re.compile(r"^[\s,;:và]*$")
_SUPPORT_FIRST = re.compile(r"^phoi hop\b(?!\s*,\s*(?:trien khai|thuc hien|to chuc))")
_COORDINATES = re.compile(r"^(?:chu dong\s+|tich cuc\s+|tiep tuc\s+)?phoi hop\b")
# parts that state aims, not duties: a unit leading a sentence there is no assignment


class _Reader:
    """Reads one document's assignments (the unit mentions found once for the whole text)."""

    def __init__(self, doc: Doc, sections: list[Section], locate: Callable[[int], str],
                 addressee: tuple[int, int] | None = None) -> None:
        self.doc, self.sections, self.locate = doc, sections, locate
        self.units = find_units(doc.text)
        if addressee is not None:
            self.units = sorted(self.units + _references(doc, self.units, addressee), key=lambda u: u.start)
        self.starts = [u.start for u in self.units]
        self.out: list[Responsibility] = []

    def within(self, a: int, b: int) -> list[Unit]:
        i = bisect.bisect_left(self.starts, a)
        j = bisect.bisect_left(self.starts, b)
        return [u for u in self.units[i:j] if u.end <= b]

    def leading(self, a: int, b: int) -> tuple[list[Unit], int]:
        """Units at the start of [a, b) (after an assigning word), joined by commas,
        semicolons or `và`, and where the text after them starts."""
        f = self.doc.flat  # one line: a cue may wrap (`có trách\nnhiệm`)
        cands = self.within(a, b)
        subjects: list[Unit] = []
        pos = a
        for u in cands:
            gap = f[pos:u.start]
            if not subjects and (_SEP.match(gap) or _INTRO.search(gap) and len(gap) < 80):
                subjects, pos = [u], u.end
            elif subjects and _SEP.match(gap.replace(" va ", " ")):
                if gap.strip() == ":" and subjects[-1].collective:
                    subjects.pop()  # `Giám đốc các sở, ngành: Sở X, Sở Y`: the list says who
                subjects.append(u)
                pos = u.end
            else:
                break
        return subjects, pos

    def only_units(self, a: int, b: int) -> bool:
        """[a, b) holds units and separators only."""
        subjects, pos = self.leading(a, b)
        return bool(subjects) and not self.doc.flat[pos:b].strip(" ,;:.")

    def add(self, unit: Unit, role: RespRole, source: RespSource, task: str, a: int, b: int,
            pos: int) -> None:
        name = unit_name(unit.text)
        name = name[:1].upper() + name[1:]
        self.out.append(Responsibility(
            name, role, source, task, self.doc.span(a, b), unit.person, deadline(task),
            cadence(task), self.locate(pos)))

    def clause(self, a: int, b: int, heads: list[Unit], source: RespSource, strict: bool,
               intro_only: bool = False, weak: bool = False) -> list[Unit]:
        """One bullet or sentence: its subjects (or the item's units) and partners; the
        subjects an assigning word named (`đề nghị Công ty thực hiện các nội dung sau:`).
        `weak` heads (those an earlier sentence named) yield to any subject the clause
        names itself."""
        if weak:
            named = self.clause(a, b, [], source, strict, intro_only)
            if named or self._has_subject(a, b):
                return named
        f = self.doc.flat  # one line: a cue may wrap (`có trách\nnhiệm`)
        subjects, pos = self.leading(a, b)
        rest = f[pos:b].lstrip(" ,:-–")
        if heads and subjects and f[a:subjects[0].start].strip(" -+*"):
            subjects = []  # inside a unit's item only a unit opening the bullet is a subject
        if subjects and _INTRO_START.match(rest) and not heads:
            subjects = []  # `UBND tỉnh yêu cầu các Sở ...`: the issuer asks, the Sở do
        intro = self._intro(a, b) if not subjects and not heads else None
        if intro is not None:
            subjects, pos = intro
            rest = f[pos:b].lstrip(" ,:-–")
        introduced = intro is not None or (bool(subjects) and _INTRO.search(f[a:subjects[0].start]) is not None)
        if subjects and (_PAST.match(rest) or (strict and not introduced
                                               and (intro_only or not _DUTY.match(rest)))):
            return []
        if not subjects:
            subjects = heads
            pos = a
        if not subjects:  # no doer named: the partners of the task still are
            task = clean(self.doc.text[a:b])
            for u in self.partners(a, b) if not strict else ():
                self.add(u, "support", source, task, u.start, u.end, a)
            return []
        pos += len(f[pos:b]) - len(_ASIDE.sub("", f[pos:b], count=1)) if _ASIDE.match(f[pos:b].lstrip(" ,")) else 0
        task = clean(self.doc.text[pos:b].lstrip(" ,:-–"))
        if len(task) < 4:
            return []
        # a unit asked only to coordinate is a support; a unit's own item stays its own
        own: RespRole = "support" if (subjects is not heads and _SUPPORT_FIRST.match(rest)
                                      and "chu tri" not in rest[:40]) else "lead"
        for u in subjects:
            role: RespRole = own if own == "support" or not u.collective else "all"
            self.add(u, role, source, task, u.start if u.end <= b and u.start >= a else a,
                     u.end if u.end <= b and u.start >= a else b, a)
        if subjects is not heads and _COORDINATES.match(rest):
            return subjects if introduced else []  # `X phối hợp với Y`: Y leads, no partner of X's
        for u in self.partners(pos, b, subjects is heads):
            if all(u.start != s.start for s in subjects):
                self.add(u, "support", source, task, u.start, u.end, a)
        return subjects if introduced else []

    def _has_subject(self, a: int, b: int) -> bool:
        """The clause opens with a unit of its own (it was read as such, or rejected)."""
        subjects, _ = self.leading(a, b)
        return bool(subjects) or self._intro(a, b) is not None

    def _intro(self, a: int, b: int) -> tuple[list[Unit], int] | None:
        """Units right after an assigning word inside the clause (`UBND tỉnh giao Sở X`)."""
        f = self.doc.flat  # one line: a cue may wrap (`có trách\nnhiệm`)
        for u in self.within(a, b):
            gap = f[max(a, u.start - 40):u.start]  # an assigning word stands right before its unit
            if _INTRO.search(gap):
                subjects, pos = self.leading(u.start, b)
                return subjects, pos
        return None

    def partners(self, a: int, b: int, heads: bool = True) -> list[Unit]:
        """Units named right after `phối hợp (với)`, `cùng với`, `với sự phối hợp của`."""
        f = self.doc.flat  # one line: a cue may wrap (`có trách\nnhiệm`)
        out: list[Unit] = []
        units = self.within(a, b)
        k = 0
        while k < len(units):
            u = units[k]
            cue = _SUPPORT.search(f[max(a, u.start - 40):u.start])
            if cue and not heads and re.search(r"chu dong\s*$", f[max(a, u.start - 60):max(a, u.start - 40) + cue.start()]):
                k += 1  # `chủ động phối hợp với Y`: Y leads the work, the subject helps
                continue
            if cue:
                out.append(u)
                pos = u.end
                k += 1
                while k < len(units) and _SEP.match(f[pos:units[k].start].replace(" va ", " ")):
                    out.append(units[k])
                    pos = units[k].end
                    k += 1
                continue
            k += 1
        return out


def heading_units(reader: _Reader, s: Section, a: int) -> tuple[list[Unit], int]:
    """The units an item's title consists of (`2. Sở Nông nghiệp và Môi trường`,
    `1. Giám đốc các Sở ...; Chủ tịch UBND các xã:`), and where its own text starts
    (after a colon: `4.1. Ông X - Trưởng đoàn: Phụ trách chung`)."""
    f = reader.doc.flat
    paras = paragraphs(reader.doc, a, a + 3000)
    end = paras[0].end if paras else a + len(reader.doc.text[a:].split("\n", 1)[0])
    subjects, pos = reader.leading(a + skip_number(reader.doc.text[a:end]), end)
    tail = _ASIDE.sub("", f[pos:end]).strip(" .,")
    if subjects and (not tail or tail.startswith(":")):
        return subjects, (pos + f[pos:end].index(":") + 1) if ":" in f[pos:end] else end
    if subjects and tail.endswith(":") and _has_items(reader, s):
        return subjects, end  # `3. Sở X, Sở Y chịu trách nhiệm:` then its points a), b)
    owner = _OWNER.match(f[a + skip_number(reader.doc.text[a:end]):end])
    if owner:  # `1. Trách nhiệm của nhà đầu tư`: a unit, or a doer named by what it is
        b = a + skip_number(reader.doc.text[a:end]) + owner.end()
        units = reader.within(b, end)
        if units and units[0].start == b:
            return units, end
        teaches = owner.group().startswith("doi voi") and _TEACHES.search(f[end:end + 300])
        if _DOER.match(f[b:end]) and not teaches and (":" not in f[b:end] or f[b:end].rstrip().endswith(":")):
            return [_named(reader.doc, b, end)], end
    return [], a


# an item that titles whose duties follow (`Trách nhiệm của nhà đầu tư`, `Nhiệm vụ của Tổ`,
# `Yêu cầu đối với chủ đầu tư`, `Đối với đơn vị thi công:`): a unit, or a doer (vocab.DOERS)
_OWNER = re.compile(r"(?:(?:trach nhiem|nhiem vu)(?: cu the)?(?: cua)?|(?:yeu cau|de nghi) doi voi|doi voi)"
                    r"\s+(?=\S)(?!thi hanh|thuc hien)(?=[^;.]{3,80}$)")
# what follows an audience block (`Đối với doanh nghiệp` then `Nội dung tuyên truyền`)
_TEACHES = re.compile(r"\b(?:noi dung|hinh thuc)\b")
_DOER = re.compile(r"^(?:cac\s+)?(?:" + "|".join(sorted(DOERS, key=len, reverse=True)) + r")\b")


def _named(doc: Doc, a: int, b: int) -> Unit:
    """A doer named without a unit's head (`nhà đầu tư`, `chủ đầu tư`), as printed."""
    text = " ".join(doc.text[a:b].split()).strip(" .:;")
    return Unit(a, a + len(doc.text[a:b].rstrip(" .:;\n")), text, "body")


def _has_items(reader: _Reader, s: Section) -> bool:
    """The item has sub-items of its own (its points are the tasks of its title's units)."""
    i = reader.sections.index(s)
    return any(t.parent == i for t in reader.sections[i + 1:i + 3])


# an aside between a unit and its colon: `(theo chức năng, nhiệm vụ)`, `, theo chức năng`
_ASIDE = re.compile(r"\([^)]{0,80}\)|,?\s*(?:can cu |theo )chuc nang,?\s*nhiem vu(?:,? quyen han)?(?: duoc giao)?,?")


def read_assignments(doc: Doc, sections: list[Section], locate: Callable[[int], str],
                     body: tuple[int, int], tasking: bool,
                     addressee: tuple[int, int] | None = None) -> list[Responsibility]:
    """Assignments of the document's body [start, end): duties parts item by item, the
    rest sentence by sentence. `tasking` (a Công văn, Chỉ thị, Thông báo ...): every
    sentence led by a unit before a duty verb is one."""
    reader = _Reader(doc, sections, locate, addressee)
    duties_at = duty_parts(doc, sections, body)
    aims = parts(doc, sections, body, NON_DUTY_PART)
    skip = recipients(doc)
    outline = _Outline(reader, sections)
    context: list[Unit] = []
    context_at = -1
    for para in paragraphs(doc, *body):
        if any(a <= para.start < b for a, b in skip) or doc.text[para.body:para.body + 1] == "(":
            continue
        in_part = any(p[0] <= para.start < p[1] for p in duties_at)
        source: RespSource = "section" if in_part else "prose"
        own, after = outline.title_units(para.start)
        if own:  # an item titled by units: its own text after a colon is theirs
            if after < para.end:
                reader.clause(after, para.end, own, source, False)
            continue
        if CLOSING.match(doc.flat[para.body:para.body + 40]):
            context = []  # `Trên đây là ...`, `Trong quá trình thực hiện ...`: the list is over
        heads, item = outline.heads(para.start)
        if context and context_at > item:
            heads = []  # an assigning sentence inside the item named newer doers
        if heads or in_part:  # a plain paragraph among an item's bullets may name its own doer
            named = reader.clause(para.body, para.end, heads, source, False,
                                  weak=bool(heads) and para.body == para.start)
            if named and named is not heads and doc.text[para.start:para.end].rstrip().endswith(":"):
                context, context_at = named, para.start
        elif context:
            reader.clause(para.body, para.end, context, source, False, weak=True)
        elif not PREAMBLE.match(doc.flat[para.body:para.body + 20]):
            aim = any(p[0] <= para.start < p[1] for p in aims)
            carry = -1  # a sentence of units only (`Chánh Văn phòng UBND tỉnh;`) opens the next
            for a, b in sentences(doc, para.body, para.end):
                if reader.only_units(a, b):
                    carry = a if carry < 0 else carry
                    continue
                a, carry = (carry if carry >= 0 else a), -1
                named = reader.clause(a, b, [], "prose", True, intro_only=aim or not tasking)
                if named and doc.text[a:b].rstrip().endswith(":") and b >= para.end - 2:
                    context, context_at = named, para.start  # `đề nghị Công ty thực hiện các nội dung sau:`
    return _dedup(reader.out)


class _Outline:
    """Which items are titled by units, and the units over any paragraph: those of the
    innermost enclosing item so titled (an item's sub-items and bullets are its tasks)."""

    def __init__(self, reader: _Reader, sections: list[Section]) -> None:
        self.reader, self.sections = reader, sections
        self.starts = [section_start(reader.doc, s) for s in sections]
        self.titles = [heading_units(reader, s, a) for s, a in zip(sections, self.starts, strict=True)]

    def title_units(self, pos: int) -> tuple[list[Unit], int]:
        i = bisect.bisect_left(self.starts, pos)
        if i < len(self.starts) and self.starts[i] == pos:
            return self.titles[i]
        return [], pos

    def heads(self, pos: int) -> tuple[list[Unit], int]:
        """The units over pos and where their item starts."""
        i = bisect.bisect_right(self.starts, pos) - 1
        while i >= 0:
            if self.titles[i][0]:
                return self.titles[i][0], self.starts[i]
            i = self.sections[i].parent
        return [], -1


def _references(doc: Doc, units: list[Unit], addressee: tuple[int, int]) -> list[Unit]:
    """The addressee (`Kính gửi: Công ty cổ phần X`) named again by its head alone
    (`đề nghị Công ty thực hiện ...`, `Quý Công ty`): those words stand for it."""
    named = [u for u in units if addressee[0] <= u.start < addressee[1]]
    if len(named) != 1 or named[0].kind not in ("body", "official"):
        return []
    full = named[0]
    head = " ".join(fold(full.text).split()[:2])
    out = []
    for m in re.finditer(r"(?<![\w])" + re.escape(head) + r"(?![\w])", doc.flat):
        a, b = m.start(), m.end()
        if doc.text[a:a + 1].isupper() and a >= addressee[1] and not any(u.start <= a < u.end for u in units):
            out.append(Unit(a, b, full.text, full.kind))
    return out


# what a fuller name of the same group adds: where it belongs or that it is concerned
_QUALIFIED = re.compile(r"^ (?:thuoc|truc thuoc|lien quan|co lien quan|cua|tinh|huyen|xa)\b")


def _words(unit: str) -> str:
    return " ".join(re.findall(r"\w+", fold(unit)))


def _dedup(items: list[Responsibility]) -> list[Responsibility]:
    """The same unit in the same role for the same task once; a partner already given
    the duty as a collective (`phối hợp với các phòng, đơn vị` beside `Các phòng, đơn vị
    thuộc Sở`, all) is not listed again as a support."""
    seen: set[tuple[str, str, str]] = set()
    out = []
    collective = {_words(r.unit) for r in items if r.role == "all"}
    named = {w: r.unit for r in items if r.role == "all" for w in [_words(r.unit)]}
    for r in items:
        fuller = next((named[c] for c in collective if r.role == "all" and _QUALIFIED.match(c[len(_words(r.unit)):])
                       and c.startswith(_words(r.unit))), None)
        if fuller is not None:  # `các phòng, đơn vị` is the group named `Các phòng đơn vị thuộc Sở`
            r = replace(r, unit=fuller)
        key = (_words(r.unit), r.role, r.task)
        covered = r.role == "support" and any(c.startswith(key[0]) and c != key[0] for c in collective)
        if key not in seen and not covered:
            seen.add(key)
            out.append(r)
    return out
