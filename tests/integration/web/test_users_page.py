"""The staff page: managers and admins see the staff; admins add accounts and set passwords."""

from __future__ import annotations

import re

from web_site_helpers import PASSWORD, Site

from complaintdesk.services import users


def _error(html: str) -> str:
    found = re.search(r'data-testid="error">([^<]*)<', html)
    return found.group(1) if found else ""


def _add(site: Site, **fields: str) -> object:
    token = site.csrf("/users")
    data = {"csrf_token": token, "username": "qian_agent", "display_name": "客服小钱", "role": "agent",
            "team": "一组", "password": "long-enough-1", **fields}  # fmt: skip
    return site.client.post("/users", data=data, follow_redirects=False)


def test_admin_adds_an_agent_who_can_then_sign_in_and_sees_the_team_queue(site: Site) -> None:
    site.login("admin")
    response = _add(site)
    assert response.status_code == 303 and response.headers["location"] == "/users?done=user_created"  # type: ignore[attr-defined]
    page = site.client.get("/users?done=user_created").text
    assert "已创建用户" in page and '<tr data-username="qian_agent">' in page
    created = {u.username: u for u in users.list_users(site.desk.uow())}["qian_agent"]
    assert (created.role.value, created.team) == ("agent", "一组")
    site.client.cookies.clear()
    site.login("qian_agent", "long-enough-1")
    assert site.client.get("/queue?scope=team").status_code == 200


def test_bad_accounts_are_refused_with_the_reason_and_the_form_kept_without_the_password(site: Site) -> None:
    site.login("admin")
    cases = (
        ({"username": "li_agent"}, 409, "用户 li_agent 已存在"),
        ({"password": "short"}, 422, "密码至少 8 位"),
        ({"role": "boss"}, 422, "role"),
        ({"username": "李"}, 422, "用户名只能包含"),
        ({"team": "组" * 65}, 422, "班组名不能超过 64 个字符"),
        ({"display_name": "名\x00"}, 422, "NUL"),
    )
    for fields, status, message in cases:
        page = _add(site, **fields)
        assert page.status_code == status and message in _error(page.text), fields  # type: ignore[attr-defined]
    page = _add(site, password="short")
    assert 'value="客服小钱"' in page.text and "short" not in page.text  # type: ignore[attr-defined]
    assert "qian_agent" not in {u.username for u in users.list_users(site.desk.uow())}


def test_admin_sets_a_password_and_the_old_one_stops_working(site: Site) -> None:
    site.login("admin")
    token = site.csrf("/users")
    response = site.client.post("/users/li_agent/password", data={"csrf_token": token, "password": "brand-new-pass"},
                                follow_redirects=False)  # fmt: skip
    assert response.status_code == 303
    site.client.cookies.clear()
    refused = site.client.post("/login", data={"username": "li_agent", "password": PASSWORD})
    assert refused.status_code == 401
    site.login("li_agent", "brand-new-pass")
    site.client.cookies.clear()
    site.login("admin")
    short = site.client.post("/users/li_agent/password", data={"csrf_token": site.csrf("/users"), "password": "x"})
    assert short.status_code == 422 and "密码至少 8 位" in _error(short.text)
    unknown = site.client.post("/users/nobody/password", data={"csrf_token": site.csrf("/users"), "password": "long-enough-1"})
    assert unknown.status_code == 404 and "用户 nobody 不存在" in _error(unknown.text)


def test_managers_read_the_staff_but_cannot_change_it(site: Site) -> None:
    site.login("liu_manager")
    page = site.client.get("/users").text
    assert '<tr data-username="li_agent">' in page and 'data-testid="users-add"' not in page
    token = site.csrf("/users")
    assert _add(site).status_code == 403  # type: ignore[attr-defined]
    refused = site.client.post("/users/li_agent/password", data={"csrf_token": token, "password": "long-enough-1"})
    assert refused.status_code == 403 and "只有管理员可以新建用户" in refused.text


