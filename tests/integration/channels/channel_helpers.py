"""Helpers of the channel tests: a complaint opened and driven through the workflow by the services."""

from __future__ import annotations

from sqlalchemy import select

from complaintdesk.services import commands
from complaintdesk.services import complaints as svc
from complaintdesk.services.bootstrap import Desk
from complaintdesk.services.handlers import handle
from complaintdesk.storage.orm import complaints


def open_complaint(desk: Desk, description: str = "宽带欠费不到30天被停机,要求马上恢复。") -> str:
    cmd = svc.OpenComplaint(
        customer_name="王先生", phone="13800138000", title="宽带被停机", description=description, actor="alice"
    )
    return str(svc.open_complaint(desk.uow(), cmd)["number"])


def drive_to_acting(desk: Desk, number: str) -> None:
    """Through the workflow to the stage where the customer is asked to sign off."""
    handle(desk.uow(), commands.Move(number=number, stage="proposing", actor="alice"))
    handle(desk.uow(), commands.Propose(number=number, solution="恢复宽带并减免停机期间的月租", actor="alice"))
    handle(desk.uow(), commands.Move(number=number, stage="acting", actor="alice"))


def numbers(desk: Desk) -> list[str]:
    """Every complaint's number, oldest first."""
    with desk.uow().reading() as uow:
        return list(uow.users.session.execute(select(complaints.c.number).order_by(complaints.c.id)).scalars())
