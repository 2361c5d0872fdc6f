"""Word's automatic list labels (`1.`, `a)`, `II.`, `-`) rendered as the printed text.

Why: a Word file keeps the labels of numbered paragraphs out of the text (in
numbering.xml), but the parser's outline and its task readers depend on them, as they
appear on a scan. A label is computed the way Word counts: per abstract list, a level's
counter goes up by one at each of its paragraphs and deeper levels start again; a list
instance (`w:num`) with a start override restarts its levels the first time it is used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
# bullets drawn from symbol fonts (private-use code points) as the characters they show
_BULLETS = {"\uf0b7": "•", "\uf0a7": "▪", "\uf0d8": "➢", "\uf076": "❖", "\uf0fc": "✓",
            "\uf02d": "-", "\uf0a8": "•", "o": "+", "◦": "+", "": "•"}
# letters of Wingdings-like fonts as the shapes they draw (`l` is a round bullet there)
_DINGBATS = {"l": "•", "n": "▪", "§": "▪", "Ø": "➢", "ü": "✓", "v": "❖", "q": "❑", "-": "-"}
_SYMBOL_FONTS = ("wingdings", "webdings", "symbol")


@dataclass(frozen=True, slots=True)
class Level:
    """One level of a list: number format, label pattern (`%1.%2.`), start, separator."""

    fmt: str
    text: str
    start: int
    suffix: str
    legal: bool  # `isLgl`: every number of the label in decimal
    font: str = ""  # the label's font, lower case (a bullet's shape depends on it)


def _val(el: Any, name: str) -> str | None:
    child = el.find(W + name) if el is not None else None
    return None if child is None else child.get(W + "val")


def _level(el: Any) -> Level:
    start = _val(el, "start")
    suff = _val(el, "suff") or "tab"
    fonts = el.find(f"{W}rPr/{W}rFonts")
    font = (fonts.get(W + "ascii") or "") if fonts is not None else ""
    return Level(_val(el, "numFmt") or "decimal", _val(el, "lvlText") or "",
                 int(start) if start and start.lstrip("-").isdigit() else 1,
                 "" if suff == "nothing" else " ", el.find(W + "isLgl") is not None, font.lower())


def bullet(char: str, font: str = "") -> str:
    """A bullet as the character it shows: symbol-font code points and dingbat letters
    mapped, anything else kept."""
    if char in _BULLETS:
        return _BULLETS[char]
    if font.startswith(_SYMBOL_FONTS):
        if font.startswith("symbol"):
            return "-" if char == "-" else "•"
        return _DINGBATS.get(char, "•")
    if len(char) == 1 and 0xF000 <= ord(char) <= 0xF0FF:
        return "•"
    return char


def _number(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        s = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else str(n)
        return s.upper() if fmt == "upperLetter" else s
    if fmt in ("lowerRoman", "upperRoman") and 0 < n < 4000:
        out, left = "", n
        for value, letters in _ROMAN:
            while left >= value:
                out, left = out + letters, left - value
        return out.upper() if fmt == "upperRoman" else out
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


class Numbering:
    """The list definitions of one Word file and the running counters of its lists."""

    def __init__(self, numbering: Any | None, styles: Any | None) -> None:
        self.abstract: dict[str, dict[int, Level]] = {}
        self.links: dict[str, str] = {}  # abstract list -> numbering style it follows
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.style_num: dict[str, tuple[str | None, int | None]] = {}
        self.based_on: dict[str, str] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.used: set[str] = set()
        if numbering is not None:
            self._read_numbering(numbering)
        if styles is not None:
            self._read_styles(styles)

    def _read_numbering(self, root: Any) -> None:
        for ab in root.iterchildren(W + "abstractNum"):
            aid = ab.get(W + "abstractNumId")
            self.abstract[aid] = {int(lv.get(W + "ilvl") or 0): _level(lv)
                                  for lv in ab.iterchildren(W + "lvl")}
            link = _val(ab, "numStyleLink")
            if link:
                self.links[aid] = link
        for num in root.iterchildren(W + "num"):
            overrides: dict[int, int] = {}
            for ov in num.iterchildren(W + "lvlOverride"):
                start = _val(ov, "startOverride")
                if start and start.isdigit():
                    overrides[int(ov.get(W + "ilvl") or 0)] = int(start)
            self.nums[num.get(W + "numId")] = (_val(num, "abstractNumId") or "", overrides)

    def _read_styles(self, root: Any) -> None:
        for st in root.iterchildren(W + "style"):
            sid = st.get(W + "styleId")
            base = _val(st, "basedOn")
            if base:
                self.based_on[sid] = base
            num_pr = st.find(f"{W}pPr/{W}numPr")
            if num_pr is not None:
                ilvl = _val(num_pr, "ilvl")
                self.style_num[sid] = (_val(num_pr, "numId"), int(ilvl) if ilvl else None)

    def _style_numbering(self, style: str | None) -> tuple[str | None, int | None]:
        """(numId, ilvl) a paragraph style gives, through its `basedOn` chain."""
        for _ in range(10):
            if style is None:
                break
            if style in self.style_num:
                return self.style_num[style]
            style = self.based_on.get(style)
        return None, None

    def _levels(self, aid: str) -> dict[int, Level]:
        """An abstract list's levels (a list that only links to a numbering style takes
        the levels of the list that style numbers with)."""
        if aid in self.links:
            num_id, _ = self._style_numbering(self.links[aid])
            target = self.nums.get(num_id or "", ("", {}))[0]
            if target and target != aid:
                return self.abstract.get(target, {})
        return self.abstract.get(aid, {})

    def label(self, p: Any) -> str:
        """The label Word prints before paragraph `p` (counting it), or ''."""
        ppr = p.find(W + "pPr")
        num_pr = ppr.find(W + "numPr") if ppr is not None else None
        num_id, ilvl = self._style_numbering(_val(ppr, "pStyle"))
        if num_pr is not None:
            num_id = _val(num_pr, "numId") or num_id
            lv = _val(num_pr, "ilvl")
            ilvl = int(lv) if lv and lv.isdigit() else ilvl
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        return self._count(num_id, min(8, ilvl or 0))

    def _count(self, num_id: str, ilvl: int) -> str:
        aid, overrides = self.nums[num_id]
        levels = self._levels(aid)
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(aid, [None] * 9)
        if num_id not in self.used:
            self.used.add(num_id)
            for k, start in overrides.items():
                counters[min(8, k)] = start - 1
        level = levels[ilvl]
        counters[ilvl] = level.start if counters[ilvl] is None else counters[ilvl] + 1  # type: ignore[operator]
        for k in range(ilvl + 1, 9):
            counters[k] = None
        if level.fmt == "none":
            return ""
        if level.fmt == "bullet":
            return bullet(level.text, level.font) + " "
        text = level.text
        for k in range(9):
            if f"%{k + 1}" in text:
                lv = levels.get(k, level)
                n = counters[k] if counters[k] is not None else lv.start
                text = text.replace(f"%{k + 1}", _number(n or 0, "decimal" if level.legal else lv.fmt))
        return text + level.suffix if text else ""
