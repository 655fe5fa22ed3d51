"""The one next move the complaint page offers, and what its guard still asks for."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

from complaintdesk.domain.vocab import Stage
from complaintdesk.domain.workflow import ORDER, guard_failures, needs_before, next_stage


def _state(stage: Stage, **kw: object) -> SimpleNamespace:
    base: dict[str, object] = {"proposal": None, "signoff_satisfied": None, "waiver_reason": None, "follow_up_due": None}
    base.update(kw)
    return SimpleNamespace(stage=stage, **base)


def test_next_stage_walks_the_seven_steps_in_order_then_stops_at_closed() -> None:
    walked, stage = [Stage.ACCEPTED], Stage.ACCEPTED
    while (following := next_stage(stage)) is not None:
        walked.append(following)
        stage = following
    assert tuple(walked) == ORDER


def test_a_reopened_complaint_goes_back_to_calming() -> None:
    assert next_stage(Stage.REOPENED) == Stage.CALMING


def test_needs_before_names_what_each_guard_lacks_and_nothing_once_recorded() -> None:
    assert needs_before(_state(Stage.PROPOSING), Stage.ACTING) == ("proposal",)
    assert needs_before(_state(Stage.THANKING, proposal="退款"), Stage.FOLLOW_UP) == ("follow_up",)
    assert needs_before(_state(Stage.FOLLOW_UP, proposal="退款"), Stage.CLOSED) == ("signoff",)
    done = _state(Stage.FOLLOW_UP, proposal="退款", signoff_satisfied=True, follow_up_due=datetime.now(UTC))
    assert needs_before(done, Stage.CLOSED) == () and guard_failures(done, Stage.CLOSED) == []
