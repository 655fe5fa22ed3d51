"""Attachments on the complaint page: upload, verified download, the limits, and who may do what."""

from __future__ import annotations

import hashlib

from sqlalchemy import update
from web_site_helpers import Site

from complaintdesk.services import complaints as svc
from complaintdesk.storage import orm

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _mine(site: Site) -> str:
    detail = svc.open_complaint(site.desk.uow(), svc.OpenComplaint("吴先生", "13700001111", "电视黑屏", "电视黑屏了",
                                                                 actor="li_agent"))  # fmt: skip
    return str(detail["number"])


def _upload(site: Site, number: str, name: str = "发票.png", content: bytes = PNG, kind: str = "image/png"):  # type: ignore[no-untyped-def]
    data = {"csrf_token": site.csrf(f"/complaints/{number}"), "version": str(svc.get_complaint(site.desk.uow(), number)["version"])}
    return site.client.post(f"/complaints/{number}/attachments", data=data, files={"file": (name, content, kind)},
                            follow_redirects=False)  # fmt: skip


def test_an_agent_uploads_a_photo_and_downloads_it_unchanged(site: Site) -> None:
    number = _mine(site)
    site.login("li_agent")
    response = _upload(site, number)
    assert response.status_code == 303, response.text
    digest = hashlib.sha256(PNG).hexdigest()
    page = site.client.get(f"/complaints/{number}").text
    assert f'/complaints/{number}/attachments/{digest}' in page and "发票.png" in page
    download = site.client.get(f"/complaints/{number}/attachments/{digest}")
    assert download.status_code == 200 and download.content == PNG
    assert download.headers["content-disposition"].startswith("attachment;")
    assert download.headers["x-content-type-options"] == "nosniff"


def test_an_edited_file_is_refused_on_download(site: Site) -> None:
    number = _mine(site)
    site.login("li_agent")
    _upload(site, number)
    digest = hashlib.sha256(PNG).hexdigest()
    with site.desk.engine.begin() as conn:
        conn.execute(update(orm.attachment_blobs).where(orm.attachment_blobs.c.sha256 == digest).values(content=PNG + b"edited"))
    refused = site.client.get(f"/complaints/{number}/attachments/{digest}")
    assert refused.status_code >= 400 and "可能被改动" in refused.text


def test_wrong_types_empty_files_and_no_file_are_refused_with_the_reason(site: Site) -> None:
    number = _mine(site)
    site.login("li_agent")
    exe = _upload(site, number, name="setup.exe", content=b"MZ\x90\x00", kind="application/x-msdownload")
    assert exe.status_code == 422 and "不支持的附件类型" in exe.text
    empty = _upload(site, number, content=b"")
    assert empty.status_code == 422 and "附件是空文件" in empty.text
    none = site.client.post(f"/complaints/{number}/attachments", data={"csrf_token": site.csrf(f"/complaints/{number}")})
    assert none.status_code == 422 and "请选择要上传的文件" in none.text
    assert svc.get_complaint(site.desk.uow(), number)["attachments"] == []


def test_another_team_and_auditors_cannot_upload_and_only_the_team_downloads(site: Site) -> None:
    number = _mine(site)  # li_agent, 一组
    site.login("li_agent")
    _upload(site, number)
    digest = hashlib.sha256(PNG).hexdigest()
    site.client.cookies.clear()
    site.login("chen_agent")  # 二组
    assert _upload(site, number).status_code == 403
    assert site.client.get(f"/complaints/{number}/attachments/{digest}").status_code == 403
    site.client.cookies.clear()
    site.login("sun_auditor")
    assert _upload(site, number).status_code == 403
    assert site.client.get(f"/complaints/{number}/attachments/{digest}").status_code == 200
    assert len(svc.get_complaint(site.desk.uow(), number)["attachments"]) == 1


def test_an_upload_without_the_pages_version_is_refused_not_stored(site: Site) -> None:
    number = _mine(site)
    site.login("li_agent")
    for version in ({}, {"version": ""}, {"version": "abc"}):
        data = {"csrf_token": site.csrf(f"/complaints/{number}"), **version}
        response = site.client.post(f"/complaints/{number}/attachments", data=data,
                                    files={"file": ("发票.png", PNG, "image/png")}, follow_redirects=False)  # fmt: skip
        assert response.status_code == 428 and "版本号" in response.text, version
    assert svc.get_complaint(site.desk.uow(), number)["attachments"] == []


def test_an_upload_on_a_stale_page_is_refused(site: Site) -> None:
    number = _mine(site)
    site.login("li_agent")
    stale = str(svc.get_complaint(site.desk.uow(), number)["version"])
    _upload(site, number, name="第一张.png")
    data = {"csrf_token": site.csrf(f"/complaints/{number}"), "version": stale}
    response = site.client.post(f"/complaints/{number}/attachments", data=data,
                                files={"file": ("第二张.png", PNG + b"2", "image/png")}, follow_redirects=False)  # fmt: skip
    assert response.status_code == 409
