"""``queue.count_many`` — the queue page's total, views and tabs counted in one pass — finds exactly
what each query counted on its own finds, for a centre-wide viewer and for an agent, on SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from complaintdesk.services import queue
from complaintdesk.services.commands import Escalate, Transfer
from complaintdesk.services.handlers import handle
from complaintdesk.services.queue import QueueQuery, Scope
from complaintdesk.storage import orm
from tests.builders import account, add_staff, open_number, write

NOW = datetime.now(UTC)
STAFF = (("alice", "agent", "A"), ("arthur", "agent", "A"), ("bob", "agent", "B"), ("lena", "team_lead", "A"),
         ("mona", "manager", None))  # fmt: skip

QUERIES = (
    QueueQuery(open_only=True),
    QueueQuery(open_only=True, sla_state="breached"),
    QueueQuery(open_only=True, sla_state="due_soon"),
    QueueQuery(open_only=True, sla_state="on_track"),
    QueueQuery(open_only=True, sla_state="none"),
    QueueQuery(open_only=True, escalated=True),
    QueueQuery(open_only=True, flags=("runaround",)),
    QueueQuery(open_only=True, category="billing"),
    QueueQuery(open_only=True, flags=("repeat",)),
    QueueQuery(scope=Scope.MINE, open_only=True),
    QueueQuery(scope=Scope.TEAM, open_only=True),
    QueueQuery(team="B"),
    QueueQuery(),
)


@pytest.fixture
def centre(desk):
    add_staff(desk, STAFF)
    late = open_number(desk, owner="alice", phone="13800000001", opened_at=NOW - timedelta(days=9))
    open_number(desk, owner="bob", phone="13800000002", category="billing")
    escalated = open_number(desk, owner="arthur", phone="13800000003")
    handle(desk.uow(), Escalate(number=escalated, actor="lena", reason="客户要求"))
    bounced = open_number(desk, owner="alice", phone="13800000004")
    for to in ("arthur", "alice", "arthur"):
        handle(desk.uow(), Transfer(number=bounced, actor="lena", to_owner=to, reason="换人"))
    soon = open_number(desk, owner="bob", phone="13800000005")
    k = orm.sla_clocks.c
    write(desk, update(orm.sla_clocks).where(k.complaint_number == soon).values(due_at=NOW + timedelta(minutes=20)))
    closed = open_number(desk, owner="alice", phone="13800000006")
    write(desk, update(orm.sla_clocks).where(k.complaint_number == closed).values(active=False))
    write(desk, update(orm.complaints).where(orm.complaints.c.number == closed).values(stage="closed"))
    assert late
    return desk


@pytest.mark.parametrize("viewer", ["mona", "alice", "lena"])
def test_counting_in_one_pass_finds_what_each_count_finds_alone(centre, viewer):
    staff = account(centre, viewer)
    queries = [q for q in QUERIES if viewer != "mona" or q.scope is Scope.VISIBLE]
    alone = [queue.count_queue(centre.uow(), q, viewer=staff, now=NOW) for q in queries]
    assert queue.count_many(centre.uow(), queries, viewer=staff, now=NOW) == alone
    assert sum(alone) > 0 and 0 in alone  # the centre has something to count, and not for every query
    open_ones = [q for q in queries if q.open_only]  # every query open: the pass itself reads open rows only
    assert queue.count_many(centre.uow(), open_ones, viewer=staff, now=NOW) == [
        n for q, n in zip(queries, alone, strict=True) if q.open_only
    ]
