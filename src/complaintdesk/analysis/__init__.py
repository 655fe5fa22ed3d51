"""Analysis engine: a pure, explainable reading of a Chinese complaint (issue 3).

``analyze(text, today=None) -> Analysis``; see docs/analysis.md for the contract and data files.
"""

from __future__ import annotations

from complaintdesk.analysis.engine import analyze, read_chronic, read_emotion, warm_up
from complaintdesk.analysis.model import (
    Analysis,
    Category,
    ChronicComplainer,
    ChronicSign,
    CustomerType,
    Demand,
    Emotion,
    EscalationRisk,
    Facts,
    Span,
    Threat,
)
from complaintdesk.analysis.normalize import MAX_CHARS

__all__ = [
    "MAX_CHARS",
    "Analysis",
    "Category",
    "ChronicComplainer",
    "ChronicSign",
    "CustomerType",
    "Demand",
    "Emotion",
    "EscalationRisk",
    "Facts",
    "Span",
    "Threat",
    "analyze",
    "read_chronic",
    "read_emotion",
    "warm_up",
]
