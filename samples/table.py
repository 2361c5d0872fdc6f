"""Flattened tables for the renderer: the recovery itself lives in the OCR stage
(`ocr.flattened`), which rebuilds the same tables for text pages; this module keeps the
names the renderer and its tests import."""

from __future__ import annotations

from ocr.flattened import TableSpec, auto_widths, find_table, parse_table, split_cells

__all__ = ["TableSpec", "auto_widths", "find_table", "parse_table", "split_cells"]
