"""Parser: restored pages → PlanRecord (header, outline, legal acts, audiences, duties)."""

from .models import PlanRecord
from .parse import parse, parse_text

__all__ = ["PlanRecord", "parse", "parse_text"]
