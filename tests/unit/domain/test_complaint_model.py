"""The complaint entity and its state machine, without any database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from complaintdesk.domain.audit import GENESIS_HASH, seal, verify_chain
from complaintdesk.domain.errors import InvalidInput, WorkflowViolation
from complaintdesk.domain.model import Complaint, mask_phone, normalise_phone
from complaintdesk.domain.vocab import Channel, Stage
from complaintdesk.domain.workflow import allowed_targets, guard_failures

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def _complaint() -> Complaint:
    return Complaint(
        number="TS-20261123-000001",
        customer_id=1,
        channel=Channel.PHONE,
        title="宽带被停机",
        description="欠费不到30天就停机",
        opened_at=T0,
        opened_by="li_agent",
    )


def test_phone_is_masked_as_138_stars_5678() -> None:
    assert mask_phone("13812345678") == "138****5678"
    assert normalise_phone("+86 138 1234 5678") == "13812345678"
    assert normalise_phone("010-62557890") == "010-62557890"
    with pytest.raises(InvalidInput):
        normalise_phone("1234")


def test_a_new_complaint_may_skip_calming_but_not_reach_acting_without_a_proposal() -> None:
    c = _complaint()
    targets = allowed_targets(c)
    assert Stage.CALMING in targets and Stage.CLARIFYING in targets and Stage.PROPOSING in targets
    assert Stage.ACTING not in targets
    assert any("proposal" in p for p in guard_failures(c, Stage.ACTING))


def test_every_transition_is_an_event() -> None:
    c = _complaint()
    c.move_to(Stage.CALMING, "li_agent", T0 + timedelta(minutes=1))
    c.propose("退款", "li_agent", T0 + timedelta(minutes=2))
    c.move_to(Stage.ACTING, "li_agent", T0 + timedelta(minutes=3))
    assert [e.kind for e in c.pending_events] == ["opened", "stage_changed", "solution_proposed", "stage_changed"]
    assert c.pending_events[-1].payload["to"] == "acting"


def test_reopen_is_only_for_finished_work() -> None:
    c = _complaint()
    with pytest.raises(WorkflowViolation):
        c.reopen("再看看", "li_agent", T0)


def test_moving_to_reopened_directly_is_refused() -> None:
    with pytest.raises(WorkflowViolation, match="reopen"):
        _complaint().move_to(Stage.REOPENED, "li_agent", T0)


def test_empty_title_names_the_field() -> None:
    with pytest.raises(InvalidInput) as err:
        Complaint(
            number="TS-1", customer_id=1, channel=Channel.WEB, title="  ", description="x", opened_at=T0, opened_by="a"
        )
    assert err.value.field == "title"


def test_audit_chain_detects_an_edited_payload() -> None:
    first = seal(1, GENESIS_HASH, "TS-1", "opened", "a", T0, {"x": 1})
    second = seal(2, first.hash, "TS-1", "stage_changed", "a", T0, {"to": "calming"})
    assert verify_chain([first, second]).ok
    forged = seal(2, first.hash, "TS-1", "stage_changed", "a", T0, {"to": "closed"})
    edited = type(second)(**{**second.__dict__, "payload": forged.payload})
    verdict = verify_chain([first, edited])
    assert not verdict.ok and verdict.broken_seq == 2


def test_recorded_facts_merge_key_by_key_and_a_null_removes_one() -> None:
    c = _complaint()
    c.record_facts({"purchase_date": "2026-10-02", "product": {"kind": "tv"}}, "li_agent", T0)
    c.record_facts({"user_damage": False, "product": {"kind": "tv", "model": "MT-34F1A"}}, "li_agent", T0)
    assert c.facts == {"purchase_date": "2026-10-02", "product": {"kind": "tv", "model": "MT-34F1A"}, "user_damage": False}
    c.record_facts({"purchase_date": None}, "li_agent", T0)  # no longer established
    assert c.facts == {"product": {"kind": "tv", "model": "MT-34F1A"}, "user_damage": False}
    assert c.pending_events[-1].payload == {"facts": {"purchase_date": None}}  # the audit keeps what was sent
