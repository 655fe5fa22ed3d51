"""A pages-only app over a fresh SQLite database with the demo data and known passwords."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from web_site_helpers import Site

from complaintdesk.api.app import create_app
from complaintdesk.services import demo
from complaintdesk.services.bootstrap import open_desk


@pytest.fixture
def site(database_url: str) -> Iterator[Site]:
    """Over SQLite, and over PostgreSQL too when COMPLAINTDESK_TEST_DATABASE_URL is set."""
    desk = open_desk(database_url)
    result = demo.load_demo(desk.uow, now=datetime.now(UTC))  # demo accounts, admin included
    with TestClient(create_app(desk)) as client:
        yield Site(desk, client, result.numbers)
    desk.engine.dispose()
