"""An audit event's hash is the SHA-256 of its canonical JSON, however it is assembled.

The database (PostgreSQL, migration 0006) assembles the body as head + link; these pin that the
assembly gives the very body the chain was defined on, so chains written before and after verify.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from complaintdesk.domain.audit import (
    GENESIS_HASH,
    canonical_json,
    chain_link,
    compute_hash,
    hash_head,
    seal,
    verify_chain,
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


def _defined_hash(seq: int, prev: str, number: str | None, kind: str, actor: str, at: datetime, payload: Any) -> str:
    body = {
        "seq": seq,
        "prev": prev,
        "complaint": number,
        "kind": kind,
        "actor": actor,
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "payload": payload,
    }
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


@given(
    seq=st.integers(min_value=1, max_value=10**9),
    number=st.none() | st.text(max_size=24),
    kind=st.text(max_size=20),
    actor=st.text(max_size=20),
    payload=st.dictionaries(st.text(max_size=10), json_values, max_size=4),
)
def test_head_plus_link_is_the_canonical_body(
    seq: int, number: str | None, kind: str, actor: str, payload: dict[str, Any]
) -> None:
    at = datetime(2026, 11, 23, 9, 30, 0, 123456, tzinfo=timezone(timedelta(hours=8)))
    prev = hashlib.sha256(b"previous").hexdigest()
    head = hash_head(number, kind, actor, at, payload)
    assert head + chain_link(prev, seq) == canonical_json(
        {"seq": seq, "prev": prev, "complaint": number, "kind": kind, "actor": actor,
         "at": "2026-11-23T01:30:00.123456+00:00", "payload": payload}
    )  # fmt: skip
    assert compute_hash(seq, prev, number, kind, actor, at, payload) == _defined_hash(
        seq, prev, number, kind, actor, at, payload
    )


def test_hostile_payload_seals_and_verifies() -> None:
    at = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    payload = {"text": '<script>alert("x")</script>\'; DROP TABLE audit_events; --\x00\x07\u2028繁體', "n": 1.5}
    first = seal(1, GENESIS_HASH, "TS-20261123-000001", "opened", "li_agent", at, payload)
    second = seal(2, first.hash, None, "user_added", "admin", at, {})
    assert verify_chain([first, second]).ok
    assert first.hash == _defined_hash(1, GENESIS_HASH, "TS-20261123-000001", "opened", "li_agent", at, payload)


def test_a_non_finite_number_is_never_sealed_into_the_chain() -> None:
    import math

    import pytest

    from complaintdesk.domain.errors import InvalidInput

    at = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    for bad in (math.nan, math.inf, 2**70):
        with pytest.raises(InvalidInput) as refused:
            seal(1, GENESIS_HASH, None, "facts_recorded", "li_agent", at, {"facts": {"billing": {"monthly_fee": bad}}})
        assert refused.value.field == "payload.facts.billing.monthly_fee"


def test_verify_names_every_broken_event_not_only_the_first() -> None:
    import dataclasses

    at = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    chain = []
    prev = GENESIS_HASH
    for seq in range(1, 11):
        record = seal(seq, prev, None, "login", "li_agent", at, {"n": seq})
        chain.append(record)
        prev = record.hash
    chain[2] = dataclasses.replace(chain[2], payload={"n": 99})  # edited in place
    del chain[6]  # #7 deleted
    verdict = verify_chain(chain)
    assert not verdict.ok and verdict.checked == 9
    assert [b.seq for b in verdict.breaks] == [3, 8] and verdict.break_count == 2
    assert "内容" in verdict.breaks[0].reason and "#7" in verdict.breaks[1].reason
    assert verdict.to_dict()["breaks"][1]["seq"] == 8
