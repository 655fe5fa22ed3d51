"""What the complaint page shows: detail, SLA clocks, timeline, and the stage stepper with its guards."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

from complaintdesk.domain.errors import InvalidInput
from complaintdesk.domain.vocab import STAGE_LABELS_ZH, Stage
from complaintdesk.domain.workflow import ORDER, guard_failures, needs_before, next_stage
from complaintdesk.services import audit_service, sla_service
from complaintdesk.services import complaints as svc
from complaintdesk.services.bootstrap import Desk
from complaintdesk.services.queue import sla_colour
from complaintdesk.settings import local_zone
from complaintdesk.web import corrections_form
from complaintdesk.web.highlight import highlight, marks_from_analysis


@dataclass(frozen=True)
class Step:
    stage: str
    label_zh: str
    state: str  # done | current | next | blocked | later
    allowed: bool
    guards: tuple[str, ...]


FOLLOW_UP_AFTER_DAYS = 7  # the follow-up time the next-step form suggests (the agent may change it)


def _state(detail: dict[str, Any]) -> SimpleNamespace:
    return SimpleNamespace(
        stage=Stage(detail["stage"]),
        proposal=detail.get("proposal"),
        signoff_satisfied=(detail.get("signoff") or {}).get("satisfied"),
        waiver_reason=detail.get("waiver_reason"),
        follow_up_due=(detail.get("follow_up") or {}).get("due"),
    )


def next_step(detail: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The top of the page: the stage (its place among the seven), the one next stage, what the
    reply-and-move form must ask for to enter it (``needs``), and any other guard that stops it."""
    state = _state(detail)
    following = next_stage(state.stage)
    index = ORDER.index(state.stage) + 1 if state.stage in ORDER[:-1] else None
    if following is None:
        return {"index": index, "next": None, "needs": (), "blocked": [], "follow_up_default": ""}
    needs = needs_before(state, following)
    given = SimpleNamespace(**vars(state))  # as if the form's fields for ``needs`` were filled in
    given.proposal = given.proposal or ("proposal" in needs) or None
    given.follow_up_due = given.follow_up_due or ("follow_up" in needs and now) or None
    given.signoff_satisfied = given.signoff_satisfied or ("signoff" in needs) or None
    blocked = guard_failures(given, following)
    suggested = (now.astimezone(local_zone()) + timedelta(days=FOLLOW_UP_AFTER_DAYS)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    return {
        "index": index,
        "next": following.value,
        "needs": needs,
        "blocked": blocked,
        "follow_up_default": suggested.strftime("%Y-%m-%dT%H:%M"),
    }


def stepper(detail: dict[str, Any]) -> list[Step]:
    """The seven stages and closed, each with why it cannot be entered now (the guards, in Chinese)."""
    state = _state(detail)
    current = state.stage
    current_index = ORDER.index(current) if current in ORDER else -1
    allowed = set(detail.get("allowed_moves") or [])
    steps = []
    for index, stage in enumerate(ORDER):
        problems = () if stage == current else tuple(guard_failures(state, stage))
        if stage == current:
            label = "current"
        elif index < current_index:
            label = "done"
        elif stage.value in allowed:
            label = "next"
        else:
            label = "blocked"
        steps.append(Step(stage.value, STAGE_LABELS_ZH[stage], label, stage.value in allowed, problems))
    return steps


def timeline(trail: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The audit trail, newest last: messages, moves, transfers, promises, sign-off — one list."""
    return [
        {
            "kind": item["kind"],
            "actor": item["actor"],
            "at": item["at"],
            "payload": item.get("payload") or {},
            "seq": item["seq"],
        }
        for item in trail
    ]


def load_page(desk: Desk, number: str, now: datetime, *, reveal_phone: bool = False) -> dict[str, Any]:
    detail = svc.get_complaint(desk.uow(), number, reveal_phone=reveal_phone)
    clocks = sla_service.statuses(desk.uow(), number, now=now)
    for clock in clocks:
        clock["colour"] = sla_colour(clock["state"])
    trail = audit_service.trail(desk.uow(), number)
    analysis = detail.get("analysis")
    return {
        "c": detail,
        "clocks": clocks,
        "timeline": timeline(trail),
        "steps": stepper(detail),
        "next_step": next_step(detail, now),
        "analysis": analysis,
        "marks": marks_from_analysis(analysis),
        "correctable": True,
        "correction_choices": corrections_form.choices(),
        "reading": corrections_form.effective(analysis),
    }


def highlighted_description(page: dict[str, Any], describe: Any) -> Any:
    return highlight(page["c"]["description"], page["marks"], describe)


def parse_local_datetime(value: str, field: str) -> datetime:
    """A ``datetime-local`` input (centre local time) as an aware datetime."""
    try:
        moment = datetime.fromisoformat((value or "").strip())
    except ValueError:
        raise InvalidInput(f"{field} 时间格式无效，应为 2026-11-24T10:00", field=field) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=local_zone())
    return moment
