"""The centre's role rules, specified as tables: every role against every permission, every pair of
accounts for assignment, and which complaints each role sees. ``services.permissions`` is the one
place these rules live; the API, the pages and the CLI only ask it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from complaintdesk.domain.errors import PermissionDenied
from complaintdesk.domain.users import User
from complaintdesk.domain.vocab import Role
from complaintdesk.services import permissions
from complaintdesk.services.permissions import Permission as P

A, T, M, D, U = Role.AGENT, Role.TEAM_LEAD, Role.MANAGER, Role.ADMIN, Role.AUDITOR

# permission: the roles that hold it (written out, not derived: this table is the specification)
TABLE: dict[P, set[Role]] = {
    P.READ_EVERY_COMPLAINT: {M, D, U},
    P.CHANGE_COMPLAINTS: {A, T, M, D},
    P.OWN_COMPLAINTS: {A, T, M, D},
    P.SEE_FULL_PHONE: {T, M, D},
    P.SUPERVISE: {T, M, D, U},
    P.KEEP_INSPECTIONS: {T, M, D},
    P.READ_STAFF: {M, D},
    P.EDIT_STAFF: {D},
    P.EDIT_CALENDAR: {M, D},
    P.MANAGE_WEBHOOKS: {D},
    P.MANAGE_KNOWLEDGE: {D},
    P.EXPORT_DATA: {M, D, U},
    P.IMPORT_DATA: {M, D},
    P.READ_AUDIT: {U, D},
    P.SEAL_AUDIT: {D},
    P.REASSIGN_IN_BULK: {T, M, D},
}


def test_the_table_covers_every_permission():
    assert set(TABLE) == set(P)


@pytest.mark.parametrize("role", list(Role), ids=str)
@pytest.mark.parametrize("permission", list(P), ids=str)
def test_role_holds_exactly_the_permissions_of_the_table(role, permission):
    assert permissions.allows(role, permission) is (role in TABLE[permission])
    assert permissions.allows(role.value, permission) is (role in TABLE[permission])  # as the pages hold it


def test_a_refusal_names_the_roles_that_may():
    with pytest.raises(PermissionDenied) as refused:
        permissions.require(Role.AGENT, P.IMPORT_DATA)
    assert refused.value.field == "role"
    assert "admin" in refused.value.message and "manager" in refused.value.message
    permissions.require(Role.MANAGER, P.IMPORT_DATA)  # no refusal


def test_an_auditor_is_told_they_only_read():
    with pytest.raises(PermissionDenied, match="只读"):
        permissions.require_writer(Role.AUDITOR)
    permissions.require_writer(Role.AGENT)


@dataclass(frozen=True)
class Viewer:
    username: str
    role: Role
    team: str | None


@pytest.mark.parametrize(
    "viewer, owner, owner_team, sees",
    [
        (Viewer("alice", A, "A"), "alice", "A", True),  # their own
        (Viewer("alice", A, "A"), "arthur", "A", True),  # their team's
        (Viewer("alice", A, "A"), "bob", "B", False),  # another team's
        (Viewer("alice", A, "A"), None, None, False),  # nobody's: only for who sees everything
        (Viewer("lena", T, "A"), "arthur", "A", True),
        (Viewer("lena", T, "A"), "bob", "B", False),
        (Viewer("solo", A, None), "bob", None, False),  # no team: only their own
        (Viewer("solo", A, None), "solo", None, True),
        (Viewer("mona", M, None), "bob", "B", True),
        (Viewer("root", D, None), None, None, True),
        (Viewer("audrey", U, None), "bob", "B", True),
    ],
)
def test_who_sees_which_complaint(viewer, owner, owner_team, sees):
    assert permissions.may_see_complaint(viewer, owner, owner_team) is sees


def test_visible_owners_are_the_viewers_own_and_their_teams_or_everyone():
    assert permissions.visible_owners(Viewer("alice", A, "A"), ["arthur", "lena"]) == {
        "alice",
        "arthur",
        "lena",
    }
    assert permissions.visible_owners(Viewer("solo", A, None), ["x"]) == {"solo"}
    assert permissions.visible_owners(Viewer("audrey", U, None), []) is None


def _user(name: str, role: Role, team: str | None, *, active: bool = True) -> User:
    return User(name, name, role, team, active, datetime(2026, 1, 1, tzinfo=UTC))


ALICE = _user("alice", A, "A")
ARTHUR = _user("arthur", A, "A")
LENA = _user("lena", T, "A")
BOB = _user("bob", A, "B")
BEN = _user("ben", T, "B")
MONA = _user("mona", M, None)
ROOT = _user("root", D, None)
AUDREY = _user("audrey", U, None)
GONE = _user("gone", A, "A", active=False)

# actor → the targets they may assign to (every other active owner is refused with a reason)
ASSIGNS = {
    "alice": {"alice", "arthur", "lena"},
    "lena": {"lena", "alice", "arthur", "mona"},
    "bob": {"bob", "ben"},
    "mona": {"alice", "arthur", "lena", "bob", "ben", "mona", "root"},
    "root": {"alice", "arthur", "lena", "bob", "ben", "mona", "root"},
    "audrey": set(),
    None: {"alice", "arthur", "lena", "bob", "ben", "mona", "root"},  # a process acting for the centre
}
PEOPLE = {u.username: u for u in (ALICE, ARTHUR, LENA, BOB, BEN, MONA, ROOT, AUDREY, GONE)}


@pytest.mark.parametrize("actor", list(ASSIGNS), ids=str)
@pytest.mark.parametrize("target", sorted(PEOPLE))
def test_who_may_assign_to_whom(actor, target):
    refusal = permissions.assignment_refusal(PEOPLE.get(actor or ""), PEOPLE[target])
    if target in ASSIGNS[actor]:
        assert refusal is None
    else:
        assert refusal, "a refusal always says why"


def test_an_inactive_or_non_owning_account_owns_nothing():
    assert not permissions.may_own(GONE)
    assert not permissions.may_own(AUDREY)
    assert permissions.may_own(BOB)
    assert "停用" in (permissions.assignment_refusal(ROOT, GONE) or "")
    assert "auditor" in (permissions.assignment_refusal(ROOT, AUDREY) or "")


@pytest.mark.parametrize(
    "role, column",
    [
        ("agent", "agent"),
        ("team_lead", "team_lead"),
        ("manager", "manager"),
        ("admin", "manager"),
        ("auditor", None),
        ("head_office", None),
        ("", None),
        (None, None),
    ],
)
def test_offers_are_checked_against_the_authority_of_the_role(role, column):
    assert permissions.authority_role(role) == column


def test_everyone_sets_their_own_password_and_only_an_admin_anothers():
    assert permissions.may_set_password(Viewer("alice", A, "A"), "alice")
    assert not permissions.may_set_password(Viewer("mona", M, None), "alice")
    assert permissions.may_set_password(Viewer("root", D, None), "alice")


def test_a_proposal_is_checked_against_the_stated_role_else_the_account_else_an_agent():
    assert permissions.proposer_role("manager", BOB) == "manager"
    assert permissions.proposer_role(None, LENA) == "team_lead"
    assert permissions.proposer_role(None, None) == "agent"
