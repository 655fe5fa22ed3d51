"""What the complaint is about, in the customer's own terms, and what the agent does about it now
(``replies.yaml`` ``situations``).

A complaint names the thing it is about — a meter, a watch, a lift, a bag, a record, a charge — and a
reply a senior handler sends names it too, with the one step taken on it now (a meter checked, a lift
stopped and inspected, a bag traced). A situation is read from the text by its cue words: one of
``when`` and, when ``also`` is given, one of ``also`` in the same sentence or the next, and none of
``unless`` in the text. The sentence states only what the agent does, never a cause or an outcome the
case has not established.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from complaintdesk.assist.model import Evidence

MAX_SAID = 2  # a reply takes on at most two situations: more reads as a form, not as a person
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?\n]?")


@dataclass(frozen=True)
class Situation:
    key: str
    when: tuple[str, ...]
    also: tuple[str, ...]
    unless: tuple[str, ...]
    said: str
    covers: tuple[str, ...] = ()  # demands its sentence answers (a prepaid balance: the refund): not said twice


def parse_situations(
    value: Any, where: str,
    mapping: Callable[[Any, str], Mapping[str, Any]],
    words: Callable[[Any, str], tuple[str, ...]],
    text: Callable[[Any, str], str],
    fail: Callable[[str, str], Exception],
) -> tuple[Situation, ...]:
    """Parse the ``situations`` section with the loader's own checks (they name file, entry and field)."""
    out = []
    for key, item in mapping(value, where).items():
        at = f"{where}.{key}"
        m = mapping(item, at)
        when = words(m.get("when"), f"{at}.when")
        if not when:
            raise fail(f"{at}.when", "不能为空")
        out.append(Situation(str(key), when, words(m.get("also", []), f"{at}.also"),
                             words(m.get("unless", []), f"{at}.unless"), text(m.get("said"), f"{at}.said"),
                             words(m.get("covers", []), f"{at}.covers")))
    return tuple(out)


def _hit(situation: Situation, sentences: list[tuple[int, str]]) -> Evidence | None:
    for i, (start, sentence) in enumerate(sentences):
        cue = next((w for w in situation.when if w in sentence), None)
        if cue is None:
            continue
        near = sentence + "".join(s for _, s in sentences[i + 1: i + 2])
        if situation.also and not any(w in near for w in situation.also):
            continue
        at = start + sentence.find(cue)
        return Evidence("span", cue, at, at + len(cue))
    return None


def situations_in(text: str, situations: tuple[Situation, ...]) -> list[tuple[Situation, Evidence]]:
    """The situations the text names, in the order it names them (at most ``MAX_SAID``)."""
    sentences = [(m.start(), m.group()) for m in _SENTENCE.finditer(text)]
    found = []
    for s in situations:
        if any(w in text for w in s.unless):
            continue
        ev = _hit(s, sentences)
        if ev is not None:
            found.append((ev.start or 0, s, ev))
    found.sort(key=lambda x: x[0])
    return [(s, ev) for _, s, ev in found[:MAX_SAID]]
