"""Score reply drafts against reviewed scenarios (``eval/assist_real.jsonl``): apology style, escalation,
must-say points and must-not-say points, per split.

A scenario's split is a hash of its id, fixed before the engine ever ran on it; a record whose stored
split disagrees with the hash is refused, so nobody can quietly move a failing case into "tune".
Every draft is also checked for what no customer should read: a phrase the quality rubric forbids,
half-width punctuation in Chinese, codes and seed citations, a sentence said twice, an SMS segment
longer than 70 characters.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from complaintdesk.assist import wording
from complaintdesk.assist.model import Advice
from complaintdesk.domain.errors import InvalidInput

STYLES = ("full", "non_admission", "none")
ESCALATIONS = (None, "team_lead", "manager", "head_office")


def split_of(scenario_id: str) -> str:
    """tune or test, from the id alone (about four in ten are held out)."""
    return "test" if int(hashlib.sha256(scenario_id.encode()).hexdigest()[:8], 16) % 10 < 4 else "tune"


@dataclass(frozen=True)
class Scenario:
    id: str
    split: str
    source: str
    text: str
    stage: str
    now: datetime | None
    channel: str
    facts: Mapping[str, Any]
    messages: tuple[str, ...]
    apology: str
    escalate: str | None
    must_say: tuple[tuple[str, ...], ...]
    must_not_say: tuple[str, ...]


def parse_scenario(record: Mapping[str, Any], where: str) -> Scenario:
    def fail(name: str, message: str) -> InvalidInput:
        return InvalidInput(f"{where}: {name} {message}", field=f"{where}.{name}")

    sid = record.get("id")
    if not isinstance(sid, str) or not sid:
        raise fail("id", "缺失")
    if record.get("split") != split_of(sid):
        raise fail("split", f"应为 {split_of(sid)}（按 id 的哈希冻结，不可手改）")
    expect = record.get("expect")
    if not isinstance(expect, Mapping):
        raise fail("expect", "缺失")
    if expect.get("apology") not in STYLES:
        raise fail("expect.apology", f"应为 {'/'.join(STYLES)}")
    if expect.get("escalate") not in ESCALATIONS:
        raise fail("expect.escalate", "应为 null/team_lead/manager/head_office")
    say = expect.get("must_say") or []
    if not isinstance(say, list) or not all(isinstance(s, list) and s and all(isinstance(x, str) for x in s)
                                            for s in say):
        raise fail("expect.must_say", "应为 [[候选说法, …], …]")
    not_say = expect.get("must_not_say") or []
    if not isinstance(not_say, list) or not all(isinstance(s, str) for s in not_say):
        raise fail("expect.must_not_say", "应为字符串列表")
    now = record.get("now")
    try:
        when = datetime.fromisoformat(now) if isinstance(now, str) else None
    except ValueError:
        raise fail("now", "不是 ISO 时间") from None
    facts = record.get("facts") or {}
    if not isinstance(facts, Mapping):
        raise fail("facts", "应为对象")
    return Scenario(
        sid, record["split"], str(record.get("source", "")), str(record.get("text", "")),
        str(record.get("stage") or "accepted"), when, str(record.get("channel") or "phone"), facts,
        tuple(str(m) for m in record.get("messages") or ()), expect["apology"], expect.get("escalate"),
        tuple(tuple(s) for s in say), tuple(not_say),
    )


def says(draft: str, candidate: str) -> bool:
    if candidate.startswith("re:"):
        return re.search(candidate[3:], draft) is not None
    return candidate in draft


def hygiene(draft: str, channel: str, check_text: Callable[[str], Sequence[Any]] | None) -> list[str]:
    """What no customer should read, whatever the scenario."""
    problems = [f"半角标点「{m}」" for m in wording.halfwidth_marks(draft)]
    problems += [f"代码或引用「{c}」" for c in wording.codes(draft)]
    problems += [f"重复的句子「{s}」" for s in wording.repeats(draft)]
    if check_text is not None:
        problems += [f"质检违规「{getattr(v, 'match', None) or getattr(v, 'rule', v)}」{getattr(v, 'title', '')}"
                     for v in check_text(draft)]
    if channel == "sms":
        problems += [f"短信分段超过{wording.SMS_SEGMENT}字「{seg[:12]}…」"
                     for seg in draft.split("\n") if len(seg) > wording.SMS_SEGMENT]
    return problems


@dataclass
class Outcome:
    scenario: Scenario
    style: str
    escalate: str | None
    missing: list[str] = field(default_factory=list)
    said: list[str] = field(default_factory=list)
    draft: str = ""

    @property
    def failed(self) -> bool:
        return (self.style != self.scenario.apology or self.escalate != self.scenario.escalate
                or bool(self.missing) or bool(self.said))


@dataclass
class SplitScore:
    name: str
    n: int = 0
    style_ok: int = 0
    escalate_ok: int = 0
    say_total: int = 0
    say_ok: int = 0
    violations: int = 0
    failures: list[Outcome] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "split": self.name, "n": self.n,
            "apology_style_accuracy": round(self.style_ok / self.n, 3) if self.n else None,
            "escalation_accuracy": round(self.escalate_ok / self.n, 3) if self.n else None,
            "must_say_rate": round(self.say_ok / self.say_total, 3) if self.say_total else None,
            "must_not_say_violations": self.violations,
            "failures": [
                {"id": o.scenario.id, "expected_style": o.scenario.apology, "style": o.style,
                 "expected_escalate": o.scenario.escalate, "escalate": o.escalate,
                 "missing": o.missing, "said": o.said, "draft": o.draft}
                for o in self.failures
            ],
        }


def run(
    scenarios: Sequence[Scenario],
    advise_fn: Callable[[Scenario], Advice],
    check_text: Callable[[str], Sequence[Any]] | None = None,
) -> dict[str, SplitScore]:
    scores = {name: SplitScore(name) for name in ("tune", "test")}
    for sc in scenarios:
        advice = advise_fn(sc)
        draft = advice.reply_draft
        out = Outcome(sc, advice.apology.style, advice.escalate.to, draft=draft)
        for alternatives in sc.must_say:
            if not any(says(draft, a) for a in alternatives):
                out.missing.append(" / ".join(alternatives))
        out.said = [p for p in sc.must_not_say if p in draft] + hygiene(draft, sc.channel, check_text)
        s = scores[sc.split]
        s.n += 1
        s.style_ok += out.style == sc.apology
        s.escalate_ok += out.escalate == sc.escalate
        s.say_total += len(sc.must_say)
        s.say_ok += len(sc.must_say) - len(out.missing)
        s.violations += len(out.said)
        if out.failed:
            s.failures.append(out)
    return scores
