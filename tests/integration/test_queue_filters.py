"""The queue read model's filters, counts, due-time keyset paging and bulk reassignment, on SQLite and
PostgreSQL (``COMPLAINTDESK_TEST_DATABASE_URL``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from complaintdesk.domain.errors import InvalidInput, PermissionDenied
from complaintdesk.services import queue
from complaintdesk.services.commands import Escalate, Transfer
from complaintdesk.services.handlers import handle
from complaintdesk.services.queue import QueueQuery, Scope
from complaintdesk.services.reassign import Reassignment, reassign
from complaintdesk.storage import orm
from tests.builders import account, add_staff, open_number, write

NOW = datetime.now(UTC)
STAFF = (("alice", "agent", "A"), ("arthur", "agent", "A"), ("bob", "agent", "B"), ("lena", "team_lead", "A"))


@pytest.fixture
def centre(desk):
    add_staff(desk, STAFF)
    return desk


def staff(desk, name):
    return account(desk, name)


def stop_clocks(desk, number):
    write(
        desk, orm.sla_clocks.update().where(orm.sla_clocks.c.complaint_number == number).values(active=False)
    )


def close(desk, number):
    stop_clocks(desk, number)
    write(desk, orm.complaints.update().where(orm.complaints.c.number == number).values(stage="closed"))


def numbers(page):
    return [s["number"] for s in page.summaries]


def test_filters_by_team_escalation_flags_and_sla_with_a_total(centre):
    late = open_number(centre, owner="alice", phone="13800000001", opened_at=NOW - timedelta(days=5))
    fresh = open_number(centre, owner="bob", phone="13800000002")
    escalated = open_number(centre, owner="arthur", phone="13800000003")
    handle(centre.uow(), Escalate(number=escalated, actor="lena", reason="客户要求"))
    bounced = open_number(centre, owner="alice", phone="13800000004")
    for to in ("arthur", "alice", "arthur"):
        handle(centre.uow(), Transfer(number=bounced, actor="lena", to_owner=to, reason="换人"))

    def listed(**filters):
        page = queue.list_queue(centre.uow(), QueueQuery(with_total=True, **filters), viewer=None)
        assert page.total == len(page.items)
        return set(numbers(page))

    assert listed(team="A") == {late, escalated, bounced}
    assert listed(team="B") == {fresh}
    assert listed(team="nobody") == set()
    assert listed(escalated=True) >= {escalated}
    assert escalated not in listed(escalated=False)
    assert listed(flags=("runaround",)) == {bounced}
    assert listed(flags=("runaround", "repeat")) <= {bounced}
    assert late in listed(sla_state="breached")
    assert fresh in listed(sla_state="on_track")
    assert late not in listed(sla_state="due_soon")
    assert listed(sla_state="breached") & listed(sla_state="on_track") == set()


def test_a_team_filter_never_widens_what_an_agent_may_see(centre):
    open_number(centre, owner="bob", phone="13800000002")
    mine = open_number(centre, owner="alice", phone="13800000001")
    page = queue.list_queue(centre.uow(), QueueQuery(team="B"), viewer=staff(centre, "alice"))
    assert page.items == []
    page = queue.list_queue(centre.uow(), QueueQuery(team="A"), viewer=staff(centre, "alice"))
    assert numbers(page) == [mine]


def test_due_soon_finds_the_clock_that_runs_out_within_the_hour(centre):
    number = open_number(centre, owner="alice")
    clocks = orm.sla_clocks.c
    soon = NOW + timedelta(minutes=30)
    write(centre, orm.sla_clocks.update().where(clocks.complaint_number == number).values(due_at=soon))
    assert numbers(queue.list_queue(centre.uow(), QueueQuery(sla_state="due_soon"), viewer=None)) == [number]
    assert queue.count_queue(centre.uow(), QueueQuery(sla_state="due_soon"), viewer=None) == 1


def test_due_order_pages_by_keyset_without_overlap_soonest_first_and_clockless_last(centre):
    opened = [NOW - timedelta(hours=h) for h in (1, 30, 5, 2, 50)]
    made = [
        open_number(centre, owner="alice", phone=f"1380000001{i}", opened_at=at)
        for i, at in enumerate(opened)
    ]
    stop_clocks(centre, made[0])
    seen, cursor, totals = [], None, set()
    for _ in range(10):
        page = queue.list_queue(
            centre.uow(), QueueQuery(order="due", limit=2, cursor=cursor, with_total=True), viewer=None
        )
        seen += numbers(page)
        totals.add(page.total)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert sorted(seen) == sorted(made) and len(seen) == len(set(seen))
    assert totals == {5}
    assert seen[-1] == made[0]  # no running clock: after every due time
    uow = centre.uow()
    with uow.reading():
        c = orm.sla_clocks.c
        rows = uow.complaints.session.execute(
            select(c.complaint_number, c.due_at).where(c.active.is_(True))
        ).all()
    first_due = {}
    for number, due in rows:
        first_due[number] = min(due, first_due.get(number, due))
    running = [n for n in seen if n in first_due]
    assert running == sorted(running, key=lambda n: first_due[n])


def test_a_cursor_of_the_other_order_is_refused_naming_the_field(centre):
    for i in range(3):
        open_number(centre, owner="alice", phone=f"1380000002{i}")
    newest = queue.list_queue(centre.uow(), QueueQuery(limit=1), viewer=None).next_cursor
    with pytest.raises(InvalidInput) as refused:
        queue.list_queue(centre.uow(), QueueQuery(order="due", cursor=newest), viewer=None)
    assert refused.value.field == "cursor"
    with pytest.raises(InvalidInput) as refused:
        queue.list_queue(centre.uow(), QueueQuery(flags=("vip",)), viewer=None)
    assert refused.value.field == "flag"


def test_counts_per_view_match_the_listing(centre):
    for i, owner in enumerate(("alice", "alice", "arthur", "bob")):
        open_number(centre, owner=owner, phone=f"1380000003{i}")
    alice = staff(centre, "alice")
    assert queue.count_queue(centre.uow(), QueueQuery(scope=Scope.MINE), viewer=alice) == 2
    assert queue.count_queue(centre.uow(), QueueQuery(scope=Scope.TEAM), viewer=alice) == 3
    assert queue.count_queue(centre.uow(), QueueQuery(), viewer=None) == 4


def test_a_lead_reassigns_every_open_complaint_of_an_absent_agent_each_audited(centre):
    absent = [open_number(centre, owner="alice", phone=f"1380000004{i}") for i in range(3)]
    closed = open_number(centre, owner="alice", phone="13800000049")
    close(centre, closed)
    other = open_number(centre, owner="arthur", phone="13800000048")
    lena = staff(centre, "lena")
    result = reassign(
        centre.uow(), lena, Reassignment(to_owner="arthur", reason="alice 病假", from_owner="alice")
    )
    assert sorted(result.moved) == sorted(absent) and result.refused == []
    page = queue.list_queue(centre.uow(), QueueQuery(owner="arthur"), viewer=None)
    assert set(numbers(page)) == {*absent, other}
    uow = centre.uow()
    with uow.reading():
        e = orm.audit_events.c
        audited = uow.complaints.session.execute(
            select(e.complaint_number).where(e.kind == "transferred").where(e.actor == "lena")
        ).all()
    assert sorted(r.complaint_number for r in audited) == sorted(absent)


def test_bulk_reassignment_of_selected_complaints_reports_each_refusal(centre):
    mine = open_number(centre, owner="alice", phone="13800000051")
    other_team = open_number(centre, owner="bob", phone="13800000052")
    lena = staff(centre, "lena")
    result = reassign(
        centre.uow(), lena, Reassignment(to_owner="arthur", reason="均衡负载", numbers=(mine, other_team))
    )
    assert result.moved == [mine]
    assert [r["number"] for r in result.refused] == [other_team]


def test_bulk_reassignment_is_refused_to_agents_and_to_an_unknown_colleague(centre):
    number = open_number(centre, owner="alice", phone="13800000061")
    with pytest.raises(PermissionDenied):
        reassign(
            centre.uow(),
            staff(centre, "arthur"),
            Reassignment(to_owner="alice", reason="r", numbers=(number,)),
        )
    with pytest.raises(InvalidInput) as refused:
        reassign(
            centre.uow(), staff(centre, "lena"), Reassignment(to_owner="ghost", reason="r", numbers=(number,))
        )
    assert refused.value.field == "to_owner"
    with pytest.raises(InvalidInput) as refused:
        reassign(centre.uow(), staff(centre, "lena"), Reassignment(to_owner="arthur", reason="r"))
    assert refused.value.field == "numbers"


def test_a_page_past_the_last_match_still_counts_every_match_and_an_empty_queue_counts_none(centre):
    from complaintdesk.services.queue_cursor import encode_cursor

    assert queue.list_queue(centre.uow(), QueueQuery(with_total=True), viewer=None).total == 0
    assert queue.list_queue(centre.uow(), QueueQuery(order="due", with_total=True), viewer=None).total == 0
    for i in range(3):
        open_number(centre, owner="alice", phone=f"1380000002{i}")
    newest = queue.list_queue(centre.uow(), QueueQuery(with_total=True, cursor=encode_cursor(1)), viewer=None)
    assert newest.items == [] and newest.total == 3
    past = encode_cursor(10**9, queue.NO_DUE)
    due = queue.list_queue(centre.uow(), QueueQuery(order="due", with_total=True, cursor=past), viewer=None)
    assert due.items == [] and due.total == 3
