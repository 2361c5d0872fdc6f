"""OCR options: which clean-up steps run, which Tesseract model, which resolution."""

from __future__ import annotations

from dataclasses import dataclass

LANGS = ("vie", "Vietnamese", "eng", "vie+eng")


@dataclass(frozen=True, slots=True)
class OcrOptions:
    """Each clean-up step is switchable, so the bench can measure what each is worth.
    Defaults are the measured best (see `make bench`)."""

    lang: str = "vie"
    psm: int = 3
    dpi: int | None = None  # override the page's resolution
    orientation: bool = True  # OSD, only when the first read looks wrong (low confidence)
    deskew: bool = True
    denoise: bool = False
    sauvola: bool = True  # Tesseract's own adaptive binarisation (survives uneven light)
    seal_removal: bool = True  # red/blue stamps and seals by colour
    border_crop: bool = True
    upscale: bool = True  # pages under 120 DPI are enlarged x2 (clean.UPSCALE)
    columns: bool = True  # split the Decree-30 two-column header into blocks
    tables: bool = True
    decipher: bool = True  # a PDF layer of glyph numbers is read back with this page's OCR
    doubts: bool = True  # Tesseract's per-letter doubts for restoration (in-process reads)
    elements: bool = True  # framed e-signature boxes and receipt stamps read apart (elements.py)

    def __post_init__(self) -> None:
        if not self.lang or any(c.isspace() for c in self.lang):
            raise ValueError(f"bad Tesseract language {self.lang!r}")
        if not 0 <= self.psm <= 13:
            raise ValueError(f"bad page segmentation mode {self.psm}")
        if self.dpi is not None and not 50 <= self.dpi <= 1200:
            raise ValueError(f"implausible dpi {self.dpi}")

    @property
    def steps(self) -> tuple[str, ...]:
        names = ("orientation", "deskew", "denoise", "sauvola", "seal_removal", "border_crop",
                 "upscale", "columns", "tables")
        return tuple(n for n in names if getattr(self, n))
