"""Cue judgements and the learned layer's probabilities → the labels shown, each with its reason.

A cue label keeps its spans. The model adds a label the cues missed only at or above the probability
chosen for that label in training, and may drop a cue label whose probability is very low (the rest of
the text contradicts it). For the single-label fields the cue label weighs ``alpha`` on top of the
model's probabilities. Offsets here are the normalised text's, as in ``judgements``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from complaintdesk.analysis.judgements import Ev, Labelled
from complaintdesk.analysis.learned import Head


@dataclass(frozen=True, slots=True)
class Decided:
    label: str
    score: float
    evidence: tuple[Ev, ...]
    model: float | None = None  # set when the model, not a cue, decided


STANDS_AT = 2.0  # summed cue weight of a label said outright (把整栋楼的电给断了): no model veto


def multi(
    cue_labels: list[Labelled],
    probs: dict[str, float],
    head: Head | None,
    order: tuple[str, ...],
    declined: frozenset[str] = frozenset(),
    stands: frozenset[str] = frozenset(),
) -> list[Decided]:
    """``declined``: labels the customer negated (不需要赔偿); the model never adds those. ``stands``:
    cue labels said outright (cue weight ``STANDS_AT`` or more), which the model does not veto."""
    by_label = {c.label: c for c in cue_labels}
    if head is None:
        return [Decided(c.label, c.score, c.evidence) for c in cue_labels]
    thresholds, vetoes = head.add_at_by_label, head.veto_below_by_label
    decided = []
    for label in order:
        p = probs.get(label)
        cue = by_label.get(label)
        if cue is not None:
            if p is None or label in stands or p >= vetoes.get(label, 0.0):
                decided.append(Decided(label, cue.score, cue.evidence))
        elif p is not None and label not in declined and p >= thresholds.get(label, float("inf")):
            decided.append(Decided(label, round(p, 3), (), model=p))
    return decided


def single(
    cue: Labelled,
    strength: float,
    default: str,
    probs: dict[str, float],
    head: Head | None,
    cue_scores: Mapping[str, float] | None = None,
    ruled_out: frozenset[str] = frozenset(),
) -> Decided:
    """The cue label when its cues weigh at least the head's ``cue_stands_at``; otherwise the model's
    probabilities decide, the cue label counting ``alpha`` extra and every label ``beta`` times its share
    of the cue weight (``cue_scores``): a repair story that also names a late visit leans the model
    towards both, not only towards the cue scan's winner. ``ruled_out``: labels the text's own words
    exclude (a shop that closed is no suspension); the model's reading of them does not count."""
    if head is None or not probs:
        return Decided(cue.label, cue.score, cue.evidence)
    probs = {label: p for label, p in probs.items() if label not in ruled_out or label == cue.label}
    alpha = float(head.add_at[0]) if len(head.add_at) else 0.5
    beta = float(head.add_at[1]) if len(head.add_at) > 1 else 0.0
    stands_at = float(head.veto_below[0]) if len(head.veto_below) else float("inf")
    if strength >= stands_at and cue.evidence:
        return Decided(cue.label, cue.score, cue.evidence)
    shares = cue_shares(cue_scores) if beta else {}
    scores = {
        label: p + (alpha if label == cue.label else 0.0) + beta * shares.get(label, 0.0) for label, p in probs.items()
    }
    best = max(scores, key=lambda k: scores[k])
    if best == cue.label or best not in probs:
        return Decided(cue.label, cue.score, cue.evidence)
    if best == default:
        return Decided(default, 0.0, (), model=probs[best])
    return Decided(best, probs[best], (), model=probs[best])


def cue_shares(cue_scores: Mapping[str, float] | None) -> dict[str, float]:
    """Each label's share of the summed cue weight (0 … 1)."""
    if not cue_scores:
        return {}
    total = sum(v for v in cue_scores.values() if v > 0)
    return {label: v / total for label, v in cue_scores.items() if v > 0} if total else {}


CUE_WEIGHT = 0.4  # of the cue estimate in the dissatisfaction score, unless the model says otherwise


def dissatisfaction(from_cues: float, probs: dict[str, float], cue_weight: float = CUE_WEIGHT) -> float:
    """-1 … 1: the cue estimate and the model's probability that the text is negative, together;
    ``cue_weight`` is chosen in training where cues and model together separate best out of fold."""
    p = probs.get("negative")
    if p is None:
        return from_cues
    return max(-1.0, min(1.0, cue_weight * from_cues + (1.0 - cue_weight) * (2.0 * p - 1.0)))
