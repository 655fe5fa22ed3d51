"""One-screen handling (issue 23): the complaint page's forms answer htmx in place with the page's body and
the outcome next to the form, plain posts still redirect, and the top says what to do next."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from web_site_helpers import Site

from complaintdesk.services import complaints as svc

HX = {"HX-Request": "true"}


def _open(
    site: Site, description: str = "买的电水壶用了三天就不加热了,要求处理。", title: str = "水壶不加热", actor: str = "li_agent"
) -> str:
    command = svc.OpenComplaint("吴先生", "13700001111", title, description, actor=actor)
    return str(svc.open_complaint(site.desk.uow(), command)["number"])


def _post(site: Site, number: str, action: str, *, hx: bool = True, **fields: str):  # type: ignore[no-untyped-def]
    version = svc.get_complaint(site.desk.uow(), number)["version"]
    data = {"csrf_token": site.csrf(f"/complaints/{number}"), "version": str(version), **fields}
    return site.client.post(
        f"/complaints/{number}/{action}", data=data, headers=HX if hx else {}, follow_redirects=False
    )


def _form(html: str, form_id: str) -> str:
    start = html.index(f'id="{form_id}"')
    return html[start : html.index("</form>", start)]


def test_a_reply_and_move_answers_htmx_with_the_page_body_and_the_outcome_next_to_its_form(site: Site) -> None:
    number = _open(site)
    site.login("li_agent")
    response = _post(site, number, "reply-and-move", body="您好,非常抱歉给您添麻烦了。", target="calming", slot="top")
    assert response.status_code == 200 and response.headers["X-Case-Fragment"] == "1"
    html = response.text
    assert html.lstrip().startswith('<div id="case"') and "<html" not in html and "<header class=\"top\"" not in html
    assert 'data-stage="calming"' in html
    assert 'data-action="reply-and-move" data-testid="feedback">' in _form(html, "reply-and-move")  # next to it
    detail = svc.get_complaint(site.desk.uow(), number)
    assert detail["stage"] == "calming" and [m["body"] for m in detail["messages"]] == ["您好,非常抱歉给您添麻烦了。"]
    assert f'name="version" value="{detail["version"]}"' in html  # every form carries the new version


def test_a_plain_post_of_the_same_form_still_redirects_back_to_the_page(site: Site) -> None:
    number = _open(site)
    site.login("li_agent")
    response = _post(site, number, "reply-and-move", hx=False, body="您好。", target="calming", slot="top")
    assert response.status_code == 303
    assert response.headers["location"] == f"/complaints/{number}?done=reply-and-move&a=reply-and-move#next-step"
    page = site.client.get(response.headers["location"]).text
    assert 'data-action="reply-and-move" data-testid="feedback">回复已记录' in _form(page, "reply-and-move")


def test_a_refused_move_answers_in_place_with_its_reason_what_was_typed_and_no_reply_sent(site: Site) -> None:
    number = _open(site)
    site.login("li_agent")
    for target in ("calming", "clarifying", "proposing"):
        assert _post(site, number, "reply-and-move", target=target).status_code == 200
    typed = "我们马上处理 <b>加急</b>"
    response = _post(site, number, "reply-and-move", body=typed, target="acting", slot="top")
    assert response.status_code == 409 and response.headers["X-Case-Fragment"] == "1"
    form = _form(response.text, "reply-and-move")
    found = re.search(r'data-testid="error">([^<]*)<', form)
    assert found is not None and "解决方案" in found.group(1)
    assert "我们马上处理 &lt;b&gt;加急&lt;/b&gt;" in form and "<b>加急</b>" not in response.text
    detail = svc.get_complaint(site.desk.uow(), number)
    assert detail["stage"] == "proposing" and detail["messages"] == []  # both or neither, on the database


def test_the_top_asks_for_what_the_next_stage_needs_and_closes_in_one_action_each(site: Site) -> None:
    number = _open(site)
    site.login("li_agent")
    asked: dict[str, list[str]] = {}
    follow_up = (datetime.now(UTC) + timedelta(days=7)).strftime("%Y-%m-%dT10:00")
    extra = {"acting": {"solution": "安排师傅上门检测"}, "follow_up": {"follow_up_due": follow_up}, "closed": {"satisfied": "yes"}}
    for target in ("calming", "clarifying", "proposing", "acting", "thanking", "follow_up", "closed"):
        html = site.client.get(f"/complaints/{number}").text
        form = _form(html, "reply-and-move")
        assert f'name="target" value="{target}"' in form
        asked[target] = re.findall(r'name="(solution|follow_up_due|satisfied)"', form)
        response = _post(site, number, "reply-and-move", target=target, **extra.get(target, {}))
        assert response.status_code == 200, response.text
    assert asked["acting"] == ["solution"] and asked["follow_up"] == ["follow_up_due"]
    assert set(asked["closed"]) == {"satisfied"} and asked["calming"] == []
    assert svc.get_complaint(site.desk.uow(), number)["stage"] == "closed"
    closed = site.client.get(f"/complaints/{number}").text
    assert 'id="reply-and-move"' not in closed and 'data-testid="next-closed"' in closed


def test_every_action_form_of_the_page_posts_in_place_except_the_upload(site: Site) -> None:
    number = _open(site)
    site.login("li_agent")
    html = site.client.get(f"/complaints/{number}").text
    posts = re.findall(r'<form method="post" action="(/complaints/[^"]+)"([^>]*)>', html)
    assert len(posts) >= 10
    for action, rest in posts:
        if action.endswith("/attachments"):
            assert "hx-post" not in rest
        else:
            assert f'hx-post="{action}"' in rest, action


def test_customer_text_in_the_fragment_is_escaped(site: Site) -> None:
    number = _open(site, description='描述<script>window.__xss=1</script><img src=x onerror="alert(1)">', title="<b>标题</b>")
    site.login("li_agent")
    html = _post(site, number, "message", kind="note", body="<script>alert(2)</script>").text
    assert "<script>" not in html and "<img src=x" not in html and "<b>标题</b>" not in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html


def test_a_refusal_answering_htmx_is_a_toast_and_leaves_the_page_alone(site: Site) -> None:
    number = _open(site, actor="chen_agent")  # 二组
    site.login("li_agent")  # 一组
    token = site.csrf()
    response = site.client.post(
        f"/complaints/{number}/message", data={"csrf_token": token, "body": "x", "kind": "note"}, headers=HX
    )
    assert response.status_code == 403
    assert response.headers["HX-Retarget"] == "body" and response.headers["HX-Reswap"] == "beforeend"
    assert 'class="flash err toast feedback"' in response.text and "<html" not in response.text
