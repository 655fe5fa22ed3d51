"""What an agent must not say: forbidden and cold phrases, blaming colleagues, and "是的,但是".

These checks need one sentence only, so they are public for reply drafting as well: a draft that passes
``check_text`` contains no phrase of the rubric.
"""

from __future__ import annotations

import re

from complaintdesk.quality.model import Violation
from complaintdesk.quality.rubric import ForbiddenPhrase, Rubric, load_rubric
from complaintdesk.quality.transcript import normalize

_SENTENCE_END = re.compile(r"[。！？!?；;]")
_BUT_INSTEAD = "先肯定,再用「是……而……」或「除非……」陈述"
_BUT_WINDOW = 15  # characters between the acknowledgement and "但是" that still read as "是的,但是"


def forbidden_phrases(rubric: Rubric | None = None) -> list[ForbiddenPhrase]:
    """Every forbidden or cold phrase of the rubric, with why, the seed source and what to say instead."""
    return list((rubric or load_rubric()).phrases)


def find_phrases(norm: str, rubric: Rubric) -> list[tuple[ForbiddenPhrase, re.Match[str]]]:
    """Phrase entries found in a normalised sentence, each entry at most once (its first match)."""
    found: dict[str, tuple[ForbiddenPhrase, re.Match[str]]] = {}
    for entry, pattern in rubric.phrase_patterns:
        if entry.phrase in found or not rubric.rules[entry.rule].enabled:
            continue
        match = pattern.search(norm)
        if match:
            found[entry.phrase] = (entry, match)
    return sorted(found.values(), key=lambda pair: pair[1].start())


def but_after_acknowledgement(norm: str, rubric: Rubric) -> re.Match[str] | None:
    """The "但是" that directly follows an acknowledgement in the same sentence, if any."""
    acks = rubric.agent_cues["acknowledgement_for_but"].finditer(norm)
    if not acks:
        return None
    for but in rubric.agent_cues["but"].finditer(norm):
        for ack in acks:
            gap = norm[ack.end():but.start()]
            if ack.end() <= but.start() and len(gap) <= _BUT_WINDOW and not _SENTENCE_END.search(gap):
                return but
    return None


def quote(text: str, norm: str, match: re.Match[str]) -> str:
    """The matched words in the original script when conversion kept the length, else simplified."""
    if len(text) == len(norm):
        return text[match.start():match.end()]
    return match.group(0)


def span(text: str, norm: str, match: re.Match[str]) -> tuple[int, int] | None:
    """Offsets of the match in the original text (None when t2s changed the length)."""
    return (match.start(), match.end()) if len(text) == len(norm) else None


def sentence_violations(text: str, line: int, rubric: Rubric, norm: str | None = None) -> list[Violation]:
    """Phrase and "但是" violations of one agent sentence."""
    norm = normalize(text) if norm is None else norm
    out: list[Violation] = []
    for entry, match in find_phrases(norm, rubric):
        spec = rubric.rules[entry.rule]
        out.append(Violation(
            rule=entry.rule, severity=spec.severity, line=line, text=text,
            why=f"「{entry.phrase}」:{entry.why}", title=spec.title, source=spec.source,
            match=quote(text, norm, match), instead=entry.instead, span=span(text, norm, match),
        ))
    spec = rubric.rules["but_after_acknowledgement"]
    but = but_after_acknowledgement(norm, rubric) if spec.enabled else None
    if but is not None:
        out.append(Violation(
            rule=spec.id, severity=spec.severity, line=line, text=text, why=spec.why, title=spec.title,
            source=spec.source, match=quote(text, norm, but), instead=_BUT_INSTEAD,
            span=span(text, norm, but),
        ))
    return out


def check_text(agent_text: str, rubric: Rubric | None = None) -> list[Violation]:
    """Violations in an agent's text (e.g. a reply draft); ``line`` counts lines of ``agent_text`` from 1."""
    rubric = rubric or load_rubric()
    out: list[Violation] = []
    for number, line in enumerate(agent_text.splitlines(), start=1):
        if line.strip():
            out.extend(sentence_violations(line.strip(), number, rubric))
    return out
