"""The in-app inbox: who is told what, written from a commit's domain events in that commit's
transaction (a commit handler composed in ``bootstrap``), so a notification exists exactly when the
change it reports does; and the reads behind the header's badge, the inbox page, the API and the CLI.

Who is told (never the person who acted):

* ``assigned`` — a complaint opened for someone else names them its owner;
* ``transferred`` — a complaint transferred to them;
* ``escalated`` — an escalation names them as the person who takes it;
* ``sla_warning`` / ``sla_breach`` — a clock of a complaint they own is near or past its time (a breach
  tells the owner's team lead too: the sweep no longer escalates silently);
* ``mentioned`` — ``@username`` in an internal note;
* ``customer_reply`` — a customer's message on a complaint they own;
* ``approval_requested`` / ``approval_decided`` — an approval asked of a lead, and its answer;
* ``task_due`` — a call-back or follow-up task of a complaint they own is due soon (``services.callbacks``);
* ``task_missed`` — such a task is past due with no outcome: the owner and the owner's team lead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from complaintdesk.domain.errors import InvalidInput, NotFound
from complaintdesk.domain.model import DomainEvent
from complaintdesk.services import callbacks
from complaintdesk.services.commit_pipeline import Commit
from complaintdesk.services.unit_of_work import UnitOfWork
from complaintdesk.settings import local_zone
from complaintdesk.storage import orm

MAX_PAGE = 100
_MENTION = re.compile(r"@([A-Za-z0-9_.-]{2,64})")
_SUMMARY = 500


@dataclass(frozen=True)
class Notice:
    """One person to tell about one event (before it is a row)."""

    recipient: str
    kind: str
    number: str | None
    actor: str
    at: datetime
    summary: str
    request_id: int | None = None


def _clip(text: object, limit: int = 120) -> str:
    value = " ".join(str(text or "").split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _local_time(value: object) -> str:
    try:
        return datetime.fromisoformat(str(value)).astimezone(local_zone()).strftime("%m-%d %H:%M")
    except ValueError:
        return str(value or "")


def _complaint_facts(session: Session, numbers: set[str]) -> dict[str, tuple[str | None, str]]:
    """Owner and title of each complaint named by the commit's events, in one read."""
    if not numbers:
        return {}
    c = orm.complaints.c
    rows = session.execute(select(c.number, c.owner, c.title).where(c.number.in_(numbers))).all()
    return {r.number: (r.owner, r.title) for r in rows}


def _team_leads(session: Session, usernames: set[str]) -> dict[str, str]:
    """Each user's team lead (the lead of their team's record), for those who have one."""
    if not usernames:
        return {}
    u, t = orm.users.c, orm.teams.c
    rows = session.execute(
        select(u.username, t.lead).join(orm.teams, t.name == u.team).where(u.username.in_(usernames))
    ).all()
    return {r.username: r.lead for r in rows if r.lead}


