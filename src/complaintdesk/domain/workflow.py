"""The seven-stage state machine of a complaint and its guards.

accepted → calming → clarifying → proposing → acting → thanking → follow_up → closed, plus reopened.
Forward moves may skip the steps a calm, clear case does not need (calming, clarifying, thanking,
follow_up), never the ones that carry the work: no ``acting`` without a recorded proposal, no
``closed`` without a satisfied sign-off or a written waiver reason. Backwards only by reopening.
"""

from __future__ import annotations

from typing import Protocol

from complaintdesk.domain.errors import WorkflowViolation
from complaintdesk.domain.vocab import STAGE_LABELS_ZH, Stage

ORDER: tuple[Stage, ...] = (
    Stage.ACCEPTED,
    Stage.CALMING,
    Stage.CLARIFYING,
    Stage.PROPOSING,
    Stage.ACTING,
    Stage.THANKING,
    Stage.FOLLOW_UP,
    Stage.CLOSED,
)

# A reopened complaint goes back to work at one of these (seed 003: track until the customer is satisfied).
_FROM_REOPENED = (Stage.CALMING, Stage.CLARIFYING, Stage.PROPOSING, Stage.ACTING)
# Stages that may not be jumped over: the work itself.
_NOT_SKIPPABLE = (Stage.ACTING,)


class _ComplaintState(Protocol):
    @property
    def stage(self) -> Stage: ...
    @property
    def proposal(self) -> str | None: ...
    @property
    def signoff_satisfied(self) -> bool | None: ...
    @property
    def waiver_reason(self) -> str | None: ...
    @property
    def follow_up_due(self) -> object | None: ...


def _label(stage: Stage) -> str:
    return f"{stage.value}({STAGE_LABELS_ZH[stage]})"


def allowed_targets(state: _ComplaintState) -> list[Stage]:
    """Every stage the complaint may move to now, guards included (for the UI's stepper)."""
    facts = _guarded_facts(state)
    found = _ALLOWED.get(facts)
    if found is None:
        # eight guards each building its refusals' wording: about 170,000 instructions, on every view of a
        # complaint; their answer depends only on the facts they read, so it is worked out once per facts
        found = tuple(t for t in Stage if t != Stage.REOPENED and not guard_failures(state, t))
        _ALLOWED[facts] = found
    return list(found)


_Facts = tuple[Stage, bool, bool, bool]
_ALLOWED: dict[_Facts, tuple[Stage, ...]] = {}  # at most 9 stages × 8 combinations


def _guarded_facts(state: _ComplaintState) -> _Facts:
    """Everything ``guard_failures`` reads of a complaint: a guard reading anything else must add it here."""
    return (
        Stage(state.stage),
        bool(state.proposal),
        state.follow_up_due is None,
        bool(state.signoff_satisfied) or bool(state.waiver_reason),
    )


def guard_failures(state: _ComplaintState, target: Stage) -> list[str]:
    """Why ``target`` is not reachable now; empty when it is."""
    current = state.stage
    if target == current:
        return [f"投诉已处于 {_label(current)} 阶段"]
    if current == Stage.CLOSED:
        return ["投诉已结案，只能通过重开继续处理"]
    if current == Stage.REOPENED:
        if target not in _FROM_REOPENED:
            allowed = "、".join(_label(s) for s in _FROM_REOPENED)
            return [f"重开的投诉只能回到 {allowed}"]
        start_index = ORDER.index(Stage.ACCEPTED)
    else:
        start_index = ORDER.index(current)
    target_index = ORDER.index(target)
    if target_index < start_index:
        return [f"不能从 {_label(current)} 回退到 {_label(target)}：需要重开"]
    problems: list[str] = []
    skipped = ORDER[start_index + 1 : target_index]
    for stage in skipped:
        if stage in _NOT_SKIPPABLE:
            problems.append(f"不能跳过 {_label(stage)} 阶段")
    if target_index >= ORDER.index(Stage.ACTING) and not state.proposal:
        problems.append("进入采取行动之前必须先记录解决方案（proposal）")
    if target == Stage.FOLLOW_UP and state.follow_up_due is None:
        problems.append("进入跟踪服务之前必须先安排回访时间")
    if target == Stage.CLOSED and not state.signoff_satisfied and not state.waiver_reason:
        problems.append("结案需要客户满意签字，或写明免签原因（waiver_reason）")
    return problems


def check_transition(state: _ComplaintState, target: Stage) -> None:
    problems = guard_failures(state, target)
    if problems:
        raise WorkflowViolation(";".join(problems), field="stage")


def next_stage(current: Stage) -> Stage | None:
    """The stage after ``current`` in the workflow's order (a reopened complaint goes back to calming);
    None once closed. The one-screen page offers this as its one next move."""
    if current == Stage.CLOSED:
        return None
    if current == Stage.REOPENED:
        return _FROM_REOPENED[0]
    return ORDER[ORDER.index(current) + 1]


def needs_before(state: _ComplaintState, target: Stage) -> tuple[str, ...]:
    """What the agent must give for ``target``'s guard that is not recorded yet: ``proposal`` before
    acting, ``follow_up`` (a time) before follow_up, ``signoff`` before closed (or a waiver)."""
    needs: list[str] = []
    if ORDER.index(target) >= ORDER.index(Stage.ACTING) and not state.proposal:
        needs.append("proposal")
    if target == Stage.FOLLOW_UP and state.follow_up_due is None:
        needs.append("follow_up")
    if target == Stage.CLOSED and not state.signoff_satisfied and not state.waiver_reason:
        needs.append("signoff")
    return tuple(needs)
