"""Call-back and follow-up tasks (``domain.tasks``): the open tasks in an owner's inbox, and the sweep
that reminds the owner before a task is due and tells their team lead once it is missed — once each,
even with several sweepers running (task rows are claimed with SKIP LOCKED on PostgreSQL). The
outcome is a workflow command (``RecordTaskOutcome`` in ``services.handlers``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select

from complaintdesk.domain.model import DomainEvent
from complaintdesk.domain.tasks import TaskPolicy, load_task_policy
from complaintdesk.services import staff
from complaintdesk.services.unit_of_work import UnitOfWork
from complaintdesk.storage import orm

MAX_TASKS = 100


def policy() -> TaskPolicy:
    return load_task_policy()


def is_callback(what: str) -> bool:
    """Whether a promise's text promises a call back (``data/tasks.yaml``, ``callback_cues``)."""
    return policy().is_callback(what)


def open_tasks(uow: UnitOfWork, username: str, *, limit: int = MAX_TASKS) -> list[dict[str, Any]]:
    """The open tasks of the complaints ``username`` owns, soonest due first."""
    t, c = orm.tasks.c, orm.complaints.c
    query = (
        select(orm.tasks, c.number, c.title)
        .join(orm.complaints, c.id == t.complaint_id)
        .where(t.outcome.is_(None), c.owner == username)
        .order_by(t.due_at, t.id)
        .limit(limit)
    )
    with uow.reading():
        rows = uow.users.session.execute(query).all()
    return [
        {
            "id": r.id, "complaint_number": r.number, "title": r.title, "kind": r.kind, "what": r.what,
            "due_at": r.due_at.isoformat(), "reminded": r.reminded_at is not None,
            "missed": r.missed_at is not None, "link": f"/complaints/{r.number}",
        }
        for r in rows
    ]  # fmt: skip


@dataclass
class TaskSweepResult:
    checked: int = 0
    reminders: int = 0
    missed: int = 0
    actions: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"检查 {self.checked} 个任务，提醒 {self.reminders} 次，逾期通报 {self.missed} 次"

    def to_dict(self) -> dict[str, Any]:
        return {"checked": self.checked, "reminders": self.reminders, "missed": self.missed, "actions": self.actions}


def sweep(
    uow: UnitOfWork, *, now: datetime | None = None, remind_before: timedelta | None = None, batch: int = 500
) -> TaskSweepResult:
    """Remind each open task's owner ``remind_before`` its due time (default from ``data/tasks.yaml``)
    and, once it is past due with no outcome, tell the owner and their team lead; each once."""
    now = now or datetime.now(UTC)
    before = policy().remind_before if remind_before is None else remind_before
    result = TaskSweepResult()
    t, c = orm.tasks.c, orm.complaints.c
    # Written as ix_tasks_open_due's predicate, so that the sweep reads that index.
    query = (
        select(t.id, c.number)
        .join(orm.complaints, c.id == t.complaint_id)
        .where(t.outcome.is_(None))
        .where(or_(and_(t.reminded_at.is_(None), t.due_at <= now + before), and_(t.missed_at.is_(None), t.due_at < now)))
        .order_by(t.due_at)
        .limit(batch)
    )
    with uow:
        session = uow.users.session
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True, of=orm.tasks)
        for task_id, number in session.execute(query).all():
            complaint = uow.complaints.get(number)
            task = next(x for x in complaint.tasks if x.id == task_id)
            result.checked += 1
            payload = {**task.payload(), "owner": complaint.owner}
            if task.reminder_due(now, before):
                task.reminded_at = now
                result.reminders += 1
                complaint.pending_events.append(DomainEvent("task_reminder", "tasks", now, payload))
                result.actions.append(f"{number} 提醒 {complaint.owner}: {task.what}")
            if task.missed(now):
                task.missed_at = now
                result.missed += 1
                lead = staff.team_lead_of(uow, complaint.owner) if complaint.owner else None
                complaint.pending_events.append(DomainEvent("task_missed", "tasks", now, {**payload, "lead": lead}))
                result.actions.append(f"{number} 逾期，通报 {complaint.owner} 和班组长 {lead or '-'}: {task.what}")
        uow.commit()
    return result
