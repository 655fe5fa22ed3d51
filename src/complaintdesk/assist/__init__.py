"""Handling assistant (issue 4): next best actions and reply drafts, as a senior complaint handler advises.

    from complaintdesk.assist import advise
    advice = advise(None, text="宽带欠费不到30天就被停了……", facts={...}, stage="calming")
    advice.to_dict()["reply_draft"]

Playbooks and reply templates are data a centre edits: ``assist/data/*.yaml`` (see docs/assist.md).
"""

from complaintdesk.assist.engine import advise
from complaintdesk.assist.model import (
    Advice,
    Apology,
    Avoid,
    Escalation,
    Evidence,
    Expectation,
    NextAction,
    Technique,
)
from complaintdesk.assist.playbook import load_playbook, parse_playbook
from complaintdesk.assist.specs import Playbook

__all__ = [
    "Advice",
    "Apology",
    "Avoid",
    "Escalation",
    "Evidence",
    "Expectation",
    "NextAction",
    "Playbook",
    "Technique",
    "advise",
    "load_playbook",
    "parse_playbook",
]
