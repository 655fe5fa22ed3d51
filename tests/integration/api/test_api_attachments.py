"""Attachments: upload with version, content type and size checks, verified download."""

from __future__ import annotations

import hashlib

from sqlalchemy import update

from complaintdesk.storage import orm

API = "/api/v1"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _upload(client, headers, n, content=PNG, name="发票.png", kind="image/png", version=1):
    return client.post(
        f"{API}/complaints/{n}/attachments",
        files={"file": (name, content, kind)},
        data={"version": str(version)},
        headers=headers,
    )


def test_upload_stores_sha256_and_download_returns_the_same_bytes(client, auth, open_as):
    n = open_as("alice")["number"]
    response = _upload(client, auth("alice"), n)
    assert response.status_code == 201, response.text
    meta = response.json()["attachments"][0]
    assert meta["sha256"] == hashlib.sha256(PNG).hexdigest()
    assert meta["size"] == len(PNG) and meta["filename"] == "发票.png"
    got = client.get(f"{API}/complaints/{n}/attachments/{meta['sha256']}", headers=auth("alice"))
    assert got.status_code == 200 and got.content == PNG
    assert got.headers["content-disposition"].startswith("attachment;")
    assert got.headers["x-content-type-options"] == "nosniff"


def test_disallowed_content_type_is_422(client, auth, open_as, assert_error):
    n = open_as("alice")["number"]
    html = _upload(
        client, auth("alice"), n, content=b"<script>alert(1)</script>", name="x.html", kind="text/html"
    )
    assert_error(html, 422, field="content_type")


def test_oversized_upload_is_413(client, auth, open_as, desk, assert_error):
    desk.settings.attachment_max_bytes = 1024
    n = open_as("alice")["number"]
    assert_error(_upload(client, auth("alice"), n, content=b"a" * 2048, name="a.txt", kind="text/plain"), 413)


def test_upload_needs_the_version_and_refuses_a_stale_one(client, auth, open_as, assert_error):
    n = open_as("alice")["number"]
    no_version = client.post(
        f"{API}/complaints/{n}/attachments",
        files={"file": ("a.png", PNG, "image/png")},
        headers=auth("alice"),
    )
    assert_error(no_version, 428)
    assert_error(_upload(client, auth("alice"), n, version=7), 409, "stale_write")


def test_auditor_and_other_teams_cannot_upload(client, auth, open_as, assert_error):
    n = open_as("alice")["number"]
    assert_error(_upload(client, auth("audrey"), n), 403)
    assert_error(_upload(client, auth("bob"), n), 403)


def test_a_tampered_blob_is_reported_not_served(client, auth, open_as, desk, assert_error):
    n = open_as("alice")["number"]
    digest = _upload(client, auth("alice"), n).json()["attachments"][0]["sha256"]
    with desk.engine.begin() as conn:
        conn.execute(update(orm.attachment_blobs).values(content=b"edited recording"))
    response = client.get(f"{API}/complaints/{n}/attachments/{digest}", headers=auth("alice"))
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "integrity_error"


def test_cookie_upload_needs_the_csrf_form_field(client, open_as, password, assert_error):
    n = open_as("alice")["number"]
    csrf = client.post(f"{API}/auth/login", json={"username": "alice", "password": password}).json()[
        "csrf_token"
    ]
    files = {"file": ("a.png", PNG, "image/png")}
    refused = client.post(f"{API}/complaints/{n}/attachments", files=files, data={"version": "1"})
    assert_error(refused, 403, "csrf_failed")
    accepted = client.post(
        f"{API}/complaints/{n}/attachments", files=files, data={"version": "1", "csrf_token": csrf}
    )
    assert accepted.status_code == 201, accepted.text
