"""The suite hashes with cheap argon2 parameters (tests/conftest.py); production must not."""

from __future__ import annotations

from argon2 import extract_parameters

from complaintdesk.services import accounts
from tests.conftest import PRODUCTION_DUMMY_HASH, PRODUCTION_HASHER


def test_production_password_hashes_use_strong_argon2_parameters() -> None:
    # OWASP's floor for argon2id: 19 MiB of memory and two passes.
    for stored in (PRODUCTION_HASHER.hash("correct-horse-1"), PRODUCTION_DUMMY_HASH):
        params = extract_parameters(stored)
        assert params.type.name == "ID"
        assert params.memory_cost >= 19 * 1024
        assert params.time_cost >= 2


def test_the_suite_hashes_with_cheap_parameters_everywhere() -> None:
    assert extract_parameters(accounts._hasher.hash("correct-horse-1")).memory_cost <= 1024
