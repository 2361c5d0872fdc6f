"""Reading order: Tesseract words → lines and blocks, with the Decree-30 header split.

Why: a Decree 30 page opens with two columns (agency block left; national motto and
place/date right). Tesseract often reads them as one line (`UBND TỈNH ... CỘNG HÒA XÃ
HỘI ...`), which interleaves the two blocks line by line. Lines in the header zone are cut
at wide horizontal gaps and the pieces are sorted into a left and a right block.
"""

from __future__ import annotations

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
        pieces = _split_gaps(ln, width)
        sides = [_side(p, width) for p in pieces]
        if in_header and top < HEADER_ZONE * height and "both" not in sides:
            for p, s in zip(pieces, sides, strict=True):
                (left if s == "left" else right).append(p)
            continue
        if left or right:
            in_header = False
        rest.append(ln)
    if not (left and right):  # no two-column header: plain order
        return [LineGroup(tuple(ln), ln[0].block) for ln in sorted(lines, key=_tess_order)]
    out = [LineGroup(tuple(p), -2) for p in left] + [LineGroup(tuple(p), -1) for p in right]
    out += [LineGroup(tuple(ln), ln[0].block) for ln in sorted(rest, key=_tess_order)]
    return out


def _tess_order(line: list[RawWord]) -> tuple[int, int, int]:
    w = line[0]
    return (w.block, w.par, w.line)
