"""Restoration: diacritics and OCR damage repaired by a noisy-channel decoder."""

from .model import load_model
from .models import RestoredLine, RestoredPage, RestoredToken
from .passthrough import passthrough
from .restore import Restorer, restore, restore_page, restore_text, train

__all__ = [
    "RestoredLine", "RestoredPage", "RestoredToken", "Restorer", "load_model", "passthrough",
    "restore", "restore_page", "restore_text", "train",
]
