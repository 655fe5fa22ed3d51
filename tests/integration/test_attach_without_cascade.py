"""Objects written or read by hand join the session as ``session.add`` would put them there
(``row_loading.attach``): what they are given to attach is exactly what the mapper's save-update cascade
finds, they are persistent and clean, and a later change to them is flushed."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import inspect, select

from complaintdesk.domain.model import Complaint, Customer
from complaintdesk.domain.records import Message
from complaintdesk.domain.vocab import Channel, MessageKind, Segment
from complaintdesk.services.bootstrap import Desk
from complaintdesk.storage import orm
from complaintdesk.storage.repository import ComplaintRepository, CustomerRepository
from tests.builders import open_number

AT = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)


def _cascaded(instance: object) -> list[object]:
    state = inspect(instance)
    return [found for found, *_ in state.mapper.cascade_iterator("save-update", state)]


def _intake(session: object, earlier: tuple[str, ...]) -> Complaint:
    customers, complaints = CustomerRepository(session), ComplaintRepository(session)  # type: ignore[arg-type]
    customer, _ = customers.find_or_add(customers.new("王女士", "13812345678", Segment.REGULAR, created_at=AT))
    assert customer.id is not None
    complaint = complaints.new(
        number="TS-20260301-000009", customer_id=customer.id, channel=Channel.PHONE, title="宽带被停机",
        description="欠费不到30天就停机了", opened_at=AT, opened_by="li_agent",
    )  # fmt: skip
    for number in earlier:
        complaint.link_repeat(number, 0.5, "字符相似度 0.50", "li_agent", AT)
    complaints.add(complaint, [])
    return complaint


def test_an_intake_with_repeat_links_attaches_exactly_what_the_cascade_finds(desk: Desk) -> None:
    with desk.session_factory() as session:
        complaint = _intake(session, ("TS-20260228-000001", "TS-20260228-000002"))
        assert _cascaded(complaint) == complaint.repeat_links and len(complaint.repeat_links) == 2
        for member in (complaint, *complaint.repeat_links):
            state = inspect(member)
            assert state.persistent and state.session is session and not state.modified
        assert not session.new and not session.dirty
        customer = session.get(Customer, complaint.customer_id)
        assert customer is not None and inspect(customer).persistent and _cascaded(customer) == []
        complaint.messages.append(Message(MessageKind.NOTE, "li_agent", "已回电", AT))
        session.commit()
    with desk.engine.connect() as conn:
        bodies = conn.scalars(select(orm.messages.c.body)).all()
        links = conn.scalars(select(orm.repeat_links.c.earlier_number).order_by(orm.repeat_links.c.id)).all()
    assert bodies == ["已回电"] and links == ["TS-20260228-000001", "TS-20260228-000002"]


def test_a_complaint_read_by_number_has_nothing_for_a_cascade_to_find(desk: Desk) -> None:
    number = open_number(desk)
    with desk.session_factory() as session:
        complaint = ComplaintRepository(session).get(number, with_clocks=True)
        assert _cascaded(complaint) == []
        assert inspect(complaint).persistent and inspect(complaint).session is session
        complaint.owner = "zhang_lead"
        assert complaint in session.dirty
        session.commit()
    with desk.engine.connect() as conn:
        owner = conn.scalar(select(orm.complaints.c.owner).where(orm.complaints.c.number == number))
    assert owner == "zhang_lead"
