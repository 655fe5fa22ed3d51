"""Customers and their complaint history (seed 003: every complaint of a customer in one place)."""

from __future__ import annotations

from typing import Any

from complaintdesk.domain.model import normalise_phone
from complaintdesk.services.unit_of_work import UnitOfWork
from complaintdesk.services.views import complaint_summary, customer_view
from complaintdesk.storage.repository import ComplaintFilter


def get_customer(uow: UnitOfWork, customer_id: int, *, reveal_phone: bool = False) -> dict[str, Any]:
    with uow:
        customer = uow.customers.get(customer_id)
        history = uow.complaints.query(ComplaintFilter(customer_id=customer_id, limit=1000))
        data = customer_view(customer, reveal_phone=reveal_phone)
        data["complaints"] = [complaint_summary(c, customer) for c in history]
        data["open_complaints"] = sum(1 for c in history if c.is_open)
        data["repeat_complaints"] = sum(1 for c in history if c.repeat)
        return data


def find_by_phone(uow: UnitOfWork, phone: str, *, reveal_phone: bool = False) -> list[dict[str, Any]]:
    """The customers on this line (any spelling: spaces, +86, brackets), by the phone index."""
    number = normalise_phone(phone)
    with uow:
        return [customer_view(c, reveal_phone=reveal_phone) for c in uow.customers.with_phone(number)]


def list_customers(uow: UnitOfWork, *, limit: int = 100) -> list[dict[str, Any]]:
    with uow:
        return [customer_view(c) for c in uow.customers.all(limit=limit)]
