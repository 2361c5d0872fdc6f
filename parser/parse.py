"""parse(pages) → PlanRecord: the parser stage's one verb, composing its extractors."""

from __future__ import annotations

import re
from collections.abc import Sequence

from diacritics.models import RestoredPage

from .acts import extract_acts
from .assign import read_assignments
from .audiences import parse_audiences
from .doc import Doc
from .header import parse_header
from .models import Header, PlanRecord, Responsibility
from .named_acts import extract_unnumbered
from .outline import parse_outline, section_locator


def parse(pages: Sequence[RestoredPage]) -> PlanRecord:
    """All fields of a plan (or another Decree-30 document). A text that is not such a
    document gives empty fields and a warning, never an exception."""
    doc = Doc(pages)
    doc_id = pages[0].doc_id if pages else "0" * 64
    if not doc.text.strip():
        return PlanRecord(doc_id, Header(), (), (), (), (), (), (), ("empty document",))
    header = parse_header(doc)
    sections = parse_outline(doc)
    locate = section_locator(doc, sections)
    own = f"{header.number.value}/{header.symbol.value}" if header.number.value and header.symbol.value else None
    acts, relations = extract_acts(doc, own, locate)
    cited = {m.span.start for a in acts for m in a.mentions}
    unnumbered = extract_unnumbered(doc, cited, header.title.value)
    audiences = parse_audiences(doc, locate)
    tasking = (header.doc_type.value or "").upper() in TASKING_TYPES
    duties = _with_tables(read_assignments(doc, sections, locate, _body(doc), tasking,
                                           _where(doc, header.addressee)), pages)
    warnings = _warnings(header)
    return PlanRecord(doc_id, header, tuple(sections), tuple(acts), tuple(unnumbered),
                      tuple(relations), tuple(audiences), tuple(duties), warnings)


def _with_tables(prose: list[Responsibility], pages: Sequence[RestoredPage]) -> list[Responsibility]:
    """Prose duties plus the task tables' rows; a prose match inside a table (a task that
    reads `phối hợp với các ...`) is the table reader's, not counted twice."""
    try:
        from .tables import read_tables
    except ImportError:
        return prose
    duties, areas = read_tables(pages)
    kept = [r for r in prose
            if not any(p == r.span.page and a <= r.span.start < b for p, a, b in areas)]
    return kept + duties


# types whose body is a list of orders (every sentence led by a unit and a duty verb counts)
TASKING_TYPES = ("CÔNG VĂN", "CHỈ THỊ", "THÔNG BÁO", "KẾ HOẠCH", "QUYẾT ĐỊNH", "CÔNG ĐIỆN")


def _where(doc: Doc, field) -> tuple[int, int] | None:
    """The joined-text span of a header field, None when it was not found."""
    if field.span is None:
        return None
    k = next((i for i, p in enumerate(doc.pages) if p.index == field.span.page), 0)
    return doc.starts[k] + field.span.start, doc.starts[k] + field.span.end


def _body(doc: Doc) -> tuple[int, int]:
    """Where duties may be assigned: after the header's title (the first `Căn cứ`, `Kính
    gửi` or outline heading), to the end (annexes hold task tables too)."""
    m = re.search(r"^\s*(?:can cu|kinh gui|thuc hien|[ivx]{1,4}\.|1\.)", doc.folded, re.M)
    return (m.start() if m else 0), len(doc.text)


def _warnings(header: Header) -> tuple[str, ...]:
    if header.doc_type.value is None and header.symbol.value is None:
        return ("no Decree-30 header found: not an administrative document?",)
    return ()


def parse_text(text: str, doc_id: str = "0" * 64) -> PlanRecord:
    """Convenience: plain text (pages split on form feeds) → PlanRecord."""
    from diacritics.passthrough import passthrough
    from ocr.text import text_page

    pages = [passthrough(text_page(doc_id, i, t)) for i, t in enumerate(text.split("\f"))]
    return parse(pages)
