"""Recover a ruled table from its flattened text, so the renderer can draw it again.

Why: text extracted from a plan loses its table; each printed line of each cell becomes a
source line (header titles wrapped in their narrow columns, then per row a label `01` or a
group label `I`, then the cell lines column after column). We find the table from its
header (a run of short title lines followed by a row label), read the column count and
widths from the header wrapping, and cut each row's lines into cells with a small dynamic
programme: cells start on capitals or dashes, and a line must fit its column's width.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ROMAN = r"[IVXL]{1,5}"
_GROUP = re.compile(rf"^({_ROMAN})(?:\s+(\S.*))?$")
_ROW = re.compile(r"^(\d{1,3})\.?$")
_END = re.compile(rf"^({_ROMAN}|\d{{1,2}})\.\s+\S|^Nơi nhận|^Noi nhan")


@dataclass(frozen=True)
class TableSpec:
    """A table recovered from text: rows of cell texts (row 0 the header), the rows that
    are group rows (label and a title spanning the rest), and relative column widths."""

    rows: tuple[tuple[str, ...], ...]
    group_rows: frozenset[int]
    widths: tuple[float, ...]

    def __post_init__(self) -> None:
        if not self.rows or len(self.widths) != len(self.rows[0]):
            raise ValueError("a table needs a header row and one width per column")


def _title_word(word: str) -> bool:
    return len(word) > 1 and word[0].isupper() and word[1:].isalpha() and word[1:].islower()


def _short(line: str) -> bool:
    return len(line) <= 30 and not line.endswith((".", ";", ":", ","))


def _is_label(line: str) -> bool:
    """A row label: a bare number, or a Roman group number alone or before a capital."""
    g = _GROUP.match(line)
    return (
        bool(_ROW.match(line)) or g is not None and (g.group(2) is None or g.group(2)[:1].isupper())
    )


def find_table(lines: list[str], start: int = 0) -> tuple[int, int] | None:
    """(first, end) line indices of the first table at or after `start`: at least three
    short header lines immediately followed by a row label."""
    i = start
    while i < len(lines):
        j = i
        while j < len(lines) and _short(lines[j]) and not _is_label(lines[j]):
            j += 1
        if j - i >= 3 and j < len(lines) and _is_label(lines[j]) and not _END.match(lines[i]):
            end = j
            while end < len(lines) and not _END.match(lines[end]):
                end += 1
            return i, end
        i += 1
    return None


def _titles(header: list[str]) -> tuple[list[str], list[int | None]]:
    """Column titles and a width in characters for each (None when the title shares its
    line with another, so its column may be wider than what is seen)."""
    titles: list[list[str]] = []
    shared: list[bool] = []
    for line in header:
        words = line.split()
        starts = [k for k, w in enumerate(words) if k == 0 or _title_word(w)]
        pieces = [
            " ".join(words[a:b]) for a, b in zip(starts, starts[1:] + [len(words)], strict=False)
        ]
        for k, piece in enumerate(pieces):
            if k == 0 and titles and not piece[:1].isupper():
                titles[-1].append(piece)
            else:
                titles.append([piece])
                shared.append(len(pieces) > 1)
    caps = [
        None if sh or len(t) == 1 else max(len(x) for x in t)
        for t, sh in zip(titles, shared, strict=False)
    ]
    return [" ".join(t) for t in titles], caps


def _start_cost(lines: list[str], i: int) -> float:
    """How unlikely lines[i] is to begin a new cell."""
    line, prev = lines[i], (lines[i - 1] if i else None)
    if line[:1] in "-+•":
        before = next((x for x in reversed(lines[:i]) if x[:1] in "-+•" or x[:1].isupper()), "")
        return 1.0 if before[:1] in "-+•" else 0.0
    if line[:1].isupper() or line[:1].isdigit():
        return 0.2 if prev is None or prev.endswith((".", ";", ":")) else 0.6
    return 4.0


def _join_cost(a: str, b: str) -> float:
    """How unlikely line b is to continue the cell of line a."""
    if b[:1].isupper() and not b.split()[0].isupper():
        return 0.6 if a.endswith(".") else 0.4
    return 0.0


def _fit_cost(line: str, cap: int | None) -> float:
    return 0.0 if cap is None or len(line) <= cap * 1.35 + 2 else 3.0


State = tuple[int, int, int]  # (lines consumed, last column filled, pass over the columns)


def _underfull(a: str, b: str, cap: int | None) -> float:
    """Line b's first word would have fitted after line a: a wrapping column would not have
    broken there, so b likely starts another cell."""
    if cap is None or a.endswith((".", ";", ":")) or b[:1] in "-+•":
        return 0.0
    return 1.0 if len(a) + 1 + len(b.split()[0]) <= 0.85 * cap else 0.0


def split_cells(
    lines: list[str], caps: list[int | None], dashed: list[bool] | None = None
) -> list[str]:
    """Cut a row's lines into len(caps) cells (possibly empty); see _segment."""
    return [" ".join(c) for c in _segment(lines, caps, dashed)]


