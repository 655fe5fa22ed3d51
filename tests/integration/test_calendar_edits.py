"""A centre edits its calendar; SLA due times follow the edit; every edit is audited."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from complaintdesk.services import audit_service, calendar_service, casework, sla_service
from complaintdesk.services import complaints as svc
from complaintdesk.services.bootstrap import Desk

CST = ZoneInfo("Asia/Shanghai")
FRIDAY_5PM = datetime(2026, 11, 27, 17, 0, tzinfo=CST)


def _first_response_due(desk: Desk) -> datetime:
    cmd = svc.OpenComplaint("王女士", "13812345678", "宽带", "宽带停机了", actor="a", opened_at=FRIDAY_5PM, analyse=False)
    number = svc.open_complaint(desk.uow(), cmd, now=FRIDAY_5PM)["number"]
    statuses = sla_service.statuses(desk.uow(), number, now=FRIDAY_5PM + timedelta(minutes=1))
    return datetime.fromisoformat(next(s["due_at"] for s in statuses if s["kind"] == "first_response"))


def test_a_centre_closure_pushes_the_due_time_and_is_audited(desk: Desk) -> None:
    # 4 business hours from Friday 17:00: 1 h on Friday, 3 h on Monday → Monday 12:00.
    assert _first_response_due(desk) == datetime(2026, 11, 30, 12, 0, tzinfo=CST)
    calendar_service.set_day(desk.uow(), date(2026, 11, 30), "holiday", "中心搬迁", "admin")
    assert _first_response_due(desk) == datetime(2026, 12, 1, 12, 0, tzinfo=CST)  # Monday closed
    view = calendar_service.year_view(desk.uow(), 2026)
    assert {"day": "2026-11-30", "name": "中心搬迁", "edited": True} in view["holidays"]
    assert audit_service.verify(desk.uow()).ok


def test_a_centre_working_saturday_counts(desk: Desk) -> None:
    calendar_service.set_day(desk.uow(), date(2026, 11, 28), "workday", None, "admin")
    assert _first_response_due(desk) == datetime(2026, 11, 28, 12, 0, tzinfo=CST)  # Saturday 12:00
    assert calendar_service.remove_day(desk.uow(), date(2026, 11, 28), "admin") is True
    assert calendar_service.remove_day(desk.uow(), date(2026, 11, 28), "admin") is False


def test_the_queue_countdown_counts_the_centres_closure_as_the_complaint_page_does(desk: Desk) -> None:
    from complaintdesk.services.queue import QueueQuery, list_queue

    cmd = svc.OpenComplaint("王女士", "13812345678", "宽带", "宽带停机了", actor="a", opened_at=FRIDAY_5PM, analyse=False)
    number = svc.open_complaint(desk.uow(), cmd, now=FRIDAY_5PM)["number"]
    calendar_service.set_day(desk.uow(), date(2026, 11, 30), "holiday", "中心搬迁", "admin")
    monday_11am = datetime(2026, 11, 30, 11, 0, tzinfo=CST)  # closed: no working time has passed since Friday 18:00
    page = {s["kind"]: s for s in sla_service.statuses(desk.uow(), number, now=monday_11am)}
    rows = list_queue(desk.uow(), QueueQuery(open_only=True, with_signals=True), viewer=None, now=monday_11am)
    queue = next(row for row in rows.items if row.summary["number"] == number)
    assert queue.sla is not None
    assert queue.sla["remaining_seconds"] == page[queue.sla["kind"]]["remaining_seconds"]
    assert page["first_response"]["remaining_seconds"] == 3 * 3600  # 1 h used on Friday, 3 h left


def test_the_promised_wait_skips_the_centres_closure(desk: Desk) -> None:
    cmd = svc.OpenComplaint("王女士", "13812345678", "宽带", "宽带欠费不到30天就被停机了,要求马上恢复", actor="a", opened_at=FRIDAY_5PM)
    number = svc.open_complaint(desk.uow(), cmd, now=FRIDAY_5PM)["number"]
    before = casework.advise_for(desk.uow(), number, now=FRIDAY_5PM).to_dict()["expectation"]["due"]
    calendar_service.set_day(desk.uow(), date(2026, 11, 30), "holiday", "中心搬迁", "admin")
    after = casework.advise_for(desk.uow(), number, now=FRIDAY_5PM).to_dict()["expectation"]["due"]
    assert (before[:10], after[:10]) == ("2026-11-30", "2026-12-01")  # Monday closed: Tuesday morning