def _notices(
    number: str | None, event: DomainEvent, facts: dict[str, tuple[str | None, str]], leads: dict[str, str]
) -> list[Notice]:
    p = event.payload or {}
    owner, title = facts.get(number or "", (None, ""))
    about = f"投诉单 {number}「{_clip(title, 40)}」" if number else ""

    def tell(recipient: str | None, kind: str, text: str, request_id: int | None = None) -> list[Notice]:
        if not recipient:
            return []
        return [Notice(recipient, kind, number, event.actor, event.at, _clip(text, _SUMMARY), request_id)]

    kind = event.kind
    if kind == "opened" and p.get("owner") and p.get("owner") != event.actor:
        return tell(p.get("owner"), "assigned", f"{event.actor} 把新{about}分派给你")
    if kind == "transferred":
        return tell(p.get("to"), "transferred", f"{event.actor} 把{about}转给你：{_clip(p.get('reason'))}")
    if kind == "escalated":
        return tell(
            p.get("to_user"), "escalated",
            f"{event.actor} 把{about}升级到 {p.get('to')} 级并指定由你处理：{_clip(p.get('reason'))}",
        )  # fmt: skip
    if kind in ("sla_warning", "sla_breach"):
        word = "即将超时" if kind == "sla_warning" else "已超时"
        text = f"{about}{word}:{_clip(p.get('reason'))}"
        notices = tell(owner, kind, text)
        if kind == "sla_breach" and owner and leads.get(owner) and leads[owner] != owner:
            notices += tell(leads[owner], kind, f"{text}（处理人 {owner}）")
        return notices
    if kind == "message_added" and p.get("kind") == "note":
        return [
            n
            for name in mentioned(str(p.get("body") or ""))
            for n in tell(name, "mentioned", f"{event.actor} 在{about}的内部备注中提到了你")
        ]
    if kind == "message_added" and p.get("kind") == "inbound":
        return tell(owner, "customer_reply", f"{about}有客户的新消息")
    if kind in ("task_reminder", "task_missed"):
        task = f"{about}的{'回访' if p.get('kind') == 'follow_up' else '回电'}任务「{_clip(p.get('what'), 60)}」"
        due = _local_time(p.get("due_at"))
        if kind == "task_reminder":
            return tell(p.get("owner"), "task_due", f"{task}将于 {due} 到期")
        notices = tell(p.get("owner"), "task_missed", f"{task}已逾期（应于 {due} 完成）")
        if p.get("lead") and p.get("lead") != p.get("owner"):
            notices += tell(p.get("lead"), "task_missed", f"{task}已逾期，处理人 {p.get('owner')} 尚未记录结果")
        return notices
    if kind == "approval_requested":
        what = "越级升级" if p.get("request_kind") == "escalate" else "未签收结案"
        return tell(
            p.get("approver"), "approval_requested",
            f"{event.actor} 请你审批{about}的{what}:{_clip(p.get('reason'))}", p.get("request_id"),
        )  # fmt: skip
    if kind == "approval_decided":
        verdict = "批准" if p.get("approved") else "驳回"
        return tell(p.get("requested_by"), "approval_decided", f"{event.actor} {verdict}了你对{about}的申请")
    return []


def _may_concern_someone(event: DomainEvent) -> bool:
    """Whether ``event`` can tell anyone but its actor: the common commit (an owner opening or moving
    their own complaint) then reads nothing more."""
    p = event.payload or {}
    if event.kind in ("sla_warning", "sla_breach", "task_reminder", "task_missed"):
        return True
    if event.kind == "message_added":
        return p.get("kind") == "inbound" or (
            p.get("kind") == "note" and bool(set(mentioned(str(p.get("body") or ""))) - {event.actor})
        )
    recipient = {
        "opened": p.get("owner"), "transferred": p.get("to"), "escalated": p.get("to_user"),
        "approval_requested": p.get("approver"), "approval_decided": p.get("requested_by"),
    }.get(event.kind)  # fmt: skip
    return bool(recipient) and recipient != event.actor


def write_notifications(commit: Commit) -> None:
    """Commit handler: a row for every person the commit's events concern, in the same transaction."""
    events = [(n, e) for n, e in commit.events if e.kind in _KINDS and _may_concern_someone(e)]
    if not events:
        return
    session = commit.session
    facts = _complaint_facts(session, {n for n, _ in events if n})
    breached_owners = {facts[n][0] for n, e in events if e.kind == "sla_breach" and n in facts}
    leads = _team_leads(session, {o for o in breached_owners if o})
    notices = [x for number, event in events for x in _notices(number, event, facts, leads)]
    notices = [x for x in notices if x.recipient != x.actor]
    if not notices:
        return
    # Only real, active accounts have an inbox (a mention of a stranger, an import pool as owner: no row).
    u = orm.users.c
    known = {
        r.username
        for r in session.execute(
            select(u.username).where(u.username.in_({x.recipient for x in notices}), u.active.is_(True))
        )
    }
    rows = [
        {
            "recipient": x.recipient,
            "kind": x.kind,
            "complaint_number": x.number,
            "actor": x.actor,
            "at": x.at,
            "summary": x.summary,
            "request_id": x.request_id,
        }
        for x in notices
        if x.recipient in known
    ]
    if rows:
        session.execute(insert(orm.notifications), rows)


