"""Ingest: files → Documents of Pages (text, accepted PDF text layers, or image refs)."""

from .loader import discover, load, load_image, sha256_file, walk
from .models import Document, ImageRef, Page
from .orthography import is_syllable, repair_glyphs, strip_marks, syllable_rate
from .textfile import decode_text

__all__ = [
    "Document", "ImageRef", "Page", "decode_text", "discover", "is_syllable", "load",
    "load_image", "repair_glyphs", "sha256_file", "strip_marks", "syllable_rate", "walk",
]
