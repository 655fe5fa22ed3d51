"""Which complaints a member of staff may find, with the facts ``services.permissions`` needs looked up."""

from __future__ import annotations

from complaintdesk.services import accounts, permissions
from complaintdesk.services.permissions import Permission, Staff
from complaintdesk.services.unit_of_work import UnitOfWork


def visible_owners(uow: UnitOfWork, viewer: Staff) -> frozenset[str] | None:
    """None means every owner; otherwise the owners whose complaints ``viewer`` may see."""
    if permissions.allows(viewer.role, Permission.READ_EVERY_COMPLAINT):
        return None  # no lookup for who sees everything
    return permissions.visible_owners(viewer, accounts.team_members(uow, viewer.team))


def may_see_owner(uow: UnitOfWork, viewer: Staff, owner: str | None) -> bool:
    """Whether ``viewer`` may see a complaint of ``owner`` (whose team is looked up only when it matters)."""
    if permissions.allows(viewer.role, Permission.READ_EVERY_COMPLAINT) or not owner or owner == viewer.username:
        return permissions.may_see_complaint(viewer, owner, None)
    return permissions.may_see_complaint(viewer, owner, accounts.user_team(uow, owner))


def check_visible(uow: UnitOfWork, viewer: Staff, number: str) -> None:
    """NotFound for an unknown number; PermissionDenied for a complaint outside the viewer's queues."""
    with uow.reading():
        owner = uow.complaints.get(number).owner
    if not may_see_owner(uow, viewer, owner):
        raise permissions.refuse_unseen(number)
