"""Operators size the request thread pool and choose the connection liveness check by setting."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from anyio import to_thread
from fastapi.testclient import TestClient

from complaintdesk.api.app import create_app
from complaintdesk.services.bootstrap import Desk
from complaintdesk.settings import get_settings
from complaintdesk.storage.db import make_engine


@pytest.fixture
def fresh_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def test_the_request_thread_pool_has_the_configured_size(desk: Desk, fresh_settings: pytest.MonkeyPatch) -> None:
    fresh_settings.setenv("COMPLAINTDESK_API_THREADS", "3")
    get_settings.cache_clear()
    with TestClient(create_app(desk)) as client:
        tokens = client.portal.call(lambda: to_thread.current_default_thread_limiter().total_tokens)  # type: ignore[union-attr]
    assert tokens == 3


def test_a_thread_pool_of_zero_is_refused(fresh_settings: pytest.MonkeyPatch) -> None:
    fresh_settings.setenv("COMPLAINTDESK_API_THREADS", "0")
    with pytest.raises(ValueError, match="api_threads"):
        get_settings()


@pytest.mark.parametrize(("value", "expected"), [("true", True), ("false", False)])
def test_postgresql_connections_are_pinged_before_use_only_when_configured(
    fresh_settings: pytest.MonkeyPatch, value: str, expected: bool
) -> None:
    fresh_settings.setenv("COMPLAINTDESK_DATABASE_PRE_PING", value)
    engine = make_engine("postgresql://nobody@127.0.0.1:1/none")  # never connects
    assert engine.pool._pre_ping is expected  # type: ignore[attr-defined]


def test_a_starting_server_loads_the_analysis_engine_before_the_first_request(desk: Desk) -> None:
    from complaintdesk.analysis import lexicon

    lexicon.load.cache_clear()
    with TestClient(create_app(desk)):
        assert lexicon.load.cache_info().currsize == 1


def test_a_bad_setting_is_named_with_exit_code_7_not_a_traceback(
    fresh_settings: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    from complaintdesk.cli import main

    fresh_settings.setenv("COMPLAINTDESK_API_THREADS", "0")
    assert main(["complaint", "list"]) == 7
    err = capfd.readouterr().err
    assert "COMPLAINTDESK_API_THREADS" in err
    assert "Traceback" not in err
