"""Cutting a table row's flattened lines into cells: a small dynamic programme.

Why: a row of a flattened table is its cells' printed lines, column after column, with
nothing to say where one cell ends. Cells start on capitals or dashes, a line must fit its
column's width, a narrow column would not have broken a line early, and a row broken by
a page break may go back once to the first columns; the cheapest cut wins.
"""

from __future__ import annotations

from collections.abc import Sequence

_NEVER = 1e9  # cost of what cannot be (an empty line inside a cell)


def _start_cost(lines: Sequence[str], i: int) -> float:
    """How unlikely lines[i] is to begin a new cell."""
    line, prev = lines[i], (lines[i - 1] if i else None)
    if not line:  # an empty cell kept as an empty line (a DOCX table): always a cell
        return 0.0
    if line[:1] in "-+•":
        before = next((x for x in reversed(lines[:i]) if x[:1] in "-+•" or x[:1].isupper()), "")
        return 1.0 if before[:1] and before[:1] in "-+•" else 0.0
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


def _underfull(a: str, b: str, cap: int | None) -> float:
    """Line b's first word would have fitted after line a: a wrapping column would not have
    broken there, so b likely starts another cell."""
    if cap is None or a.endswith((".", ";", ":")) or b[:1] in "-+•":
        return 0.0
    return 1.0 if len(a) + 1 + len(b.split()[0]) <= 0.85 * cap else 0.0


State = tuple[int, int, int]  # (lines consumed, last column filled, pass over the columns)


def _seg_costs(lines: Sequence[str], i: int, cap: int | None, dashed: bool | None) -> list[float]:
    """Cost of one cell holding lines[i:j], for every j > i (built up line by line); an
    empty line is an empty cell of its own."""
    if not lines[i]:
        return [0.0] + [_NEVER] * (len(lines) - i - 1)
    bullet = lines[i][:1] in "-+•"
    c = _fit_cost(lines[i], cap) + (0.8 if dashed is not None and bullet != dashed else 0.0)
    out = [c]  # a column's cells usually do (or do not) start with a dash
    for j in range(i + 1, len(lines)):
        a, b = lines[j - 1], lines[j]
        if not b:
            out += [_NEVER] * (len(lines) - j)
            break
        c += _fit_cost(b, cap) + _join_cost(a, b) + _underfull(a, b, cap)
        c += 1.0 if b[:1] in "-+•" and not bullet else 0.0
        out.append(c)
    return out


def _moves(state: State, k: int) -> list[tuple[int, int]]:
    _, col, ps = state
    return [(c, ps) for c in range(col + 1, k)] + ([(c, 1) for c in range(k)] if ps == 0 else [])


def _entries(
    lines: Sequence[str], i: int, states: list[tuple[State, float]], k: int
) -> dict[tuple[int, int], tuple[float, State]]:
    """Best cost of opening a cell in each (column, pass) at line i, and where from."""
    entry: dict[tuple[int, int], tuple[float, State]] = {}
    start = _start_cost(lines, i)
    for state, cost in states:
        _, col, ps = state
        for ncol, nps in _moves(state, k):
            wrapped = nps != ps  # back to the first columns: the row went on after a page break
            skip = (ncol - col - 1) * (0.3 if ps else 2.0)  # a continued row leaves cells empty
            c = cost + (2.0 + (k - 1 - col) * 2.0 if wrapped else skip)
            c += min(0.5, start) if wrapped else start
            if c < entry.get((ncol, nps), (float("inf"), state))[0]:
                entry[(ncol, nps)] = (c, state)
    return entry


def segment(
    lines: Sequence[str], caps: Sequence[int | None], dashed: Sequence[bool] | None = None,
    continued: bool = False,
) -> list[list[int]]:
    """The line indices of each of len(caps) cells, columns left to right, with one wrap
    back to the first columns allowed (a row broken by a page break). A `continued` row
    is the rest of one begun on the page before: it is past its wrap already, so it may
    leave cells empty cheaply."""
    k, m = len(caps), len(lines)
    start: State = (0, -1, int(continued))
    seg = [
        [_seg_costs(lines, i, caps[c], dashed[c] if dashed else None) for i in range(m)]
        for c in range(k)
    ]
    best: dict[State, tuple[float, State | None]] = {start: (0.0, None)}
    at: list[list[State]] = [[start]] + [[] for _ in range(m)]
    for i in range(m):
        states = [(s, best[s][0]) for s in at[i]]
        for (ncol, nps), (base, src) in _entries(lines, i, states, k).items():
            for j, c in enumerate(seg[ncol][i], start=i + 1):
                key = (j, ncol, nps)
                if key not in best:
                    at[j].append(key)
                if base + c < best.get(key, (float("inf"), None))[0]:
                    best[key] = (base + c, src)
    return _trace(best, k, m, 1.0 if start[2] else 0.0)


def _trace(best: dict[State, tuple[float, State | None]], k: int, m: int,
           rest: float) -> list[list[int]]:
    """The cells of the cheapest complete cut: columns left empty at the end cost 2 each
    (1 each in the rest of a row, `rest`; none after a wrap, the row was ended before)."""
    finals = [
        (v[0] + (k - 1 - s[1]) * (2.0 if s[2] == 0 else rest), s)
        for s, v in best.items() if s[0] == m and m
    ]
    cells: list[list[int]] = [[] for _ in range(k)]
    node: State | None = min(finals)[1] if finals else None
    while node is not None and best[node][1] is not None:
        prev = best[node][1]
        assert prev is not None
        cells[node[1]][:0] = list(range(prev[0], node[0]))
        node = prev
    return cells


def split_cells(
    lines: list[str], caps: list[int | None], dashed: list[bool] | None = None
) -> list[str]:
    """Cut a row's lines into len(caps) cells (possibly empty); see segment."""
    return [" ".join(lines[i] for i in c) for c in segment(lines, caps, dashed)]


def dashed_columns(segmented: list[list[list[str]]]) -> list[bool] | None:
    """Per column, whether most of its cells start with a dash (lists of units)."""
    if len(segmented) < 3:
        return None
    starts = [[c[0][:1] in "-+•" for c in row if c and c[0]] for row in zip(*segmented, strict=True)]
    return [sum(x) > len(x) / 2 for x in starts]


def data_caps(segmented: list[list[list[str]]]) -> list[int | None]:
    """Column widths in characters seen in a first cut of the rows (the 90th percentile of
    line lengths), once there are enough rows to trust them; none for a column whose cells
    never wrap (a cell per line, as DOCX text gives: its lines show no width)."""
    if len(segmented) < 3:
        return []
    caps: list[int | None] = []
    for k in range(len(segmented[0])):
        cells = [row[k] for row in segmented if row[k]]
        lengths = sorted(len(x) for c in cells for x in c)
        wrapped = sum(len(c) > 1 for c in cells) >= 2
        caps.append(lengths[int(0.9 * (len(lengths) - 1))] if wrapped else None)
    return caps
