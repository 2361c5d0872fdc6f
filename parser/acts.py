"""Cited legal acts: kind, canonical number, date, issuer, subject, role, every mention.

Why on folded text: OCR damage hits marks and letters (`Nghi dinh`, `s6`, `ND-CP`), so
citations are found on the mark-free lower-case shadow of the text (same offsets) and
read back from the restored text. Canonical numbers use Vietnamese letters (NĐ-CP, QĐ-TTg).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .doc import Doc, clean
from .models import ActRelation, LegalAct, Mention

KINDS = {  # folded kind -> (printed kind, symbol a bare number is completed with)
    "nghi dinh": ("Nghị định", "NĐ-CP"), "nghi quyet": ("Nghị quyết", None),
    "quyet dinh": ("Quyết định", None), "thong tu lien tich": ("Thông tư liên tịch", None),
    "thong tu": ("Thông tư", None), "chi thi": ("Chỉ thị", None), "ke hoach": ("Kế hoạch", None),
    "luat": ("Luật", None), "phap lenh": ("Pháp lệnh", None), "cong van": ("Công văn", None),
    "thong bao": ("Thông báo", None), "huong dan": ("Hướng dẫn", None),
    "chuong trinh": ("Chương trình", None), "ket luan": ("Kết luận", None),
    "van ban": ("Văn bản", None), "to trinh": ("Tờ trình", None), "bao cao": ("Báo cáo", None),
    "quy dinh": ("Quy định", None), "de an": ("Đề án", None),
}
SYMBOL_KINDS = {"NĐ": "Nghị định", "QĐ": "Quyết định", "NQ": "Nghị quyết", "TT": "Thông tư",
                "TTLT": "Thông tư liên tịch", "CT": "Chỉ thị", "KH": "Kế hoạch", "TB": "Thông báo",
                "HD": "Hướng dẫn", "BC": "Báo cáo", "TTr": "Tờ trình", "KL": "Kết luận",
                "CTr": "Chương trình", "QH": "Luật"}
_CODES = {c.upper() for c in SYMBOL_KINDS} | {"CP", "TTG", "UBND", "HĐND", "BCT", "TW"}
_KIND = "|".join(sorted(KINDS, key=len, reverse=True))
_SO = r"(?:s[o06ed]?|s o)\s*[:.]?\s*"  # số, OCR s6/s0/sé/sd, or a lone s
# number forms (on folded text): 63/2010/nd-cp, 116/kh-ubnd, 17-nq/tw, 142/2024/qh15, 45/2020
_NUM = r"\d{1,5}\s?(?:/\s?\d{4}\s?)?(?:/\s?[a-z][a-z0-9]*(?:\s?-\s{0,3}[a-z][a-z0-9]*)*|-\s?[a-z]+\s?/\s?[a-z]+)?"
CITE = re.compile(rf"\b(?P<kind>{_KIND})\s+(?:{_SO})?(?P<num>{_NUM})(?![\w/])")
BARE = re.compile(rf"\b{_SO}(?P<num>\d{{1,5}}\s?(?:/\s?\d{{4}})?/\s?[a-z]+(?:\s?-\s?[a-z0-9]+)+)(?![\w/])")
DATE_NUM = re.compile(r"^\s*,?\s*(?:ban hanh\s+)?ngay\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})")
DATE_WORDS = re.compile(r"^\s*,?\s*(?:ban hanh\s+)?ngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*(\d{4})")
ISSUER = re.compile(r"^\s*,?\s*(?:cua|c[a-z]{1,2}a|do)\s+(?P<who>[^,;:.()]{3,80}?)(?=\s+(?:ve|quy dinh|huong dan|ban hanh|phe duyet|"
                    r"thuc hien|sua doi|truyen thong|tuyen truyen|trien khai|tiep tuc|tai|trong)\b|[,;:.(]|\n|$)")
SUBJECT = re.compile(r"^\s*,?\s*(?:ve viec|ve|quy dinh|huong dan)\s+(?P<what>[^;]{3,220}?)(?=;|\.\s|\n\n|$)")
FIX_SEGMENTS = {"TG": "TTg", "ND": "NĐ", "QD": "QĐ", "QP": "QĐ", "NP": "NĐ", "NB": "NĐ", "QB": "QĐ", "HDND": "HĐND", "TTG": "TTg",
                "TTR": "TTr", "CTR": "CTr", "TI": "TT", "T1": "TT"}  # TI/T1: OCR for TT


@dataclass(frozen=True, slots=True)
class Hit:
    start: int
    end: int
    kind: str
    number: str
    completed: bool


def canonical(raw_num: str, original: str) -> str:
    """`63 /2010/ nd-cp` → `63/2010/NĐ-CP`, letters from the printed text where possible."""
    compact = re.sub(r"\s+", "", original)
    segs = re.split(r"([/-])", compact)
    out = []
    for seg in segs:
        if seg in "/-" or seg.isdigit():
            out.append(seg)
            continue
        seg = _code_letters(seg)
        up = seg.upper().replace("Đ", "Đ")
        fixed = FIX_SEGMENTS.get(up.replace("Đ", "D"))
        out.append(fixed if fixed else (seg if seg[:1].isupper() else up))
    number = "".join(out)
    party = re.fullmatch(r"(\d+)/([A-Z]+)-(TW|TU|HU|ĐU)", number)  # party documents: 71-NQ/TW
    return f"{party.group(1)}-{party.group(2)}/{party.group(3)}" if party else number


def _code_letters(seg: str) -> str:
    """`NÑQ` → `NQ`, `ỦBND` → `UBND`: a symbol is spelt in plain letters and Đ, so a mark
    OCR put on one is noise; a letter doubled by it (`NÑ`) goes when a known code remains."""
    if all(c.isascii() or c in "Đđ" for c in seg):
        return seg
    plain = "".join(c if c in "Đđ" else unicodedata.normalize("NFD", c)[0] for c in seg.replace("Ð", "Đ"))
    single = re.sub(r"(.)\1", r"\1", plain)
    return single if plain.upper() not in _CODES and single.upper() in _CODES else plain


def corrected(printed: str, number: str) -> bool:
    """The canonical number changed the printed symbol's letters, not only its marks, case
    or order (`QĐ-Tg` → `QĐ-TTg` is; `ND-CP` → `NĐ-CP` and `71/NQ-TW` → `71-NQ/TW` are not)."""
    def letters(s: str) -> str:
        return re.sub(r"[^A-Z0-9]", "", _code_letters(s).upper().replace("Đ", "D"))

    tail = re.search(r"\d.*$", printed, re.S)
    return tail is not None and letters(tail.group()) != letters(number)


def _kind_of(number: str, fallback: str) -> str:
    m = re.search(r"/(?:\d{4}/)?([A-ZĐ][A-Za-zĐ]*)-|^\d+-([A-Z]+)/", number)
    code = (m.group(1) or m.group(2)) if m else None
    return SYMBOL_KINDS.get(code or "", fallback)


def find_hits(doc: Doc) -> list[Hit]:
    hits: list[Hit] = []
    taken: list[tuple[int, int]] = []
    for m in CITE.finditer(doc.flat):
        kind, default = KINDS[m.group("kind")]
        a, b = m.span("num")
        number = canonical(m.group("num"), doc.text[a:b])
        completed = False
        if "/" not in number and "-" not in number:
            continue  # "Kế hoạch số 5" with no symbol: not a citation we can key
        if re.fullmatch(r"\d+/\d{4}", number) and default:
            number, completed = f"{number}/{default}", True
        elif re.fullmatch(r"\d+/\d{4}", number):
            continue
        hits.append(Hit(m.start(), b, kind, number, completed))
        taken.append((m.start(), b))
    for m in BARE.finditer(doc.flat):
        a, b = m.span("num")
        if any(s <= a < e for s, e in taken):
            continue
        number = canonical(m.group("num"), doc.text[a:b])
        hits.append(Hit(m.start(), b, _kind_of(number, "Văn bản"), number, False))
    return sorted(hits, key=lambda h: h.start)


def _date(folded_after: str) -> str | None:
    for rx in (DATE_NUM, DATE_WORDS):
        m = rx.match(folded_after)
        if m:
            d, mo, y = (int(g) for g in m.groups())
            if 1 <= d <= 31 and 1 <= mo <= 12:
                return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


_ISSUERS = [(re.compile(p), n) for p, n in (
    # Chính phủ: OCR and restoration slips on its last mark (phi, pha, phil) are common
    (r"^th[a-z] tu[a-z]{1,2}ng chinh ph[a-z]{0,2}\b", "Thủ tướng Chính phủ"), (r"^chinh ph[a-z]{0,2}\b", "Chính phủ"),
    (r"^van phong chinh ph[a-z]{0,2}\b", "Văn phòng Chính phủ"),
    (r"^chu tich (?:uy ban nhan dan|ubnd) tinh", "Chủ tịch UBND tỉnh"),
    (r"^(?:uy ban nhan dan|ubnd) tinh", "UBND tỉnh"), (r"^quoc hoi", "Quốc hội"),
    (r"^hoi dong nhan dan tinh|^hdnd tinh", "HĐND tỉnh"),
    (r"(?:ban chap hanh|bch) (?:trung uong|tw)", "Ban Chấp hành Trung ương Đảng"),
    (r"(?:ban chap hanh|bch) [dpb]ang bo tinh", "Ban Chấp hành Đảng bộ tỉnh"),
    (r"^bo chinh tri", "Bộ Chính trị"), (r"^ban bi thu", "Ban Bí thư"),
    (r"^(?:ban thuong vu|btv) tinh uy", "Ban Thường vụ Tỉnh ủy"),
)]


def _issuer(doc: Doc, pos: int) -> tuple[str | None, int]:
    m = ISSUER.match(doc.flat[pos:pos + 120])
    if not m:
        return _conference(doc, pos)
    return _named(doc, pos + m.start("who"), pos + m.end("who")), pos + m.end()


def _named(doc: Doc, a: int, b: int) -> str:
    """The issuer printed at [a, b): a known body in its usual short form (`Ủy ban nhân
    dân tỉnh` → `UBND tỉnh`), the rest of the printed name kept (`UBND tỉnh Lào Cai`)."""
    who_f = doc.flat[a:b].strip()
    lead = len(doc.flat[a:b]) - len(doc.flat[a:b].lstrip())
    for rx, name in _ISSUERS:
        m = rx.search(who_f)
        if m and m.start() == 0:
            rest = clean(doc.text[a + lead + m.end(): b])
            return f"{name} {rest}".strip() if rest and rest[:1].isupper() else name
        if m:
            return name
    return _trim_issuer(clean(doc.text[a:b]))


_BEFORE = re.compile(r"(?:\bcua\s+|\bduoc\s+|\bdo\s+|[;:]\s*)"
                     r"(?P<who>(?:(?!\b(?:cua|duoc|do)\s)[^;:.()\n]){3,110}?)\s+(?:phe duyet\s+|ban hanh\s+)?tai\s*$")


def _issuer_before(doc: Doc, start: int) -> str | None:
    """`Xét đề nghị của Công ty X tại Văn bản số ...`, `được Thủ tướng Chính phủ phê
    duyệt tại Quyết định số ...`: the issuer printed before the citation."""
    window = doc.flat[max(0, start - 140):start]
    m = _BEFORE.search(window)
    if not m:
        return None
    a = start - len(window) + m.start("who")
    if not doc.text[a:a + 1].isupper():
        return None  # after a semicolon only a name opens the issuer (`; Công ty X tại ...`)
    return _named(doc, a, start - len(window) + m.end("who"))


CONFERENCE = re.compile(r"^\s*,?\s*(?:tai|cua)?\s*hoi nghi\b[^;.()]{0,60}?(?=(?:ban chap hanh|bch)\b)")


def _conference(doc: Doc, pos: int) -> tuple[str | None, int]:
    """A party resolution cited by its plenum (`tại Hội nghị lần thứ 5 BCH TW Đảng`):
    the issuer is the Ban Chấp hành named there."""
    m = CONFERENCE.match(doc.flat[pos:pos + 140])
    if m:
        rest = " ".join(doc.flat[pos + m.end(): pos + m.end() + 60].split())
        for rx, name in _ISSUERS:
            if rx.match(rest):
                return name, pos + m.end()
    return None, pos


def _trim_issuer(who: str) -> str:
    """An issuer does not end with a dangling conjunction."""
    words = who.split()
    while len(words) > 1 and words[-1] == "và":
        words.pop()
    return " ".join(words)


def _after_date(doc: Doc, pos: int) -> int:
    for rx in (DATE_NUM, DATE_WORDS):
        m = rx.match(doc.flat[pos:pos + 60])
        if m:
            return pos + m.end()
    return pos


def _role(doc: Doc, start: int) -> str:
    """basis when the citation sits in a `Căn cứ ...` paragraph."""
    back = doc.folded[max(0, start - 600):start]
    cut = max(back.rfind(";"), back.rfind(".\n"), back.rfind("\n\n"), back.rfind(":"))
    seg = back[cut + 1:].lstrip(" \n-") if cut >= 0 else back.lstrip(" \n-")
    return "basis" if seg.startswith("can cu") else "content"


def _same_number_key(number: str) -> str:
    """A number compared as OCR may print it: Đ and D alike (the header's symbol may be
    repaired to `KH-KCNĐN` while the body still reads `KH-KCNDN`)."""
    return number.upper().replace("Đ", "D")


def extract_acts(doc: Doc, own_number: str | None, section_of) -> tuple[list[LegalAct], list[ActRelation]]:
    """Distinct acts in order of first mention, each with all its mentions."""
    acts: dict[str, dict] = {}
    hits = find_hits(doc)
    _complete_bare(hits)
    relations = []
    own = _same_number_key(own_number) if own_number else None
    for i, h in enumerate(hits):
        if own and _same_number_key(h.number) == own:
            continue
        pos = h.end
        date = _date(doc.flat[pos:pos + 60])
        pos = _after_date(doc, pos)
        issuer, pos = _issuer(doc, pos)
        issuer = issuer or _issuer_before(doc, h.start) or _shared_issuer(doc, hits, i, pos)
        sm = SUBJECT.match(doc.flat[pos:pos + 240])
        subject = clean(doc.text[pos + sm.start("what"): pos + sm.end("what")]) if sm else None
        role = _role(doc, h.start)
        mention = Mention(clean(doc.text[h.start:h.end]), doc.span(h.start, h.end), section_of(h.start), role)  # type: ignore[arg-type]
        a = acts.setdefault(h.number, {"kind": h.kind, "date": None, "issuer": None, "subject": None,
                                       "role": role, "mentions": [], "completed": h.completed,
                                       "corrected": corrected(doc.text[h.start:h.end], h.number)})
        a["date"] = a["date"] or date
        a["issuer"] = a["issuer"] or issuer
        a["subject"] = a["subject"] or subject
        a["role"] = "basis" if role == "basis" or a["role"] == "basis" else "content"
        a["mentions"].append(mention)
        if i + 1 < len(hits) and re.search(r"sua doi,? bo sung", doc.folded[h.end:hits[i + 1].start]) \
                and hits[i + 1].start - h.end < 200:
            relations.append(ActRelation("sửa đổi, bổ sung", h.number, hits[i + 1].number,
                                         doc.span(h.start, hits[i + 1].end)))
    out = [LegalAct(a["kind"], n, a["date"], a["issuer"], a["subject"], a["role"],
                    tuple(a["mentions"]), a["completed"], a["corrected"]) for n, a in acts.items()]
    return out, relations


def _shared_issuer(doc: Doc, hits: list[Hit], i: int, pos: int) -> str | None:
    """`văn bản số 138/... ngày ... và số 164/... ngày ... của Sở X`: two citations joined
    by `và` share the issuer printed after the second."""
    if i + 1 >= len(hits) or not re.match(r"^\s*,?\s*va\s", doc.flat[pos:hits[i + 1].start]):
        return None
    nxt = hits[i + 1]
    after = _after_date(doc, nxt.end)
    return _issuer(doc, after)[0]


def _complete_bare(hits: list[Hit]) -> None:
    """A number cited without its symbol takes the full form cited elsewhere (one only)."""
    full: dict[str, set[str]] = {}
    for h in hits:
        m = re.match(r"^(\d+/\d{4})/", h.number)
        if m:
            full.setdefault(m.group(1), set()).add(h.number)
    for i, h in enumerate(hits):
        if h.completed:
            key = h.number.rsplit("/", 1)[0]
            if len(full.get(key, ())) == 1:
                hits[i] = Hit(h.start, h.end, h.kind, next(iter(full[key])), True)
