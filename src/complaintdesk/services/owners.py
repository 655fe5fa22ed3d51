"""Who may own a complaint, checked wherever an owner is named: intake, transfer, import.

A complaint whose owner is no active member of staff drops out of every agent's and team lead's
queue (the queue is "my own and my team's"): the owner must exist, be active, and be someone the
actor may assign to (``services.permissions.assignment_refusal``).
"""

from __future__ import annotations

from complaintdesk.domain.errors import InvalidInput, WorkflowViolation
from complaintdesk.domain.users import User
from complaintdesk.services.permissions import assignment_refusal, may_own
from complaintdesk.services.unit_of_work import UnitOfWork


def check_owner(uow: UnitOfWork, actor: str, target: str, field: str) -> None:
    """Inside an open unit of work: refused unless ``actor`` may make ``target`` the owner.

    An unknown, inactive or non-owning account is bad input (422); a real colleague outside the
    actor's reach is a guard of the workflow (409). Both name ``field``.
    """
    if target == actor:
        # Taking a complaint oneself is what intake does by default, for a process's pool too (the
        # importer's own "import" queue, which an export then carries back in its owner column).
        return
    user = uow.users.get(target)
    if user is None:
        raise InvalidInput(f"处理人 {target} 不存在：请从可选的同事中选择", field=field)
    refusal = assignment_refusal(uow.users.get(actor), user)
    if refusal is not None:
        error = InvalidInput if not may_own(user) else WorkflowViolation
        raise error(refusal, field=field, code=None if error is InvalidInput else "owner_not_assignable")


def assignable_owners(uow: UnitOfWork, actor: str) -> list[User]:
    """Every account ``actor`` may hand a complaint to (the web's transfer picker), by username."""
    with uow:
        me = uow.users.get(actor)
        return [u for u in uow.users.all() if assignment_refusal(me, u) is None]
