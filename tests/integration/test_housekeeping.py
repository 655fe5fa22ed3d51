"""The server's background round: SLA sweep and webhook delivery, once per round."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from complaintdesk.services import audit_service
from complaintdesk.services import complaints as svc
from complaintdesk.services.bootstrap import Desk
from complaintdesk.services.housekeeping import Housekeeper


def test_a_housekeeping_round_reports_a_breached_complaint_once_without_escalating_it(desk: Desk) -> None:
    long_ago = datetime.now(UTC) - timedelta(days=30)
    cmd = svc.OpenComplaint("王女士", "13812345678", "宽带", "宽带停机了", actor="a", opened_at=long_ago, analyse=False)
    number = svc.open_complaint(desk.uow(), cmd, now=long_ago)["number"]
    sent: list[str] = []

    def sender(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str | None]:
        sent.append(url)
        return 200, None

    keeper = Housekeeper(desk, interval=3600, sender=sender)
    keeper.run_once()
    # Three clocks past 150%: two breach reports each (100%, 150%), and no level jumped (issue 23: the
    # owner and the lead are told; a person escalates, naming who takes it).
    def breaches() -> int:
        return sum(1 for e in audit_service.trail(desk.uow(), number) if e["kind"] == "sla_breach")

    assert svc.get_complaint(desk.uow(), number)["escalation_level"] == 0
    assert breaches() == 6
    keeper.run_once()
    assert breaches() == 6  # once per threshold, not once per round
