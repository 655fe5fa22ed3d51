"""Read models: what the CLI, API and pages show of a complaint (phone masked unless authorised)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Row

from complaintdesk.domain.model import Complaint, Customer, mask_phone
from complaintdesk.domain.tasks import Task
from complaintdesk.domain.vocab import ESCALATION_LEVELS, STAGE_LABELS_ZH, Stage
from complaintdesk.domain.workflow import allowed_targets


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def loaded_values(obj: object, names: frozenset[str]) -> Mapping[str, Any]:
    """``obj``'s attributes ``names`` by name: its instance dict itself when every one of them is loaded there,
    else each read through its attribute (which loads what is not).

    For a loaded attribute the ORM's attribute read returns exactly the dict's value (every attribute the
    views read is a column or a collection, both kept in the dict), but through a Python-level descriptor
    call: a detail view reads some 45 of them, about a third of its instructions. Only for the views,
    which read and never write (tests/unit/test_views_loaded_values.py compares both ways)."""
    held: dict[str, Any] = obj.__dict__
    if names <= held.keys():
        return held
    return {name: getattr(obj, name) for name in names}


_CUSTOMER_FIELDS = frozenset({"id", "name", "phone", "segment", "created_at"})


def customer_view(customer: Customer, *, reveal_phone: bool = False) -> dict[str, Any]:
    v = loaded_values(customer, _CUSTOMER_FIELDS)
    return {
        "id": v["id"],
        "name": v["name"],
        "phone": v["phone"] if reveal_phone else mask_phone(v["phone"]),
        "segment": v["segment"].value,
        "created_at": _iso(v["created_at"]),
    }


SummaryRow = Row[*tuple[Any, ...]]  # any result row, whatever its column count

# The complaint columns a queue summary shows, by name: the queue listing selects exactly these (plus the
# customer's name) so it can build summaries from plain rows without loading entities.
SUMMARY_COLUMNS: tuple[str, ...] = (
    "number",
    "title",
    "channel",
    "category",
    "priority",
    "stage",
    "owner",
    "escalation_level",
    "transfer_count",
    "runaround",
    "repeat",
    "opened_at",
    "version",
)


_STAGE_LABELS_BY_VALUE = {stage.value: label for stage, label in STAGE_LABELS_ZH.items()}


def _summary(
    number: str, title: str, customer_name: str | None, channel: str, category: str, priority: str, stage: str,
    owner: str | None, escalation_level: int, transfer_count: int, runaround: bool, repeat: bool,
    opened_at: datetime | None, version: int,
) -> dict[str, Any]:  # fmt: skip
    """The summary a queue row and a complaint's detail both show, the vocabulary as its values."""
    return {
        "number": number,
        "title": title,
        "customer": customer_name,
        "channel": channel,
        "category": category,
        "priority": priority,
        "stage": stage,
        "stage_label": _STAGE_LABELS_BY_VALUE[stage],
        "owner": owner,
        "escalation_level": escalation_level,
        "transfer_count": transfer_count,
        "runaround": runaround,
        "repeat": repeat,
        "opened_at": _iso(opened_at),
        "version": version,
    }


_SUMMARY_FIELDS = frozenset(SUMMARY_COLUMNS)


def complaint_summary(complaint: Complaint, customer: Customer | None = None) -> dict[str, Any]:
    return _summary_of(loaded_values(complaint, _SUMMARY_FIELDS), customer)


def _summary_of(v: Mapping[str, Any], customer: Customer | None) -> dict[str, Any]:
    return _summary(
        v["number"], v["title"], customer.name if customer else None, v["channel"].value, v["category"].value,
        v["priority"].value, Stage(v["stage"]).value, v["owner"], v["escalation_level"], v["transfer_count"],
        v["runaround"], v["repeat"], v["opened_at"], v["version"],
    )  # fmt: skip


# A queue row's columns, in the order the queue query selects them (services.queue._statement).
QUEUE_ROW_COLUMNS: tuple[str, ...] = ("id", *SUMMARY_COLUMNS, "customer_name")
# Read from a queue row as the strings stored, not as enums: the summary shows only their values.
VOCABULARY_COLUMNS: frozenset[str] = frozenset({"channel", "category", "priority", "stage"})
_WIDTH = len(QUEUE_ROW_COLUMNS)


