"""The draft's last pass (issue 20): whatever section wrote a sentence, it is checked against what no draft may
do, and dropped when it does: offer a self-service route the customer refused (seed 002: 重复引导客户自己发短信
查询, 最终定责成立), credit money the customer owes (a late fee, a penalty: money flows one way), or say what the
quality rubric forbids. The sections each keep these rules where they write; this pass holds them for every
sentence, the ones a new template, a situation or the customer's own words bring in included.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from complaintdesk.assist.case import Case
from complaintdesk.assist.reading import refused_routes
from complaintdesk.assist.specs import Playbook


@dataclass(frozen=True)
class Dropped:
    """A sentence the pass took out, and the rule it broke (for the advice's notes)."""

    sentence: str
    rule: str


def _credits_owed(sentence: str, case: Case, pb: Playbook) -> bool:
    g = pb.replies.guard
    offer = case.fact("offer")
    if isinstance(offer, Mapping) and offer.get("kind") in g.waivable_by:
        return False  # the agent decided to waive it, within or beyond authority: the offer's sentence says so
    return any(w in sentence for w in g.owed) and any(w in sentence for w in g.credit)


def guarded(
    sentences: Sequence[str], case: Case, pb: Playbook, flags: Callable[[str], Sequence[Any]] | None = None,
) -> tuple[list[str], list[Dropped]]:
    """(the sentences kept, in order; the ones dropped with their rule). A refused route's sentence gives its
    place to the agent's own step, once."""
    # the rubric reads a sentence in its draft (a phrase at a line's start is not one mid-line): the whole text is
    # checked once and a sentence holding a flagged phrase is dropped
    flagged = [str(m) for v in (flags("".join(sentences)) if flags is not None else ())
               if (m := getattr(v, "match", None))]
    refused = refused_routes(case, pb)
    cues = {c for r in refused for c in pb.replies.routes.get(r, ())}
    instead = pb.replies.guard.instead
    kept: list[str] = []
    dropped: list[Dropped] = []
    for s in sentences:
        if cues and any(c in s for c in cues):
            dropped.append(Dropped(s, "refused_route"))
            if instead and not any(instead[:8] in k for k in kept):
                kept.append(instead)
        elif _credits_owed(s, case, pb):
            dropped.append(Dropped(s, "owed_credit"))
        elif any(m in s for m in flagged):
            dropped.append(Dropped(s, "quality"))
        else:
            kept.append(s)
    return kept, dropped
