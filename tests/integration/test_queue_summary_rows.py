"""The queue read model (``services.queue``) builds its summaries from plain rows: they must equal the
entity summaries, and filters, scopes and the cursor must behave as before, on every configured database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from complaintdesk.domain.errors import InvalidInput
from complaintdesk.domain.vocab import Role
from complaintdesk.services import commands as cmds
from complaintdesk.services.bootstrap import Desk
from complaintdesk.services.handlers import handle
from complaintdesk.services.queue import QueueQuery, Scope, list_for_owners, list_queue
from complaintdesk.services.views import complaint_summary
from tests.builders import open_number

CST = ZoneInfo("Asia/Shanghai")
MONDAY_10AM = datetime(2026, 11, 23, 10, 0, tzinfo=CST)
WANG = {"customer_name": "王女士", "phone": "13812345678"}
LI = {"customer_name": "李先生", "phone": "13912345678"}
SUSPENDED = "我家宽带欠费不到30天就被停机了,客服说先开通是不可能的,要求马上恢复宽带并道歉"


@dataclass(frozen=True)
class Queue:
    """Five complaints in different states, by role; ``numbers`` newest first, as the queue lists them."""

    plain: str  # accepted, normal, 王女士, opened by li_agent
    urgent: str  # 李先生, urgent, web channel, owned by zhang_agent, acting
    repeat: str  # 王女士 again, high, linked to ``plain``
    runaround: str  # transferred three times, escalated twice
    closed: str  # closed with a waiver

    @property
    def numbers(self) -> list[str]:
        return [self.closed, self.runaround, self.repeat, self.urgent, self.plain]


def _at(minutes: int) -> datetime:
    return MONDAY_10AM + timedelta(minutes=minutes)


def _open(desk: Desk, minutes: int, **overrides: Any) -> str:
    fields = {**WANG, "title": "宽带欠费不足30天被停机", "description": SUSPENDED, "analyse": False, **overrides}
    return open_number(desk, **fields, opened_at=_at(minutes))


@pytest.fixture
def queue(desk: Desk) -> Queue:
    from complaintdesk.services import users as user_svc

    # Owners are checked against the accounts (issue 17): everyone these complaints pass through.
    for name in ("li_agent", "zhang_agent", "billing_team", "tech_team"):
        user_svc.ensure_user(desk.uow(), name, name, "agent", "一组", now=_at(0))
    plain = _open(desk, 0, detect_repeats=False)
    urgent = _open(
        desk,
        10,
        **LI,
        title="网上营业厅重复扣费",
        description="同一笔宽带费被扣了两次,要求退还多扣的钱",
        channel="web",
        category="billing",
        priority="urgent",
        owner="zhang_agent",
        detect_repeats=False,
    )
    handle(
        desk.uow(),
        cmds.Propose(number=urgent, solution="退还多扣的宽带费 60 元", actor="zhang_agent"),
        now=_at(11),
    )
    handle(desk.uow(), cmds.Move(number=urgent, stage="acting", actor="zhang_agent"), now=_at(12))
    repeat = _open(
        desk,
        20,
        title="宽带停机又来投诉",
        description="宽带欠费还不到30天就给停机了,客服说不可能先开通,我要求马上恢复宽带并且道歉",
        priority="high",
    )
    runaround = _open(
        desk, 30, **LI, title="装机师傅迟到", description="约好上午装机,下午才来", detect_repeats=False
    )
    for minute, (to_owner, actor) in enumerate(
        (("billing_team", "li_agent"), ("tech_team", "billing_team"), ("li_agent", "tech_team")), start=31
    ):
        handle(
            desk.uow(),
            cmds.Transfer(number=runaround, to_owner=to_owner, reason="转派处理", actor=actor),
            now=_at(minute),
        )
    handle(
        desk.uow(),
        cmds.Escalate(number=runaround, reason="客户多次被转接", actor="li_agent", to_level=2),
        now=_at(35),
    )
    closed = _open(
        desk, 40, title="营业员态度差", description="营业员态度恶劣,要求道歉", detect_repeats=False
    )
    handle(desk.uow(), cmds.Propose(number=closed, solution="营业厅经理登门致歉", actor="li_agent"), now=_at(41))
    handle(desk.uow(), cmds.Move(number=closed, stage="acting", actor="li_agent"), now=_at(42))
    handle(desk.uow(), cmds.Move(number=closed, stage="thanking", actor="li_agent"), now=_at(43))
    handle(
        desk.uow(),
        cmds.Move(number=closed, stage="closed", actor="li_agent", waiver_reason="客户电话确认满意,拒绝签字"),
        now=_at(44),
    )
    return Queue(plain, urgent, repeat, runaround, closed)


def _entity_summary(desk: Desk, number: str) -> dict[str, Any]:
    with desk.uow() as uow:
        complaint = uow.complaints.get(number)
        return complaint_summary(complaint, uow.customers.get(complaint.customer_id))


def _numbers(
    desk: Desk, query: QueueQuery, *, owners: set[str] | None = None, now: datetime | None = None
) -> list[str]:
    return [item["number"] for item in list_for_owners(desk.uow(), query, owners, now=now).summaries]


def test_every_queue_item_equals_the_summary_built_from_its_entity(desk: Desk, queue: Queue) -> None:
    page = list_queue(desk.uow(), QueueQuery(limit=20), viewer=None)
    assert [item["number"] for item in page.summaries] == queue.numbers
    assert page.next_cursor is None
    for item in page.summaries:
        expected = _entity_summary(desk, item["number"])
        assert item == expected
        assert [type(v) for v in item.values()] == [type(v) for v in expected.values()]


def test_queue_items_show_the_states_the_complaints_are_in(desk: Desk, queue: Queue) -> None:
    items = {item["number"]: item for item in list_queue(desk.uow(), QueueQuery(), viewer=None).summaries}
    urgent, repeat, runaround, closed = (
        items[n] for n in (queue.urgent, queue.repeat, queue.runaround, queue.closed)
    )
    assert (urgent["customer"], urgent["owner"], urgent["priority"]) == ("李先生", "zhang_agent", "urgent")
    assert (urgent["channel"], urgent["category"], urgent["stage"]) == ("web", "billing", "acting")
    assert urgent["stage_label"] and isinstance(urgent["stage_label"], str)
    assert repeat["repeat"] is True and repeat["priority"] == "high" and repeat["customer"] == "王女士"
    assert (runaround["transfer_count"], runaround["runaround"], runaround["escalation_level"]) == (
        3,
        True,
        2,
    )
    assert closed["stage"] == "closed"
    # Stored in UTC, shown in UTC: the same text the entity path gives.
    assert items[queue.plain]["opened_at"] == "2026-11-23T02:00:00+00:00"


def test_filters_narrow_the_queue_as_before(desk: Desk, queue: Queue) -> None:
    with desk.uow() as uow:
        li_id = uow.complaints.get(queue.urgent).customer_id
    assert _numbers(desk, QueueQuery(stage="acting")) == [queue.urgent]
    assert _numbers(desk, QueueQuery(owner="zhang_agent")) == [queue.urgent]
    assert _numbers(desk, QueueQuery(priority="high")) == [queue.repeat]
    assert _numbers(desk, QueueQuery(channel="web")) == [queue.urgent]
    assert _numbers(desk, QueueQuery(category="billing")) == [queue.urgent]
    assert _numbers(desk, QueueQuery(customer_id=li_id)) == [queue.runaround, queue.urgent]
    assert _numbers(desk, QueueQuery(open_only=True)) == queue.numbers[1:]
    assert _numbers(desk, QueueQuery(opened_from=_at(10), opened_to=_at(30))) == [
        queue.repeat,
        queue.urgent,
    ]
    assert _numbers(desk, QueueQuery(), owners={"zhang_agent", "nobody"}) == [queue.urgent]
    assert _numbers(desk, QueueQuery(), owners=set()) == []


def test_sla_state_splits_the_queue_into_late_and_clockless(desk: Desk, queue: Queue) -> None:
    much_later = _at(60 * 24 * 60)
    breached = _numbers(desk, QueueQuery(sla_state="breached"), now=much_later)
    none = _numbers(desk, QueueQuery(sla_state="none"), now=much_later)
    on_track = _numbers(desk, QueueQuery(sla_state="on_track"), now=much_later)
    assert on_track == []
    assert sorted(breached + none) == sorted(queue.numbers)
    assert queue.plain in breached


def test_the_second_page_continues_where_the_first_ended(desk: Desk, queue: Queue) -> None:
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        page = list_queue(desk.uow(), QueueQuery(limit=2, cursor=cursor), viewer=None)
        pages += 1
        assert len(page.items) <= 2
        seen.extend(item["number"] for item in page.summaries)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert pages == 3
    assert seen == queue.numbers


def test_a_filtered_queue_pages_within_the_filter(desk: Desk, queue: Queue) -> None:
    first = list_queue(desk.uow(), QueueQuery(open_only=True, limit=3), viewer=None)
    assert [item["number"] for item in first.summaries] == queue.numbers[1:4]
    assert first.next_cursor is not None
    second = list_queue(desk.uow(), QueueQuery(open_only=True, limit=3, cursor=first.next_cursor), viewer=None)
    assert [item["number"] for item in second.summaries] == [queue.plain]
    assert second.next_cursor is None


def test_a_page_exactly_full_has_no_next_cursor(desk: Desk, queue: Queue) -> None:
    page = list_queue(desk.uow(), QueueQuery(limit=len(queue.numbers)), viewer=None)
    assert len(page.items) == len(queue.numbers)
    assert page.next_cursor is None


@dataclass(frozen=True)
class Viewer:
    username: str
    role: Role
    team: str | None


def _listed(desk: Desk, viewer: Viewer | None, scope: Scope = Scope.VISIBLE) -> list[str]:
    return [s["number"] for s in list_queue(desk.uow(), QueueQuery(scope=scope), viewer=viewer).summaries]


def test_a_viewer_lists_only_what_permissions_let_them_see(desk: Desk, queue: Queue) -> None:
    from complaintdesk.services import users as user_svc

    user_svc.ensure_user(desk.uow(), "wu_agent", "wu_agent", "agent", "二组", now=_at(0))
    taken = _open(desk, 50, owner="wu_agent", actor="wu_agent", detect_repeats=False)
    everyone = _listed(desk, None)
    assert everyone == [taken, *queue.numbers]
    assert _listed(desk, Viewer("auditor1", Role.AUDITOR, None)) == everyone
    # li_agent's team (一组) owns every complaint but wu_agent's: theirs is not li_agent's to see.
    li = Viewer("li_agent", Role.AGENT, "一组")
    assert _listed(desk, li) == queue.numbers
    assert _listed(desk, Viewer("wu_agent", Role.AGENT, "二组")) == [taken]
    assert _listed(desk, li, Scope.MINE) == [n for n in queue.numbers if n != queue.urgent]
    assert _listed(desk, Viewer("zhang_agent", Role.AGENT, "一组"), Scope.MINE) == [queue.urgent]
    assert _listed(desk, li, Scope.TEAM) == queue.numbers
    # A manager's own scope is their own complaints, even though they may see every one.
    assert _listed(desk, Viewer("boss", Role.MANAGER, None), Scope.MINE) == []


def test_a_process_has_no_queue_of_its_own(desk: Desk, queue: Queue) -> None:
    with pytest.raises(InvalidInput) as refused:
        list_queue(desk.uow(), QueueQuery(scope=Scope.MINE), viewer=None)
    assert refused.value.field == "scope"


def test_the_queue_pages_signals_come_with_the_rows_when_asked(desk: Desk, queue: Queue) -> None:
    plain = list_queue(desk.uow(), QueueQuery(open_only=True), viewer=None, now=_at(50))
    assert all(item.sla is None and item.types == () for item in plain.items)
    signalled = list_queue(desk.uow(), QueueQuery(open_only=True, with_signals=True), viewer=None, now=_at(50))
    assert [i.summary for i in signalled.items] == plain.summaries
    by_number = {item.summary["number"]: item for item in signalled.items}
    assert by_number[queue.plain].sla is not None  # the first-response clock runs
    assert by_number[queue.plain].sla_colour in ("green", "amber", "red")


@pytest.mark.parametrize(
    "field, value", [("stage", "nonsense"), ("sla_state", "late"), ("limit", 0), ("limit", 1001), ("cursor", "xx")]
)
def test_a_bad_filter_is_refused_naming_it(desk: Desk, field: str, value: Any) -> None:
    with pytest.raises(InvalidInput) as refused:
        list_queue(desk.uow(), QueueQuery(**{field: value}), viewer=None)
    assert refused.value.field == field
