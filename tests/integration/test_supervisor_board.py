"""The supervisor's live board on SQLite and PostgreSQL: its counts are the queue's, each agent's load
and oldest open complaint, and each team's SLA compliance over the clocks due today."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from complaintdesk.services import queue
from complaintdesk.services.board import board
from complaintdesk.services.queue import QueueQuery
from complaintdesk.settings import local_zone
from complaintdesk.storage import orm
from tests.builders import account, add_staff, open_number, write

NOW = datetime.now(UTC)
STAFF = (
    ("alice", "agent", "A"),
    ("bob", "agent", "B"),
    ("lena", "team_lead", "A"),
    ("mona", "manager", None),
)


@pytest.fixture
def centre(desk):
    add_staff(desk, STAFF)
    return desk


def staff(desk, name):
    return account(desk, name)


def test_the_board_counts_what_the_queue_lists_and_each_agents_load(centre):
    old = open_number(centre, owner="alice", phone="13800000101", opened_at=NOW - timedelta(days=4))
    open_number(centre, owner="alice", phone="13800000102")
    open_number(centre, owner="bob", phone="13800000103")
    live = board(centre.uow(), staff(centre, "mona"), NOW)
    assert live.open_now == 3
    breached = queue.count_queue(centre.uow(), QueueQuery(open_only=True, sla_state="breached"), viewer=None)
    assert live.overdue_now == breached >= 1
    alice = next(a for a in live.agents if a.owner == "alice")
    assert (alice.open, alice.team, alice.oldest_number) == (2, "A", old)
    assert alice.overdue >= 1 and live.agents[0].owner == "alice"  # the most overdue first
    assert (NOW - alice.oldest_opened_at) > timedelta(days=3)


def test_a_team_lead_sees_only_their_team_on_the_board(centre):
    open_number(centre, owner="alice", phone="13800000111")
    open_number(centre, owner="bob", phone="13800000112")
    live = board(centre.uow(), staff(centre, "lena"), NOW)
    assert live.open_now == 1 and [a.owner for a in live.agents] == ["alice"]


def test_team_compliance_today_counts_clocks_met_in_time_and_missed(centre):
    on_time = open_number(centre, owner="alice", phone="13800000121")
    late = open_number(centre, owner="alice", phone="13800000122")
    k = orm.sla_clocks.c
    due = NOW - timedelta(minutes=10)
    if due.astimezone(local_zone()).date() != NOW.astimezone(local_zone()).date():
        pytest.skip("just after the centre's midnight: nothing can have fallen due today")
    for number, stopped in ((on_time, due - timedelta(minutes=5)), (late, due + timedelta(minutes=5))):
        write(centre, orm.sla_clocks.update().where(k.complaint_number == number).values(due_at=due))
        write(
            centre,
            orm.sla_clocks.update()
            .where(k.complaint_number == number, k.kind == "acceptance")
            .values(active=False, updated_at=stopped),
        )
    team = next(t for t in board(centre.uow(), staff(centre, "mona"), NOW).teams if t.team == "A")
    assert team.met == 1 and team.missed >= 1
    assert team.rate == pytest.approx(team.met / (team.met + team.missed), abs=1e-4)
