"""Every role rule of the centre, in one place, as pure functions over the typed role.

The API's dependencies, the pages (and their templates, through ``web.auth.WebUser``), the CLI and
the services ask here; none of them keeps a list of role names of its own. The table in
``tests/unit/services/test_permissions.py`` is the specification: a change of who may do what is a
change of ``GRANTS`` and of that table, nowhere else.

* agent, team_lead: their own complaints and their team's queue (owners in the same team);
* manager, admin: everything; auditor: read everything, change nothing;
* the customer's full phone number only for team_lead, manager and admin.

Nothing here reads the database: where a rule needs facts (a viewer's team members, a complaint's
owner), the caller looks them up and passes them in (``services.queue`` does, for complaints).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Protocol

from complaintdesk.domain.errors import PermissionDenied
from complaintdesk.domain.users import User
from complaintdesk.domain.vocab import Role


class Staff(Protocol):
    """Whoever acts: an API principal, a signed-in page user, an account."""

    @property
    def username(self) -> str: ...

    @property
    def role(self) -> Role: ...

    @property
    def team(self) -> str | None: ...


class Permission(StrEnum):
    READ_EVERY_COMPLAINT = "read_every_complaint"  # not only their own and their team's
    CHANGE_COMPLAINTS = "change_complaints"  # open, work and close complaints; write any data
    OWN_COMPLAINTS = "own_complaints"  # be a complaint's owner (an auditor reads, never owns)
    SEE_FULL_PHONE = "see_full_phone"  # the customer's number unmasked
    SUPERVISE = "supervise"  # the dashboard, the customer list
    KEEP_INSPECTIONS = "keep_inspections"  # save a QA scorecard into a complaint's audit trail
    READ_STAFF = "read_staff"
    EDIT_STAFF = "edit_staff"  # create, change, deactivate accounts; set another's password
    EDIT_CALENDAR = "edit_calendar"  # the centre's working days and holidays
    MANAGE_WEBHOOKS = "manage_webhooks"  # subscribe, unsubscribe, read the delivery log
    MANAGE_KNOWLEDGE = "manage_knowledge"  # see which knowledge files are in force and from where; reload them
    EXPORT_DATA = "export_data"  # take every complaint out
    IMPORT_DATA = "import_data"  # bulk-load complaints
    READ_AUDIT = "read_audit"  # verify the whole chain and read all of it
    SEAL_AUDIT = "seal_audit"  # sign the chain's head at a checkpoint
    REASSIGN_IN_BULK = "reassign_in_bulk"  # hand many complaints (an absent agent's) to another at once


_STAFF = frozenset({Role.AGENT, Role.TEAM_LEAD, Role.MANAGER, Role.ADMIN})
_LEADS = frozenset({Role.TEAM_LEAD, Role.MANAGER, Role.ADMIN})
_CENTRE = frozenset({Role.MANAGER, Role.ADMIN})
_ADMIN = frozenset({Role.ADMIN})

GRANTS: dict[Permission, frozenset[Role]] = {
    Permission.READ_EVERY_COMPLAINT: _CENTRE | {Role.AUDITOR},
    Permission.CHANGE_COMPLAINTS: _STAFF,
    Permission.OWN_COMPLAINTS: _STAFF,
    Permission.SEE_FULL_PHONE: _LEADS,
    Permission.SUPERVISE: _LEADS | {Role.AUDITOR},
    Permission.KEEP_INSPECTIONS: _LEADS,
    Permission.READ_STAFF: _CENTRE,
    Permission.EDIT_STAFF: _ADMIN,
    Permission.EDIT_CALENDAR: _CENTRE,
    Permission.MANAGE_WEBHOOKS: _ADMIN,
    Permission.MANAGE_KNOWLEDGE: _ADMIN,
    Permission.EXPORT_DATA: _CENTRE | {Role.AUDITOR},
    Permission.IMPORT_DATA: _CENTRE,
    Permission.READ_AUDIT: frozenset({Role.AUDITOR, Role.ADMIN}),
    Permission.SEAL_AUDIT: _ADMIN,
    Permission.REASSIGN_IN_BULK: _LEADS,
}


def allows(role: Role | str, permission: Permission) -> bool:
    return Role(role) in GRANTS[permission]


def roles_with(permission: Permission) -> frozenset[Role]:
    return GRANTS[permission]


def granted_to(role: Role | str) -> frozenset[Permission]:
    """Everything ``role`` may do (the roles reference lists it)."""
    return frozenset(p for p, roles in GRANTS.items() if Role(role) in roles)


def require(role: Role | str, permission: Permission) -> None:
    """Refused (403, naming the roles that may) unless ``role`` holds ``permission``."""
    if not allows(role, permission):
        names = "、".join(r.value for r in sorted(GRANTS[permission]))
        raise PermissionDenied(f"角色 {Role(role).value} 无权执行该操作（需要：{names}）", field="role")


def require_writer(role: Role | str, what: str = "投诉单") -> None:
    """An auditor reads and never changes: their refusal says so, not just "not allowed"."""
    if not allows(role, Permission.CHANGE_COMPLAINTS):
        raise PermissionDenied(f"角色 {Role(role).value} 只读，不能修改{what}", field="role")


def may_set_password(actor: Staff, username: str) -> bool:
    """Everyone sets their own password; only who edits staff sets another's."""
    return actor.username == username or allows(actor.role, Permission.EDIT_STAFF)


