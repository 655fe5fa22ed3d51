"""/api/v1/views: each user's saved queue views in the database — saved, listed with their counts,
renamed and deleted by their owner only, refused naming the field, and audited."""

from __future__ import annotations

from sqlalchemy import text

API = "/api/v1/views"


def _save(client, auth, who, **body):
    return client.post(API, json={"name": "本组超时", "scope": "team", **body}, headers=auth(who))


def test_a_saved_view_lists_with_the_count_of_what_its_filters_find_now(client, auth, open_as):
    for i in range(3):
        open_as("alice", phone=f"1380013900{i}")
    open_as("bob", phone="13800139100")
    saved = _save(client, auth, "lena", name="A组全部", filters={"team": "A"})
    assert saved.status_code == 201, saved.text
    assert saved.json()["count"] == 3 and saved.json()["href"] == "/queue?scope=team&team=A"
    _save(client, auth, "lena", name="转来转去", filters={"flag": ["runaround"]})
    listed = client.get(API, headers=auth("lena")).json()["items"]
    assert [(v["name"], v["count"]) for v in listed] == [("A组全部", 3), ("转来转去", 0)]
    open_as("arthur", phone="13800139200")
    assert client.get(f"{API}/{saved.json()['id']}", headers=auth("lena")).json()["count"] == 4
    bare = client.get(API, params={"counts": "false"}, headers=auth("lena")).json()["items"]
    assert all("count" not in v for v in bare)


def test_views_belong_to_their_owner_and_another_user_can_neither_see_nor_change_them(
    client, auth, assert_error
):
    view_id = _save(client, auth, "lena", filters={"sla": "breached"}).json()["id"]
    assert client.get(API, headers=auth("alice")).json() == {"items": []}
    assert_error(client.get(f"{API}/{view_id}", headers=auth("alice")), 404, field="id")
    assert_error(client.patch(f"{API}/{view_id}", json={"name": "我的"}, headers=auth("alice")), 404, field="id")
    assert_error(client.delete(f"{API}/{view_id}", headers=auth("alice")), 404, field="id")
    # alice may use the same name for a view of her own
    assert _save(client, auth, "alice", filters={"sla": "breached"}).status_code == 201
    assert [v["name"] for v in client.get(API, headers=auth("lena")).json()["items"]] == ["本组超时"]


def test_rename_and_delete_are_audited_and_a_deleted_view_is_gone(client, auth, desk):
    view_id = _save(client, auth, "lena").json()["id"]
    renamed = client.patch(f"{API}/{view_id}", json={"name": "  超时 单  "}, headers=auth("lena"))
    assert renamed.status_code == 200 and renamed.json()["name"] == "超时 单"
    assert client.delete(f"{API}/{view_id}", headers=auth("lena")).status_code == 204
    assert client.get(API, headers=auth("lena")).json() == {"items": []}
    with desk.engine.connect() as connection:
        rows = connection.execute(
            text("SELECT kind, actor FROM audit_events WHERE kind LIKE 'view_%' ORDER BY seq")
        ).all()
    assert [tuple(r) for r in rows] == [("view_saved", "lena"), ("view_renamed", "lena"), ("view_deleted", "lena")]


def test_bad_views_are_refused_naming_the_field(client, auth, assert_error):
    assert_error(_save(client, auth, "lena", name="   "), 422, field="name")
    assert_error(_save(client, auth, "lena", name="长" * 41), 422, field="name")
    assert_error(_save(client, auth, "lena", scope="everyone"), 422, field="scope")
    assert_error(_save(client, auth, "lena", filters={"colour": "red"}), 422, field="filters.colour")
    assert_error(_save(client, auth, "lena", filters={"sla": "late"}), 422, field="filters.sla")
    assert_error(_save(client, auth, "lena", filters={"stage": "nowhere"}), 422, field="filters.stage")
    assert_error(_save(client, auth, "lena", filters={"flag": ["vip"]}), 422, field="filters.flag")
    assert_error(_save(client, auth, "lena", filters={"from": "yesterday"}), 422, field="filters.from")
    assert_error(_save(client, auth, "lena", filters={"escalated": "maybe"}), 422, field="filters.escalated")
    assert _save(client, auth, "lena").status_code == 201
    assert_error(_save(client, auth, "lena"), 409, field="name")  # the same name twice
    other = _save(client, auth, "lena", name="另一个").json()["id"]
    assert_error(client.patch(f"{API}/{other}", json={"name": "本组超时"}, headers=auth("lena")), 409, field="name")
    assert_error(client.get(f"{API}/0", headers=auth("lena")), 422)
    assert client.get(API).status_code == 401
