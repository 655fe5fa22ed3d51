"""Replies marked "send to customer" go out through the durable mail outbox, with delivery status."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from complaintdesk.domain.errors import InvalidInput
from complaintdesk.services import commands, mail_outbox
from complaintdesk.services import complaints as svc
from complaintdesk.services.bootstrap import Desk
from complaintdesk.services.handlers import handle
from complaintdesk.storage.orm_channels import mail_outbox as outbox_table
from tests.integration.channels.channel_helpers import open_complaint
from tests.integration.channels.smtp_sink import SmtpSink


def _send(desk: Desk, number: str, body: str, kind: str = "outbound", via: str | None = None) -> None:
    command = commands.AddMessage(number=number, kind=kind, body=body, actor="alice", send_to_customer=True, via=via)
    handle(desk.uow(), command)


def _reply(desk: Desk) -> str:
    number = open_complaint(desk)
    mail_outbox.add_customer_address(desk.uow(), number, "Wang@Example.CN", "alice")
    _send(desk, number, "您好,宽带已恢复,停机期间月租减免。")
    return number


def test_a_reply_is_queued_with_its_message_and_sent_by_the_worker_not_the_request(desk: Desk, sink: SmtpSink) -> None:
    number = _reply(desk)
    assert sink.received == []  # nothing sent inside the request
    [queued] = mail_outbox.mails_of(desk.uow(), number)
    assert queued["status"] == "queued" and queued["to"] == "wang@example.cn"
    detail = svc.get_complaint(desk.uow(), number)
    assert detail["messages"][-1]["kind"] == "outbound"

    run = mail_outbox.deliver_with_smtp(desk.uow)
    assert run is not None and run.sent == 1
    [(rcpt, mail)] = sink.wait_for(1)
    assert rcpt == ["wang@example.cn"]
    assert number in str(mail["Subject"])
    body = mail.get_content()
    assert "宽带已恢复" in body and "https://desk.example.cn/t/" in body
    assert mail["Auto-Submitted"] is None  # a person's reply, not an automatic one
    assert "service@desk.example.cn" in str(mail["From"])  # COMPLAINTDESK_MAIL_FROM
    assert str(mail["Message-ID"]).endswith("@desk.example.cn>")
    [sent] = mail_outbox.mails_of(desk.uow(), number)
    assert sent["status"] == "sent" and sent["sent_at"]


def test_the_mail_row_exists_only_if_the_reply_commits(desk: Desk, sink: SmtpSink) -> None:
    number = open_complaint(desk)  # mail asked for, no address for this customer: refused, nothing queued
    with pytest.raises(InvalidInput) as refused:
        _send(desk, number, "您好", via="email")
    assert refused.value.field == "send_to_customer"
    assert mail_outbox.mails_of(desk.uow(), number) == []
    assert svc.get_complaint(desk.uow(), number)["messages"] == []


def test_a_note_is_never_mailed(desk: Desk, sink: SmtpSink) -> None:
    number = open_complaint(desk)
    mail_outbox.add_customer_address(desk.uow(), number, "wang@example.cn", "alice")
    with pytest.raises(InvalidInput):
        _send(desk, number, "内部备注", kind="note")


def test_smtp_failure_is_retried_with_backoff_then_sent(desk: Desk, sink: SmtpSink) -> None:
    number = _reply(desk)
    sink.refuse_next = 1
    now = datetime.now(UTC)
    first = mail_outbox.deliver_with_smtp(desk.uow)
    assert first is not None and first.retrying == 1 and sink.received == []
    [waiting] = mail_outbox.mails_of(desk.uow(), number)
    assert waiting["status"] == "queued" and waiting["attempts"] == 1
    assert "451" in waiting["last_error"]
    assert datetime.fromisoformat(waiting["next_attempt_at"]) >= now + mail_outbox.BASE_BACKOFF - timedelta(seconds=5)

    sender = mail_outbox.smtp_sender()
    assert mail_outbox.deliver_due(desk.uow, sender).claimed == 0  # not due yet: backoff is respected
    later = datetime.now(UTC) + mail_outbox.BASE_BACKOFF + timedelta(seconds=1)
    again = mail_outbox.deliver_due(desk.uow, sender, now=later)
    assert again.sent == 1
    sink.wait_for(1)
    [sent] = mail_outbox.mails_of(desk.uow(), number)
    assert sent["status"] == "sent" and sent["attempts"] == 2 and sent["last_error"] is None


def test_an_unreachable_server_keeps_the_mail_queued(desk: Desk, sink: SmtpSink) -> None:
    number = _reply(desk)
    sink.stop()
    run = mail_outbox.deliver_with_smtp(desk.uow)
    assert run is not None and run.retrying == 1
    [waiting] = mail_outbox.mails_of(desk.uow(), number)
    assert waiting["status"] == "queued" and "Connection" in (waiting["last_error"] or "")


def test_a_mail_that_keeps_failing_ends_failed_after_the_last_attempt(desk: Desk, sink: SmtpSink) -> None:
    number = _reply(desk)
    sink.refuse_next = mail_outbox.MAX_ATTEMPTS
    sender = mail_outbox.smtp_sender()
    moment = datetime.now(UTC)
    for _ in range(mail_outbox.MAX_ATTEMPTS):
        mail_outbox.deliver_due(desk.uow, sender, now=moment)
        moment += mail_outbox.MAX_BACKOFF + timedelta(seconds=1)
    [dead] = mail_outbox.mails_of(desk.uow(), number)
    assert dead["status"] == "failed" and dead["attempts"] == mail_outbox.MAX_ATTEMPTS


def test_two_workers_never_send_one_mail_twice(desk: Desk, sink: SmtpSink) -> None:
    number = _reply(desk)
    sender = mail_outbox.smtp_sender()
    runs = [mail_outbox.deliver_due(desk.uow, sender), mail_outbox.deliver_due(desk.uow, sender)]
    assert sum(r.claimed for r in runs) == 1
    with desk.uow().reading() as uow:
        rows = uow.users.session.execute(select(outbox_table.c.status).where(outbox_table.c.complaint_number == number)).all()
    assert [r.status for r in rows] == ["sent"]
