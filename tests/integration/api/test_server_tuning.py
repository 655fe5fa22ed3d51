"""Operators size the request thread pool and choose the connection liveness check by setting."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from anyio import to_thread
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool, QueuePool

from complaintdesk.api.app import create_app
from complaintdesk.services.bootstrap import Desk, open_desk
from complaintdesk.settings import get_settings
from complaintdesk.storage.db import make_engine


def test_the_request_thread_pool_has_the_configured_size(desk: Desk, fresh_settings: pytest.MonkeyPatch) -> None:
    fresh_settings.setenv("COMPLAINTDESK_API_THREADS", "3")
    get_settings.cache_clear()
    with TestClient(create_app(desk)) as client:
        tokens = client.portal.call(lambda: to_thread.current_default_thread_limiter().total_tokens)  # type: ignore[union-attr]
    assert tokens == 3


def _idle_connection_killed(url: str, fresh_settings: pytest.MonkeyPatch, value: str) -> Engine:
    """An engine whose one pooled connection sat idle past the ping threshold and was then killed by
    the server (what a database restart does to a pool)."""
    if not url.startswith("postgresql"):
        pytest.skip("the liveness check is for PostgreSQL (SQLite has no server to restart)")
    fresh_settings.setenv("COMPLAINTDESK_DATABASE_PRE_PING", value)
    fresh_settings.setenv("COMPLAINTDESK_DATABASE_PING_IDLE_SECONDS", "0.05")
    engine = make_engine(url, poolclass=QueuePool, pool_size=1, max_overflow=0)
    with engine.connect() as conn:
        backend = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
    killer = make_engine(url, poolclass=NullPool)
    with killer.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
        conn.commit()
    killer.dispose()
    time.sleep(0.1)
    return engine


def test_a_connection_idle_past_the_threshold_is_tested_and_replaced_when_dead(
    database_url: str, fresh_settings: pytest.MonkeyPatch
) -> None:
    engine = _idle_connection_killed(database_url, fresh_settings, "true")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT 1")).scalar_one() == 1
    engine.dispose()


def test_with_the_check_off_a_dead_pooled_connection_fails_one_use_then_the_pool_recovers(
    database_url: str, fresh_settings: pytest.MonkeyPatch
) -> None:
    engine = _idle_connection_killed(database_url, fresh_settings, "false")
    with pytest.raises(OperationalError), engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT 1")).scalar_one() == 1
    engine.dispose()


def test_a_connection_used_moments_ago_is_not_pinged(database_url: str, fresh_settings: pytest.MonkeyPatch) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("the liveness check is for PostgreSQL")
    fresh_settings.setenv("COMPLAINTDESK_DATABASE_PING_IDLE_SECONDS", "60")
    engine = make_engine(database_url, poolclass=QueuePool, pool_size=1, max_overflow=0)
    pings = []
    original = engine.dialect.do_ping
    engine.dialect.do_ping = lambda dbapi_connection: pings.append(1) or original(dbapi_connection)  # type: ignore[method-assign]
    for _ in range(3):
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    assert pings == []
    fresh_settings.setenv("COMPLAINTDESK_DATABASE_PING_IDLE_SECONDS", "0")
    get_settings.cache_clear()
    engine.dispose()
    engine = make_engine(database_url, poolclass=QueuePool, pool_size=1, max_overflow=0)
    original = engine.dialect.do_ping
    engine.dialect.do_ping = lambda dbapi_connection: pings.append(1) or original(dbapi_connection)  # type: ignore[method-assign]
    for _ in range(3):
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    assert pings == [1, 1]  # every use but the connection's first
    engine.dispose()


def test_a_starting_server_loads_the_analysis_engine_before_the_first_request(
    database_url: str, fresh_settings: pytest.MonkeyPatch
) -> None:
    from complaintdesk.analysis import lexicon

    fresh_settings.setenv("COMPLAINTDESK_WARM_UP_ON_START", "true")
    get_settings.cache_clear()
    desk = open_desk(database_url)
    lexicon.load.cache_clear()
    with TestClient(create_app(desk)):
        assert lexicon.load.is_built()
    desk.engine.dispose()


def test_a_bad_setting_is_named_with_exit_code_7_not_a_traceback(
    fresh_settings: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    from complaintdesk.cli import main

    fresh_settings.setenv("COMPLAINTDESK_API_THREADS", "-1")
    assert main(["complaint", "list"]) == 7
    err = capfd.readouterr().err
    assert "COMPLAINTDESK_API_THREADS" in err
    assert "Traceback" not in err


def test_a_server_worker_starts_with_its_pool_filled(desk: Desk, fresh_settings: pytest.MonkeyPatch) -> None:
    if desk.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no database backends to start ahead")
    fresh_settings.setenv("COMPLAINTDESK_API_THREADS", "4")
    desk.engine.dispose()
    with TestClient(create_app(desk)):
        assert desk.engine.pool.checkedin() >= 4  # type: ignore[attr-defined]


_HEAP_PROBE = """
import gc, sys
from fastapi.testclient import TestClient
from complaintdesk.api.app import create_app, create_server_app
from complaintdesk.services.bootstrap import open_desk
factory = create_server_app if sys.argv[1] == "server" else (lambda: create_app(open_desk()))
with TestClient(factory()):
    print(gc.get_freeze_count() > 100_000, gc.get_threshold()[0])
