"""The knowledge directory over the API: admins read what is loaded and from where, and reload it;
a broken directory is refused with its file, rule and field, and the knowledge in force stays."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from complaintdesk.api.app import create_app
from complaintdesk.domain.errors import ConfigurationError
from complaintdesk.knowledge import runtime
from complaintdesk.services import accounts
from complaintdesk.services.bootstrap import Desk
from complaintdesk.settings import get_settings
from complaintdesk.yamldata import use_knowledge_dir
from tests.integration.api.conftest import PASSWORD, check_error
from tests.knowledge_dirs import centre_pack

API = "/api/v1"


@pytest.fixture
def centre(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, desk: Desk) -> Iterator[Path]:
    directory = tmp_path / "centre-knowledge"
    centre_pack(directory, "telecom.restore_48h", hours=24)
    monkeypatch.setenv("COMPLAINTDESK_KNOWLEDGE_DIR", str(directory))
    get_settings.cache_clear()
    desk.settings = get_settings()
    yield directory
    runtime._served = None
    use_knowledge_dir(None)


@pytest.fixture
def api(centre: Path, desk: Desk) -> Iterator[Callable[..., Any]]:
    now = datetime.now(UTC)
    accounts.create_user(desk.uow(), "root", "Root", "admin", None, PASSWORD, "test", now=now)
    accounts.create_user(desk.uow(), "alice", "Alice", "agent", "A", PASSWORD, "test", now=now)
    with TestClient(create_app(desk)) as client:
        tokens = {u: client.post(f"{API}/auth/token", json={"username": u, "password": PASSWORD}).json()["access_token"]
                  for u in ("root", "alice")}  # fmt: skip

        def call(method: str, path: str, user: str = "root") -> Any:
            return client.request(method, f"{API}{path}", headers={"Authorization": f"Bearer {tokens[user]}"})

        yield call


def _hours(call: Callable[..., Any]) -> int:
    rules = call("GET", "/rule-packs").json()["items"]
    return int(next(r for r in rules if r["id"] == "telecom.restore_48h")["params"]["hours"])


def test_admin_reads_which_knowledge_file_came_from_the_centre(api: Callable[..., Any], centre: Path) -> None:
    listed = api("GET", "/admin/knowledge")
    assert listed.status_code == 200, listed.text
    body = listed.json()
    assert body["directory"] == str(centre) and body["centre_files"] == 1
    origins = {e["name"]: e["origin"] for e in body["entries"]}
    assert origins["policy/ours.yaml"] == "centre" and origins["assist/templates.yaml"] == "packaged"
    check_error(api("GET", "/admin/knowledge", user="alice"), 403, "permission_denied")
    check_error(api("POST", "/admin/knowledge/reload", user="alice"), 403, "permission_denied")


def test_a_reload_serves_the_edited_pack_without_a_restart(api: Callable[..., Any], centre: Path) -> None:
    assert _hours(api) == 24
    centre_pack(centre, "telecom.restore_48h", hours=12)
    reloaded = api("POST", "/admin/knowledge/reload")
    assert reloaded.status_code == 200, reloaded.text
    assert _hours(api) == 12


def test_a_reload_of_a_broken_file_is_refused_naming_it_and_the_old_rules_stay(
    api: Callable[..., Any], centre: Path
) -> None:
    centre_pack(centre, "telecom.restore_48h", hours=-3)
    refused = api("POST", "/admin/knowledge/reload")
    check_error(refused, 422, "invalid_input", f"{centre / 'policy' / 'ours.yaml'}:telecom.restore_48h.params.hours")
    assert "ours.yaml" in refused.json()["error"]["message"]
    assert _hours(api) == 24


def test_the_server_does_not_start_on_a_broken_knowledge_directory(centre: Path, desk: Desk) -> None:
    (centre / "escalation.yaml").write_text("threats: {media: {weight: 2}}\n", "utf-8")
    with pytest.raises(ConfigurationError) as refused:
        create_app(desk)
    assert "escalation.yaml" in refused.value.message
