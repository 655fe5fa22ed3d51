"""Export complaints as CSV (the importer's columns first, so a file round-trips; formula-like cells
neutralised, see ``csv_cells``) or JSON Lines."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any, TextIO

from complaintdesk.domain.errors import InvalidInput
from complaintdesk.services.csv_cells import safe_cell
from complaintdesk.services.unit_of_work import UnitOfWork
from complaintdesk.services.views import complaint_detail
from complaintdesk.storage.repository import ComplaintFilter

CSV_COLUMNS = (
    "number",
    "customer_name",
    "phone",
    "segment",
    "channel",
    "title",
    "description",
    "category",
    "received_at",
    "priority",
    "owner",
    "stage",
    "escalation_level",
    "transfer_count",
    "repeat",
    "demands",
    "closed_at",
    "signoff_satisfied",
)


def _iter_details(uow: UnitOfWork, reveal_phone: bool) -> Iterator[dict[str, Any]]:
    after: int | None = None
    with uow:
        while True:
            batch = uow.complaints.query(ComplaintFilter(limit=500, after_id=after))
            if not batch:
                return
            for complaint in batch:
                customer = uow.customers.get(complaint.customer_id)
                yield complaint_detail(complaint, customer, reveal_phone=reveal_phone)
            after = batch[-1].id


def _csv_row(d: dict[str, Any]) -> dict[str, Any]:
    return {
        "number": d["number"],
        "customer_name": d["customer"]["name"],
        "phone": d["customer"]["phone"],
        "segment": d["customer"]["segment"],
        "channel": d["channel"],
        "title": d["title"],
        "description": d["description"],
        "category": d["category"],
        "received_at": d["opened_at"],
        "priority": d["priority"],
        "owner": d["owner"],
        "stage": d["stage"],
        "escalation_level": d["escalation_level"],
        "transfer_count": d["transfer_count"],
        "repeat": d["repeat"],
        "demands": ";".join(d["demands"]),
        "closed_at": d["closed_at"] or "",
        "signoff_satisfied": "" if d["signoff"] is None else d["signoff"]["satisfied"],
    }


def export(uow: UnitOfWork, out: TextIO, fmt: str = "csv", *, reveal_phone: bool = False) -> int:
    if fmt not in ("csv", "jsonl"):
        raise InvalidInput("导出格式只能是 csv 或 jsonl", field="format")
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for detail in _iter_details(uow, reveal_phone):
            writer.writerow({key: safe_cell(value) for key, value in _csv_row(detail).items()})
            count += 1
    else:
        for detail in _iter_details(uow, reveal_phone):
            out.write(json.dumps(detail, ensure_ascii=False) + "\n")
            count += 1
    return count
