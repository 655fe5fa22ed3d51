"""Helpers of the channel tests: a complaint opened and driven through the workflow by the services."""

from __future__ import annotations

from complaintdesk.services import complaints as svc
from complaintdesk.services.bootstrap import Desk


def open_complaint(desk: Desk, description: str = "宽带欠费不到30天被停机,要求马上恢复。") -> str:
    cmd = svc.OpenComplaint(
        customer_name="王先生", phone="13800138000", title="宽带被停机", description=description, actor="alice"
    )
    return str(svc.open_complaint(desk.uow(), cmd)["number"])


def drive_to_acting(desk: Desk, number: str) -> None:
    """Through the workflow to the stage where the customer is asked to sign off."""
    svc.move(desk.uow(), number, "proposing", "alice")
    svc.propose(desk.uow(), number, "恢复宽带并减免停机期间的月租", "alice")
    svc.move(desk.uow(), number, "acting", "alice")