def summary_from_row(row: SummaryRow) -> dict[str, Any]:
    """The same summary as ``complaint_summary`` from a row of the ``QUEUE_ROW_COLUMNS``, the
    ``VOCABULARY_COLUMNS`` as their stored values (datetime columns typed). The row is read by
    position: looking its columns up by name cost more than building the rest of the summary."""
    (
        _id, number, title, channel, category, priority, stage, owner, escalation_level,
        transfer_count, runaround, repeat, opened_at, version, customer_name,
    ) = row[:_WIDTH]  # fmt: skip  # the due-ordered page appends its sort key, a total may follow
    return _summary(
        number, title, customer_name, channel, category, priority, stage, owner, escalation_level,
        transfer_count, runaround, repeat, opened_at, version,
    )  # fmt: skip


_DETAIL_FIELDS = _SUMMARY_FIELDS | {
    "description", "demands", "proposal", "waiver_reason", "signoff_satisfied", "signoff_reason", "signoff_at",
    "follow_up_due", "follow_up_done_at", "follow_up_outcome", "reopen_count", "updated_at", "closed_at",
    "first_response_at", "messages", "attachments", "transfers", "promises", "tasks", "repeat_links", "analysis",
    "facts",
}  # fmt: skip


def complaint_detail(
    complaint: Complaint, customer: Customer, *, reveal_phone: bool = False
) -> dict[str, Any]:
    v = loaded_values(complaint, _DETAIL_FIELDS)
    data = _summary_of(v, customer)
    data.update(
        {
            "customer": customer_view(customer, reveal_phone=reveal_phone),
            "description": v["description"],
            "demands": list(v["demands"]),
            "escalation_label": ESCALATION_LEVELS[v["escalation_level"]],
            "proposal": v["proposal"],
            "waiver_reason": v["waiver_reason"],
            "signoff": None
            if v["signoff_satisfied"] is None
            else {
                "satisfied": v["signoff_satisfied"],
                "reason": v["signoff_reason"],
                "at": _iso(v["signoff_at"]),
            },
            "follow_up": {
                "due": _iso(v["follow_up_due"]),
                "done_at": _iso(v["follow_up_done_at"]),
                "outcome": v["follow_up_outcome"],
            },
            "reopen_count": v["reopen_count"],
            "updated_at": _iso(v["updated_at"]),
            "closed_at": _iso(v["closed_at"]),
            "first_response_at": _iso(v["first_response_at"]),
            "allowed_moves": [s.value for s in allowed_targets(complaint)],
            "messages": [
                {"kind": m.kind.value, "author": m.author, "body": m.body, "at": _iso(m.at)}
                for m in v["messages"]
            ],
            "attachments": [
                {
                    "filename": a.filename,
                    "content_type": a.content_type,
                    "size": a.size,
                    "sha256": a.sha256,
                    "at": _iso(a.at),
                    "from_customer": bool(a.from_customer),
                }
                for a in v["attachments"]
            ],
            "transfers": [
                {
                    "from": t.from_owner,
                    "to": t.to_owner,
                    "reason": t.reason,
                    "actor": t.actor,
                    "at": _iso(t.at),
                }
                for t in v["transfers"]
            ],
            "promises": [
                {
                    "what": p.what,
                    "due_at": _iso(p.due_at),
                    "made_at": _iso(p.made_at),
                    "made_by": p.made_by,
                    "kept": p.kept,
                    "resolved_at": _iso(p.resolved_at),
                }
                for p in v["promises"]
            ],
            "tasks": [task_view(t, v["number"]) for t in v["tasks"]],
            "repeat_links": [
                {"earlier": r.earlier_number, "score": r.score, "reason": r.reason, "at": _iso(r.at)}
                for r in v["repeat_links"]
            ],
            "analysis": v["analysis"],
            "facts": v["facts"] or {},
        }
    )
    return data


def task_view(task: Task, number: str) -> dict[str, Any]:
    """A call-back or follow-up task as the API, the inbox and the complaint page show it."""
    return {
        "id": task.id,
        "complaint_number": number,
        "kind": str(task.kind),
        "what": task.what,
        "due_at": _iso(task.due_at),
        "created_by": task.created_by,
        "reminded_at": _iso(task.reminded_at),
        "missed_at": _iso(task.missed_at),
        "outcome": task.outcome,
        "outcome_by": task.outcome_by,
        "outcome_at": _iso(task.outcome_at),
    }