_KINDS = frozenset(
    {
        "opened", "transferred", "escalated", "sla_warning", "sla_breach", "message_added",
        "approval_requested", "approval_decided", "task_reminder", "task_missed",
    }
)  # fmt: skip


# -- reads and marks -------------------------------------------------------------------------------


def unread_count(uow: UnitOfWork, username: str) -> int:
    """The header's badge, polled by every open page: one count over the partial index of unread rows."""
    n = orm.notifications.c
    with uow.reading():
        value = uow.users.session.execute(
            select(func.count())
            .select_from(orm.notifications)
            .where(n.recipient == username, n.read_at.is_(None))
        ).scalar_one()
    return int(value)


def _view(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "kind": row.kind,
        "complaint_number": row.complaint_number,
        "link": f"/complaints/{row.complaint_number}" if row.complaint_number else None,
        "actor": row.actor,
        "at": row.at.isoformat(),
        "summary": row.summary,
        "request_id": row.request_id,
        "read": row.read_at is not None,
        "read_at": row.read_at.isoformat() if row.read_at else None,
    }


def inbox(
    uow: UnitOfWork, username: str, *, limit: int = 20, before: int | None = None, unread_only: bool = False
) -> dict[str, Any]:
    """A page of ``username``'s notifications, newest first (``before``: the id to continue below),
    with the unread count, the ``before`` of the next page (None at the end) and, on the first page,
    the open call-back and follow-up tasks of the complaints they own, soonest due first."""
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"limit 必须在 1 到 {MAX_PAGE} 之间", field="limit")
    n = orm.notifications.c
    query = select(orm.notifications).where(n.recipient == username)
    if before is not None:
        query = query.where(n.id < before)
    if unread_only:
        query = query.where(n.read_at.is_(None))
    with uow.reading():
        rows = uow.users.session.execute(query.order_by(n.id.desc()).limit(limit + 1)).all()
    items = [_view(r) for r in rows[:limit]]
    return {
        "items": items,
        "unread": unread_count(uow, username),
        "next_before": items[-1]["id"] if len(rows) > limit else None,
        "tasks": callbacks.open_tasks(uow, username) if before is None else [],
    }


def mark_read(
    uow: UnitOfWork, username: str, notification_id: int, *, now: datetime | None = None
) -> dict[str, Any]:
    """Mark one of ``username``'s notifications read (another person's is not found: 404)."""
    now = now or datetime.now(UTC)
    n = orm.notifications.c
    with uow:
        session = uow.users.session
        row = session.execute(
            select(orm.notifications).where(n.id == notification_id, n.recipient == username)
        ).first()
        if row is None:
            raise NotFound(f"通知 {notification_id} 不存在", field="id")
        if row.read_at is None:
            session.execute(update(orm.notifications).where(n.id == notification_id).values(read_at=now))
        uow.commit()
        return {**_view(row), "read": True}


def mark_all_read(uow: UnitOfWork, username: str, *, now: datetime | None = None) -> int:
    """Mark every unread notification of ``username`` read; how many were."""
    now = now or datetime.now(UTC)
    n = orm.notifications.c
    with uow:
        result = uow.users.session.execute(
            update(orm.notifications).where(n.recipient == username, n.read_at.is_(None)).values(read_at=now)
        )
        uow.commit()
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


def mentioned(body: str) -> list[str]:
    """The usernames an internal note mentions (``@li_agent``), in order, once each."""
    return list(dict.fromkeys(_MENTION.findall(body or "")))
