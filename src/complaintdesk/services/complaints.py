"""Intake and reading of complaints, and ``change``: the one way a workflow command (``services.handlers``)
changes a complaint. Each runs inside one unit of work and commits whole or not at all."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from complaintdesk.analysis.escalation import active_escalation
from complaintdesk.domain.errors import StaleWrite
from complaintdesk.domain.model import Complaint, Customer
from complaintdesk.domain.vocab import (
    Category,
    Channel,
    Demand,
    Priority,
    Segment,
    parse_enum,
)
from complaintdesk.services import owners, reading, routing, sla_service, time_bounds
from complaintdesk.services.unit_of_work import UnitOfWork
from complaintdesk.services.views import complaint_detail
from complaintdesk.settings import get_settings, local_zone

if TYPE_CHECKING:
    from complaintdesk.analysis import Analysis


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
    route: bool = False  # no owner given: the routing rules (data/routing.yaml) choose one, if any match
    actor: str = "system"
    opened_at: datetime | None = None
    analyse: bool = True
    detect_repeats: bool = True
    extra_messages: list[dict[str, Any]] = field(default_factory=list)


def _priority_from_analysis(analysis: Analysis) -> Priority:
    """The priority mapping of the escalation file in force (threat kinds and risk to a priority)."""
    kinds = {t.kind for t in analysis.threats}
    return Priority(active_escalation().priority_for(kinds, analysis.escalation_risk.score))


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
    customer: Customer | None = None,
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
        analysis = reading.read(cmd.description, opened_at.astimezone(local_zone()).date())
        if category is None:
            category = Category(analysis.category.label)
        if not demands:
            demands = [d.kind for d in analysis.demands]
        if priority is None:
            priority = _priority_from_analysis(analysis)

    # ``customer``: one the channel already knows (a mail's sender, by address); else by phone and name.
    probe = customer or uow.customers.new(cmd.customer_name, cmd.phone, segment, created_at=now)  # validates both
    number = uow.complaints.next_number(opened_at.astimezone(local_zone()).date())
    owner = (cmd.owner or "").strip() or None
    if cmd.owner:  # after the draw, which must be the transaction's first statement (see above)
        owners.check_owner(uow, cmd.actor, cmd.owner.strip(), "owner")
    elif cmd.route:
        owner = routing.owner_for_mail(uow, (category or Category("other")).value)
    # The customer, and whether they are new (a new customer has no earlier complaint to repeat).
    if customer is None:
        customer, is_new = uow.customers.find_or_add(probe)
    elif is_new := customer.id is None:
        uow.customers.add(customer)
    assert customer.id is not None
    repeats: list[reading.RepeatHit] = []
    if cmd.detect_repeats and not is_new:
        window = timedelta(days=get_settings().repeat_window_days)  # COMPLAINTDESK_REPEAT_WINDOW_DAYS
        earlier = uow.complaints.repeat_candidates(customer.id, opened_at - window)
        repeats = reading.find_repeats(f"{cmd.title.strip()}。{cmd.description.strip()}", earlier)
    complaint = uow.complaints.new(  # Complaint(…), without the ORM's per-attribute bookkeeping
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
        owner=owner,
    )
    if analysis is not None:  # stored as its JSON contract, read back by the views and the trainer
        complaint.record_analysis(analysis.to_dict(), cmd.actor, opened_at)
    for match in repeats:
        complaint.link_repeat(match.candidate_id, match.score, match.reason, cmd.actor, opened_at)
    uow.complaints.add(complaint, sla_service.intake_clocks(uow, complaint.number, segment, opened_at))
    return complaint, customer


def _load(uow: UnitOfWork, number: str, expected_version: int | None) -> Complaint:
    complaint = uow.complaints.get(number, with_clocks=True)  # sla_service.on_complaint_changed reads them
    if expected_version is not None and complaint.version != expected_version:
        raise StaleWrite(
            f"投诉单 {number} 已被他人修改（当前版本 {complaint.version}，你的版本 {expected_version}），请刷新后重试",
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