"""


@pytest.mark.parametrize(("factory", "expected"), [("server", "True 10000"), ("embedded", "False 700")])
def test_only_the_server_factory_exempts_start_up_objects_from_garbage_collection(
    tmp_path: Path, factory: str, expected: str
) -> None:
    env = {**os.environ, "COMPLAINTDESK_DATABASE_URL": f"sqlite:///{tmp_path / 'heap.db'}"}
    result = subprocess.run(
        [sys.executable, "-c", _HEAP_PROBE, factory], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == expected


def test_a_worker_starts_even_when_the_database_cannot_be_reached_yet(
    fresh_settings: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from complaintdesk.services.bootstrap import Desk as RunningDesk

    engine = make_engine("postgresql://nobody@127.0.0.1:1/none")  # nothing listens on port 1
    unreachable = RunningDesk(get_settings(), engine, None, None)  # type: ignore[arg-type]
    unreachable.open_connections(2)
    assert "could not open 2 database connections" in caplog.text


_WARM_PROBE = """
import sys
from fastapi.testclient import TestClient
from complaintdesk.api.app import create_app
from complaintdesk.domain import calendar
from complaintdesk.services.bootstrap import open_desk
app = create_app(open_desk())
loaded_before = "complaintdesk.analysis.similarity" in sys.modules
with TestClient(app):
    print(loaded_before, "complaintdesk.analysis.similarity" in sys.modules,
          calendar._DEFAULT is not None, app.middleware_stack is not None)
"""


def test_a_worker_loads_what_its_first_requests_need_before_it_answers(tmp_path: Path) -> None:
    # Measured: without it a fresh worker's first queue read took 35-40 ms, its first intake 80-130 ms
    # and its first intake from a returning customer another 90-150 ms (importing the repeat matcher).
    env = {**os.environ, "COMPLAINTDESK_DATABASE_URL": f"sqlite:///{tmp_path / 'warm.db'}",
           "COMPLAINTDESK_REPEAT_USE_EMBEDDINGS": "false", "COMPLAINTDESK_WARM_UP_ON_START": "true"}  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-c", _WARM_PROBE], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "False True True True"


def test_with_the_warm_up_off_a_worker_starts_without_loading_ahead(desk: Desk) -> None:
    # The test suite's setting (tests/conftest.py): hundreds of apps, none waiting on a first request.
    from complaintdesk.analysis import lexicon

    assert desk.settings.warm_up_on_start is False
    lexicon.load.cache_clear()
    with TestClient(create_app(desk)):
        assert not lexicon.load.is_built()
