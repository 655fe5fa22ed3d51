"""Quality inspection (质检): score the agent's side of a complaint conversation, with evidence.

The rubric (rules, forbidden phrases, cues, weights) is data: ``quality/data/rubric.yaml``; so is the bank
of banned service phrases from published norms (``quality/data/banned_phrases.yaml``).

    from complaintdesk.quality import inspect, check_text, forbidden_phrases
    card = inspect("客户: 我要投诉!\\n客服: 这是不可能的!")
    card.to_dict()["violations"]
"""

from complaintdesk.quality.bank import Bank, BankEntry, load_bank
from complaintdesk.quality.inspector import compute_score, inspect, inspect_transcript
from complaintdesk.quality.model import (
    Commitment,
    EvidenceLine,
    PairScore,
    Scorecard,
    Transcript,
    Turn,
    Violation,
)
from complaintdesk.quality.phrases import check_text, forbidden_phrases
from complaintdesk.quality.rubric import ForbiddenPhrase, Rubric, RuleSpec, load_rubric
from complaintdesk.quality.transcript import parse_transcript

__all__ = [
    "Bank",
    "BankEntry",
    "Commitment",
    "EvidenceLine",
    "ForbiddenPhrase",
    "PairScore",
    "Rubric",
    "RuleSpec",
    "Scorecard",
    "Transcript",
    "Turn",
    "Violation",
    "check_text",
    "compute_score",
    "forbidden_phrases",
    "inspect",
    "inspect_transcript",
    "load_bank",
    "load_rubric",
    "parse_transcript",
]