def _segment(
    lines: list[str], caps: list[int | None], dashed: list[bool] | None = None
) -> list[list[str]]:
    """The lines of each of len(caps) cells, columns left to right, with one wrap back to
    the first columns allowed (a row broken by a page break)."""
    k, m = len(caps), len(lines)
    best: dict[State, tuple[float, State | None]] = {(0, -1, 0): (0.0, None)}
    for i in range(m):
        for state in [s for s in best if s[0] == i]:
            cost, (_, col, ps) = best[state][0], state
            moves = [(c, ps) for c in range(col + 1, k)] + (
                [(c, 1) for c in range(k)] if ps == 0 else []
            )
            for ncol, nps in moves:
                wrapped = nps != ps  # back to the first columns: the row went on after a page break
                skip = (ncol - col - 1) * (0.3 if ps else 2.0)  # a continued row leaves cells empty
                base = cost + (2.0 + (k - 1 - col) * 2.0 if wrapped else skip)
                base += min(0.5, _start_cost(lines, i)) if wrapped else _start_cost(lines, i)
                for j in range(i + 1, m + 1):
                    seg = lines[i:j]
                    c = base + sum(_fit_cost(x, caps[ncol]) for x in seg)
                    if dashed is not None and (seg[0][:1] in "-+•") != dashed[ncol]:
                        c += 0.8  # the column's cells usually do (or do not) start with a dash
                    c += sum(
                        _join_cost(a, b) + _underfull(a, b, caps[ncol])
                        for a, b in zip(seg, seg[1:], strict=False)
                    )
                    c += sum(1.0 for x in seg[1:] if x[:1] in "-+•" and seg[0][:1] not in "-+•")
                    key = (j, ncol, nps)
                    if c < best.get(key, (float("inf"), None))[0]:
                        best[key] = (c, state)
    finals = [
        (v[0] + (k - 1 - s[1]) * 2.0 * (s[2] == 0), s) for s, v in best.items() if s[0] == m and m
    ]
    cells: list[list[str]] = [[] for _ in range(k)]
    node: State | None = min(finals)[1] if finals else None
    while node is not None and best[node][1] is not None:
        prev = best[node][1]
        assert prev is not None
        cells[node[1]][:0] = lines[prev[0] : node[0]]
        node = prev
    return cells


def _rows(body: list[str]) -> list[tuple[str, list[str]]]:
    """Row labels with the lines under each."""
    rows: list[tuple[str, list[str]]] = []
    for line in body:
        if _is_label(line) and (not rows or rows[-1][1] or _GROUP.match(rows[-1][0])):
            rows.append((line, []))
        elif rows:
            rows[-1][1].append(line)
    return rows


def parse_table(lines: list[str]) -> TableSpec:
    """The table in `lines` (as found by find_table): header titles, group rows (a Roman
    label, its title spanning the other columns) and data rows cut into cells."""
    first = next(i for i, ln in enumerate(lines) if _is_label(ln))
    titles, caps = _titles(lines[:first])
    rows = _rows(lines[first:])
    first_cut = [_segment(u, caps[1:]) for lb, u in rows if _ROW.match(lb)]
    caps = _data_caps(first_cut) or caps[1:]
    dashed = _dashed(first_cut)
    out: list[tuple[str, ...]] = [tuple(titles)]
    groups: set[int] = set()
    for label, under in rows:
        g = _GROUP.match(label)
        if g and not _ROW.match(label):
            groups.add(len(out))
            out.append((g.group(1), " ".join(filter(None, [g.group(2), *under]))))
            continue
        out.append((label.rstrip("."), *split_cells(under, caps, dashed)))
    return TableSpec(tuple(out), frozenset(groups), auto_widths(out, groups))


def _dashed(segmented: list[list[list[str]]]) -> list[bool] | None:
    """Per column, whether most of its cells start with a dash (lists of units)."""
    if len(segmented) < 3:
        return None
    starts = [[c[0][:1] in "-+•" for c in row if c] for row in zip(*segmented, strict=True)]
    return [sum(x) > len(x) / 2 for x in starts]


def _data_caps(segmented: list[list[list[str]]]) -> list[int | None]:
    """Column widths in characters seen in a first cut of the rows (the 90th percentile of
    line lengths), once there are enough rows to trust them."""
    if len(segmented) < 3:
        return []
    caps: list[int | None] = []
    for k in range(len(segmented[0])):
        lengths = sorted(len(x) for row in segmented for x in row[k])
        caps.append(lengths[int(0.9 * (len(lengths) - 1))] if lengths else None)
    return caps


def auto_widths(
    rows: list[tuple[str, ...]] | list[list[str]], group_rows: set[int] | frozenset[int]
) -> tuple[float, ...]:
    """Relative column widths: wide enough for the longest word (header included), else
    growing with the square root of the column's mean text length, as a typist sizes them."""
    n = len(rows[0])
    body = [r for i, r in enumerate(rows) if i not in group_rows]
    weights = []
    for k in range(n):
        texts = [r[k] for r in body if len(r) > k]
        word = max((len(w) for t in texts for w in t.split()), default=1)
        mean = sum(len(t) for t in texts[1:]) / max(1, len(texts) - 1)
        weights.append(max(0.6 * word + 1.0, mean**0.5))
    return tuple(w / sum(weights) for w in weights)
