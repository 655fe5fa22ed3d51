"""Issue 17 point 6: an owner must be an active colleague the actor may assign to (API and CLI).

Staff (conftest): alice, arthur agents of team A; bob agent of team B; lena lead of A; mona manager;
root admin; audrey auditor."""

from __future__ import annotations

import pytest

from complaintdesk.cli import main
from complaintdesk.commands import _context

API = "/api/v1"


def _transfer(client, auth, actor, number, to, version=1):  # type: ignore[no-untyped-def]
    return client.post(
        f"{API}/complaints/{number}/transfers",
        json={"to_owner": to, "reason": "转派", "version": version},
        headers=auth(actor),
    )


def test_transfer_to_unknown_user_is_refused_naming_to_owner(client, auth, open_as, assert_error) -> None:
    n = open_as("alice")["number"]
    assert_error(_transfer(client, auth, "alice", n, "ghost_user"), 422, "invalid_input", "to_owner")
    detail = client.get(f"{API}/complaints/{n}", headers=auth("alice")).json()
    assert detail["owner"] == "alice" and detail["transfer_count"] == 0
    assert n in [c["number"] for c in client.get(f"{API}/complaints", headers=auth("lena")).json()["items"]]


@pytest.mark.parametrize("target", ["audrey"])
def test_transfer_to_an_account_that_owns_nothing_is_refused(client, auth, open_as, assert_error, target) -> None:
    n = open_as("mona")["number"]
    assert_error(_transfer(client, auth, "mona", n, target), 422, "invalid_input", "to_owner")


@pytest.mark.parametrize(
    ("actor", "target", "allowed"),
    [
        ("alice", "arthur", True),  # agent: own team
        ("alice", "lena", True),  # agent: own team lead
        ("alice", "bob", False),  # agent: another team
        ("alice", "mona", False),  # agent: not straight to a manager
        ("lena", "arthur", True),  # lead: own team
        ("lena", "mona", True),  # lead: to a manager
        ("lena", "bob", False),  # lead: another team
        ("mona", "bob", True),  # manager: anyone active
        ("root", "bob", True),  # admin: anyone active
    ],
)
def test_transfer_follows_the_assignment_rule(client, auth, open_as, assert_error, actor, target, allowed) -> None:
    n = open_as(actor)["number"]
    response = _transfer(client, auth, actor, n, target)
    if allowed:
        assert response.status_code == 200, response.text
        assert response.json()["owner"] == target
    else:
        assert_error(response, 409, "owner_not_assignable", "to_owner")


def test_intake_with_an_unknown_or_foreign_owner_is_refused_naming_owner(
    client, auth, complaint_body, assert_error
) -> None:
    ghost = client.post(f"{API}/complaints", json=complaint_body(owner="ghost_user"), headers=auth("alice"))
    assert_error(ghost, 422, "invalid_input", "owner")
    foreign = client.post(f"{API}/complaints", json=complaint_body(owner="bob"), headers=auth("alice"))
    assert_error(foreign, 409, "owner_not_assignable", "owner")
    assert client.get(f"{API}/complaints", headers=auth("mona")).json()["items"] == []
    ok = client.post(f"{API}/complaints", json=complaint_body(owner="arthur"), headers=auth("alice"))
    assert ok.status_code == 201 and ok.json()["owner"] == "arthur"


def test_cli_transfer_to_unknown_user_exits_2_naming_to_owner(
    client, auth, open_as, database_url, capsys: pytest.CaptureFixture[str]
) -> None:
    n = open_as("alice")["number"]
    _context.reset()
    try:
        code = main(["--db", database_url, "complaint", "transfer", n, "ghost_user", "--reason", "转派"])
        err = capsys.readouterr().err
        assert code == 2 and "to_owner" in err and "ghost_user" in err and "Traceback" not in err
        code = main(["--db", database_url, "complaint", "transfer", n, "bob", "--reason", "转派", "--actor", "alice"])
        err = capsys.readouterr().err
        assert code == 4 and "to_owner" in err
    finally:
        _context.reset()
    assert client.get(f"{API}/complaints/{n}", headers=auth("alice")).json()["owner"] == "alice"
