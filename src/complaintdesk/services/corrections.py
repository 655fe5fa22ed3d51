"""An agent corrects the analysis of a complaint; corrected complaints become training labels.

Seed 001 asks the handler to judge the customer; the engine proposes, the agent decides. What the agent
sets is kept beside the engine's reading (the panel shows both), audited, and read back by
``complaintdesk train analysis --from-desk`` as gold labels for the learned layer.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from complaintdesk.analysis.model import MULTI_LABEL_FIELDS, SINGLE_LABEL_FIELDS
from complaintdesk.domain.errors import InvalidInput
from complaintdesk.services.unit_of_work import UnitOfWork
from complaintdesk.storage import orm

SINGLE = SINGLE_LABEL_FIELDS
MULTI = MULTI_LABEL_FIELDS
FIELDS = (*SINGLE, *MULTI)


def check(corrections: Mapping[str, Any]) -> dict[str, Any]:
    """The corrections in canonical form (multi-label fields sorted, no duplicates), or InvalidInput
    naming the field and the allowed values."""
    if not isinstance(corrections, Mapping) or not corrections:
        raise InvalidInput(f"corrections 应为非空对象，可更正的字段：{', '.join(FIELDS)}", field="corrections")
    clean: dict[str, Any] = {}
    for name, value in corrections.items():
        where = f"corrections.{name}"
        if name in SINGLE:
            if not isinstance(value, str) or value not in SINGLE[name]:
                raise InvalidInput(f"{where} 应为其中之一：{', '.join(SINGLE[name])}", field=where)
            clean[name] = value
        elif name in MULTI:
            if not isinstance(value, list) or any(not isinstance(v, str) or v not in MULTI[name] for v in value):
                raise InvalidInput(f"{where} 应为列表，取值：{', '.join(MULTI[name])}", field=where)
            clean[name] = sorted(set(value))
        else:
            raise InvalidInput(f"不能更正的字段 {name!r}；可更正：{', '.join(FIELDS)}", field=where)
    return clean


def correct_analysis(
    uow: UnitOfWork,
    number: str,
    corrections: Mapping[str, Any],
    actor: str,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    from complaintdesk.services.complaints import change

    clean = check(corrections)
    at = now or datetime.now(UTC)
    return change(uow, number, expected_version, lambda c: c.correct_analysis(clean, actor, at), at)


def corrected_records(uow: UnitOfWork, limit: int = 100_000) -> list[dict[str, Any]]:
    """Every corrected complaint as a gold record (``{"text", "expect", "number"}``), newest first."""
    with uow.reading():
        session = uow.users.session
        numbers = [
            row.complaint_number
            for row in session.execute(
                select(orm.audit_events.c.complaint_number)
                .where(orm.audit_events.c.kind == "analysis_corrected")
                .group_by(orm.audit_events.c.complaint_number)
                .order_by(orm.audit_events.c.complaint_number.desc())
                .limit(limit)
            )
        ]
        records = []
        for number in numbers:
            complaint = uow.complaints.get(number)
            corrections = (complaint.analysis or {}).get("corrections")
            if corrections:
                text = f"{complaint.title}\n{complaint.description}"
                records.append({"number": number, "text": text, "expect": dict(corrections)})
        return records
