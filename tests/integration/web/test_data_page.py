"""The data page: export every complaint (re-importable CSV, JSON Lines), import all or nothing."""

from __future__ import annotations

import json
import re
from pathlib import Path

from web_site_helpers import Site

from complaintdesk.services.queue import QueueQuery, list_queue

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "import"


def _count(site: Site) -> int:
    return len(list_queue(site.desk.uow(), QueueQuery(limit=1000), viewer=None).summaries)


def _import(site: Site, name: str, content: bytes, analyse: bool = False):  # type: ignore[no-untyped-def]
    data = {"csrf_token": site.csrf("/data"), **({"analyse": "yes"} if analyse else {})}
    return site.client.post("/data/import", data=data, files={"file": (name, content, "text/csv")})


def test_a_manager_exports_the_desk_and_imports_it_back(site: Site) -> None:
    site.login("liu_manager")
    before = _count(site)
    exported = site.client.get("/data/complaints.csv")
    assert exported.status_code == 200 and exported.headers["content-disposition"].startswith("attachment;")
    assert "13812345678" in exported.text  # a manager sees whole phones
    page = _import(site, "back.csv", exported.content)
    assert page.status_code == 201 and f"已导入 {before} 个投诉单" in page.text
    assert _count(site) == 2 * before


def test_a_rejected_file_lists_its_errors_by_row_and_writes_nothing(site: Site) -> None:
    site.login("admin")
    before = _count(site)
    page = _import(site, "bad_row.csv", (FIXTURES / "bad_row.csv").read_bytes())
    assert page.status_code == 422
    errors = re.search(r'data-testid="import-errors">(.*?)</ul>', page.text, re.S)
    assert errors and "第 " in errors.group(1) and "行" in errors.group(1)
    assert _count(site) == before
    assert _import(site, "x.pdf", b"%PDF").status_code == 422


def test_auditors_export_with_masked_phones_but_cannot_import(site: Site) -> None:
    site.login("sun_auditor")
    lines = [json.loads(line) for line in site.client.get("/data/complaints.jsonl").text.splitlines()]
    assert lines and all("*" in line["customer"]["phone"] for line in lines)
    assert 'data-testid="import-form"' not in site.client.get("/data").text
    refused = _import(site, "good.csv", (FIXTURES / "good.csv").read_bytes())
    assert refused.status_code == 403 and "只有经理和管理员可以导入投诉单" in refused.text


def test_agents_and_team_leads_may_not_export(site: Site) -> None:
    for user in ("li_agent", "zhang_lead"):
        site.client.cookies.clear()
        site.login(user)
        assert site.client.get("/data").status_code == 403
        assert site.client.get("/data/complaints.csv").status_code == 403
    assert site.client.get("/data/complaints.xml").status_code == 403  # the role is checked first
    site.client.cookies.clear()
    site.login("admin")
    assert site.client.get("/data/complaints.xml").status_code == 422
