from __future__ import annotations

from collections.abc import Iterator

import pytest

from complaintdesk.services.bootstrap import Desk, open_desk


@pytest.fixture
def desk(database_url: str) -> Iterator[Desk]:
    d = open_desk(database_url)
    yield d
    d.engine.dispose()
