"""Artefacts of the parser stage: a PlanRecord and its parts, each with provenance.

Every extracted value carries a `Span`: the page, the character span in that page's
restored text, the same span in the raw text, and the box when the page was a scan.
That is what lets a reviewer see the evidence beside each field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ocr.models import Box

ActRole = Literal["basis", "content"]
RespRole = Literal["lead", "support", "all"]
RespSource = Literal["section", "prose", "table"]


@dataclass(frozen=True, slots=True)
class Span:
    page: int  # 0-based page index
    start: int  # in the page's restored text
    end: int
    raw_start: int = -1  # in the page's raw text (-1: unknown)
    raw_end: int = -1
    box: Box | None = None

    def __post_init__(self) -> None:
        if self.page < 0 or self.start < 0 or self.end < self.start:
            raise ValueError(f"bad span {self}")


@dataclass(frozen=True, slots=True)
class Field:
    """An extracted value with its evidence. `confidence` < 0.5 marks a value a person
    should check (e.g. a handwritten number)."""

    value: str | None
    span: Span | None = None
    confidence: float = 1.0
    note: str = ""

    def __post_init__(self) -> None:
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"confidence out of range: {self.confidence}")


EMPTY = Field(None, None, 0.0)


@dataclass(frozen=True, slots=True)
class Header:
    parent_agency: Field = EMPTY
    agency: Field = EMPTY
    number: Field = EMPTY  # "1298" (None when blank in a draft)
    symbol: Field = EMPTY  # "KH-SCT"
    place: Field = EMPTY
    date: Field = EMPTY  # ISO yyyy-mm-dd, None when the day is blank
    date_partial: Field = EMPTY  # "2025-10" when only month/year are printed
    doc_type: Field = EMPTY  # "KẾ HOẠCH", "QUYẾT ĐỊNH", "CÔNG VĂN", ...
    title: Field = EMPTY
    addressee: Field = EMPTY  # "Kính gửi: ..."
    signer_name: Field = EMPTY
    signer_title: Field = EMPTY  # "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC" style kept as printed
    recipients: tuple[Field, ...] = ()


@dataclass(frozen=True, slots=True)
class Section:
    """A heading in the outline. `parent` is the index of the enclosing Section, -1 at top."""

    number: str  # "I", "1", "1.1", "a", "-"
    title: str
    level: int
    span: Span
    parent: int = -1

    def __post_init__(self) -> None:
        if self.level < 1:
            raise ValueError("section level starts at 1")


@dataclass(frozen=True, slots=True)
class Mention:
    """One place a legal act is cited: the section it is in and the text as printed."""

    text: str
    span: Span
    section: str = ""  # outline path, e.g. "I.1"
    role: ActRole = "content"


@dataclass(frozen=True, slots=True)
class LegalAct:
    kind: str  # "Nghị định", "Quyết định", "Kế hoạch", ...
    number: str  # canonical, e.g. "63/2010/NĐ-CP", "17-NQ/TW"
    date: str | None  # ISO
    issuer: str | None
    subject: str | None
    role: ActRole
    mentions: tuple[Mention, ...]
    completed: bool = False  # the number was completed from an incomplete citation
    corrected: bool = False  # the printed symbol was corrected (`866/QĐ-Tg` → `866/QĐ-TTg`): check it

    def __post_init__(self) -> None:
        if not self.number or not self.mentions:
            raise ValueError("a legal act has a number and at least one mention")


@dataclass(frozen=True, slots=True)
class UnnumberedAct:
    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class ActRelation:
    """E.g. act `source` 'sửa đổi, bổ sung' act `target`."""

    kind: str
    source: str
    target: str
    span: Span


@dataclass(frozen=True, slots=True)
class Audience:
    name: str  # "cán bộ, công chức"
    number: str  # outline number of its block
    items: tuple[str, ...]
    channels: tuple[str, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Responsibility:
    """One unit's part in one task: who (unit, or the role of a named person), as what
    (lead: does it; support: a named partner; all: a collective that must do it), what
    (the task as printed, restored), by when (deadline, cadence), and where it was read
    (source, outline path, evidence span). A unit with several tasks has one entry per
    task; the partners of a task each have a support entry with the same task."""

    unit: str
    role: RespRole
    source: RespSource
    task: str
    span: Span
    person: str | None = None
    deadline: str | None = None  # "trước ngày 15/12/2025", "Quý II/2026"
    cadence: str | None = None  # "định kỳ 6 tháng", "hằng năm", "thường xuyên"
    section: str = ""  # outline path of the item, e.g. "IV.2"
    group: str | None = None  # task-table group row

    def __post_init__(self) -> None:
        if not self.unit.strip():
            raise ValueError("a responsibility names its unit")


@dataclass(frozen=True, slots=True)
class PlanRecord:
    doc_id: str
    header: Header
    sections: tuple[Section, ...]
    legal_acts: tuple[LegalAct, ...]
    unnumbered_acts: tuple[UnnumberedAct, ...]
    relations: tuple[ActRelation, ...]
    audiences: tuple[Audience, ...]
    responsibilities: tuple[Responsibility, ...]
    warnings: tuple[str, ...] = ()
