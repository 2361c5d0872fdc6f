"""Repairs of header fields that OCR (and restoration after it) left damaged.

Why: the header is printed in small capitals at the edge of the page, where OCR is
worst, and restoration has little context there (`BAN QUANLY` → `BÁN QUANLY`). A careful
reader repairs such a field from what the rest of the document says, and so do we:
- a name read again in the body (`Ban Quản lý các Khu công nghiệp`) outvotes the
  header's unconfirmed reading when both agree once marks and spaces are ignored;
- a signer's position is one of a small closed vocabulary (`PHÓ TRƯỞNG BAN`), so a
  damaged title line (`YO TRƯỜNG BẮN`) is matched against it by edit distance;
- a symbol's agency code is made of the agency's initials, so a `D` that stands for a
  word beginning with `Đ` (`KCNDN`: Khu công nghiệp Đồng Nai) is an `Đ` that OCR lost.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter

from rapidfuzz.distance import Levenshtein

from diacritics.lexicon import fold_tone_placement

from .doc import Doc, fold
from .models import Field, Header

POSITIONS = (
    "CHỦ TỊCH", "PHÓ CHỦ TỊCH", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "TỔNG GIÁM ĐỐC",
    "PHÓ TỔNG GIÁM ĐỐC", "TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "TRƯỞNG ĐOÀN", "PHÓ TRƯỞNG ĐOÀN",
    "CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG", "CHI CỤC TRƯỞNG", "PHÓ CHI CỤC TRƯỞNG", "VỤ TRƯỞNG",
    "PHÓ VỤ TRƯỞNG", "TỔNG CỤC TRƯỞNG", "PHÓ TỔNG CỤC TRƯỞNG", "BỘ TRƯỞNG", "THỨ TRƯỞNG",
    "THỦ TƯỚNG", "PHÓ THỦ TƯỚNG", "CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG", "TRƯỞNG PHÒNG",
    "PHÓ TRƯỞNG PHÒNG", "CHÁNH THANH TRA", "PHÓ CHÁNH THANH TRA", "VIỆN TRƯỞNG",
    "PHÓ VIỆN TRƯỞNG", "HIỆU TRƯỞNG", "PHÓ HIỆU TRƯỞNG", "BÍ THƯ", "PHÓ BÍ THƯ",
    "ỦY BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN", "CHÍNH PHỦ", "THƯỜNG TRỰC", "GIÁM ĐỐC SỞ",
    # bodies signed for (TM.) whose names hold a shorter entry: without them `TM. BAN
    # THƯỜNG TRỰC` snapped to `THƯỜNG TRỰC`
    "BAN THƯỜNG TRỰC", "BAN THƯỜNG VỤ", "BAN CHỈ ĐẠO", "BAN CHẤP HÀNH",
)
_POS_KEYS = {re.sub(r"\s", "", fold(p)): p for p in POSITIONS}
_SURNAMES = {fold(n): n for n in ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ",
                                   "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trịnh")}
_HEADS = {"so": "Sở", "luu": "Lưu"}
MARKED_TEXT = 0.15  # share of marked letters above which a text is Vietnamese with marks
MAX_TITLE_DIST = 0.25  # share of a title's letters OCR may have got wrong
PREFIX = re.compile(r"^((?:KT|TM|TL|Q|TUQ)\s*\.\s*)", re.IGNORECASE)
FUNCTION_WORDS = {"va", "cac", "cua"}  # not initialled in agency codes (SNNMT)
# Decree 30/2020, appendix III: the type code a document's symbol begins with
TYPE_CODES = {"NGHỊ QUYẾT": "NQ", "QUYẾT ĐỊNH": "QĐ", "CHỈ THỊ": "CT", "QUY CHẾ": "QC",
              "QUY ĐỊNH": "QyĐ", "THÔNG CÁO": "TC", "THÔNG BÁO": "TB", "HƯỚNG DẪN": "HD",
              "CHƯƠNG TRÌNH": "CTr", "KẾ HOẠCH": "KH", "PHƯƠNG ÁN": "PA", "ĐỀ ÁN": "ĐA",
              "DỰ ÁN": "DA", "BÁO CÁO": "BC", "BIÊN BẢN": "BB", "TỜ TRÌNH": "TTr",
              "HỢP ĐỒNG": "HĐ", "CÔNG ĐIỆN": "CĐ", "GIẤY MỜI": "GM", "GIẤY PHÉP": "GP",
              "GIẤY ỦY QUYỀN": "GUQ", "GIẤY GIỚI THIỆU": "GGT", "NGHỊ ĐỊNH": "NĐ",
              "THÔNG TƯ": "TT"}


def repair(doc: Doc, h: Header) -> Header:
    """The header with damaged agency names, signer title and symbol letters repaired."""
    place = _corroborate(doc, h.place, near=True)  # one letter off: only a place name (Bộ / Sở)
    parent = _with_place(_corroborate(doc, h.parent_agency), place)
    agency = _with_place(_corroborate(doc, h.agency), place)
    title = _signer_title(h.signer_title)
    marked = _marked_share(doc) >= MARKED_TEXT
    name = _surname(h.signer_name) if marked else h.signer_name
    recipients = tuple(_head_word(r) for r in h.recipients) if marked else h.recipients
    names = [f.value for f in (agency, place, parent) if f.value]
    symbol = _symbol_type(_symbol_letters(h.symbol, names), h.doc_type.value)
    return dataclasses.replace(h, parent_agency=parent, agency=agency, signer_title=title,
                               symbol=symbol, place=place, signer_name=name, recipients=recipients)


def _marked_share(doc: Doc) -> float:
    """Share of letters carrying marks: about a third in Vietnamese, near none in OCR made
    without Vietnamese support, whose convention (no marks) the repairs then keep."""
    sample, folded = doc.text[:4000].lower(), doc.folded[:4000]  # same length: fold keeps offsets
    letters = sum(c.isalpha() for c in sample)
    return sum(a != b for a, b in zip(sample, folded, strict=False)) / letters if letters else 0.0


def _surname(f: Field) -> Field:
    """A signer's family name is one of a few (Nguyễn, Trần, Lê, ...): one that differs
    from them only in marks is that name (`Nguyên Trí Phương` → `Nguyễn Trí Phương`)."""
    if not f.value or " " not in f.value:
        return f
    first, rest = f.value.split(" ", 1)
    known = _SURNAMES.get(fold(first))
    if not known or known == first or fold(first) == first.lower():
        return f
    return dataclasses.replace(f, value=f"{known} {rest}", note="family name matched to a known one")


def _head_word(f: Field) -> Field:
    """A recipient's first word when restoration mistook a label for a look-alike
    (`Số Tư pháp` for the department `Sở`, `Luu:` for the `Lưu` line)."""
    if not f.value:
        return f
    m = re.match(r"(\w+)(?=[\s:])", f.value)
    if not m or fold(m.group(1)) not in _HEADS or re.match(r"\w+\s*:?\s*\d", f.value):
        return f
    head = _HEADS[fold(m.group(1))]
    return f if head == m.group(1) else dataclasses.replace(f, value=head + f.value[m.end():])


def _with_place(f: Field, place: Field) -> Field:
    """An agency ending in the place's name (`UBND TỈNH ĐÔNG NAI` with place `Đồng Nai`)
    spells it as the place does when the two differ only in marks."""
    if not f.value or not place.value or not f.value.isupper():
        return f
    n = len(place.value)
    tail = f.value[-n:]
    if len(f.value) <= n or fold(tail) != fold(place.value) or f.value[-n - 1] != " ":
        return f
    if tail == place.value.upper() or fold(place.value) == place.value.lower():
        return f
    return dataclasses.replace(f, value=f.value[:-n] + place.value.upper(), note="place name as in the date line")


def _words_key(text: str) -> str:
    """Lower-case words with one tone placement: `Uỷ` and `Ủy` are the same reading."""
    return " ".join(fold_tone_placement(w) for w in text.lower().split())


def _corroborate(doc: Doc, f: Field, near: bool = False) -> Field:
    """The field's reading outvoted by the body's when the header's own reading appears
    nowhere else and the body spells the same letters (marks, spaces aside) otherwise."""
    if not f.value or f.span is None:
        return f
    key = re.sub(r"[^a-z0-9]", "", fold(f.value))
    if len(key) < 6:
        return f
    pattern = r"(?<![\w])" + r"\s*".join(re.escape(c) for c in key) + r"(?!\w)"
    own = _words_key(f.value)
    votes: Counter[str] = Counter()
    forms: dict[str, str] = {}
    for m in re.finditer(pattern, doc.folded):
        form = " ".join(doc.text[m.start():m.end()].split())
        k = _words_key(form)
        votes[k] += 1
        forms.setdefault(k, form)
    if near and votes[own] <= 1 and len(votes) <= 1:  # nothing else read the same: one letter off?
        for form in _near_forms(doc, f.value, key):
            votes[_words_key(form)] += 1
            forms.setdefault(_words_key(form), form)
        if max(votes.values(), default=0) < 2:
            return f
    if not votes or votes[own] > 1 or votes.most_common(1)[0][0] == own:
        return f
    best = forms[votes.most_common(1)[0][0]]
    if fold(f.value) == f.value.lower():  # no marks at all (un-restored OCR): none added
        best = _unmarked(best)
    return dataclasses.replace(f, value=_cased(best, f.value), note="read again in the body (damaged in the header)")


def _cased(best: str, like: str) -> str:
    """`best` in the letter case the field was printed in (capitals, or word by word)."""
    if like.isupper():
        return best.upper()
    words, model = best.split(), like.split()
    if len(words) != len(model):
        return best
    return " ".join(w.capitalize() if m[:1].isupper() else w.lower() for w, m in zip(words, model, strict=True))


def _near_forms(doc: Doc, value: str, key: str) -> list[str]:
    """Runs of as many words in the body, one letter from the field once folded (OCR's
    `Cuo Bằng` for Cao Bằng): place names of 6 to 30 letters only, where one letter is
    a slip and not another place (Hà Nam / Hà Nội differ by two); agencies can differ
    by one (Bộ / Sở Công Thương), so they are not read this way."""
    n = len(value.split())
    if not 6 <= len(key) <= 30 or n > 6:
        return []
    words = [(m.start(), m.end(), re.sub(r"[^a-z0-9]", "", m.group())) for m in re.finditer(r"\S+", doc.flat)]
    out = []
    for i in range(len(words) - n + 1):
        run = "".join(w for _, _, w in words[i:i + n])
        if run != key and abs(len(run) - len(key)) <= 1 and Levenshtein.distance(run, key, score_cutoff=1) <= 1:
            out.append(" ".join(doc.text[words[i][0]:words[i + n - 1][1]].split()).strip(",.;:()"))
    return out


def _unmarked(text: str) -> str:
    return "".join(c if c.lower() == "đ" or fold(c) == c.lower() else (fold(c).upper() if c.isupper() else fold(c))
                   for c in text)


def _signer_title(f: Field) -> Field:
    """Each title line (after KT./TM./TL.) snapped to the nearest known position when
    it is within MAX_TITLE_DIST of one and not already exactly one."""
    if not f.value:
        return f
    lines = re.split(r"\s+(?=(?:KT|TM|TL|Q|TUQ)\s*\.)", f.value)
    out = [_snap(part) for part in lines]
    value = " ".join(p for p in out if p)
    return f if value == f.value else dataclasses.replace(f, value=value, note="matched to a known position")


def _snap(part: str) -> str:
    m = PREFIX.match(part)
    prefix = m.group(1).upper().replace(" ", "") + " " if m else ""
    rest = part[m.end():] if m else part
    fixed = _snap_words(rest.split())
    return (prefix + fixed).strip()


def _snap_words(words: list[str]) -> str:
    """The closest reading of `words` as one known position or two (most titles are one
    position under a prefix, the deputy's line after it: `TRƯỞNG BAN PHÓ TRƯỞNG BAN`)."""
    text = " ".join(words)
    cuts = [[text]] + [[" ".join(words[:i]), " ".join(words[i:])] for i in range(1, len(words))]
    best, best_cost = text, 1.0
    for parts in cuts:
        found = [_nearest(p) for p in parts]
        if all(found):
            cost = max(d for d, _ in found)  # type: ignore[misc]
            if cost < best_cost:
                best, best_cost = " ".join(p for _, p in found), cost  # type: ignore[misc]
    return best if best_cost <= MAX_TITLE_DIST else text


def _nearest(text: str) -> tuple[float, str] | None:
    """(distance, position) of the known position nearest to `text`, or None. On text
    without any marks (un-restored OCR) the position is given without marks too."""
    key = re.sub(r"[^a-z]", "", fold(text))
    if not key:
        return None
    dist, pos = min((Levenshtein.normalized_distance(key, k), p) for k, p in _POS_KEYS.items())
    if dist > MAX_TITLE_DIST:
        return None
    if fold(text) == text.lower():  # no marks at all: keep the page's own convention
        pos = fold(pos).upper()
    return dist, pos


def nearest_position(text: str) -> str | None:
    found = _nearest(text)
    return found[1] if found else None


def _symbol_letters(f: Field, names: list[str]) -> Field:
    """`D` → `Đ` in the agency code where every reading of the code as the initials of
    consecutive words of the agency name and place gives a word beginning with Đ."""
    if not f.value or "D" not in f.value:
        return f
    words = [w for name in names for w in re.findall(r"[^\W\d_]+", name)
             if fold(w) not in FUNCTION_WORDS]
    parts = re.split(r"([/-])", f.value)
    fixed = "".join(_segment_letters(p, words) for p in parts)
    return f if fixed == f.value else dataclasses.replace(f, value=fixed, note="Đ from the agency's initials")


def _symbol_type(f: Field, doc_type: str | None) -> Field:
    """`CI-UBND` on a Chỉ thị → `CT-UBND`: the symbol's type code is fixed by the document
    type, so a code one letter from the expected one (and no other code) is OCR damage."""
    want = TYPE_CODES.get(doc_type or "")
    if not f.value or not want or "-" not in f.value:
        return f
    code, _, rest = f.value.partition("-")
    if code == want or code in TYPE_CODES.values() or Levenshtein.distance(code.upper(), want.upper()) > 1:
        return f
    return dataclasses.replace(f, value=f"{want}-{rest}", confidence=min(f.confidence, 0.6),
                               note=f"OCR read {f.value}: type code of a {doc_type.lower()}")  # type: ignore[union-attr]


def _segment_letters(seg: str, words: list[str]) -> str:
    if "D" not in seg or not seg.isupper() or len(seg) < 2:
        return seg
    heads = [(fold(w)[0], w[0] in "đĐ") for w in words]
    readings = []
    for s in range(len(heads) - len(seg) + 1):
        run = heads[s:s + len(seg)]
        if all(h == c.lower() for (h, _), c in zip(run, seg.replace("Đ", "D"), strict=True)):
            readings.append([dj for _, dj in run])
    if not readings:
        return seg
    return "".join("Đ" if c == "D" and all(r[i] for r in readings) else c for i, c in enumerate(seg))
