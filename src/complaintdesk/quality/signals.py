"""Facts about one conversation that several rules share: cue hits per turn, whether it is a complaint,
whether it was resolved, the commitment made, talk ratio and interruptions."""

from __future__ import annotations

import re
from collections.abc import Mapping

from complaintdesk.quality.emotion import LineEmotion
from complaintdesk.quality.model import Commitment, Transcript, Turn
from complaintdesk.quality.rubric import Rubric

_PUNCT = re.compile(r"[\s,，。.!！?？;；:：、…—\-\"“”'‘’()（）\[\]【】]+")


class Signals:
    """Computed once per transcript; cue lookups are memoised because every rule asks."""

    def __init__(
        self, transcript: Transcript, rubric: Rubric, emotions: Mapping[int, LineEmotion], *,
        chronic: bool = False,
    ) -> None:
        self.transcript = transcript
        self.chronic = chronic  # seed 001: do not apologise to a 投诉成癖者
        self.rubric = rubric
        self.emotions = emotions
        self.turns = transcript.turns
        self.agent = transcript.by("agent")
        self.customer = transcript.by("customer")
        self._hits: dict[tuple[int, str], re.Match[str] | None] = {}
        self.is_complaint = any(self.has(t, "complaint") or self._upset(t) for t in self.customer)
        self.resolved = self._resolved()
        self.completed = any(self.has(t, "completion") for t in self.agent)
        self.resolved_on_spot = self.completed and self.resolved
        self.commitment = self._commitment()

    def hit(self, turn: Turn, cue: str) -> re.Match[str] | None:
        key = (turn.index, cue)
        if key not in self._hits:
            cues = self.rubric.agent_cues if turn.speaker == "agent" else self.rubric.customer_cues
            self._hits[key] = cues[cue].search(turn.norm)
        return self._hits[key]

    def has(self, turn: Turn, cue: str) -> bool:
        return self.hit(turn, cue) is not None

    def agent_has(self, cue: str) -> list[Turn]:
        return [t for t in self.agent if self.has(t, cue)]

    def _upset(self, turn: Turn) -> bool:
        emotion = self.emotions.get(turn.index)
        return emotion is not None and emotion.negativity >= self.rubric.angry_min_intensity

    def angry_before(self, index: int) -> bool:
        """Was the customer's latest turn before ``index`` still upset, with nothing yet accepted?"""
        before = [t for t in self.customer if t.index < index]
        if not before or any(self.accepts(t) for t in before):
            return False
        return self._upset(before[-1])

    def accepts(self, turn: Turn) -> bool:
        return self.has(turn, "acceptance") and not self.has(turn, "refusal") and not self._upset(turn)

    def _resolved(self) -> bool:
        return bool(self.customer) and self.accepts(self.customer[-1])

    def first_complaint_turn(self) -> Turn | None:
        for turn in self.customer:
            if self.has(turn, "complaint") or self._upset(turn):
                return turn
        return self.customer[0] if self.customer else None

    def _commitment(self) -> Commitment:
        made = [t for t in self.agent if self.has(t, "commitment") and not self.has(t, "deferral")]
        concrete = [t for t in made if self.has(t, "concrete_time")]
        evidence = concrete or made
        return Commitment(bool(made), bool(concrete), tuple(t.evidence() for t in evidence))

    def talk_ratio(self) -> tuple[float, int]:
        agent = sum(len(_PUNCT.sub("", t.text)) for t in self.agent)
        total = agent + sum(len(_PUNCT.sub("", t.text)) for t in self.customer)
        return (agent / total if total else 0.0), total

    def interruptions(self) -> list[Turn]:
        """Agent turns that cut the customer off: marked (——, [打断]) or starting before the customer
        could have finished at the rubric's speaking rate."""
        out: list[Turn] = []
        for previous, turn in zip(self.turns, self.turns[1:], strict=False):
            if previous.speaker != "customer" or turn.speaker != "agent":
                continue
            timed_overlap = (
                previous.t is not None and turn.t is not None
                and turn.t < previous.t + 0.5 * len(previous.text) / self.rubric.chars_per_second
            )
            if previous.cut_off or timed_overlap:
                out.append(turn)
        return out


def bigrams(text: str) -> set[str]:
    clean = _PUNCT.sub("", text)
    return {clean[i:i + 2] for i in range(len(clean) - 1)}


def overlap(a: set[str], b: set[str]) -> float:
    """Overlap coefficient: a short restatement of a longer instruction still counts as the same."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))
