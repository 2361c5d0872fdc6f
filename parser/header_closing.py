"""The closing block of a Decree-30 document: recipients (`Nơi nhận`), signer title, name.

Why cells: the recipients are printed in the left column and the signature in the right,
so a text line holds both (`- Bộ Công Thương;        KT. CHỦ TỊCH`). A line is cut into
cells at wide gaps (layout text) or ` | ` (Word tables flattened); each cell is then a
recipient item, a title line or the name by what it says. The block ends at the name
(appendices follow the signature) and the list ends at its `Lưu` item, printed last.
"""

from __future__ import annotations

import re
from typing import Any

from rapidfuzz.distance import Levenshtein

from .doc import Doc, clean, fold
from .models import Field

NOI = r"n[o0]i\s*nh(?:a?n|[a-z]n)\b"  # "Nơi nhận", also OCR "Noi nhn"
NAME = r"[A-ZĐÀ-Ỹ][^\W\d_]+(?:\s+[A-ZĐÀ-Ỹ][^\W\d_]+){1,4}"  # a person: 2-5 capitalised words
SIGN_PREFIX = re.compile(r"^(kt|tl|tm|t/m|q|tuq)\s*\.")
CAPS_TAIL = re.compile(r"\s[“\"'‘(]?((?:KT|TL|TM|Q|TUQ)\.\s*)?[A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ .]{5,}$")  # “: scan specks
GAP = re.compile(r"\s*\|\s*|\t+|(?<=\S)\s{3,}(?=\S)")
ITEM = re.compile(r"^\s*[-–+•~]\s*")  # "~": OCR's reading of a dash
MAX_LINES = 60


