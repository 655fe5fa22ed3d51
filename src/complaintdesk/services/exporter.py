"""Export complaints as CSV (the importer's columns first, so a file round-trips; formula-like cells
neutralised, see ``csv_cells``) or JSON Lines."""

from __future__ import annotations

import csv
import io
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


PAGE = 500


def _iter_details(uow: UnitOfWork, reveal_phone: bool) -> Iterator[dict[str, Any]]:
    """Every complaint, newest first, read in keyset pages, each page in its own short read-only
    transaction that has ended before a row is handed on: a stream sends its rows at the client's pace,
    and a client that stalls or goes away must not keep a transaction (on SQLite, a lock) open. A
    complaint changed while the export runs appears as it was when its page was read."""
    after: int | None = None
    while True:
        with uow.reading():
            batch = uow.complaints.query(ComplaintFilter(limit=PAGE, after_id=after))
            customers = {c.customer_id: uow.customers.get(c.customer_id) for c in batch}
            details = [
                complaint_detail(c, customers[c.customer_id], reveal_phone=reveal_phone) for c in batch
            ]
            after = batch[-1].id if batch else None
        yield from details
        if len(details) < PAGE:
            return


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




def iter_export(uow: UnitOfWork, fmt: str = "csv", *, reveal_phone: bool = False) -> Iterator[str]:
    """The export as text: for CSV the header line first; then one line per complaint, so a server can
    stream it."""
    if fmt not in ("csv", "jsonl"):
        raise InvalidInput("导出格式只能是 csv 或 jsonl", field="format")
    if fmt == "jsonl":
        for detail in _iter_details(uow, reveal_phone):
            yield json.dumps(detail, ensure_ascii=False) + "\n"
        return
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for detail in _iter_details(uow, reveal_phone):
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        writer.writerow({key: safe_cell(value) for key, value in _csv_row(detail).items()})
    yield buffer.getvalue()


def export(uow: UnitOfWork, out: TextIO, fmt: str = "csv", *, reveal_phone: bool = False) -> int:
    """Write the export to ``out``; the number of complaints written."""
    lines = 0
    for chunk in iter_export(uow, fmt, reveal_phone=reveal_phone):
        out.write(chunk)
        lines += chunk.count("\n") if fmt == "jsonl" else 1
    return lines if fmt == "jsonl" else lines - 1  # the header's chunk
