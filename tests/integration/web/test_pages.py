from __future__ import annotations

from web_site_helpers import PASSWORD, Site


def test_unauthenticated_queue_redirects_to_login(site: Site) -> None:
    response = site.client.get("/queue", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


def test_wrong_password_is_refused_with_message(site: Site) -> None:
    response = site.client.post("/login", data={"username": "li_agent", "password": "nope"})
    assert response.status_code == 401
    assert "用户名或密码错误" in response.text


def test_agent_sees_own_queue_with_sla_colours(site: Site) -> None:
    site.login("li_agent")
    page = site.client.get("/queue")
    assert page.status_code == 200
    assert "TS-" in page.text
    assert 'class="sla sla-' in page.text


def test_manager_has_an_all_teams_queue_and_agent_does_not(site: Site) -> None:
    site.login("liu_manager")
    assert "TS-" in site.client.get("/queue?scope=all").text
    site.client.cookies.clear()
    site.login("li_agent")
    html = site.client.get("/queue?scope=all").text
    assert "scope=all" not in html


def test_landing_page_sends_visitors_to_login_and_agents_to_their_queue(site: Site) -> None:
    assert site.client.get("/", follow_redirects=False).headers["location"] == "/login"
    site.login("li_agent")
    assert site.client.get("/", follow_redirects=False).headers["location"] == "/queue"


def test_login_never_redirects_off_site(site: Site) -> None:
    response = site.client.post(
        "/login", data={"username": "li_agent", "password": PASSWORD, "next": "//evil.example/"},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/queue"


def test_htmx_request_without_session_asks_htmx_to_navigate(site: Site) -> None:
    response = site.client.get("/queue", headers={"HX-Request": "true"}, follow_redirects=False)
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/login")
