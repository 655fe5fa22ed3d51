"""The moves a complaint may make, read once per set of guarded facts, are the moves the guards allow."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import product

from complaintdesk.domain.vocab import Stage
from complaintdesk.domain.workflow import allowed_targets, guard_failures


@dataclass
class _State:
    stage: Stage
    proposal: str | None
    signoff_satisfied: bool | None
    waiver_reason: str | None
    follow_up_due: object | None


def test_allowed_moves_equal_the_guards_answer_for_every_stage_and_every_recorded_fact() -> None:
    for stage, proposal, signoff, waiver, due in product(
        Stage, (None, "", "退款两元每日"), (None, False, True), (None, "", "客户口头同意"),
        (None, datetime(2026, 11, 30, tzinfo=UTC)),
    ):  # fmt: skip
        state = _State(stage, proposal, signoff, waiver, due)
        expected = [t for t in Stage if t != Stage.REOPENED and not guard_failures(state, t)]
        assert allowed_targets(state) == expected, state


def test_a_proposal_recorded_later_opens_acting_though_the_earlier_answer_was_kept() -> None:
    state = _State(Stage.PROPOSING, None, None, None, None)
    assert Stage.ACTING not in allowed_targets(state)
    state.proposal = "免收停机期间月租"
    assert Stage.ACTING in allowed_targets(state)
    allowed_targets(state).clear()  # a caller's list is its own: the kept answer is untouched
    assert Stage.ACTING in allowed_targets(state)


def test_a_stage_stored_as_its_text_allows_the_moves_of_its_stage() -> None:
    as_text = _State("proposing", "退款", None, None, None)  # type: ignore[arg-type]
    assert allowed_targets(as_text) == allowed_targets(_State(Stage.PROPOSING, "退款", None, None, None))
