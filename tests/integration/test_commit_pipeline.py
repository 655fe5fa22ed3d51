"""The commit pipeline: what a commit writes with its change (audit event, search entry, webhook outbox
row) is wired where the desk is composed, so any process that opens a desk writes all of it — and a
commit that fails writes none of it."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import func, select

from complaintdesk.domain.errors import ComplaintDeskError
from complaintdesk.services import webhooks
from complaintdesk.services.bootstrap import Desk
from complaintdesk.services.commit_pipeline import Commit, CommitPipeline
from complaintdesk.storage import orm
from complaintdesk.storage.orm_api import search_documents, webhook_outbox
from tests.builders import open_complaint

# Only the bare service layer and the composition: no API, no web, no webhooks or search module.
_BARE_PROCESS = textwrap.dedent(
    """
    import sys
    from complaintdesk.services import complaints
    from complaintdesk.services.bootstrap import open_desk

    desk = open_desk(sys.argv[1])
    command = complaints.OpenComplaint(
        customer_name="王女士", phone="13812345678", title="宽带被停机",
        description="宽带欠费不足30天被停机,要求恢复并道歉", actor="li_agent",
    )
    print(complaints.open_complaint(desk.uow(), command)["number"])
    """
)


def _written(desk: Desk, number: str) -> tuple[int, int, int]:
    """(audit events, search entries, outbox rows) of this complaint."""
    with desk.uow().reading() as uow:
        session = uow.complaints.session
        audit = session.scalar(
            select(func.count()).select_from(orm.audit_events).where(orm.audit_events.c.complaint_number == number)
        )
        complaint_id = session.scalar(select(orm.complaints.c.id).where(orm.complaints.c.number == number))
        entries = session.scalar(
            select(func.count()).select_from(search_documents).where(search_documents.c.complaint_id == complaint_id)
        )
        payloads = session.scalars(select(webhook_outbox.c.payload)).all()
    outbox = sum(1 for p in payloads if p["complaint_number"] == number and p["event"] == "complaint.opened")
    return int(audit or 0), int(entries or 0), outbox


def _totals(desk: Desk) -> tuple[int, int, int, int]:
    with desk.uow().reading() as uow:
        session = uow.complaints.session
        return tuple(  # type: ignore[return-value]
            int(session.scalar(select(func.count()).select_from(table)) or 0)
            for table in (orm.complaints, orm.audit_events, search_documents, webhook_outbox)
        )


def test_a_process_with_only_the_service_layer_writes_audit_index_and_outbox(
    desk: Desk, database_url: str, tmp_path: Path
) -> None:
    webhooks.subscribe(desk.uow(), "https://crm.example.com/hook", ["complaint.opened"], "root")
    result = subprocess.run(
        [sys.executable, "-c", _BARE_PROCESS, database_url],
        env=dict(os.environ), capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    number = result.stdout.strip().splitlines()[-1]
    audit, entries, outbox = _written(desk, number)
    assert audit >= 1, "no audit event"
    assert entries == 1, "no search entry"
    assert outbox == 1, "no webhook outbox row for the complaint.opened subscription"


def test_a_commit_that_fails_writes_no_audit_event_search_entry_or_outbox_row(desk: Desk) -> None:
    webhooks.subscribe(desk.uow(), "https://crm.example.com/hook", ["complaint.opened"], "root")
    before = _totals(desk)
    reached: list[int] = []

    def refuse(commit: Commit) -> None:
        reached.append(len(commit.records))  # every handler before this one has written its rows
        raise ComplaintDeskError("拒绝提交", field=None)

    failing = Desk(
        desk.settings,
        desk.engine,
        desk.session_factory,
        CommitPipeline(handlers=(*desk.pipeline.handlers, refuse), trackers=desk.pipeline.trackers),
    )
    with pytest.raises(ComplaintDeskError):
        open_complaint(failing, description="宽带停机三天,要求退还月费")
    assert reached and reached[0] >= 1  # the audit events were sealed in the transaction …
    assert _totals(desk) == before  # … and rolled back with the complaint, its entry and its outbox row


def test_the_handlers_run_in_the_composed_order(desk: Desk) -> None:
    seen: list[str] = []

    def spy(name: str) -> object:
        def handler(commit: Commit) -> None:
            seen.append(f"{name}:{len(commit.records)}")

        return handler

    handlers = desk.pipeline.handlers
    spied = Desk(
        desk.settings,
        desk.engine,
        desk.session_factory,
        CommitPipeline(handlers=tuple(h for pair in zip(handlers, map(spy, "abcde"), strict=True) for h in pair)),  # type: ignore[arg-type]
    )
    open_complaint(spied)
    # the index first (outside the audit chain's lock), then the audit events, the outboxes, the inbox
    assert [h.__name__ for h in handlers] == [
        "write_changed", "seal_audit_events", "queue_deliveries", "queue_mails", "write_notifications",
    ]  # fmt: skip
    assert seen[0] == "a:0" and seen[1].startswith("b:") and seen[1] != "b:0"
