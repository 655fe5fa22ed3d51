"""Use-cases on complaints. Each runs inside one unit of work and commits whole or not at all."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from complaintdesk.domain.errors import InvalidInput, StaleWrite
from complaintdesk.domain.json_input import check_json
from complaintdesk.domain.model import Complaint, Customer
from complaintdesk.domain.vocab import (
    Category,
    Channel,
    Demand,
    MessageKind,
    Priority,
    Segment,
    Stage,
    parse_enum,
)
from complaintdesk.services import owners, proposals, reading, sla_service, time_bounds
from complaintdesk.services.unit_of_work import UnitOfWork
from complaintdesk.services.views import complaint_detail, complaint_summary
from complaintdesk.storage.repository import ComplaintFilter

if TYPE_CHECKING:
    from complaintdesk.analysis import Analysis

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
REPEAT_WINDOW = timedelta(days=30)
APPEND_ATTEMPTS = 3  # an append that lost a race re-reads the complaint and appends again


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class OpenComplaint:
    customer_name: str
    phone: str
    title: str
    description: str
    channel: str = Channel.PHONE.value
    segment: str = Segment.REGULAR.value
    category: str | None = None
    demands: list[str] | None = None
    priority: str | None = None
    owner: str | None = None
    actor: str = "system"
    opened_at: datetime | None = None
    analyse: bool = True
    detect_repeats: bool = True
    extra_messages: list[dict[str, Any]] = field(default_factory=list)


def _priority_from_analysis(analysis: Analysis) -> Priority:
    kinds = {t.kind for t in analysis.threats}
    if kinds & {"regulator", "media", "lawyer", "violence"}:
        return Priority.URGENT if "violence" in kinds else Priority.HIGH
    return Priority.HIGH if analysis.escalation_risk.score >= 0.6 else Priority.NORMAL


def open_complaint(uow: UnitOfWork, cmd: OpenComplaint, *, now: datetime | None = None) -> dict[str, Any]:
    """Intake: customer found or created, text analysed, repeats linked, number assigned, SLA clocks started."""
    with uow:
        complaint, customer = open_within(uow, cmd, now=now or utcnow())
        uow.commit()
        return complaint_detail(complaint, customer)


def open_within(
    uow: UnitOfWork,
    cmd: OpenComplaint,
    *,
    now: datetime,
) -> tuple[Complaint, Customer]:
    """The intake use-case inside an already open unit of work (the importer opens many in one).

    The day's number is drawn before anything else touches the database: on PostgreSQL that draw
    commits on its own (``ComplaintRepository.next_number``), and as the first statement it needs no
    second connection. An intake failing after the draw leaves that number unused (see there).
    """
    opened_at = cmd.opened_at or now
    time_bounds.check_opened_at(opened_at, now)
    channel = parse_enum(Channel, cmd.channel, "channel")
    segment = parse_enum(Segment, cmd.segment, "segment")
    demands = [parse_enum(Demand, d, "demands").value for d in (cmd.demands or [])]
    category = parse_enum(Category, cmd.category, "category") if cmd.category else None
    priority = parse_enum(Priority, cmd.priority, "priority") if cmd.priority else None
    analysis: Analysis | None = None
    if cmd.analyse:
        analysis = reading.read(cmd.description, opened_at.astimezone(LOCAL_TZ).date())
        if category is None:
            category = Category(analysis.category.label)
        if not demands:
            demands = [d.kind for d in analysis.demands]
        if priority is None:
            priority = _priority_from_analysis(analysis)

    probe = Customer(cmd.customer_name, cmd.phone, segment, created_at=now)  # validates name and phone
    number = uow.complaints.next_number(opened_at.astimezone(LOCAL_TZ).date())
    if cmd.owner:  # after the draw, which must be the transaction's first statement (see above)
        owners.check_owner(uow, cmd.actor, cmd.owner.strip(), "owner")
    # The customer, and whether they are new (a new customer has no earlier complaint to repeat).
    customer, is_new = uow.customers.find_or_add(probe)
    assert customer.id is not None
    repeats: list[reading.RepeatHit] = []
    if cmd.detect_repeats and not is_new:
        earlier = uow.complaints.repeat_candidates(customer.id, opened_at - REPEAT_WINDOW)
        repeats = reading.find_repeats(f"{cmd.title.strip()}。{cmd.description.strip()}", earlier)
    complaint = Complaint(
        number=number,
        customer_id=customer.id,
        channel=channel,
        title=cmd.title,
        description=cmd.description,
        opened_at=opened_at,
        opened_by=cmd.actor,
        category=category or Category("other"),
        demands=demands,
        priority=priority or Priority.NORMAL,
        owner=(cmd.owner or "").strip() or None,
    )
    if analysis is not None:  # stored as its JSON contract, read back by the views and the trainer
        complaint.record_analysis(analysis.to_dict(), cmd.actor, opened_at)
    for match in repeats:
        complaint.link_repeat(match.candidate_id, match.score, match.reason, cmd.actor, opened_at)
    uow.complaints.add(complaint, sla_service.intake_clocks(uow, complaint.number, segment, opened_at))
    return complaint, customer


def _load(uow: UnitOfWork, number: str, expected_version: int | None) -> Complaint:
    complaint = uow.complaints.get(number)
    if expected_version is not None and complaint.version != expected_version:
        raise StaleWrite(
            f"投诉单 {number} 已被他人修改(当前版本 {complaint.version},你的版本 {expected_version}),请刷新后重试",
            field="version",
        )
    return complaint


def change(
    uow: UnitOfWork,
    number: str,
    expected_version: int | None,
    action: Callable[[Complaint], object],
    now: datetime,
) -> dict[str, Any]:
    with uow:
        complaint = _load(uow, number, expected_version)
        action(complaint)
        sla_service.on_complaint_changed(uow, complaint, now)
        uow.flush()  # the new version number, for the view
        # Built inside the transaction: no second round of queries (nor, on SQLite, a second write lock).
        view = complaint_detail(complaint, uow.customers.get(complaint.customer_id))
        uow.commit()
        return view


def get_complaint(uow: UnitOfWork, number: str, *, reveal_phone: bool = False) -> dict[str, Any]:
    with uow.reading():
        complaint = uow.complaints.get(number)
        return complaint_detail(
            complaint, uow.customers.get(complaint.customer_id), reveal_phone=reveal_phone
        )


def list_complaints(uow: UnitOfWork, flt: ComplaintFilter) -> list[dict[str, Any]]:
    if flt.stage:
        parse_enum(Stage, flt.stage, "stage")
    if flt.sla_state not in (None, "breached", "on_track"):
        raise InvalidInput("sla_state 只能是 breached 或 on_track", field="sla_state")
    if flt.limit < 1 or flt.limit > 1000:
        raise InvalidInput("limit 必须在 1 到 1000 之间", field="limit")
    with uow.reading():
        rows = uow.complaints.query(flt)
        names = {c.customer_id: uow.customers.get(c.customer_id) for c in rows}
        return [complaint_summary(c, names[c.customer_id]) for c in rows]


def move(
    uow: UnitOfWork,
    number: str,
    target: str,
    actor: str,
    *,
    waiver_reason: str | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    now = now or utcnow()
    stage = parse_enum(Stage, target, "stage")
    return change(
        uow,
        number,
        expected_version,
        lambda c: c.move_to(stage, actor, now, waiver_reason=waiver_reason),
        now,
    )


def propose(
    uow: UnitOfWork,
    number: str,
    solution: str,
    actor: str,
    *,
    offer: proposals.StatedOffer | None = None,
    role: str | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Record the proposal, once it is within the proposer's authority (``services.proposals``).

    ``role`` is the proposer's staff role; without it, their account's, and for an actor with no
    account (a process, the CLI's default) the least authority, an agent's."""
    now = now or utcnow()

    def action(c: Complaint) -> None:
        account = uow.users.get(actor) if role is None else None
        proposals.authorise(role or (account.role.value if account else "agent"), solution, offer)
        c.propose(proposals.with_offer(solution, offer), actor, now)

    return change(uow, number, expected_version, action, now)