def cells(text: str) -> list[tuple[int, int]]:
    """Spans of the non-empty cells of a line, split at ' | ', tabs and gaps of 3+ spaces."""
    out, pos = [], 0
    for m in GAP.finditer(text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    return [(a, b) for a, b in out if text[a:b].strip(" |\t\xa0")]


class _Block:
    """What the closing block has gathered so far (spans in the joined text)."""

    def __init__(self) -> None:
        self.recips: list[list[tuple[int, int]]] = []  # each item: its pieces, line by line
        self.titles: list[tuple[int, int]] = []
        self.name: tuple[int, int] | None = None
        self.list_done = False  # the `Lưu` item, printed last, has been read
        self.gap = False  # a blank line after the list
        self.ended = False

    def item(self, a: int, b: int, text: str, doc: Doc) -> None:
        m = ITEM.match(text)
        if m:
            self.recips.append([(a + m.end(), b)])
        elif self.recips and not doc.text[slice(*self.recips[-1][-1])].rstrip().endswith((";", ".")):
            self.recips[-1].append((a, b))  # the item runs on to this line
        else:
            return
        if re.match(r"\s*[-–+•~]?\s*luu\b", doc.folded[a:b]):
            self.list_done = True


def closing(doc: Doc) -> dict[str, Any]:
    # the first label: later ones belong to forms in the appendices
    first = re.search(rf"(?m)^[ \t]*{NOI}[ \t]*:?", doc.folded) or _damaged_label(doc) or _signature_line(doc)
    if not first:
        return {}
    block = _Block()
    ocr = _ocr(doc, first.start())
    lines = [ln for ln in doc.lines() if ln[0] >= first.start()][:MAX_LINES]
    for n, (a, _, text) in enumerate(lines):
        if n == 0:
            text = text[first.end() - a:]
            a = first.end()
        if not text.strip():
            block.gap = block.list_done or block.gap
            if block.name:
                break
            continue
        for ca, cb in _split_tail(text, ocr):
            _cell(doc, block, a + ca, a + cb, text[ca:cb])
        if block.name and block.list_done or block.ended:
            break
    return _fields(doc, block)


def _damaged_label(doc: Doc) -> re.Match | None:
    """`Nơi nhận:` as OCR damaged it (`Mới nhận:`, `Với nhận:`): two words, each one edit
    from the label's, a colon, and a recipient item on the next line."""
    for m in re.finditer(r"(?m)^[ \t]*(\w{2,4})[ \t]*(nh\w{1,3})[ \t]*:(?=.*\n\s*[-–~]\s)", doc.folded):
        if Levenshtein.distance(m.group(1), "noi") <= 1 and Levenshtein.distance(m.group(2), "nhan") <= 1:
            return m
    return None


def _signature_line(doc: Doc) -> re.Match | None:
    """No `Nơi nhận` label (a seal over it, OCR lost it): the block starts at the first
    line that carries a KT./TM./TL. signature beside the first recipient items."""
    return re.search(r"(?m)^(?=.*\b(?:kt|tm|tl)\s*\.\s*[^\W\d].*\n\s*[-–~]\s)", doc.folded)


def _split_tail(text: str, ocr: bool = False) -> list[tuple[int, int]]:
    """Cells, with a capitals tail cut off an item OCR merged it into (`- UBND tỉnh ; PHÓ
    TRƯỞNG BAN`: one space apart, no gap)."""
    out = []
    for a, b in cells(text):
        tail = CAPS_TAIL.search(text[a:b])
        name = re.search(rf";\s*({NAME})\s*$", text[a:b]) if ocr and ITEM.match(text[a:b]) else None
        if tail and (tail.group(1) or ITEM.match(text[a:b]) and _title_tail(text[a:b], tail)
                     and _signer_like(fold(tail.group(0).strip()))):
            out += [(a, a + tail.start()), (a + tail.start(), b)]
        elif name and len(name.group(1).split()) >= 3:  # OCR: "- Ban Dân vận; Đặng Văn Minh"
            out += [(a, a + name.start(1)), (a + name.start(1), b)]
        else:
            out.append((a, b))
    return out


def _title_tail(text: str, tail: re.Match) -> bool:
    """A signature line glued to an item: two words or more of capitals after a
    lower-case item, not a `Lưu` item's own codes (`Lưu: VT, QLHĐXD.`)."""
    words = tail.group(0).strip().rstrip(".").split()
    head = text[:tail.start()]
    return len(words) >= 2 and not head.strip().isupper() and not re.match(r"\s*[-–+•]\s*L[ưu]u\b", head)


def _cell(doc: Doc, block: _Block, a: int, b: int, text: str) -> None:
    s = text.strip(" |\t\xa0")
    f = doc.folded[a:b].strip(" |\t\xa0")
    if block.gap and not (re.fullmatch(NAME, s) or _signer_like(f)):
        block.ended = True  # after the list and a blank line: the signature or nothing
        return
    if ITEM.match(s):
        if not block.list_done:
            block.item(a, b, text, doc)
        return
    if SIGN_PREFIX.match(f) or (s.isupper() and len(s) > 3):
        if not block.name:
            block.titles.append((a, b))
    elif re.fullmatch(NAME, s) and not block.name:
        block.name = (a + text.index(s), a + text.index(s) + len(s))
    elif (tail := re.search(rf"\)\s*({NAME})\s*$", s)) and tail.group(1).istitle() and not block.name:
        start = a + text.index(tail.group(1))
        block.name = (start, start + len(tail.group(1)))  # "(D/.../path) Nguyễn Văn A"
    elif not block.list_done and block.recips:
        block.item(a, b, text, doc)


def _signer_like(folded: str) -> bool:
    """A signature line: KT./TM./TL. or a known position (not an appendix heading)."""
    from .header_fix import nearest_position

    words = folded.split()
    return bool(SIGN_PREFIX.match(folded) or any(nearest_position(" ".join(words[:k])) for k in (2, 3, 4)))


def _fields(doc: Doc, block: _Block) -> dict[str, Any]:
    out: dict[str, Any] = {}
    recips = [(" ".join(doc.text[a:b] for a, b in item), item[0][0], item[-1][1]) for item in block.recips]
    recips = [(text, a, b) for text, a, b in recips if _item_text(text)]
    if recips:
        out["recipients"] = tuple(Field(_item_text(text, _ocr(doc, a)), doc.span(a, b)) for text, a, b in recips)
    if block.titles:
        value = " ".join(clean(doc.text[a:b].replace("|", " ")) for a, b in block.titles)
        value = re.sub(r"\bT/M\s*\.", "TM.", value)
        out["signer_title"] = Field(value, doc.span(block.titles[0][0], block.titles[-1][1]))
    if block.name:
        out["signer_name"] = Field(clean(doc.text[block.name[0]:block.name[1]]), doc.span(*block.name))
    return out


def _ocr(doc: Doc, a: int) -> bool:
    page = doc.span(a, a).page
    return any(p.index == page and p.raw.source == "ocr" for p in doc.pages)


def _item_text(text: str, ocr: bool = False) -> str:
    """One recipient as printed, without its dash, closing punctuation or scan debris.
    On an OCR page a line may run on into the signature column one space apart, so
    what follows the item's last `;` is dropped unless it holds a real word."""
    if ocr and ";" in text:
        head, tail = text.rsplit(";", 1)
        if not re.search(r"\b[a-zà-ỹđ]{3,}\b|\b[A-ZĐÀ-Ỹ][a-zà-ỹđ]{2,}\b", tail):
            text = head
    s = clean(" ".join(text.replace("|", " ").split()))
    s = re.sub(r"[.;,]?\s*\([^()\w]*\w?[^()\w]*$", "", s)  # "CCHC. (>4": an unclosed bracket of debris
    s = re.sub(r"[;.]\s*(?:\S{1,2}\s*){1,2}$", "", s)  # "(tự kiểm tra); T ñ": scan specks after the end
    return clean(s)
