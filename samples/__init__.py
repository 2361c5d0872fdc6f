"""Sample inputs, their ground truth, and the page renderer that makes them."""

from .degrade import CONDITIONS, degrade
from .render import (
    CellTruth,
    RenderedPage,
    Style,
    TableTruth,
    render_document,
    render_lines,
    render_table,
)
from .truth import cer, wer

__all__ = [
    "CONDITIONS",
    "CellTruth",
    "RenderedPage",
    "Style",
    "TableTruth",
    "cer",
    "degrade",
    "render_document",
    "render_lines",
    "render_table",
    "wer",
]
