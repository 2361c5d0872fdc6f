"""OCR: OpenCV clean-up, Tesseract with word boxes and confidences, reading order."""

from .clean import clean
from .engine import decipher_document, ocr_image, ocr_page
from .models import Box, Cell, Line, OcrPage, Receipt, Table, Word
from .options import OcrOptions
from .text import page_from_text, text_page

__all__ = [
    "Box", "Cell", "Line", "OcrOptions", "OcrPage", "Receipt", "Table", "Word", "clean", "decipher_document", "ocr_image",
    "ocr_page", "page_from_text", "text_page",
]
