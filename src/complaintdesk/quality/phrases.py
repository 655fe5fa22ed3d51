"""What an agent must not say: forbidden and cold phrases, blaming colleagues, and "是的,但是".

These checks need one sentence only, so they are public for reply drafting as well: a draft that passes
``check_text`` contains no phrase of the rubric.
"""

from __future__ import annotations

import re
from dataclasses import replace

from complaintdesk.quality.bank import Bank
from complaintdesk.quality.banned import BankHit, matcher
from complaintdesk.quality.model import Violation
from complaintdesk.quality.rubric import SEVERITIES, ForbiddenPhrase, Rubric, load_rubric
from complaintdesk.quality.transcript import normalize

_SENTENCE_END = re.compile(r"[。！？!?；;]")
_BUT_INSTEAD = "先肯定，再用「是……而……」或「除非……」陈述"
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


_ALTERNATIVES = ("offer_option", "commitment", "proactive")


def has_alternative(norm: str, rubric: Rubric) -> bool:
    """Does the text offer something besides the refusal (an option, a commitment, a proactive step)?"""
    return any(rubric.agent_cues[cue].search(norm) for cue in _ALTERNATIVES)


def bank_violation(text: str, norm: str, line: int, hit: BankHit, rubric: Rubric, bank: Bank) -> Violation:
    """A banned-phrase match as a violation: the words, the family, and the bank entry with its norm."""
    spec = rubric.rules["banned_phrase"]
    family = bank.families[hit.family]
    words = norm[hit.start:hit.end]
    same = len(text) == len(norm)
    entry = hit.entry
    cited = f"（禁语库：「{entry.phrase}」，{entry.title}）" if entry is not None else ""
    return Violation(
        rule=spec.id, severity=family.severity, line=line, text=text,
        why=f"「{text[hit.start:hit.end] if same else words}」属于{family.label}{cited}", title=f"{spec.title}·{family.label}",
        source=spec.source, match=text[hit.start:hit.end] if same else words, instead=family.instead or None,
        span=(hit.start, hit.end) if same else None, family=hit.family,
        bank_entry=entry.phrase if entry is not None else None, bank_source=entry.source if entry is not None else None,
    )


def _overlaps(span: tuple[int, int] | None, match: re.Match[str]) -> bool:
    """Do the words at ``span`` overlap ``match``? (an unknown span, after t2s changed the length, does)"""
    return span is None or (span[0] < match.end() and match.start() < span[1])


def bank_violations(
    text: str, line: int, rubric: Rubric, norm: str, *, bank: Bank | None = None,
    alternative: bool | None = None,
) -> list[Violation]:
    """Banned phrases of the bank in one agent line. A bare refusal counts only when nothing else is
    offered in the same reply (``alternative``; by default judged on the line itself)."""
    if not rubric.rules["banned_phrase"].enabled:
        return []
    found = matcher(bank)
    out = []
    for hit in found.find(norm):
        if found.bank.families[hit.family].needs_no_alternative:
            offered = has_alternative(norm, rubric) if alternative is None else alternative
            if offered:
                continue
        out.append(bank_violation(text, norm, line, hit, rubric, found.bank))
    return out


def sentence_violations(
    text: str, line: int, rubric: Rubric, norm: str | None = None, *, bank: Bank | None = None,
    alternative: bool | None = None,
) -> list[Violation]:
    """Phrase, banned-phrase and "但是" violations of one agent sentence."""
    norm = normalize(text) if norm is None else norm
    out: list[Violation] = []
    found = find_phrases(norm, rubric)
    for entry, match in found:
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
    banned = bank_violations(text, line, rubric, norm, bank=bank, alternative=alternative)
    for i, (_, match) in enumerate(found):
        # the rubric's own phrase already flags these words: it takes the bank's family and norm as evidence
        same = next((b for b in banned if _overlaps(b.span, match)), None)
        if same is not None and out[i].family is None:
            # the graver of the two judgements stands: a cold phrase that a norm bans as 推诿 is 推诿
            severity = max(out[i].severity, same.severity, key=SEVERITIES.index)
            out[i] = replace(
                out[i], family=same.family, bank_entry=same.bank_entry, bank_source=same.bank_source,
                severity=severity,
            )
            banned.remove(same)
    out.extend(banned)
    return out


def check_text(agent_text: str, rubric: Rubric | None = None, bank: Bank | None = None) -> list[Violation]:
    """Violations in an agent's text (e.g. a reply draft); ``line`` counts lines of ``agent_text`` from 1."""
    rubric = rubric or load_rubric()
    out: list[Violation] = []
    for number, line in enumerate(agent_text.splitlines(), start=1):
        if line.strip():
            out.extend(sentence_violations(line.strip(), number, rubric, bank=bank))
    return out
