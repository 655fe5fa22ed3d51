"""The queue page's saved views, kept in the database per user: save the filters shown, pick a view
(its count beside it, marked current), rename and delete it; another user never sees it."""

from __future__ import annotations

import re

from web_site_helpers import Site

from complaintdesk.web.auth import CSRF_FIELD


def _saved(html: str) -> list[tuple[str, int, bool]]:
    found = re.findall(
        r'<a href="[^"]*"\s*(aria-current="true")?\s*data-testid="saved-view">([^<]*) <span class="count">(\d+)</span>',
        html,
    )
    return [(name, int(n), bool(here)) for here, name, n in found]


def _numbers(html: str) -> list[str]:
    return re.findall(r'<tr data-number="([^"]+)"', html)


def _save(site: Site, name: str, **fields: str) -> object:
    data = {CSRF_FIELD: site.csrf(), "name": name, **fields}
    return site.client.post("/queue/views", data=data, follow_redirects=False)


def test_saving_the_shown_filters_opens_the_view_with_its_count_marked_current(site: Site) -> None:
    site.login("liu_manager")
    saved = _save(site, "全部超时", scope="all", sla="breached")
    assert saved.status_code == 303 and saved.headers["location"] == "/queue?scope=all&sla=breached"  # type: ignore[attr-defined]
    page = site.client.get("/queue?scope=all&sla=breached").text
    [(name, count, here)] = _saved(page)
    assert (name, here) == ("全部超时", True)
    assert count == len(_numbers(page)) and f"共 {count} 张" in page
    elsewhere = site.client.get("/queue?scope=all").text
    assert _saved(elsewhere) == [("全部超时", count, False)]


def test_the_list_swapped_by_the_filter_form_carries_the_filters_to_save(site: Site) -> None:
    site.login("liu_manager")
    swapped = site.client.get("/queue?scope=all&team=一组&flag=repeat", headers={"HX-Request": "true"}).text
    oob = swapped[swapped.index('id="save-view-filters"'):]
    assert 'hx-swap-oob="true"' in swapped and 'name="team" value="一组"' in oob and 'name="flag" value="repeat"' in oob


def test_views_are_per_user_and_renamed_or_deleted_by_their_owner(site: Site) -> None:
    site.login("liu_manager")
    _save(site, "一组", scope="all", team="一组")
    view_id = re.search(r'action="/queue/views/(\d+)/rename"', site.client.get("/queue").text).group(1)  # type: ignore[union-attr]
    site.client.cookies.clear()
    site.login("li_agent")
    assert _saved(site.client.get("/queue").text) == []
    token = site.csrf()
    stolen = site.client.post(f"/queue/views/{view_id}/delete", data={CSRF_FIELD: token}, follow_redirects=False)
    assert stolen.status_code == 404
    site.client.cookies.clear()
    site.login("liu_manager")
    renamed = site.client.post(
        f"/queue/views/{view_id}/rename", data={CSRF_FIELD: site.csrf(), "name": "一组 全部"}, follow_redirects=False
    )
    assert renamed.status_code == 303
    assert [name for name, _, _ in _saved(site.client.get("/queue").text)] == ["一组 全部"]
    deleted = site.client.post(f"/queue/views/{view_id}/delete", data={CSRF_FIELD: site.csrf()}, follow_redirects=False)
    assert deleted.status_code == 303 and _saved(site.client.get("/queue").text) == []


def test_a_bad_view_is_refused_with_the_reason_and_the_filters_kept(site: Site) -> None:
    site.login("liu_manager")
    empty = _save(site, "  ", scope="all", sla="breached")
    assert empty.status_code == 422 and "视图名称不能为空" in empty.text  # type: ignore[attr-defined]
    assert 'name="sla" value="breached"' in empty.text  # type: ignore[attr-defined]
    bad = _save(site, "坏的", scope="all", sla="late")
    assert bad.status_code == 422 and "sla_state" in bad.text  # type: ignore[attr-defined]
    _save(site, "重名", scope="all")
    twice = _save(site, "重名", scope="all")
    assert twice.status_code == 409 and "已有同名视图" in twice.text  # type: ignore[attr-defined]
    assert "<script>" not in _save(site, "<script>x</script>", scope="all").headers.get("location", "")  # type: ignore[attr-defined]
    assert "&lt;script&gt;x&lt;/script&gt;" in site.client.get("/queue").text
