"""Every complaint route against every role, on a complaint of team A (owner alice):
who may read, who may change, who gets 403 — decided on the server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

API = "/api/v1"
DUE = (datetime.now(UTC) + timedelta(days=2)).isoformat()

READS = ["", "/sla", "/audit"]
# route, body: each is valid on a freshly opened complaint at version 1
WRITES = [
    ("move", {"stage": "calming"}),
    ("proposal", {"solution": "按日退费 20 元"}),
    ("messages", {"kind": "note", "body": "已回电"}),
    ("transfers", {"to_owner": "arthur", "reason": "同组接手"}),
    ("escalations", {"reason": "客户要求"}),
    ("promises", {"what": "明天回电", "due_at": DUE}),
    ("follow-up", {"due": DUE}),
    ("reply-and-move", {"body": "您好,您的投诉已收到。"}),
]
CAN_READ = {
    "alice": True,
    "arthur": True,
    "lena": True,
    "bob": False,
    "mona": True,
    "root": True,
    "audrey": True,
}
CAN_WRITE = {
    "alice": True,
    "arthur": True,
    "lena": True,
    "bob": False,
    "mona": True,
    "root": True,
    "audrey": False,
}


@pytest.mark.parametrize("user", sorted(CAN_READ))
@pytest.mark.parametrize("suffix", READS)
def test_read_routes_by_role(client, auth, open_as, user, suffix):
    n = open_as("alice")["number"]
    response = client.get(f"{API}/complaints/{n}{suffix}", headers=auth(user))
    assert response.status_code == (200 if CAN_READ[user] else 403), response.text


@pytest.mark.parametrize("user", sorted(CAN_WRITE))
@pytest.mark.parametrize("route, body", WRITES, ids=[w[0] for w in WRITES])
def test_write_routes_by_role(client, auth, open_as, user, route, body):
    n = open_as("alice")["number"]
    response = client.post(f"{API}/complaints/{n}/{route}", json={**body, "version": 1}, headers=auth(user))
    if CAN_WRITE[user]:
        assert response.status_code in (200, 201), response.text
        assert response.json()["version"] == 2
    else:
        assert response.status_code == 403, response.text
        assert response.json()["error"]["code"] == "permission_denied"
    after = client.get(f"{API}/complaints/{n}", headers=auth("root")).json()
    assert after["version"] == (2 if CAN_WRITE[user] else 1)
