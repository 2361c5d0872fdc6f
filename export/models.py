"""The artefact export takes: everything the pipeline learnt about one document."""

from __future__ import annotations

from dataclasses import dataclass, field

from diacritics.models import RestoredPage
from ingest.models import Document
from ocr.models import OcrPage
from parser.models import PlanRecord


@dataclass(frozen=True, slots=True)
class DocumentResult:
    document: Document
    pages: tuple[OcrPage, ...]
    restored: tuple[RestoredPage, ...]
    record: PlanRecord | None
    pipeline_version: str
    timings: dict[str, float] = field(default_factory=dict, hash=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.pages) != len(self.document.pages):
            raise ValueError("one OcrPage per ingested page")
        if self.restored and len(self.restored) != len(self.pages):
            raise ValueError("one RestoredPage per OcrPage")

    @property
    def doc_id(self) -> str:
        return self.document.doc_id
