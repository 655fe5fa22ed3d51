"""Matters the assistant reads in the complaint itself, beyond the analysis engine's threat kinds (``tactics.yaml``
``matters``): a customer who has called or will call the police (报警, 派出所, 打110).

The analysis corpora label a police report as no threat against the company (the police are not a body a
complaint goes to), so the cue is not one of the analysis engine's threat kinds; for the complaint desk it is
still a matter for the manager. A cue counts where the customer does it: not an alarm sounding (报警声, 冰箱
报警), not the company sending the customer there (让我自己去报警: that is for the reply to answer), not
negated (没报警).
"""

from __future__ import annotations

from complaintdesk.assist.model import Evidence
from complaintdesk.assist.specs import ThreatSpec

_CLAUSE_BREAKS = "，,。！？!?；;：:\n"
_SENT_WINDOW = 8  # characters before the cue, in its clause, where 让我 / 叫我 make it the company's suggestion
_NEGATOR_WINDOW = 3


def _clause_before(text: str, start: int) -> str:
    begin = max((text.rfind(b, 0, start) for b in _CLAUSE_BREAKS), default=-1) + 1
    return text[begin:start]


def _silenced(text: str, start: int, end: int, spec: ThreatSpec) -> bool:
    for word in spec.exclude:
        at = text.find(word, max(0, start - len(word)))
        while 0 <= at < end:
            if at + len(word) > start:  # the excluded phrase covers the cue (报警声, 冰箱嘀嘀报警)
                return True
            at = text.find(word, at + 1)
    before = _clause_before(text, start)
    if any(w in before[-_SENT_WINDOW:] for w in spec.sent):
        return True
    return any(w in before[-_NEGATOR_WINDOW - len(w):] for w in spec.negators)


def matter_evidence(text: str, spec: ThreatSpec) -> tuple[Evidence, ...]:
    """The spans of the matter's cues the customer does (longest cue first, no overlaps)."""
    taken: list[tuple[int, int]] = []
    for cue in sorted(spec.cues, key=len, reverse=True):
        at = text.find(cue)
        while at >= 0:
            end = at + len(cue)
            if not any(a < end and at < b for a, b in taken) and not _silenced(text, at, end, spec):
                taken.append((at, end))
            at = text.find(cue, at + 1)
    return tuple(Evidence("span", text[a:b], a, b) for a, b in sorted(taken))


def matters_in(text: str, matters: dict[str, ThreatSpec] | None) -> list[tuple[str, ThreatSpec, tuple[Evidence, ...]]]:
    """Every matter the text shows, with its evidence."""
    out = []
    for kind, spec in (matters or {}).items():
        evidence = matter_evidence(text, spec)
        if evidence:
            out.append((kind, spec, evidence))
    return out
