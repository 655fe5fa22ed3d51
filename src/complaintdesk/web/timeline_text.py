"""The complaint timeline for people: each audit event as an entry with its own icon, label, author
and a readable sentence in the page's language (no payload keys, no raw values, no English codes).

Sentences are templates in ``web/locale/messages.yaml`` (``tl.*``), filled with the event's values,
themselves localised (stages, levels, clocks, channels, fact names). Customer and agent text is
passed as is: the template escapes it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from complaintdesk.web import facts_form
from complaintdesk.web.i18n import translate
from complaintdesk.web.render import local_time

Translate = Callable[..., str]

MESSAGE_KINDS = ("inbound", "outbound", "note")
ICONS = {"inbound": "📞", "outbound": "💬", "note": "📝", "system": "⚙"}
SYSTEM_ACTORS = ("sla", "system", "import")


@dataclass(frozen=True)
class Entry:
    kind: str  # inbound | outbound | note | system: the entry's look and icon
    event: str  # the audit event's kind (stage_changed …), for tests and anchors
    icon: str
    label: str
    author: str
    at: str
    sentence: str = ""
    body: str | None = None  # a message's own text


def translator(lang: str) -> Translate:
    def t(key: str, **values: Any) -> str:
        text = translate(key, lang)
        return text.format(**values) if values else text

    return t


def _known(t: Translate, key: str, fallback: str) -> str:
    text = t(key)
    return fallback if text == key else text


def _when(value: Any, t: Translate) -> str:
    if isinstance(value, str) and len(value) >= 10 and value[4] == "-":
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        if len(value) == 10:
            return t("tl.date", y=moment.year, m=moment.month, d=moment.day)
        return local_time(moment)
    if isinstance(value, datetime | date):
        return local_time(value) if isinstance(value, datetime) else value.isoformat()
    return str(value)


def _stage(t: Translate, value: Any) -> str:
    return _known(t, f"stage.{value or 'accepted'}", str(value))


def _level(t: Translate, value: Any) -> str:
    return _known(t, f"level.{value}", str(value))


def _fact_value(t: Translate, name: str, kind: str, value: Any) -> str:
    if kind == "yesno":
        return t("facts.yes") if value else t("facts.no")
    if kind == "account":
        return t("tl.prepaid") if value else t("tl.postpaid")
    if kind == "date":
        return _when(value, t)
    if name == "product_kind":
        return _known(t, f"facts.product.{value}", t("facts.other"))
    if name == "fault_kind":
        return _known(t, f"facts.fault.{value}", t("facts.other"))
    if kind == "choice":
        return _known(t, f"facts.{name}.{value}", t("facts.other"))
    if isinstance(value, bool):
        return t("facts.yes") if value else t("facts.no")
    return str(value)


def _path(facts: Mapping[str, Any], path: tuple[str, ...]) -> tuple[bool, Any]:
    value: Any = facts
    for key in path:
        if not isinstance(value, Mapping) or key not in value:
            return False, None
        value = value[key]
    return True, value


def facts_sentence(facts: Mapping[str, Any], t: Translate) -> str:
    """What was established, fact by fact, named as the facts form names them; a fact sent as null
    reads as withdrawn; facts the form has no name for are counted, not spelled out."""
    parts: list[str] = []
    covered: set[str] = set()
    for name, path, kind in facts_form.FIELDS:
        present, value = _path(facts, path)
        if not present:
            continue
        covered.add(path[0])
        label = _known(t, f"facts.{name}", name)
        if value is None:
            parts.append(t("tl.fact_cleared", name=label))
        else:
            parts.append(t("tl.fact", name=label, value=_fact_value(t, name, kind, value)))
    others = [key for key in facts if key not in covered]
    sentence = t("tl.facts", list=t("tl.sep").join(parts)) if parts else ""
    if others:
        sentence += t("tl.facts_other", n=len(others))
    return sentence or t("tl.facts_none")


_OUTCOMES = ("reached", "not_reached", "satisfied")


def _sentence(kind: str, p: Mapping[str, Any], t: Translate) -> str:
    if kind == "opened":
        channel = _known(t, f"channel.{p.get('channel')}", str(p.get("channel") or ""))
        return t("tl.opened", channel=channel, owner=p.get("owner") or "—")
    if kind == "analysed":
        return t("event.analysed.body")
    if kind == "stage_changed":
        text = t("tl.stage_changed", old=_stage(t, p.get("from")), new=_stage(t, p.get("to")))
        if p.get("waiver_reason") and p.get("to") == "closed":
            text += t("tl.waived", reason=p["waiver_reason"])
        return text
    if kind == "solution_proposed":
        return t("tl.solution_proposed", text=p.get("proposal") or "")
    if kind == "transferred":
        text = t(
            "tl.transferred", old=p.get("from") or "—", new=p.get("to") or "—", reason=p.get("reason") or ""
        )
        if int(p.get("count") or 0) >= 3:
            text += t("tl.runaround", n=p["count"])
        return text
    if kind == "escalated":
        return t(
            "tl.escalated",
            old=_level(t, p.get("from")),
            new=_level(t, p.get("to")),
            reason=p.get("reason") or "",
        )
    if kind == "promise_made":
        return t("tl.promise_made", what=p.get("what") or "", due=_when(p.get("due_at"), t))
    if kind == "promise_resolved":
        return t("tl.promise_kept" if p.get("kept") else "tl.promise_broken", what=p.get("what") or "")
    if kind == "signed_off":
        if p.get("satisfied"):
            return t("tl.signed_satisfied") + (t("tl.because", reason=p["reason"]) if p.get("reason") else "")
        return t("tl.signed_unsatisfied", reason=p.get("reason") or "")
    if kind == "follow_up_scheduled":
        return t("tl.follow_up_scheduled", due=_when(p.get("due"), t))
    if kind == "follow_up_done":
        return t("tl.follow_up_done", outcome=p.get("outcome") or "")
    if kind in ("task_created", "task_done", "task_reminder", "task_missed"):
        task = t(f"task.kind.{p.get('kind') or 'callback'}")
        outcome = t(f"task.outcome.{p['outcome']}") if p.get("outcome") in _OUTCOMES else ""
        return t(f"tl.{kind}", task=task, what=p.get("what") or "", due=_when(p.get("due_at"), t), outcome=outcome)
    if kind == "reopened":
        return t("tl.reopened", old=_stage(t, p.get("from")), reason=p.get("reason") or "")
    if kind == "repeat_linked":
        score = round(float(p.get("score") or 0) * 100)
        return t("tl.repeat_linked", earlier=p.get("earlier") or "", score=score)
    if kind == "attachment_added":
        return t(
            "tl.attachment_from_customer" if p.get("from_customer") else "tl.attachment_added",
            name=p.get("filename") or "",
            kb=max(1, round(int(p.get("size") or 0) / 1024)),
        )
    if kind in ("sla_warning", "sla_breach"):
        clock = _known(t, f"clock.{p.get('clock')}", t("tl.a_clock"))
        return t(f"tl.{kind}", clock=clock, reason=p.get("reason") or "")
    if kind == "sla_paused":
        return t("tl.sla_paused", n=p.get("clocks") or 0, reason=p.get("reason") or "")
    if kind == "sla_resumed":
        return t("tl.sla_resumed", n=p.get("clocks") or 0)
    if kind == "facts_recorded":
        return facts_sentence(p.get("facts") or {}, t)
    if kind == "analysis_corrected":
        fields = [
            _known(t, f"tl.corrected.{key}", t("tl.corrected.other")) for key in (p.get("corrections") or {})
        ]
        return t("tl.analysis_corrected", fields=t("tl.sep").join(dict.fromkeys(fields)))
    if kind == "imported":
        return t("tl.imported")
    # An event this page does not know yet (a newer feature's): its values, never its keys.
    return t("tl.sep").join(
        str(v) for v in p.values() if isinstance(v, str | int) and not isinstance(v, bool)
    )


def author(actor: str, t: Translate) -> str:
    return t(f"tl.actor.{actor}") if actor in SYSTEM_ACTORS else actor


def entry(event: Mapping[str, Any], lang: str) -> Entry:
    t = translator(lang)
    kind, payload = str(event["kind"]), event.get("payload") or {}
    at = str(event.get("at") or "")
    if kind == "message_added" and payload.get("kind") in MESSAGE_KINDS:
        look = str(payload["kind"])
        return Entry(
            look,
            kind,
            ICONS[look],
            t(f"tl.msg.{look}"),
            author(event["actor"], t),
            at,
            body=payload.get("body"),
        )
    label = _known(t, f"event.{kind}", t("tl.system_event"))
    return Entry(
        "system", kind, ICONS["system"], label, author(event["actor"], t), at, _sentence(kind, payload, t)
    )
