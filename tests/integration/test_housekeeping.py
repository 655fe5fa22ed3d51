"""The server's background round: SLA sweep and webhook delivery, once per round."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from complaintdesk.services import complaints as svc
from complaintdesk.services.bootstrap import Desk
from complaintdesk.services.housekeeping import Housekeeper


def test_a_housekeeping_round_escalates_a_breached_complaint(desk: Desk) -> None:
    long_ago = datetime.now(UTC) - timedelta(days=30)
    cmd = svc.OpenComplaint("王女士", "13812345678", "宽带", "宽带停机了", actor="a", opened_at=long_ago, analyse=False)
    number = svc.open_complaint(desk.uow(), cmd, now=long_ago)["number"]
    sent: list[str] = []

    def sender(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str | None]:
        sent.append(url)
        return 200, None

    keeper = Housekeeper(desk, interval=3600, sender=sender)
    keeper.run_once()
    # Three clocks past 150%: one level per threshold crossed, but a timer stops at head office (3);
    # level 4 (external regulator) is recorded by a person, never by the sweep.
    assert svc.get_complaint(desk.uow(), number)["escalation_level"] == 3
    trail_before = len(svc.get_complaint(desk.uow(), number)["transfers"])
    keeper.run_once()
    assert svc.get_complaint(desk.uow(), number)["escalation_level"] == 3
    assert len(svc.get_complaint(desk.uow(), number)["transfers"]) == trail_before