# -- Which complaints --------------------------------------------------------------------------------


def visible_owners(viewer: Staff, team_members: Iterable[str]) -> frozenset[str] | None:
    """Whose complaints ``viewer`` may see: everyone's (None), or their own and their team's
    (``team_members``: the usernames in the viewer's team, which the caller looked up)."""
    if allows(viewer.role, Permission.READ_EVERY_COMPLAINT):
        return None
    return frozenset({viewer.username, *(team_members if viewer.team else ())})


def may_see_complaint(viewer: Staff, owner: str | None, owner_team: str | None) -> bool:
    """A complaint owned by ``owner`` (of ``owner_team``): the viewer's own, their team's, or any for
    who reads every complaint. An unowned complaint is only for those."""
    if allows(viewer.role, Permission.READ_EVERY_COMPLAINT):
        return True
    if owner is not None and owner == viewer.username:
        return True
    return owner is not None and viewer.team is not None and owner_team == viewer.team


def refuse_unseen(number: str) -> PermissionDenied:
    return PermissionDenied(f"投诉单 {number} 不在你或你所在班组的队列中", field="number")


# -- Who may own, and who may assign to whom -----------------------------------------------------------


def may_own(user: User) -> bool:
    return user.active and allows(user.role, Permission.OWN_COMPLAINTS)


def assignment_refusal(actor: User | None, target: User) -> str | None:
    """Why ``actor`` may not make ``target`` a complaint's owner; None when they may.

    The rule (docs/api.md, Owners): an agent assigns within their own team (their team lead
    included); a team lead within their team and to managers; managers and admins to anyone.
    ``actor`` None is a process acting for the centre (import, demo, the CLI run by an operator
    without ``--actor`` naming an account): any active member of staff who may own complaints.
    The target must always be an active account of a role that owns complaints.
    """
    if not target.active:
        return f"用户 {target.username} 已停用，不能接收投诉单"
    if not allows(target.role, Permission.OWN_COMPLAINTS):
        return f"用户 {target.username} 的角色（{target.role.value}）不处理投诉单"
    if actor is None or actor.username == target.username:
        return None
    if actor.role in _CENTRE:
        return None
    same_team = actor.team is not None and actor.team == target.team
    if actor.role == Role.TEAM_LEAD:
        if same_team or target.role == Role.MANAGER:
            return None
        return f"班组长只能转给本班组（{actor.team or '未分组'}）的成员或经理，{target.username} 不在其中"
    if actor.role == Role.AGENT:
        if same_team:
            return None
        return f"坐席只能转给本班组（{actor.team or '未分组'}）的同事或班组长；跨组请先转班组长"
    return f"角色 {actor.role.value} 不能指定投诉单的处理人"


# -- Escalation: who takes each level, and what needs a lead's approval ---------------------------------

# The person an escalation names holds a role of its level (vocab.ESCALATION_LEVELS): a team lead takes
# level 1, the centre's manager level 2; head office and a regulator (3, 4) are dealt with through the
# centre's managers and admins, who own the case on the desk.
ESCALATION_ROLES: dict[int, frozenset[Role]] = {
    1: frozenset({Role.TEAM_LEAD}),
    2: frozenset({Role.MANAGER}),
    3: _CENTRE,
    4: _CENTRE,
}


def may_take_escalation(user: User, level: int) -> bool:
    return user.active and user.role in ESCALATION_ROLES.get(level, frozenset())


def escalation_needs_approval(role: Role | str, current: int, target: int) -> bool:
    """Beyond one level at once, an agent or a team lead asks their lead first (managers decide)."""
    return target > current + 1 and Role(role) not in _CENTRE


def unsigned_close_needs_approval(role: Role | str) -> bool:
    """Closing without the customer's satisfied sign-off: an agent or a team lead asks their lead."""
    return Role(role) not in _CENTRE


def approver_roles(requester: Role | str) -> frozenset[Role]:
    """Who may decide a request: an agent's team lead (or a manager); a team lead's manager."""
    return _CENTRE | ({Role.TEAM_LEAD} if Role(requester) == Role.AGENT else set())


# -- Whose authority an offer is checked against -------------------------------------------------------

# Staff roles as the company's authority table (授权表) knows them: admins decide like managers;
# auditors never offer.
_AUTHORITY: dict[Role, str] = {
    Role.AGENT: "agent",
    Role.TEAM_LEAD: "team_lead",
    Role.MANAGER: "manager",
    Role.ADMIN: "manager",
}


def proposer_role(stated: str | None, account: User | None) -> str:
    """Whose authority a proposal is checked against: the role stated with it (the API and the pages
    state the caller's), else the proposer's account's, else (a process, the CLI without an account)
    the least authority, an agent's."""
    if stated:
        return stated
    return account.role.value if account is not None else Role.AGENT.value


def authority_role(role: Role | str | None) -> str | None:
    """The authority table's column for a staff role; None for a role (or text) that may offer nothing."""
    if role is None:
        return None
    try:
        return _AUTHORITY.get(Role(role))
    except ValueError:
        return None
