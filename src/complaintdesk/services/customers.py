"""Customers and their complaint history (seed 003: every complaint of a customer in one place)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import exists, select

from complaintdesk.domain.errors import InvalidInput, NotFound
from complaintdesk.domain.model import Customer, normalise_phone
from complaintdesk.services import queue
from complaintdesk.services.unit_of_work import UnitOfWork
from complaintdesk.services.views import customer_view
from complaintdesk.storage import orm

HISTORY_LIMIT = 200  # the newest complaints shown; ``more`` says when there are older ones


def get_customer(
    uow: UnitOfWork, customer_id: int, *, owners: Collection[str] | None = None, reveal_phone: bool = False
) -> dict[str, Any]:
    """A customer and their complaints, newest first; only the caller's queue when ``owners`` is given.

    A scoped caller (``owners``) sees a customer only through a complaint they may see, exactly as the
    customer list and the complaints refuse them otherwise; an out-of-scope customer reads as unknown."""
    with uow.reading():
        if owners is not None and not _has_complaint_of(uow, customer_id, owners):
            raise NotFound(f"客户 {customer_id} 不存在", field="customer_id")
        data = customer_view(uow.customers.get(customer_id), reveal_phone=reveal_phone)
    history = queue.list_for_owners(uow, queue.QueueQuery(customer_id=customer_id, limit=HISTORY_LIMIT), owners)
    items = history.summaries
    data["complaints"] = items
    data["complaint_count"] = len(items)
    data["open_complaints"] = sum(1 for c in items if c["stage"] != "closed")
    data["repeat_complaints"] = sum(1 for c in items if c["repeat"])
    data["more"] = history.next_cursor is not None
    return data


def _has_complaint_of(uow: UnitOfWork, customer_id: int, owners: Collection[str]) -> bool:
    c = orm.complaints.c
    query = select(exists().where(c.customer_id == customer_id, c.owner.in_(list(owners)), c.import_id.is_(None)))
    return bool(uow.customers.session.execute(query).scalar())


def find_by_phone(
    uow: UnitOfWork, phone: str, *, owners: Collection[str] | None = None, reveal_phone: bool = False
) -> list[dict[str, Any]]:
    """The customers on this line (any spelling: spaces, +86, brackets), by the phone index; a scoped
    caller (``owners``) finds only customers with a complaint they may see."""
    number = normalise_phone(phone)
    with uow.reading():
        found = uow.customers.with_phone(number)
        if owners is not None:
            found = [c for c in found if c.id is not None and _has_complaint_of(uow, c.id, owners)]
        return [customer_view(c, reveal_phone=reveal_phone) for c in found]


def list_customers(uow: UnitOfWork, *, limit: int = 100, reveal_phone: bool = False) -> list[dict[str, Any]]:
    if not 1 <= limit <= 1000:
        raise InvalidInput("limit 必须在 1 到 1000 之间", field="limit")
    with uow.reading():
        rows = uow.customers.session.scalars(select(Customer).order_by(orm.customers.c.id).limit(limit))
        return [customer_view(c, reveal_phone=reveal_phone) for c in rows]
