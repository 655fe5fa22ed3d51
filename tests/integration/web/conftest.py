"""A pages-only app over a fresh database with the demo data and known passwords."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from web_site_helpers import Site

from complaintdesk.api.app import create_app
from tests.demo_template import DemoTemplates


@pytest.fixture
def site(database_url: str, demo_templates: DemoTemplates) -> Iterator[Site]:
    """Over SQLite, and over PostgreSQL too when COMPLAINTDESK_TEST_DATABASE_URL is set. The demo
    (accounts, admin included) is loaded once per session and copied into this test's database."""
    desk, numbers = demo_templates.open_copy(database_url)
    with TestClient(create_app(desk)) as client:
        yield Site(desk, client, list(numbers))
    desk.engine.dispose()
