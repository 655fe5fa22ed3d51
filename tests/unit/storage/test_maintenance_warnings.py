"""A server's start says when PostgreSQL will not keep its planner statistics, in words an operator acts on."""

from __future__ import annotations

from complaintdesk.storage.db import AUTOVACUUM_OFF_WARNING, autovacuum_warning


def test_autovacuum_off_is_warned_with_what_it_costs_and_what_to_do() -> None:
    assert autovacuum_warning("off") == AUTOVACUUM_OFF_WARNING
    assert "VACUUM ANALYZE" in AUTOVACUUM_OFF_WARNING and "队列" in AUTOVACUUM_OFF_WARNING
    assert "," not in AUTOVACUUM_OFF_WARNING and "：" in AUTOVACUUM_OFF_WARNING  # full-width punctuation


def test_autovacuum_on_is_no_warning() -> None:
    assert autovacuum_warning("on") is None
    assert autovacuum_warning(" ON ") is None
