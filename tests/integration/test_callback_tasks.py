"""Call-back and follow-up tasks: a promise to call back becomes a task in its owner's inbox, the sweep
reminds the owner before it is due and tells the lead once it is missed, and the outcome is recorded
(service, CLI) and audited."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from complaintdesk.cli import main
from complaintdesk.commands import _context
from complaintdesk.domain.errors import InvalidInput, WorkflowViolation
from complaintdesk.services import accounts, audit_service, callbacks, notifications
from complaintdesk.services import complaints as svc
from complaintdesk.services.bootstrap import Desk
from complaintdesk.services.commands import MakePromise, RecordTaskOutcome, ScheduleFollowUp
from complaintdesk.services.handlers import handle

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
DUE = NOW + timedelta(hours=2)


@pytest.fixture
def staffed(desk: Desk) -> Desk:
    for username, role in (("li_agent", "agent"), ("zhang_lead", "team_lead")):
        accounts.create_user(desk.uow(), username, username, role, "一组", None, "test", now=NOW)
    return desk


def _open(desk: Desk) -> str:
    cmd = svc.OpenComplaint(
        "王女士", "13812345678", "宽带停机", "宽带停机了", actor="li_agent", opened_at=NOW, analyse=False
    )
    return str(svc.open_complaint(desk.uow(), cmd, now=NOW)["number"])


def _promise(desk: Desk, number: str, what: str = "核实后今天下午给您回电") -> dict[str, object]:
    return handle(desk.uow(), MakePromise(number=number, actor="li_agent", what=what, due_at=DUE), now=NOW)


def _kinds(desk: Desk, username: str) -> list[str]:
    return [i["kind"] for i in notifications.inbox(desk.uow(), username, limit=50)["items"]]


def test_a_promise_to_call_back_becomes_a_task_in_the_owners_inbox(staffed: Desk) -> None:
    number = _open(staffed)
    _promise(staffed, number)
    tasks = notifications.inbox(staffed.uow(), "li_agent")["tasks"]
    assert [(t["complaint_number"], t["kind"], t["what"]) for t in tasks] == [
        (number, "callback", "核实后今天下午给您回电")
    ]
    assert datetime.fromisoformat(tasks[0]["due_at"]) == DUE
    assert notifications.inbox(staffed.uow(), "zhang_lead")["tasks"] == []


def test_a_promise_that_is_not_a_call_back_makes_no_task(staffed: Desk) -> None:
    number = _open(staffed)
    _promise(staffed, number, "三天内安排师傅上门维修")
    assert notifications.inbox(staffed.uow(), "li_agent")["tasks"] == []


def test_a_scheduled_follow_up_becomes_a_task_and_rescheduling_moves_it(staffed: Desk) -> None:
    number = _open(staffed)
    handle(staffed.uow(), ScheduleFollowUp(number=number, actor="li_agent", due=DUE), now=NOW)
    handle(staffed.uow(), ScheduleFollowUp(number=number, actor="li_agent", due=DUE + timedelta(days=1)), now=NOW)
    tasks = notifications.inbox(staffed.uow(), "li_agent")["tasks"]
    assert [(t["kind"], datetime.fromisoformat(t["due_at"])) for t in tasks] == [
        ("follow_up", DUE + timedelta(days=1))
    ]


def test_the_sweep_reminds_the_owner_once_shortly_before_the_task_is_due(staffed: Desk) -> None:
    number = _open(staffed)
    _promise(staffed, number)
    early = callbacks.sweep(staffed.uow(), now=DUE - timedelta(minutes=45), remind_before=timedelta(minutes=30))
    assert early.reminders == 0 and "task_due" not in _kinds(staffed, "li_agent")
    soon = callbacks.sweep(staffed.uow(), now=DUE - timedelta(minutes=20), remind_before=timedelta(minutes=30))
    again = callbacks.sweep(staffed.uow(), now=DUE - timedelta(minutes=10), remind_before=timedelta(minutes=30))
    assert (soon.reminders, again.reminders) == (1, 0)
    assert _kinds(staffed, "li_agent").count("task_due") == 1
    assert "task_due" not in _kinds(staffed, "zhang_lead")


def test_the_reminder_lead_time_comes_from_the_data_file(staffed: Desk) -> None:
    number = _open(staffed)
    _promise(staffed, number)
    before = callbacks.policy().remind_before
    assert callbacks.sweep(staffed.uow(), now=DUE - before - timedelta(minutes=1)).reminders == 0
    assert callbacks.sweep(staffed.uow(), now=DUE - before + timedelta(minutes=1)).reminders == 1


def test_a_missed_task_tells_the_lead_once_however_often_the_sweep_runs(staffed: Desk) -> None:
    number = _open(staffed)
    _promise(staffed, number)
    first = callbacks.sweep(staffed.uow(), now=DUE + timedelta(minutes=5))
    for minutes in (10, 60, 600):
        assert callbacks.sweep(staffed.uow(), now=DUE + timedelta(minutes=minutes)).missed == 0
    assert first.missed == 1
    assert _kinds(staffed, "zhang_lead") == ["task_missed"]
    assert _kinds(staffed, "li_agent").count("task_missed") == 1
    summary = notifications.inbox(staffed.uow(), "zhang_lead")["items"][0]["summary"]
    assert number in summary and "li_agent" in summary
    assert notifications.inbox(staffed.uow(), "li_agent")["tasks"][0]["missed"] is True


def test_an_outcome_closes_the_task_keeps_its_promise_and_is_audited(staffed: Desk) -> None:
    number = _open(staffed)
    view = _promise(staffed, number)
    task_id = view["tasks"][0]["id"]  # type: ignore[index]
    after = handle(staffed.uow(), RecordTaskOutcome(number=number, actor="li_agent", task_id=task_id, outcome="reached"),
                   now=NOW + timedelta(hours=1))  # fmt: skip
    assert after["tasks"][0]["outcome"] == "reached" and after["tasks"][0]["outcome_by"] == "li_agent"
    assert after["promises"][0]["kept"] is True
    assert notifications.inbox(staffed.uow(), "li_agent")["tasks"] == []
    assert callbacks.sweep(staffed.uow(), now=DUE + timedelta(hours=1)).missed == 0
    kinds = [e["kind"] for e in audit_service.trail(staffed.uow(), number)]
    assert "task_created" in kinds and "task_done" in kinds
    with pytest.raises(WorkflowViolation) as again:
        handle(staffed.uow(), RecordTaskOutcome(number=number, actor="li_agent", task_id=task_id, outcome="satisfied"))
    assert again.value.field == "task"


def test_not_reached_leaves_the_promise_open(staffed: Desk) -> None:
    number = _open(staffed)
    task_id = _promise(staffed, number)["tasks"][0]["id"]  # type: ignore[index]
    after = handle(staffed.uow(), RecordTaskOutcome(number=number, actor="li_agent", task_id=task_id, outcome="not_reached"))
    assert after["tasks"][0]["outcome"] == "not_reached" and after["promises"][0]["kept"] is None


def test_a_satisfied_follow_up_completes_the_follow_up(staffed: Desk) -> None:
    number = _open(staffed)
    view = handle(staffed.uow(), ScheduleFollowUp(number=number, actor="li_agent", due=DUE), now=NOW)
    task_id = view["tasks"][0]["id"]  # type: ignore[index]
    after = handle(staffed.uow(), RecordTaskOutcome(number=number, actor="li_agent", task_id=task_id, outcome="satisfied"))
    assert after["follow_up"]["done_at"] is not None and after["follow_up"]["outcome"] == "客户满意"


def test_a_bad_outcome_or_task_is_refused_naming_the_field(staffed: Desk) -> None:
    number = _open(staffed)
    task_id = _promise(staffed, number)["tasks"][0]["id"]  # type: ignore[index]
    with pytest.raises(InvalidInput) as bad:
        handle(staffed.uow(), RecordTaskOutcome(number=number, actor="li_agent", task_id=task_id, outcome="maybe"))
    assert bad.value.field == "outcome"
    with pytest.raises(InvalidInput) as missing:
        handle(staffed.uow(), RecordTaskOutcome(number=number, actor="li_agent", task_id=task_id + 99, outcome="reached"))
    assert missing.value.field == "task"


@pytest.fixture
def cli(database_url: str, capsys: pytest.CaptureFixture[str]) -> Iterator[object]:
    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", database_url, *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    yield run
    _context.reset()


def test_the_cli_lists_tasks_in_the_inbox_and_records_an_outcome(staffed: Desk, cli: object) -> None:
    number = _open(staffed)
    task_id = _promise(staffed, number)["tasks"][0]["id"]  # type: ignore[index]
    code, out, _ = cli("inbox", "--user", "li_agent")  # type: ignore[operator]
    assert code == 0 and f"{number} #{task_id}" in out and "给您回电" in out
    code, _, err = cli("complaint", "task-outcome", number, str(task_id), "perhaps")  # type: ignore[operator]
    assert code != 0 and "outcome" in err
    code, out, _ = cli("complaint", "task-outcome", number, str(task_id), "reached", "--actor", "li_agent", "--json")  # type: ignore[operator]
    assert code == 0 and '"outcome": "reached"' in out
    code, out, _ = cli("sla", "sweep", "--json")  # type: ignore[operator]
    assert code == 0 and '"tasks"' in out


def test_the_servers_housekeeping_round_reminds_the_owner_of_a_task_due_soon(staffed: Desk) -> None:
    from complaintdesk.services.housekeeping import Housekeeper

    now = datetime.now(UTC)
    cmd = svc.OpenComplaint("王女士", "13812345678", "宽带", "宽带停机了", actor="li_agent", opened_at=now, analyse=False)
    number = str(svc.open_complaint(staffed.uow(), cmd, now=now)["number"])
    handle(staffed.uow(), MakePromise(number=number, actor="li_agent", what="十分钟后给您回电", due_at=now + timedelta(minutes=10)))
    keeper = Housekeeper(staffed, interval=3600, sender=lambda url, body, headers: (200, None))
    keeper.run_once()
    keeper.run_once()
    assert _kinds(staffed, "li_agent").count("task_due") == 1


def test_two_sweepers_at_once_tell_the_lead_once_per_missed_task(staffed: Desk) -> None:
    import threading

    numbers = [_open(staffed) for _ in range(8)]
    for number in numbers:
        _promise(staffed, number)
    late = DUE + timedelta(minutes=5)
    results: list[int] = []
    errors: list[BaseException] = []

    def sweeper() -> None:
        try:
            results.append(callbacks.sweep(staffed.uow(), now=late).missed)
        except BaseException as exc:  # a busy database is a failure of this test, not a hang
            errors.append(exc)

    threads = [threading.Thread(target=sweeper) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors and sum(results) == len(numbers)
    assert _kinds(staffed, "zhang_lead").count("task_missed") == len(numbers)
