"""Shared fixtures: a fresh database per test, on SQLite and — when
COMPLAINTDESK_TEST_DATABASE_URL is set — on PostgreSQL too."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from hypothesis import settings as hypothesis_settings

from complaintdesk.analysis import learned
from complaintdesk.services import accounts, bootstrap, calendar_service, demo, reading, webhooks
from complaintdesk.settings import get_settings
from tests.demo_template import DemoTemplates
from tests.schema_pool import PgSchemaPool, schema_url
from tests.schema_template import SchemaTemplates

PG_URL = os.environ.get("COMPLAINTDESK_TEST_DATABASE_URL")

# Property tests check behaviour, not speed: Hypothesis's default 200 ms deadline per example fails them on a loaded
# two-core machine (test_head_plus_link_is_the_canonical_body did, once, in session 16). No test is timed.
hypothesis_settings.register_profile("complaintdesk", deadline=None)
hypothesis_settings.load_profile("complaintdesk")

# The production hasher, kept for the test that checks its parameters are strong.
PRODUCTION_HASHER = accounts._hasher
PRODUCTION_DUMMY_HASH = accounts._DUMMY_HASH


def pytest_collection_finish(session: pytest.Session) -> None:
    """Exempt what every test shares (the collected tests, the analysis engine's lexicons and model,
    jieba's dictionary) from garbage collection, as a server worker does at start (``_settle_heap`` in
    api/app.py): otherwise every full collection walks all of it again. Measured on 389 tests of
    the assist, API and page suites: 45 → 36 s of CPU."""
    if session.config.option.collectonly:
        return
    reading.warm_up()
    gc.collect()
    gc.freeze()


@pytest.fixture(scope="session", autouse=True)
def _cheap_argon2() -> Iterator[None]:
    """argon2 made cheap in every test: production parameters cost ~0.3 s a hash or a login."""
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(accounts, "_hasher", cheap)
        mp.setattr(accounts, "_DUMMY_HASH", cheap.hash("dummy-password"))
        demo._demo_password_hash.cache_clear()  # the demo accounts' shared hash, cheap too
        yield
    demo._demo_password_hash.cache_clear()


@pytest.fixture(scope="session", autouse=True)
def _schema_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SchemaTemplates]:
    """Empty test databases receive a copy of the migrated schema instead of running every migration."""
    templates = SchemaTemplates(tmp_path_factory.mktemp("schema-template"), PG_URL, bootstrap.migrate)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(bootstrap, "migrate", templates.migrate)
        yield templates
    templates.close()


@pytest.fixture(scope="session")
def demo_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoTemplates]:
    """The demo built once per session (per xdist worker), copied into each test's database."""
    templates = DemoTemplates(tmp_path_factory.mktemp("demo-template"), PG_URL)
    yield templates
    templates.close()


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test touches the user's real data directory; embeddings and the start-up warm-up off unless a
    test asks."""
    monkeypatch.setenv("COMPLAINTDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("COMPLAINTDESK_DATABASE_URL", raising=False)
    monkeypatch.setenv("COMPLAINTDESK_REPEAT_USE_EMBEDDINGS", "false")
    # Each test makes its own app: the start-up warm-up would cost every one of them ~0.2 s.
    monkeypatch.setenv("COMPLAINTDESK_WARM_UP_ON_START", "false")
    get_settings.cache_clear()
    calendar_service.invalidate_cache()
    webhooks.clear_subscription_cache()
    yield
    get_settings.cache_clear()
    calendar_service.invalidate_cache()
    webhooks.clear_subscription_cache()
    learned.use(None)  # a test that served a retrained model leaves the shipped one behind


def _pg_schema_url(base: str, pool: PgSchemaPool) -> Iterator[str]:
    """A private schema on the test PostgreSQL database: empty at first, migrated from the worker's pool
    of schemas (tests/schema_pool.py), and handed back to it (or dropped) afterwards."""
    schema = pool.lend()
    try:
        yield schema_url(base, schema)
    finally:
        pool.release(schema)


DB_KINDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


@pytest.fixture(params=DB_KINDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, _schema_templates: SchemaTemplates
) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
    else:
        assert PG_URL is not None and _schema_templates.pg_pool is not None
        yield from _pg_schema_url(PG_URL, _schema_templates.pg_pool)
