"""Fixtures shared by the analysis tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from complaintdesk.analysis import learned


@pytest.fixture
def cues_only() -> Iterator[None]:
    """The cue scan alone: the learned layer off for the test, back to the shipped model after it."""
    learned.disable()
    yield
    learned.use(None)
