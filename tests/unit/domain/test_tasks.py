"""The rules of call-back and follow-up tasks, without a database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from complaintdesk.domain.errors import ConfigurationError, InvalidInput, WorkflowViolation
from complaintdesk.domain.model import Complaint
from complaintdesk.domain.tasks import Task, TaskKind, TaskOutcome, load_task_policy, policy_from_mapping

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def _task(due: datetime = NOW + timedelta(hours=1)) -> Task:
    return Task(TaskKind.CALLBACK, "给您回电", due, "li", NOW)


def test_a_reminder_is_due_only_within_the_lead_time_and_only_once() -> None:
    task = _task()
    assert not task.reminder_due(NOW, timedelta(minutes=30))
    assert task.reminder_due(NOW + timedelta(minutes=31), timedelta(minutes=30))
    task.reminded_at = NOW + timedelta(minutes=31)
    assert not task.reminder_due(NOW + timedelta(minutes=40), timedelta(minutes=30))


def test_a_task_is_missed_after_its_due_time_unless_it_has_an_outcome() -> None:
    task, done = _task(), _task()
    done.finish(TaskOutcome.REACHED, "li", NOW)
    assert not task.missed(NOW + timedelta(minutes=59))
    assert task.missed(NOW + timedelta(minutes=61)) and not done.missed(NOW + timedelta(hours=2))
    with pytest.raises(WorkflowViolation):
        done.finish(TaskOutcome.SATISFIED, "li", NOW)


def test_call_back_cues_match_traditional_script_and_full_width() -> None:
    policy = load_task_policy()
    assert policy.is_callback("明天給您回電") and policy.is_callback("I will CALL BACK")
    assert not policy.is_callback("三天内上门维修")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"remind_before_minutes": -5, "callback_cues": ["回电"]}, "remind_before_minutes"),
        ({"remind_before_minutes": "30", "callback_cues": ["回电"]}, "remind_before_minutes"),
        ({"remind_before_minutes": 30, "callback_cues": []}, "callback_cues"),
    ],
)
def test_a_bad_task_file_is_refused_naming_the_field(data: dict[str, object], field: str) -> None:
    with pytest.raises(ConfigurationError) as refused:
        policy_from_mapping(data, "tasks.yaml")
    assert refused.value.field == field


def _complaint() -> Complaint:
    return Complaint(number="TS-1", customer_id=1, channel="phone", title="宽带", description="停机",  # type: ignore[arg-type]
                     opened_at=NOW, opened_by="li")  # fmt: skip


def test_only_a_call_back_promise_makes_a_task_and_resolving_the_promise_closes_it() -> None:
    c = _complaint()
    c.make_promise("上门维修", NOW + timedelta(days=1), "li", NOW)
    c.make_promise("给您回电", NOW + timedelta(hours=2), "li", NOW, callback=True)
    assert [t.what for t in c.tasks] == ["给您回电"]
    c.resolve_promise(1, False, "li", NOW)
    assert c.tasks[0].outcome == "not_reached"


def test_an_unknown_task_is_refused_naming_the_task() -> None:
    with pytest.raises(InvalidInput) as refused:
        _complaint().record_task_outcome(7, TaskOutcome.REACHED, "li", NOW)
    assert refused.value.field == "task"
