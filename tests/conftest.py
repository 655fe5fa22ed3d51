"""Shared fixtures: a fresh database per test, on SQLite and — when
COMPLAINTDESK_TEST_DATABASE_URL is set — on PostgreSQL too."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from complaintdesk.services import calendar_service
from complaintdesk.settings import get_settings

PG_URL = os.environ.get("COMPLAINTDESK_TEST_DATABASE_URL")


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test touches the user's real data directory; embeddings off unless a test asks."""
    monkeypatch.setenv("COMPLAINTDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("COMPLAINTDESK_DATABASE_URL", raising=False)
    monkeypatch.setenv("COMPLAINTDESK_REPEAT_USE_EMBEDDINGS", "false")
    get_settings.cache_clear()
    calendar_service.invalidate_cache()
    yield
    get_settings.cache_clear()
    calendar_service.invalidate_cache()


def _pg_schema_url(base: str) -> Iterator[str]:
    """A private schema on the test PostgreSQL database, dropped afterwards."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(
        base.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    url = f"{base}{sep}options=-csearch_path%3D{schema}"
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


DB_KINDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


@pytest.fixture(params=DB_KINDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
    else:
        assert PG_URL is not None
        yield from _pg_schema_url(PG_URL)
