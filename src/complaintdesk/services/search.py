"""Finding complaints: scoped queue listing with cursor pagination, customers with their history,
and Chinese full-text search (see ``search_text``)."""

from __future__ import annotations

import base64
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import exists, select

from complaintdesk.domain.errors import InvalidInput
from complaintdesk.domain.model import Complaint, Customer
from complaintdesk.domain.vocab import Category, Channel, Priority, Stage, parse_enum
from complaintdesk.services.unit_of_work import UnitOfWork
from complaintdesk.services.views import complaint_summary, customer_view
from complaintdesk.storage import orm
from complaintdesk.storage.repository import ComplaintFilter

SLA_STATES = ("breached", "on_track", "none")


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"c:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, _, value = raw.partition(":")
        if prefix != "c":
            raise ValueError(raw)
        return int(value)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput("分页游标无效,请使用上一页返回的 next_cursor", field="cursor") from None


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    next_cursor: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"items": self.items, "next_cursor": self.next_cursor}


def _validate(flt: ComplaintFilter, sla_state: str | None) -> None:
    if flt.stage:
        parse_enum(Stage, flt.stage, "stage")
    if flt.category:
        parse_enum(Category, flt.category, "category")
    if flt.channel:
        parse_enum(Channel, flt.channel, "channel")
    if flt.priority:
        parse_enum(Priority, flt.priority, "priority")
    if sla_state is not None and sla_state not in SLA_STATES:
        raise InvalidInput(f"sla_state 可选: {', '.join(SLA_STATES)}", field="sla_state")
    if not 1 <= flt.limit <= 200:
        raise InvalidInput("limit 必须在 1 到 200 之间", field="limit")
    for name in ("opened_from", "opened_to"):
        value = getattr(flt, name)
        if value is not None and value.tzinfo is None:
            raise InvalidInput(f"{name} 必须带时区", field=name)


def list_visible(
    uow: UnitOfWork,
    flt: ComplaintFilter,
    *,
    owners: Collection[str] | None = None,
    sla_state: str | None = None,
    now: datetime | None = None,
) -> Page:
    """One page of the queue, newest first. ``owners`` limits it to a person's own and team queue."""
    _validate(flt, sla_state)
    now = now or datetime.now(UTC)
    c = orm.complaints.c
    clocks = orm.sla_clocks.c
    query = select(Complaint)
    for column, value in (
        (c.stage, flt.stage),
        (c.owner, flt.owner),
        (c.category, flt.category),
        (c.channel, flt.channel),
        (c.priority, flt.priority),
        (c.customer_id, flt.customer_id),
    ):
        if value is not None and value != "":
            query = query.where(column == value)
    if flt.opened_from is not None:
        query = query.where(c.opened_at >= flt.opened_from)
    if flt.opened_to is not None:
        query = query.where(c.opened_at < flt.opened_to)
    if flt.open_only:
        query = query.where(c.stage != Stage.CLOSED.value)
    if owners is not None:
        query = query.where(c.owner.in_(sorted(owners)))
    if sla_state is not None:
        running = exists().where(clocks.complaint_number == c.number).where(clocks.active.is_(True))
        late = running.where(clocks.due_at < now)
        if sla_state == "breached":
            query = query.where(late)
        elif sla_state == "on_track":
            query = query.where(running).where(~late)
        else:
            query = query.where(~running)
    if flt.after_id is not None:
        query = query.where(c.id < flt.after_id)
    query = query.order_by(c.id.desc()).limit(flt.limit + 1)
    with uow:
        rows = list(uow.complaints.session.scalars(query))
        more = len(rows) > flt.limit
        rows = rows[: flt.limit]
        customers = {r.customer_id: uow.customers.get(r.customer_id) for r in rows}
        items = [complaint_summary(r, customers[r.customer_id]) for r in rows]
        last_id = rows[-1].id if rows and more else None
    return Page(items, encode_cursor(last_id) if last_id is not None else None)


def complaint_owner(uow: UnitOfWork, number: str) -> str:
    with uow:
        return str(uow.complaints.get(number).owner)


def get_customer(
    uow: UnitOfWork, customer_id: int, *, owners: Collection[str] | None = None, reveal_phone: bool = False
) -> dict[str, Any]:
    """A customer and their complaint history (limited to the caller's queue when ``owners`` is given)."""
    with uow:
        customer = uow.customers.get(customer_id)
        data = customer_view(customer, reveal_phone=reveal_phone)
    history = list_visible(uow, ComplaintFilter(customer_id=customer_id, limit=200), owners=owners)
    data["complaints"] = history.items
    data["complaint_count"] = len(history.items)
    data["more"] = history.next_cursor is not None
    return data


def list_customers(uow: UnitOfWork, *, limit: int = 100, reveal_phone: bool = False) -> list[dict[str, Any]]:
    if not 1 <= limit <= 1000:
        raise InvalidInput("limit 必须在 1 到 1000 之间", field="limit")
    with uow:
        rows = uow.customers.session.scalars(select(Customer).order_by(orm.customers.c.id).limit(limit))
        return [customer_view(c, reveal_phone=reveal_phone) for c in rows]
