"""A file from the customer's status page: an attachment of the complaint marked as theirs, shown in
the timeline, within the agents' limits, rate limited like the page's messages; a revoked link takes
nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from complaintdesk.api.app import create_app
from complaintdesk.services import accounts, status_links
from complaintdesk.services import complaints as svc
from complaintdesk.services.bootstrap import Desk
from complaintdesk.settings import get_settings
from complaintdesk.web import pages_status
from tests.integration.channels.channel_helpers import open_complaint

PASSWORD = "correct-horse-1"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
HOSTILE = '<img src=x onerror=alert(1)>.png'


@pytest.fixture
def client(desk: Desk) -> Iterator[TestClient]:
    accounts.create_user(desk.uow(), "alice", "Alice", "agent", "A", PASSWORD, "test")
    pages_status.READS.reset()
    pages_status.WRITES.reset()
    with TestClient(create_app(desk)) as test_client:
        yield test_client


def _upload(client: TestClient, path: str, name: str, content: bytes, kind: str = "image/png") -> object:
    return client.post(f"{path}/upload", files={"file": (name, content, kind)}, follow_redirects=False)


def test_an_uploaded_file_becomes_the_customers_attachment_in_the_timeline(desk: Desk, client: TestClient) -> None:
    number = open_complaint(desk)
    link = status_links.issue_link(desk.uow(), number, "alice")
    response = _upload(client, link.path, f"C:\\Users\\王\\..\\{HOSTILE}", PNG)
    assert response.status_code == 303  # type: ignore[attr-defined]
    attached = svc.get_complaint(desk.uow(), number)["attachments"]
    assert [(a["filename"], a["content_type"], a["size"], a["from_customer"]) for a in attached] == [
        (HOSTILE, "image/png", len(PNG), True)
    ]
    page = client.get(response.headers["location"]).text  # type: ignore[attr-defined]
    assert "文件已收到" in page and HOSTILE not in page and "&lt;img src=x onerror=alert(1)&gt;.png" in page
    client.post("/login", data={"username": "alice", "password": PASSWORD, "next": "/queue"})
    timeline = client.get(f"/complaints/{number}").text
    assert "客户在状态页上传了附件" in timeline and HOSTILE not in timeline


def test_a_file_over_the_agents_limit_is_refused_and_nothing_is_stored(
    desk: Desk, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    number = open_complaint(desk)
    link = status_links.issue_link(desk.uow(), number, "alice")
    monkeypatch.setenv("COMPLAINTDESK_ATTACHMENT_MAX_BYTES", "32")
    get_settings.cache_clear()
    try:
        response = _upload(client, link.path, "photo.png", PNG)
    finally:
        get_settings.cache_clear()
    assert response.status_code == 413  # type: ignore[attr-defined]
    assert "文件太大" in response.text  # type: ignore[attr-defined]
    assert svc.get_complaint(desk.uow(), number)["attachments"] == []


def test_a_file_of_a_refused_type_is_refused_in_plain_words(desk: Desk, client: TestClient) -> None:
    number = open_complaint(desk)
    link = status_links.issue_link(desk.uow(), number, "alice")
    response = _upload(client, link.path, "invoice.exe", b"MZ\x90\x00", "application/x-msdownload")
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "这种文件无法上传" in response.text and "application/x-msdownload" not in response.text  # type: ignore[attr-defined]
    empty = _upload(client, link.path, "empty.png", b"")
    assert empty.status_code == 422 and "请先选择要上传的文件" in empty.text  # type: ignore[attr-defined]
    assert svc.get_complaint(desk.uow(), number)["attachments"] == []


def test_a_revoked_link_takes_no_file(desk: Desk, client: TestClient) -> None:
    number = open_complaint(desk)
    link = status_links.issue_link(desk.uow(), number, "alice")
    status_links.revoke_link(desk.uow(), number, "alice")
    response = _upload(client, link.path, "photo.png", PNG)
    assert response.status_code == 404  # type: ignore[attr-defined]
    assert svc.get_complaint(desk.uow(), number)["attachments"] == []


def test_uploads_share_the_pages_write_limit(desk: Desk, client: TestClient) -> None:
    number = open_complaint(desk)
    link = status_links.issue_link(desk.uow(), number, "alice")
    codes = [_upload(client, link.path, f"p{i}.png", PNG + bytes([i])).status_code for i in range(12)]  # type: ignore[attr-defined]
    assert codes.count(303) == pages_status.WRITES.limit and codes[-1] == 429
    assert len(svc.get_complaint(desk.uow(), number)["attachments"]) == pages_status.WRITES.limit
