"""Bulk data over the API: a streamed export that re-imports, and an all-or-nothing import."""

from __future__ import annotations

import json
from pathlib import Path

API = "/api/v1"
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "import"


def test_an_export_imports_again_whole(client, auth, open_as):
    open_as("alice", title="=SUM(A1:A9)", description="-宽带停了")
    response = client.get(f"{API}/exports/complaints", params={"format": "csv"}, headers=auth("mona"))
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.content.startswith("\ufeff".encode())  # Excel reads it as UTF-8
    assert "'=SUM(A1:A9)" in response.text and "13800138000" in response.text  # a manager sees the phone
    imported = client.post(f"{API}/imports/complaints", files={"file": ("back.csv", response.content, "text/csv")},
                           data={"analyse": "false"}, headers=auth("root"))  # fmt: skip
    assert imported.status_code == 201, imported.text
    number = imported.json()["numbers"][0]
    again = client.get(f"{API}/complaints/{number}", headers=auth("root")).json()
    assert (again["title"], again["description"]) == ("=SUM(A1:A9)", "-宽带停了")


def test_json_lines_carry_every_complaint_and_auditors_see_phones_masked(client, auth, open_as):
    opened = [open_as("alice")["number"], open_as("bob", phone="13900139000")["number"]]
    response = client.get(f"{API}/exports/complaints", params={"format": "jsonl"}, headers=auth("audrey"))
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert sorted(line["number"] for line in lines) == sorted(opened)
    assert all("*" in line["customer"]["phone"] for line in lines)


def test_an_empty_desk_exports_a_header_or_nothing(client, auth):
    assert client.get(f"{API}/exports/complaints", headers=auth("root")).text.lstrip("\ufeff").startswith("number,")
    assert client.get(f"{API}/exports/complaints", params={"format": "jsonl"}, headers=auth("root")).text == ""


def test_a_file_with_a_bad_row_writes_nothing_and_names_row_and_column(client, auth, assert_error):
    bad = (FIXTURES / "bad_row.csv").read_bytes()
    response = client.post(f"{API}/imports/complaints", files={"file": ("bad.csv", bad, "text/csv")}, headers=auth("mona"))
    assert_error(response, 422, code="import_rejected")
    assert "第 " in response.json()["error"]["message"] and "没有写入任何数据" in response.json()["error"]["message"]
    assert client.get(f"{API}/complaints", headers=auth("root")).json()["items"] == []


def test_a_good_xlsx_imports_and_other_files_are_refused(client, auth, assert_error):
    xlsx = (FIXTURES / "good.xlsx").read_bytes()
    response = client.post(f"{API}/imports/complaints", files={"file": ("good.xlsx", xlsx, "application/octet-stream")},
                           data={"analyse": "false"}, headers=auth("root"))  # fmt: skip
    assert response.status_code == 201 and response.json()["encoding"] == "xlsx"
    assert_error(client.post(f"{API}/imports/complaints", files={"file": ("x.exe", b"MZ", "application/octet-stream")},
                             headers=auth("root")), 422, field="file")  # fmt: skip


def test_only_managers_and_admins_import_and_agents_cannot_export(client, auth, assert_error):
    good = (FIXTURES / "good.csv").read_bytes()
    for user in ("alice", "lena", "audrey"):
        assert_error(client.post(f"{API}/imports/complaints", files={"file": ("g.csv", good, "text/csv")},
                                 headers=auth(user)), 403)  # fmt: skip
    for user in ("alice", "lena"):
        assert_error(client.get(f"{API}/exports/complaints", headers=auth(user)), 403)
    assert_error(client.get(f"{API}/exports/complaints", params={"format": "xml"}, headers=auth("root")), 422)