def test_agents_team_leads_and_auditors_may_not_see_the_staff_page(site: Site) -> None:
    for user in ("li_agent", "zhang_lead", "sun_auditor"):
        site.client.cookies.clear()
        site.login(user)
        page = site.client.get("/users")
        assert page.status_code == 403 and "人员列表仅对经理和管理员开放" in page.text
        assert 'href="/users"' not in site.client.get("/queue").text


def test_admin_unlocks_an_account_locked_by_wrong_passwords(site: Site) -> None:
    for _ in range(5):
        site.client.post("/login", data={"username": "li_agent", "password": "guess-guess"})
    assert site.client.post("/login", data={"username": "li_agent", "password": PASSWORD}).status_code == 401
    site.login("admin")
    page = site.client.get("/users").text
    assert 'data-testid="unlock-li_agent"' in page
    done = site.client.post("/users/li_agent/unlock", data={"csrf_token": site.csrf("/users")}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/users?done=user_unlocked"
    site.client.cookies.clear()
    site.login("li_agent")


def test_an_admin_changing_their_own_password_must_give_the_current_one(site: Site) -> None:
    site.login("admin")
    missing = site.client.post("/users/admin/password", data={"csrf_token": site.csrf("/users"), "password": "new-admin-pass"})
    assert missing.status_code == 422 and "当前密码" in _error(missing.text)
    assert 'name="current_password"' in site.client.get("/users").text
    done = site.client.post(
        "/users/admin/password",
        data={"csrf_token": site.csrf("/users"), "password": "new-admin-pass", "current_password": PASSWORD},
        follow_redirects=False,
    )
    assert done.status_code == 303


def _post(site: Site, path: str, **fields: str) -> object:
    token = site.csrf("/users")
    return site.client.post(path, data={"csrf_token": token, **fields}, follow_redirects=False)


def test_admin_deactivates_an_agent_who_then_cannot_sign_in_and_reactivates_them(site: Site) -> None:
    site.login("admin")
    response = _post(site, "/users/wu_agent/deactivate")
    assert response.headers["location"] == "/users?done=user_deactivated"  # type: ignore[attr-defined]
    page = site.client.get("/users").text
    assert re.search(r'data-testid="status-wu_agent">已停用<', page)
    assert 'data-testid="reactivate-wu_agent"' in page
    assert 'data-testid="deactivate-admin"' not in page  # never one's own account
    site.client.cookies.clear()
    refused = site.client.post("/login", data={"username": "wu_agent", "password": PASSWORD}, follow_redirects=False)
    assert refused.status_code != 303
    site.login("admin")
    _post(site, "/users/wu_agent/reactivate")
    site.client.cookies.clear()
    site.login("wu_agent")


def test_admin_changes_a_role_and_a_team_from_the_page_and_adds_a_team(site: Site) -> None:
    site.login("admin")
    assert _post(site, "/teams", name="三组", lead="zhou_lead").headers["location"] == "/users?done=team_created"  # type: ignore[attr-defined]
    assert _post(site, "/users/wu_agent/team", team="三组").headers["location"] == "/users?done=user_team_changed"  # type: ignore[attr-defined]
    assert _post(site, "/users/wu_agent/role", role="team_lead").headers["location"] == "/users?done=user_role_changed"  # type: ignore[attr-defined]
    wu = {u.username: u for u in users.list_users(site.desk.uow())}["wu_agent"]
    assert (wu.role.value, wu.team) == ("team_lead", "三组")
    page = site.client.get("/users").text
    assert re.search(r'<tr data-team="三组"><td>三组</td><td>zhou_lead</td>', page)
    bad = _post(site, "/users/wu_agent/team", team="不存在的组")
    assert bad.status_code == 422 and "班组 不存在的组 不存在" in _error(bad.text)  # type: ignore[attr-defined]
    site.client.cookies.clear()
    site.login("liu_manager")
    assert _post(site, "/users/wu_agent/deactivate").status_code == 403  # type: ignore[attr-defined]