def add_message(
    uow: UnitOfWork,
    number: str,
    kind: str,
    author: str,
    body: str,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Append a message or note. An append conflicts with no other change (the thread is the same
    whatever came before it), so ``expected_version`` is not matched — an agent's reply is not refused
    because a lead added a note meanwhile; a concurrent writer only makes it re-read and append again.
    State changes (move, propose, transfer …) keep their optimistic check."""
    del expected_version  # accepted from every adapter, deliberately not compared
    now = now or utcnow()
    message_kind = parse_enum(MessageKind, kind, "kind")
    for attempt in range(APPEND_ATTEMPTS):
        try:
            return change(uow, number, None, lambda c: c.add_message(message_kind, author, body, now), now)
        except StaleWrite:
            if attempt == APPEND_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def transfer(
    uow: UnitOfWork,
    number: str,
    to_owner: str,
    reason: str,
    actor: str,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    now = now or utcnow()
    target = (to_owner or "").strip()

    def action(c: Complaint) -> None:
        if target and target != c.owner:  # the domain names an empty or unchanged owner itself
            owners.check_owner(uow, actor, target, "to_owner")
        c.transfer(target, reason, actor, now)

    return change(uow, number, expected_version, action, now)


def escalate(
    uow: UnitOfWork,
    number: str,
    reason: str,
    actor: str,
    *,
    to_level: int | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    now = now or utcnow()
    return change(
        uow, number, expected_version, lambda c: c.escalate(actor, now, reason, to_level=to_level), now
    )


def make_promise(
    uow: UnitOfWork,
    number: str,
    what: str,
    due_at: datetime,
    actor: str,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    now = now or utcnow()
    time_bounds.check_due(due_at, now, "due_at", "承诺时间")

    def action(c: Complaint) -> None:
        c.make_promise(what, due_at, actor, now)
        sla_service.start_promise_clock(uow, c, c.promises[-1], now)

    return change(uow, number, expected_version, action, now)


def resolve_promise(
    uow: UnitOfWork,
    number: str,
    index: int,
    kept: bool,
    actor: str,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    now = now or utcnow()
    return change(uow, number, expected_version, lambda c: c.resolve_promise(index, kept, actor, now), now)


def sign_off(
    uow: UnitOfWork,
    number: str,
    satisfied: bool,
    reason: str | None,
    actor: str,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    now = now or utcnow()
    return change(uow, number, expected_version, lambda c: c.sign_off(satisfied, reason, actor, now), now)


def schedule_follow_up(
    uow: UnitOfWork,
    number: str,
    due: datetime,
    actor: str,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    now = now or utcnow()
    time_bounds.check_due(due, now, "due", "回访时间")
    return change(uow, number, expected_version, lambda c: c.schedule_follow_up(due, actor, now), now)


def complete_follow_up(
    uow: UnitOfWork,
    number: str,
    outcome: str,
    actor: str,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    now = now or utcnow()
    return change(uow, number, expected_version, lambda c: c.complete_follow_up(outcome, actor, now), now)


def reopen(
    uow: UnitOfWork,
    number: str,
    reason: str,
    actor: str,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    now = now or utcnow()
    return change(uow, number, expected_version, lambda c: c.reopen(reason, actor, now), now)


def record_facts(
    uow: UnitOfWork,
    number: str,
    facts: dict[str, Any],
    actor: str,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Store what the agent established; the policy engine validates it first (bad facts name the field)."""
    now = now or utcnow()
    if not isinstance(facts, dict) or not facts:
        raise InvalidInput("facts 必须是非空的 JSON 对象", field="facts")
    check_json(facts, "facts")  # NaN, 1e400 or deep nesting: refused naming the path, never stored
    from complaintdesk.policy import parse_facts

    parse_facts(facts, today=now.astimezone(LOCAL_TZ).date())
    return change(uow, number, expected_version, lambda c: c.record_facts(facts, actor, now), now)

