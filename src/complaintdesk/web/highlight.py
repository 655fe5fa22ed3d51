"""Evidence highlighting: customer text escaped piece by piece, evidence spans wrapped server-side.

The text is never trusted: every piece goes through ``markupsafe.escape`` before it is joined, so a
``<script>`` in a complaint shows as text. Overlapping spans are split at every boundary and each
piece takes the most important label covering it (threat over emotion over demand over type).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from markupsafe import Markup, escape

# Lower rank wins where spans overlap.
KIND_RANK = {"threat": 0, "emotion": 1, "demand": 2, "type": 3, "chronic": 4, "category": 5, "fact": 6}


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    kind: str
    label: str


def marks_from_analysis(analysis: dict[str, Any] | None) -> list[Mark]:
    """Every evidence span of an analysis result, tagged with what it is evidence for."""
    if not analysis:
        return []
    found: list[Mark] = []

    def add(kind: str, label: str, spans: list[dict[str, Any]] | None) -> None:
        for span in spans or []:
            try:
                start, end = int(span["start"]), int(span["end"])
            except (KeyError, TypeError, ValueError):
                continue
            if 0 <= start < end:
                found.append(Mark(start, end, kind, label))

    emotion = analysis.get("emotion") or {}
    add("emotion", str(emotion.get("label", "")), emotion.get("evidence"))
    for threat in analysis.get("threats") or []:
        add("threat", str(threat.get("kind", "")), threat.get("evidence"))
    for demand in analysis.get("demands") or []:
        add("demand", str(demand.get("kind", "")), demand.get("evidence"))
    for ctype in analysis.get("customer_types") or []:
        add("type", str(ctype.get("type", "")), ctype.get("evidence"))
    for sign in (analysis.get("chronic_complainer") or {}).get("signs") or []:
        add("chronic", str(sign.get("sign", "")), sign.get("evidence"))
    return found


def highlight(text: str, marks: list[Mark], describe: Any = None) -> Markup:
    """``text`` as safe HTML with each marked piece in ``<mark class="ev ev-KIND">``.

    ``describe(kind, label)`` gives the tooltip (already translated); it is escaped too.
    """
    usable = [m for m in marks if m.end <= len(text)]
    if not usable:
        return Markup(escape(text))
    cuts = sorted({0, len(text), *(m.start for m in usable), *(m.end for m in usable)})
    out: list[str] = []
    for left, right in pairwise(cuts):
        piece = escape(text[left:right])
        covering = [m for m in usable if m.start <= left and right <= m.end]
        if not covering:
            out.append(str(piece))
            continue
        best = min(covering, key=lambda m: (KIND_RANK.get(m.kind, 99), m.start))
        titles = sorted({describe(m.kind, m.label) if describe else f"{m.kind}:{m.label}" for m in covering})
        out.append(
            f'<mark class="ev ev-{escape(best.kind)}" data-kind="{escape(best.kind)}" '
            f'data-label="{escape(best.label)}" title="{escape(" · ".join(titles))}">{piece}</mark>'
        )
    return Markup("".join(out))


def mark_matches(text: str, spans: list[tuple[int, int]] | tuple[tuple[int, int], ...]) -> Markup:
    """``text`` as safe HTML with each [start, end) span of a search match in ``<mark class="hit">``."""
    out: list[str] = []
    at = 0
    for start, end in sorted(spans):
        start, end = max(start, at), min(end, len(text))
        if start >= end:
            continue
        out.append(str(escape(text[at:start])))
        out.append(f'<mark class="hit">{escape(text[start:end])}</mark>')
        at = end
    out.append(str(escape(text[at:])))
    return Markup("".join(out))
