"""The customer's emotion per turn and its trend over the call.

Reads each turn with the analysis engine (``complaintdesk.analysis.read_emotion``: ``analyze``'s emotion alone), with the rubric's own
small cue lists as a floor (they know call-centre turns such as "我要投诉"); ``use_analysis=False``
scores with the cues alone.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from complaintdesk.analysis import read_chronic, read_emotion
from complaintdesk.domain.errors import ComplaintDeskError
from complaintdesk.quality.model import Trend, Turn
from complaintdesk.quality.rubric import Rubric

Analyzer = Callable[[str], tuple[str, float]]
_LABELS = ("anger", "anxiety", "disappointment")


@dataclass(frozen=True)
class LineEmotion:
    label: str  # anger | anxiety | disappointment | calm
    intensity: float  # 0..1
    negativity: float  # intensity weighted by the rubric's weight of the label

    @property
    def negative(self) -> bool:
        return self.label != "calm" and self.intensity > 0


def _analysis_engine(text: str) -> tuple[str, float]:
    return read_emotion(text)  # analyze(text).emotion, without the rest of the reading


def chronic_complainer(turns: Sequence[Turn], *, use_analysis: bool = True) -> bool:
    """Does the analysis engine read the customer's side as a 投诉成癖者 (seed 001)? False with the
    cues alone (``use_analysis=False``)."""
    text = "\n".join(t.text for t in turns if t.speaker == "customer")
    if not use_analysis or not text:
        return False
    try:
        return read_chronic(text)  # analyze(text).chronic_complainer, from the cue scan alone
    except ComplaintDeskError:
        return False


def _from_cues(turn: Turn, rubric: Rubric) -> tuple[str, float]:
    counts = {label: rubric.customer_cues[label].count(turn.norm) for label in _LABELS}
    label = max(counts, key=lambda k: counts[k])
    if counts[label] == 0:
        return "calm", 0.0
    return label, min(1.0, 0.3 + 0.2 * counts[label])


def customer_emotions(
    turns: Sequence[Turn], rubric: Rubric, *, use_analysis: bool = True
) -> tuple[dict[int, LineEmotion], str]:
    """Emotion of every customer turn (keyed by turn index) and which engine produced it."""
    engine: Analyzer | None = _analysis_engine if use_analysis else None
    source = "analysis+cues" if engine else "cues"
    out: dict[int, LineEmotion] = {}
    for turn in turns:
        if turn.speaker != "customer":
            continue
        readings = [_from_cues(turn, rubric)]
        if engine is not None:
            with contextlib.suppress(ComplaintDeskError):  # a refused line keeps the cue reading
                readings.append(engine(turn.text))
        # the rubric's cues know call-centre turns ("我要投诉"): they are a floor under the engine's reading
        best = max((_line(label, intensity, rubric) for label, intensity in readings),
                   key=lambda e: e.negativity)
        out[turn.index] = best
    return out, source


def _line(label: str, intensity: float, rubric: Rubric) -> LineEmotion:
    intensity = max(0.0, min(1.0, intensity))
    return LineEmotion(label, intensity, intensity * rubric.negative_weights.get(label, 0.0))


def emotion_trend(emotions: Mapping[int, LineEmotion], rubric: Rubric) -> Trend:
    """Compare the first and last third of the customer's turns (at least one turn each)."""
    ordered = [emotions[k] for k in sorted(emotions)]
    if len(ordered) < 2:
        return "same"
    size = max(1, math.ceil(len(ordered) / 3))
    first = sum(e.negativity for e in ordered[:size]) / size
    last = sum(e.negativity for e in ordered[-size:]) / size
    if last <= first - rubric.trend_threshold:
        return "improved"
    if last >= first + rubric.trend_threshold:
        return "worse"
    return "same"
