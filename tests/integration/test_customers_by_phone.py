"""Finding the customers on a caller's line: by the phone index, whatever the spelling, however many."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert

from complaintdesk.services import customers
from complaintdesk.services.bootstrap import Desk
from complaintdesk.storage import orm


def test_a_caller_is_found_among_more_than_a_thousand_customers(desk: Desk) -> None:
    # The lookup used to read the first 1,000 customers and filter them in Python.
    now = datetime.now(UTC)
    rows = [{"name": f"客户{i}", "phone": f"139{i:08d}", "segment": "regular", "created_at": now} for i in range(1200)]
    with desk.engine.begin() as conn:
        conn.execute(insert(orm.customers), rows)
    found = customers.find_by_phone(desk.uow(), "+86 139 0000 1150")
    assert [(c["name"], c["phone"]) for c in found] == [("客户1150", "139****1150")]
    assert customers.find_by_phone(desk.uow(), "(139)00001150", reveal_phone=True)[0]["phone"] == "13900001150"


def test_everyone_sharing_a_line_is_listed(desk: Desk) -> None:
    now = datetime.now(UTC)
    with desk.engine.begin() as conn:
        conn.execute(insert(orm.customers), [
            {"name": name, "phone": "13812345678", "segment": "regular", "created_at": now} for name in ("王女士", "王先生")
        ])  # fmt: skip
    assert [c["name"] for c in customers.find_by_phone(desk.uow(), "13812345678")] == ["王女士", "王先生"]


def test_a_second_intake_of_one_customer_finds_the_customer_the_first_created(desk: Desk) -> None:
    from complaintdesk.services import complaints as svc

    def open_one(text: str) -> dict[str, Any]:
        command = svc.OpenComplaint(customer_name="赵先生", phone="13912345678", title="宽带停机", description=text)
        return svc.open_complaint(desk.uow(), command)

    first, second = open_one("宽带停机了三天"), open_one("今天又停机了")
    assert first["customer"]["id"] == second["customer"]["id"]
    with desk.uow() as uow:
        assert [c.id for c in uow.customers.with_phone("13912345678")] == [first["customer"]["id"]]
