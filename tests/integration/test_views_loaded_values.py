"""The detail view reads a complaint's and a customer's values from their instance dicts
(``views.loaded_values``) instead of through the ORM's attributes: the view must be the one the attributes
give, for complaints with children of every kind, read by number or just opened, and with attributes
expired (which the attributes load again)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import inspect

from complaintdesk.services import views
from complaintdesk.services.bootstrap import Desk, open_desk
from complaintdesk.services.views import _DETAIL_FIELDS, complaint_detail, loaded_values
from tests.builders import open_complaint


def _through_attributes(obj: object, names: frozenset[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


def _both_ways(complaint: Any, customer: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    fast = complaint_detail(complaint, customer, reveal_phone=True)
    with monkeypatch.context() as patched:
        patched.setattr(views, "loaded_values", _through_attributes)
        slow = complaint_detail(complaint, customer, reveal_phone=True)
    return fast, slow


def test_demo_complaints_read_by_number_show_the_view_their_attributes_give(
    database_url: str, demo_db: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    desk = open_desk(database_url)
    shown: set[str] = set()
    try:
        for number in demo_db:
            uow = desk.uow()
            with uow.reading():
                complaint = uow.complaints.get(number)
                customer = uow.customers.get(complaint.customer_id)
                _through_attributes(complaint, _DETAIL_FIELDS)  # children loaded: the dict's path is taken
                assert complaint.__dict__.keys() >= _DETAIL_FIELDS
                fast, slow = _both_ways(complaint, customer, monkeypatch)
                assert fast == slow
                shown.update(k for k in ("messages", "transfers", "promises", "tasks") if fast[k])
        assert shown == {"messages", "transfers", "promises", "tasks"}  # children of each kind were shown
    finally:
        desk.engine.dispose()


def test_an_expired_attribute_is_loaded_again_as_the_attribute_loads_it(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    number = open_complaint(desk)["number"]
    uow = desk.uow()
    with uow.reading():
        complaint = uow.complaints.get(number)
        customer = uow.customers.get(complaint.customer_id)
        before = complaint_detail(complaint, customer, reveal_phone=True)
        uow.session.expire(complaint, ["title", "messages", "updated_at"])
        assert not complaint.__dict__.keys() >= _DETAIL_FIELDS
        fast, slow = _both_ways(complaint, customer, monkeypatch)
        assert fast == slow == before
        assert not inspect(complaint).expired_attributes  # loaded again, as the attributes load them


def test_a_new_complaints_values_are_its_attributes(desk: Desk) -> None:
    shown = open_complaint(desk, title="宽带被停机")
    assert shown["title"] == "宽带被停机" and shown["messages"] == [] and shown["version"] == 1
    uow = desk.uow()
    with uow.reading():
        complaint = uow.complaints.get(shown["number"])
        values = loaded_values(complaint, _DETAIL_FIELDS)
        assert {name: values[name] for name in _DETAIL_FIELDS} == _through_attributes(complaint, _DETAIL_FIELDS)
