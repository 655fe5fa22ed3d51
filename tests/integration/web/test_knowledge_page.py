"""The knowledge page (admins): what is loaded and from where, and a reload button that validates
first and names the broken file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from web_site_helpers import Site

from complaintdesk.knowledge import runtime
from complaintdesk.settings import get_settings
from complaintdesk.yamldata import use_knowledge_dir
from tests.knowledge_dirs import centre_pack


@pytest.fixture
def centre(site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    directory = tmp_path / "centre-knowledge"
    directory.mkdir()
    monkeypatch.setenv("COMPLAINTDESK_KNOWLEDGE_DIR", str(directory))
    get_settings.cache_clear()
    site.desk.settings = get_settings()
    yield directory
    runtime._served = None
    use_knowledge_dir(None)


def _reload(site: Site) -> object:
    token = site.csrf("/knowledge")
    return site.client.post("/knowledge/reload", data={"csrf_token": token}, follow_redirects=False)


def test_admin_sees_each_file_and_where_it_came_from_and_reloads(site: Site, centre: Path) -> None:
    site.login("admin")
    page = site.client.get("/knowledge")
    assert page.status_code == 200
    assert 'data-name="policy/telecom.yaml"' in page.text and 'data-origin="centre"' not in page.text
    centre_pack(centre, "telecom.restore_48h", hours=24)
    done = _reload(site)
    assert done.status_code == 303  # type: ignore[attr-defined]
    page = site.client.get(done.headers["location"])  # type: ignore[attr-defined]
    assert 'data-testid="knowledge-flash"' in page.text
    assert 'data-origin="centre" data-name="policy/ours.yaml"' in page.text


def test_a_broken_file_is_named_on_the_page_and_nothing_is_reloaded(site: Site, centre: Path) -> None:
    site.login("admin")
    centre_pack(centre, "telecom.restore_48h", hours="<b>soon</b>")
    refused = _reload(site)
    assert refused.status_code == 422  # type: ignore[attr-defined]
    text = refused.text  # type: ignore[attr-defined]
    assert 'data-testid="knowledge-error"' in text and "ours.yaml" in text and "params.hours" in text
    assert "<b>soon</b>" not in text  # the centre's text is escaped like any other


def test_only_admins_see_the_knowledge_page(site: Site, centre: Path) -> None:
    site.login("li_agent")
    assert site.client.get("/knowledge").status_code == 403
    assert 'href="/knowledge"' not in site.client.get("/queue").text
