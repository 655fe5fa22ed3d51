"""The centre's working calendar over the API: read with the centre's own days applied, edited by
managers and admins only, every bad input a 4xx naming the field."""

from __future__ import annotations

from sqlalchemy import select

from complaintdesk.services import audit_service
from complaintdesk.storage import orm

API = "/api/v1"


def test_calendar_shows_the_centres_own_days_applied(client, auth):
    response = client.put(f"{API}/calendars/days/2026-12-07", json={"kind": "holiday", "name": "中心搬迁"}, headers=auth("mona"))
    assert response.status_code == 200, response.text
    assert response.json() == {"day": "2026-12-07", "kind": "holiday", "name": "中心搬迁"}
    calendar = client.get(f"{API}/calendars", headers=auth("alice")).json()["items"][0]
    assert {"day": "2026-12-07", "name": "中心搬迁"} in calendar["holidays"]
    assert calendar["edits"] == [{"day": "2026-12-07", "kind": "holiday", "name": "中心搬迁"}]
    year = client.get(f"{API}/calendars/2026", headers=auth("alice")).json()
    assert {"day": "2026-12-07", "name": "中心搬迁", "edited": True} in year["holidays"]
    assert {"day": "2026-10-01", "name": "国庆节", "edited": False} in year["holidays"]


def test_a_working_saturday_moves_into_the_make_up_days_and_back_out(client, auth):
    client.put(f"{API}/calendars/days/2026-12-12", json={"kind": "workday"}, headers=auth("root"))
    assert "2026-12-12" in client.get(f"{API}/calendars", headers=auth("root")).json()["items"][0]["makeup_workdays"]
    assert client.delete(f"{API}/calendars/days/2026-12-12", headers=auth("root")).status_code == 204
    assert "2026-12-12" not in client.get(f"{API}/calendars", headers=auth("root")).json()["items"][0]["makeup_workdays"]


def test_edits_are_audited_with_the_acting_user(client, auth, desk):
    client.put(f"{API}/calendars/days/2026-12-07", json={"kind": "holiday"}, headers=auth("mona"))
    client.delete(f"{API}/calendars/days/2026-12-07", headers=auth("root"))
    t = orm.audit_events
    with desk.engine.connect() as conn:
        rows = conn.execute(select(t.c.actor, t.c.payload).where(t.c.kind == "calendar_changed").order_by(t.c.seq))
        assert [(actor, payload["kind"]) for actor, payload in rows] == [("mona", "holiday"), ("root", "removed")]
    assert audit_service.verify(desk.uow()).ok


def test_only_managers_and_admins_edit_the_calendar(client, auth, assert_error):
    for user in ("alice", "lena", "audrey"):
        response = client.put(f"{API}/calendars/days/2026-12-07", json={"kind": "holiday"}, headers=auth(user))
        assert_error(response, 403)
        assert_error(client.delete(f"{API}/calendars/days/2026-12-07", headers=auth(user)), 403)
    assert client.get(f"{API}/calendars", headers=auth("audrey")).json()["items"][0]["edits"] == []


def test_bad_days_kinds_names_and_years_are_4xx_naming_the_field(client, auth, assert_error):
    headers = auth("mona")
    assert_error(client.put(f"{API}/calendars/days/2026-13-01", json={"kind": "holiday"}, headers=headers), 422, field="day")
    assert_error(client.put(f"{API}/calendars/days/1800-01-01", json={"kind": "holiday"}, headers=headers), 422, field="year")
    assert_error(client.put(f"{API}/calendars/days/2026-12-07", json={"kind": "nap"}, headers=headers), 422, field="kind")
    too_long = {"kind": "holiday", "name": "长" * 101}
    assert_error(client.put(f"{API}/calendars/days/2026-12-07", json=too_long, headers=headers), 422, field="name")
    assert_error(client.get(f"{API}/calendars/1800", headers=headers), 422, field="year")
    assert_error(client.delete(f"{API}/calendars/days/2026-12-07", headers=headers), 404, field="day")
