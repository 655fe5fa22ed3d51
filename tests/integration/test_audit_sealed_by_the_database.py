"""Events sealed where they are stored (in one PostgreSQL statement; in Python on SQLite) verify
with the chain's Python definition, whatever their payload holds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from complaintdesk.domain.model import DomainEvent
from complaintdesk.services import audit_service
from complaintdesk.services import complaints as svc
from complaintdesk.services.bootstrap import Desk

HOSTILE = '<script>alert("1")</script>\'; DROP TABLE audit_events; -- \x07\x1b\u2028 退錢!!! \\"'


def test_hostile_events_written_in_one_transaction_verify(desk: Desk) -> None:
    opened = svc.open_complaint(
        desk.uow(),
        svc.OpenComplaint(customer_name="王女士", phone="13900000001", title=HOSTILE, description=HOSTILE, actor="li_agent"),
    )
    east8 = timezone(timedelta(hours=8))
    with desk.uow() as uow:
        for i, payload in enumerate(
            [
                {"text": HOSTILE, "nested": {"list": [1, 2.5, None, True, "繁體"]}},
                {},
                {"big": 10**15, "float": 0.1 + 0.2, "quote": '"', "key with space": "x"},
            ]
        ):
            at = datetime(2026, 11, 23, 9, 30, i, 654321, tzinfo=east8)
            uow.record_event(opened["number"] if i != 1 else None, DomainEvent("note", "李坐席", at, payload))
        appended = uow.audit.append(uow._collect_events())  # type: ignore[attr-defined]
        uow.session.commit()  # type: ignore[attr-defined]
    verdict = audit_service.verify(desk.uow())
    assert verdict.ok, verdict
    with desk.uow() as uow:
        stored = list(uow.audit.iter_all())
    assert stored[-3:] == appended
    assert stored[-3].payload["text"] == HOSTILE
    assert stored[-3].at == datetime(2026, 11, 23, 1, 30, 0, 654321, tzinfo=UTC)
    assert [r.prev_hash for r in stored[1:]] == [r.hash for r in stored[:-1]]
