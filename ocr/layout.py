"""Reading order: Tesseract words → lines and blocks, with the Decree-30 header split.

Why: a Decree 30 page opens with two columns (agency block left; national motto and
place/date right). Tesseract often reads them as one line (`UBND TỈNH ... CỘNG HÒA XÃ
HỘI ...`), which interleaves the two blocks line by line. Lines in the header zone are cut
at wide horizontal gaps and the pieces are sorted into a left and a right block.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from .tesseract import RawWord

HEADER_ZONE = 0.35  # the header lives in the top third of a page
GAP = 0.05  # a horizontal gap wider than this share of the page splits a header line


@dataclass(frozen=True, slots=True)
class LineGroup:
    """A line in reading order: its words and the block it belongs to."""

    words: tuple[RawWord, ...]
    block: int


def group_lines(words: list[RawWord]) -> list[list[RawWord]]:
    """Tesseract's own lines (block, paragraph, line), words left to right."""
    lines: dict[tuple[int, int, int], list[RawWord]] = {}
    for w in words:
        lines.setdefault((w.block, w.par, w.line), []).append(w)
    return [sorted(ws, key=lambda w: w.x0) for _, ws in sorted(lines.items())]


def _split_gaps(line: list[RawWord], width: int) -> list[list[RawWord]]:
    """Cut a line at gaps much wider than a word space: a space is about a third of the
    text height, the gutter between the header columns several heights (with a wide font
    it can be under 5 % of the page width, so the page width alone is not enough)."""
    heights = sorted(w.y1 - w.y0 for w in line)
    gap = min(GAP * width, max(1.5 * heights[len(heights) // 2], 0.015 * width))
    pieces = [[line[0]]]
    last_x1 = line[0].x1
    for cur in line[1:]:
        if not any(c.isalnum() for c in cur.text):  # specks ("_", "|") bridge no gutter
            pieces[-1].append(cur)
            continue
        if cur.x0 - last_x1 > gap:
            pieces.append([])
        pieces[-1].append(cur)
        last_x1 = cur.x1
    return pieces


def _side(piece: list[RawWord], width: int) -> str:
    x0, x1 = min(w.x0 for w in piece), max(w.x1 for w in piece)
    if x1 < 0.56 * width:
        return "left"
    if x0 > 0.44 * width:
        return "right"
    return "both"


def _fold(word: str) -> str:
    """Lower case without marks (đ as d): OCR slips a mark often (CỌNG for CỘNG)."""
    bare = "".join(c for c in unicodedata.normalize("NFD", word.lower()) if not unicodedata.combining(c))
    return bare.replace("đ", "d")


def _right_start(piece: list[RawWord]) -> int:
    """Where the right column begins in a header line read across both columns (the
    gutter can be narrower than a word space: `UBND TỈNH QUẢNG NGÃI CỘNG HÒA ...`): at the
    motto (`CỘNG HÒA`, `Độc lập`) or at the place before `, ngày ... tháng` (the widest
    gap before the place's comma). 0 when the line holds neither."""
    folded = [_fold(w.text) for w in piece]
    for i in range(len(piece) - 1):
        pair = (folded[i], folded[i + 1])
        if (pair[0] == "cong" and pair[1].startswith("hoa")) or pair == ("doc", "lap"):
            return i
    day = next((i for i, f in enumerate(folded) if f.startswith("ngay")), 0)
    if day < 2 or not any(f.startswith("thang") for f in folded[day:]):
        return -1
    comma = max((i for i in range(1, day) if piece[i].text.endswith(",")), default=day)
    gaps = {i: piece[i].x0 - piece[i - 1].x1 for i in range(1, comma + 1)}
    return max(gaps, key=lambda i: gaps[i])


RIGHT_MIN = 0.3  # of the page width: the motto, wider than its column, starts past this


def _header_pieces(line: list[RawWord], width: int) -> list[tuple[list[RawWord], str]]:
    """The line cut at wide gaps, each piece with its side; a piece spanning both columns
    is cut where the right column begins (see `_right_start`)."""
    out = []
    for piece in _split_gaps(line, width):
        side = _side(piece, width)
        at = _right_start(piece) if side == "both" else -1
        if at == 0 and piece[0].x0 > RIGHT_MIN * width:  # the motto, wider than its column
            out.append((piece, "right"))
        elif at > 0 and _side(piece[:at], width) == "left" and piece[at].x0 > RIGHT_MIN * width:
            out += [(piece[:at], "left"), (piece[at:], "right")]
        else:
            out.append((piece, side))
    return out


def order_lines(words: list[RawWord], width: int, height: int,
                columns: bool = True) -> list[LineGroup]:
    """Lines in reading order: the two header columns first (left, then right), then
    the rest in Tesseract's block order, top to bottom."""
    lines = group_lines(words)
    lines.sort(key=lambda ln: (min(w.y0 for w in ln)))
    if not columns:
        return [LineGroup(tuple(ln), ln[0].block) for ln in sorted(lines, key=_tess_order)]
    left: list[list[RawWord]] = []
    right: list[list[RawWord]] = []
    rest: list[list[RawWord]] = []
    in_header = True
    for ln in lines:
        top = min(w.y0 for w in ln)
        cut = _header_pieces(ln, width) if top < HEADER_ZONE * height else [(ln, "both")]
        pieces, sides = [p for p, _ in cut], [s for _, s in cut]
        if in_header and top < HEADER_ZONE * height and "both" not in sides:
            for p, s in zip(pieces, sides, strict=True):
                (left if s == "left" else right).append(p)
            continue
        if left or right:
            in_header = False
        rest.append(ln)
    if not (left and right):  # no two-column header: plain order
        return footer_columns(sorted(lines, key=_tess_order), width)
    out = [LineGroup(tuple(p), -2) for p in left] + [LineGroup(tuple(p), -1) for p in right]
    return out + footer_columns(sorted(rest, key=_tess_order), width)


FOOTER_LEFT, FOOTER_RIGHT = -4, -3  # blocks of the recipients' list and the signature block


def footer_columns(lines: list[list[RawWord]], width: int) -> list[LineGroup]:
    """The lines with the Decree-30 footer read column by column: from `Nơi nhận:` on,
    the recipients' list (left) and then the signer's block (right). Why: Tesseract reads
    `Nơi nhận: TL. CHỦ TỊCH` as one line, which puts the signer's title among the
    recipients. A line across both columns ends the footer."""
    start = next((i for i, ln in enumerate(lines) if len(ln) > 1 and _fold(ln[0].text) == "noi"
                  and _fold(ln[1].text).startswith("nhan")), None)
    body = [LineGroup(tuple(ln), ln[0].block) for ln in (lines if start is None else lines[:start])]
    if start is None:
        return body
    left: list[list[RawWord]] = []
    right: list[list[RawWord]] = []
    tail: list[list[RawWord]] = []
    for ln in lines[start:]:
        cut = [(p, _side(p, width)) for p in _split_gaps(ln, width)]
        if tail or any(s == "both" for _, s in cut):
            tail.append(ln)
            continue
        for p, s in cut:
            (left if s == "left" else right).append(p)
    return (body + [LineGroup(tuple(p), FOOTER_LEFT) for p in left]
            + [LineGroup(tuple(p), FOOTER_RIGHT) for p in right]
            + [LineGroup(tuple(ln), ln[0].block) for ln in tail])


def _tess_order(line: list[RawWord]) -> tuple[int, int, int]:
    w = line[0]
    return (w.block, w.par, w.line)
