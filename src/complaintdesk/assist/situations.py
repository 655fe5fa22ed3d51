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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from complaintdesk.analysis.segment import WordChecker
from complaintdesk.assist.model import Evidence
from complaintdesk.assist.thing import names_at

MAX_SAID = 2  # a reply takes on at most two situations: more reads as a form, not as a person
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?\n]?")
_CLAUSE = re.compile(r"[，,；;：:、\s]")  # a text written with spaces for commas breaks its clauses there


@dataclass(frozen=True)
class Situation:
    key: str
    when: tuple[str, ...]
    also: tuple[str, ...]
    unless: tuple[str, ...]
    said: str
    covers: tuple[str, ...] = ()  # demands its sentence answers (a prepaid balance: the refund): not said twice
    # words that, in a cue's own clause, make it the comparison and not the complaint (停水还知道提前通知，停气一点消息没有
    # is about 停气): such a cue is passed over when the sentence names another cue of the situation
    compared: tuple[str, ...] = ()


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
                             words(m.get("covers", []), f"{at}.covers"), words(m.get("compared", []), f"{at}.compared")))
    return tuple(out)


def _hit(situation: Situation, sentences: list[tuple[int, str]], text: str, whole: WordChecker,
         words: tuple[Sequence[str], Sequence[str]]) -> Evidence | None:
    for i, (start, sentence) in enumerate(sentences):
        named = [(a, w) for w in situation.when if (a := _named_at(w, sentence, start, text, whole, words)) >= 0]
        subject = [(a, w) for a, w in named if not _compared(text, a + len(w), situation.compared)]
        at, cue = next(iter(subject or named), (-1, ""))
        if at < 0:
            continue
        # the confirming word is not the front of the cue's own word: 洗衣服 names no clothes sent to be washed
        begin = at
        while begin > start and not whole(begin, begin):
            begin -= 1
        stop = sentences[i + 1][0] + len(sentences[i + 1][1]) if i + 1 < len(sentences) else start + len(sentence)
        near = text[start:begin] + "\n" + text[at:stop]
        if situation.also and not any(w in near for w in situation.also):
            continue
        return Evidence("span", cue, at, at + len(cue))
    return None


def _compared(text: str, end: int, words: Sequence[str]) -> bool:
    """Does the clause the cue ends at ``end`` tell it as the comparison (停水|还知道提前通知)?"""
    clause = _CLAUSE.split(text[end:], maxsplit=1)[0]
    return any(w in clause for w in words)


def _named_at(cue: str, sentence: str, start: int, text: str, whole: WordChecker,
              words: tuple[Sequence[str], Sequence[str]]) -> int:
    """Where the sentence names the cue's thing (an offset into the text), else -1; ``words``: places, bound heads."""
    at = sentence.find(cue)
    while at >= 0:
        if names_at(text, start + at, start + at + len(cue), whole, *words):
            return start + at
        at = sentence.find(cue, at + 1)
    return -1


def situations_in(text: str, situations: tuple[Situation, ...], places: Sequence[str] = (),
                  bound_heads: Sequence[str] = ()) -> list[tuple[Situation, Evidence]]:
    """The situations the text names, in the order it names them (at most ``MAX_SAID``). A cue counts where the text
    names it (``thing.names_at``): not inside another word (停电 of 停电梯) nor as a place (电梯 of 电梯口)."""
    sentences = [(m.start(), m.group()) for m in _SENTENCE.finditer(text)]
    whole = WordChecker(text)
    found = []
    for s in situations:
        if any(w in text for w in s.unless):
            continue
        ev = _hit(s, sentences, text, whole, (places, bound_heads))
        if ev is not None:
            found.append((ev.start or 0, s, ev))
    found.sort(key=lambda x: x[0])
    return [(s, ev) for _, s, ev in found[:MAX_SAID]]
