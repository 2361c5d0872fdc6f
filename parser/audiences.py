"""Audiences: the groups a plan is aimed at, told apart from duty blocks that look alike.

Forms: `Đối tượng [tuyên truyền | huấn luyện | kiểm tra ...]: X; Y` (the list on the line,
after a description `Là các đối tượng ...:`, or as the bullets that follow `cụ thể:`),
and `Đối với X` blocks where X is a group of people (`cán bộ, công chức`, `người dân và doanh
nghiệp`). A `Đối với X:` block naming a unit, a collective of units or an official
(`Đối với Đoàn kiểm tra`, `Đối với các đơn vị được kiểm tra`) is a duty, read by
`parser.assign`; one about cases or areas (`Đối với các trường hợp ...`) is neither.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .doc import Doc, clean, fold
from .models import Audience
from .units import find_units
from .vocab import PEOPLE

_LEAD = r"^\s*(?:(?:[0-9]{1,2}(?:\.[0-9]{1,2})*|[IVX]{1,4})\s*[.)]?|[a-zđ]\)|[-+•*])?\s*"
TARGET = re.compile(_LEAD + r"doi tuong(?:\s+[a-z]+){0,4}?\s*(?::|\bla\b)\s*")
FOR = re.compile(_LEAD + r"doi voi\s+")
_PEOPLE = re.compile(r"^(?:cac\s+|nhung\s+|toan the\s+)?(?:" + "|".join(PEOPLE) + r")\b")
_NOT_GROUP = re.compile(r"^(?:cac\s+)?(?:truong hop|khu vuc|cong tac|hoat dong|du an|viec|noi dung|"
                        r"van ban|thu tuc|ho so|mo|phuong an)\b")
# members of standard compounds a comma does not split (`cán bộ, công chức, viên chức`)
_COMPOUND = {"can bo", "cong chuc", "vien chuc", "nguoi lao dong", "doan vien", "hoi vien",
             "dang vien", "chien si", "ha si quan", "si quan", "to chuc", "ca nhan", "doanh nghiep",
             "nguoi dan", "hop tac xa", "cac to chuc", "nhan dan"}


def parse_audiences(doc: Doc, locate: Callable[[int], str]) -> list[Audience]:
    out: list[Audience] = []
    for a, b, _ in doc.lines():
        f = doc.folded[a:b]
        m = TARGET.match(f)
        if m:
            names = _target_list(doc, a + m.end(), b)
        else:
            m = FOR.match(f)
            names = _for_block(doc, a + m.end(), b) if m else []
        for name in names:
            out.append(Audience(name[:1].upper() + name[1:], locate(a), (), (), doc.span(a, b)))
    seen: set[str] = set()
    unique = []
    for x in out:
        if x.name.lower() not in seen:
            seen.add(x.name.lower())
            unique.append(x)
    return unique


def _target_list(doc: Doc, a: int, b: int) -> list[str]:
    """The groups after `Đối tượng ...:`: after the line's last colon, or the bullets
    that follow a description (`Theo danh sách ..., cụ thể:`)."""
    line = doc.text[a:b].strip()
    if not line or line.endswith(":"):
        return [g for item in _bullets(doc, b) for g in split_groups(item)]
    line = _sentence(doc, a, b)
    tail = line.rsplit(":", 1)[-1] if re.match(r"(?i)là\s", line) else line
    if _REFERENCE.match(tail):
        return []
    return [g for part in re.split(r"\s+và\s+(?=các\s|những\s)", re.sub(r"(?i)^là\s+", "", tail))
            for g in split_groups(part)]


# a reference to where the groups are listed, not a group (`Quy định tại khoản 1 ...`)
_REFERENCE = re.compile(r"(?i)\s*(?:(?:là\s+)?các\s+đối tượng|theo\s|quy định\s|như\s|tại\s|gồm các\s)")


def _sentence(doc: Doc, a: int, b: int) -> str:
    """From a to the end of its sentence: lines that go on without a bullet are joined."""
    end = b
    for line in re.finditer(r"\n([^\n]*)", doc.text[b:b + 600]):
        nxt = line.group(1)
        if not nxt.strip() or re.match(r"\s*(?:[-+•*]|\d{1,2}[.)]|[IVX]{1,4}\.)", nxt) \
                or re.search(r"[.;:]\s*$", doc.text[a:end]):
            break
        end = b + line.end()
    return " ".join(doc.text[a:end].split()).strip(" .;")


def _bullets(doc: Doc, pos: int) -> list[str]:
    """The bullets right after pos, each up to its first colon (`Thợ nổ mìn: Từ số ...`)."""
    out = []
    for line in doc.text[pos:pos + 1500].split("\n")[1:]:
        if not line.strip():
            continue
        m = re.match(r"^\s*[-+•*]\s*(.+)$", line)
        if not m:
            break
        out.append(m.group(1).split(":", 1)[0])
    return out


def _for_block(doc: Doc, a: int, b: int) -> list[str]:
    """`Đối với X:` is an audience when X is a group of people, not a unit, and the block
    after it tells what they are to learn or receive."""
    name = clean(doc.text[a:b].split(":", 1)[0])
    inline = doc.text[a:b].split(":", 1)[1] if ":" in doc.text[a:b] else ""
    if not name or _NOT_GROUP.match(doc.folded[a:b]) or inline.strip() or len(name.split()) > 14:
        return []
    if not _PEOPLE.match(doc.folded[a:b]):
        return []
    units = find_units(name)
    if units and units[0].start == 0:
        return []  # a unit, a collective of units or an official: a duty block
    return split_groups(name)


def split_groups(text: str) -> list[str]:
    """`Chỉ huy nổ mìn; Thợ mìn; Quản lý kho, người phục vụ` → four groups; a standard
    compound (`cán bộ, công chức`) and a pair joined by `và` stay one."""
    out = []
    for part in re.split(r"\s*;\s*", text.strip(" .;:")):
        pieces = [clean(p) for p in part.split(",")]
        folded = [" ".join(re.findall(r"\w+", fold(p))) for p in pieces]
        compound = all(f in _COMPOUND for f in folded[:-1]) and any(
            folded[-1].startswith(c) for c in _COMPOUND)
        if len(pieces) > 1 and not compound:
            out += [p for p in pieces if len(p) >= 3]
        elif len(clean(part)) >= 3:
            out.append(clean(part))
    return out
