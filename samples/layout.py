"""Decide the layout role of each line of a plain-text official document (Decree 30).

Why apart from drawing: source texts come with the two header columns merged on one line,
tables flattened, the signature and recipients interleaved; recovering the roles is text
work, testable without pixels. Roles: left/right header blocks, title, body paragraphs and
headings, tables, recipients, signature, and what follows the signature (appendices).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ingest.orthography import strip_marks

from .table import TableSpec, find_table, parse_table


@dataclass(frozen=True)
class Item:
    """One printed line: where it goes and how it looks."""

    text: str
    kind: str  # "left", "right", "title", "body", "heading", "table", "recipients", "signature"
    table: TableSpec | None = None
    part: int = 0  # 1 for what follows the signature (appendices), drawn on a new page


_TYPES = (
    "KE HOACH",
    "QUYET DINH",
    "CONG VAN",
    "CHI THI",
    "TO TRINH",
    "THONG BAO",
    "BAO CAO",
    "GIAY PHEP",
    "NGHI DINH",
    "NGHI QUYET",
    "CHUONG TRINH",
    "HUONG DAN",
)
_MOTTO = re.compile(r"(C[OỘ]NG HO[AÀ]|CỘNG HÒA|CỘNG HOÀ|Độc lập|Đ[ộo]c l[ậa]p)")
DATE = re.compile(r"\S.*,\s*ngày\b")
_RULE = re.compile(r"^[-–—_=.·*\s]+$")
_HEADING = re.compile(r"^([IVX]+\.|\d+(\.\d+)*\.|[a-zđ]\))\s")


def _is_type(line: str) -> bool:
    """A document-type title (KẾ HOẠCH, QUYẾT ĐỊNH ...), alone or leading a capitalised title."""
    bare = strip_marks(line).upper()
    return bare in _TYPES or line.isupper() and any(bare.startswith(t + " ") for t in _TYPES)


def _header_end(lines: list[str]) -> int:
    """Where a header without a type title (a công văn) ends: at the first body line, within
    the first lines, and only when the national motto is there at all."""
    if not any(_MOTTO.search(ln) for ln in lines[:4]):
        return 0
    for i, ln in enumerate(lines[:16]):
        if _starts_body(ln) or len(ln) > 90:
            return i
    return 0


def classify(text: str) -> list[Item]:
    """Assign each non-blank line of a document to a layout role."""
    lines = [" ".join(ln.split()) for ln in text.splitlines()]
    lines = [ln for ln in lines if ln and not _RULE.match(ln)]
    t = next((i for i, ln in enumerate(lines[:25]) if _is_type(ln)), None)
    items: list[Item] = []
    if t is not None:
        items += _header(lines[:t])
        items.append(Item(lines[t], "title"))
        j = t + 1
        while j < len(lines) and j <= t + 3 and not _starts_body(lines[j]):
            items.append(Item(lines[j], "title"))
            j += 1
    else:
        j = _header_end(lines)
        items += _header(lines[:j])
    tail = next(
        (i for i in range(j, len(lines)) if strip_marks(lines[i]).startswith("Noi nhan")), None
    )
    items += _body(lines[j:tail])
    if tail is not None:
        closing, rest = _closing(lines[tail:])
        items += closing + [replace(it, part=1) for it in _body(rest)]
    return items


def _body(lines: list[str]) -> list[Item]:
    """Paragraphs and headings, with any flattened table recovered as a table item."""
    items: list[Item] = []
    while lines:
        span = find_table(lines)
        cut = span[0] if span else len(lines)
        for para in _paragraphs(lines[:cut]):
            heading = bool(re.match(r"^[IVX]+\.\s", para)) or (
                _HEADING.match(para) and len(para) < 70
            )
            items.append(Item(para, "heading" if heading else "body"))
        if span is None:
            break
        items.append(Item("", "table", parse_table(lines[span[0] : span[1]])))
        lines = lines[span[1] :]
    return items


def _paragraphs(lines: list[str]) -> list[str]:
    """Join source lines into paragraphs, so pages are reflowed as a word processor would:
    a line continues the previous one unless that one ended a sentence or this one
    starts a list item or a numbered heading."""
    out: list[str] = []
    for ln in lines:
        starts = ln.startswith(("-", "+", "*", "•")) or _HEADING.match(ln) or _starts_body(ln)
        ended = out and (
            out[-1].endswith((".", ";", ":")) and not ln[:1].islower() or _is_heading(out[-1])
        )
        if out and not starts and not ended:
            out[-1] = f"{out[-1]} {ln}"
        else:
            out.append(ln)
    return out


def _is_heading(line: str) -> bool:
    """A numbered line much shorter than a wrapped source line, or in capitals: a heading,
    which the next line never continues."""
    m = _HEADING.match(line)
    return m is not None and (len(line) < 45 or line[m.end() :].isupper())


def _starts_body(line: str) -> bool:
    return bool(re.match(r"^(Căn cứ|Thực hiện|Theo|Xét|Kính gửi|[IVX]+\.|\d+\.)", line))


def _place_date_start(line: str) -> int | None:
    """Where a place-and-date (`Lào Cai, ngày ...`) begins inside a merged header line: the
    run of capitalised words (at most four) before `, ngày`."""
    at = line.find(", ngày")
    if at < 0:
        return None
    words = line[:at].split(" ")
    k = len(words)
    while (
        k > 0 and len(words) - k < 4 and words[k - 1][:1].isupper() and words[k - 1][1:].islower()
    ):
        k -= 1
    return len(" ".join(words[:k])) + 1 if 0 < k < len(words) else None


def _header(lines: list[str]) -> list[Item]:
    """Split merged header lines into the agency column (left: agency, `Số:`, `V/v`) and
    the motto column (right: national motto, place and date)."""
    left, right = [], []
    for ln in lines:
        m = _MOTTO.search(ln)
        cut = m.start() if m else _place_date_start(ln)
        if cut:
            left.append(ln[:cut].strip())
            right.append(ln[cut:].strip())
        elif m or DATE.match(ln):
            right.append(ln)
        else:
            left.append(ln)
    return [Item(x, "left") for x in left if x] + [Item(x, "right") for x in right if x]


_CAPS_TAIL = re.compile(r"\s((?:KT|TL|TM|Q)\.\s*)?[A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ .]{5,}$")


def _closing(lines: list[str]) -> tuple[list[Item], list[str]]:
    """Recipients (left) and signature (right), and the lines after them (appendices); a
    source line that merged both columns (`Nơi nhận: KT. TRƯỞNG BAN`) is cut before its
    upper-case tail. The signature is a few short lines; a long one ends the block."""
    recips: list[str] = []
    sign: list[str] = []
    for k, ln in enumerate(lines):
        if ln.startswith(("Nơi nhận", "-", "(", "+")) and len(ln) < 90:
            m = _CAPS_TAIL.search(ln)
            if m and not ln[: m.start()].isupper():
                recips.append(ln[: m.start()].rstrip())
                sign.append(m.group().strip())
            else:
                recips.append(ln)
        elif len(ln) <= 45 and len(sign) < 6:
            sign.append(ln)
        else:
            return _closing_items(recips, sign), lines[k:]
    return _closing_items(recips, sign), []


def _closing_items(recips: list[str], sign: list[str]) -> list[Item]:
    return [Item(x, "recipients") for x in recips] + [Item(x, "signature") for x in sign]
