"""Mail in from a real IMAP mailbox (a private dovecot): the same intake as the SMTP listener's, and a
mail marked in the mailbox only after its complaint is committed."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from email.message import Message
from email.policy import compat32

import pytest

from complaintdesk.channels.imap import ImapMailbox, parse_imap_url
from complaintdesk.domain.errors import ConfigurationError, MailboxUnavailable
from complaintdesk.services import complaints as svc
from complaintdesk.services import mail_intake, mail_outbox, mail_poll
from complaintdesk.services.bootstrap import Desk
from complaintdesk.settings import get_settings
from tests.integration.channels.channel_helpers import numbers
from tests.integration.channels.imap_server import TestMailbox
from tests.integration.channels.mail_helpers import complaint_count, customer_mail, with_files
from tests.integration.channels.smtp_sink import SmtpSink

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _raw(mail: Message) -> bytes:
    return mail.as_bytes(policy=compat32.clone(linesep="\r\n"))


def _poll(desk: Desk) -> mail_poll.PollRun:
    run = mail_poll.poll_with_imap(desk.uow)
    assert run is not None
    return run


class _DiesBeforeMarking(ImapMailbox):
    """A poller that dies after the commit and before the mail is marked."""

    def done(self, uid: int) -> None:
        raise KeyboardInterrupt("killed before marking")


def test_a_mail_in_the_mailbox_opens_a_complaint_and_is_marked_seen_after(
    desk: Desk, sink: SmtpSink, mailbox: TestMailbox
) -> None:
    mailbox.deliver(_raw(customer_mail()))
    assert mailbox.uids("UNSEEN") == [1]
    run = _poll(desk)
    assert (run.fetched, run.opened) == (1, 1)
    [number] = numbers(desk)
    assert run.numbers == [number]
    assert svc.get_complaint(desk.uow(), number)["channel"] == "email"
    assert mailbox.uids("UNSEEN") == [] and mailbox.uids("SEEN") == [1]
    assert _poll(desk).fetched == 0  # marked: not read again
    mail_outbox.deliver_with_smtp(desk.uow)
    [(rcpt, ack)] = sink.wait_for(1)
    assert rcpt == ["wang@example.cn"] and number in str(ack["Subject"])


def test_a_reply_in_the_mailbox_threads_into_its_complaint_without_a_second_acknowledgement(
    desk: Desk, sink: SmtpSink, mailbox: TestMailbox
) -> None:
    mailbox.deliver(_raw(customer_mail()))
    _poll(desk)
    mail_outbox.deliver_with_smtp(desk.uow)
    [(_, ack)] = sink.wait_for(1)
    reply = customer_mail("补充:停机是从11月20日开始的。", subject="Re: 我们已收到您的投诉")
    reply["In-Reply-To"] = ack["Message-ID"]
    mailbox.deliver(_raw(reply))
    assert _poll(desk).threaded == 1
    [number] = numbers(desk)
    assert "11月20日" in svc.get_complaint(desk.uow(), number)["messages"][-1]["body"]
    mail_outbox.deliver_with_smtp(desk.uow)
    assert len(sink.received) == 1


def test_a_gbk_mail_with_an_attachment_is_read_correctly_from_the_mailbox(desk: Desk, mailbox: TestMailbox) -> None:
    body = "朱镕基路营业厅的宽带被停机,要求恢复。"  # 镕: GBK, not GB2312, which the mail declares
    text = (
        "From: =?gb2312?B?" + base64.b64encode("李先生".encode("gbk")).decode() + "?= <li@example.cn>\r\n"
        "Subject: =?gb2312?B?" + base64.b64encode("镕基路宽带停机".encode("gbk")).decode() + "?=\r\n"
        "Message-ID: <gbk-imap-1@example.cn>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: multipart/mixed; boundary=b1\r\n\r\n"
        "--b1\r\nContent-Type: text/plain; charset=gb2312\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + base64.b64encode(body.encode("gbk")).decode()
        + "\r\n--b1\r\nContent-Type: image/png\r\nContent-Disposition: attachment; filename=bill.png\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\n" + base64.b64encode(PNG).decode() + "\r\n--b1--\r\n"
    )
    mailbox.deliver(text.encode("ascii"))
    _poll(desk)
    [number] = numbers(desk)
    detail = svc.get_complaint(desk.uow(), number)
    assert (detail["title"], detail["description"]) == ("镕基路宽带停机", body)
    assert [a["filename"] for a in detail["attachments"]] == ["bill.png"]


def test_auto_replies_and_bounces_in_the_mailbox_are_marked_but_open_nothing_and_get_no_answer(
    desk: Desk, sink: SmtpSink, mailbox: TestMailbox
) -> None:
    mailbox.deliver(_raw(customer_mail("我正在休假。", subject="自动回复", headers={"Auto-Submitted": "auto-replied"})))
    bounce = customer_mail("Delivery failed", subject="failure notice", sender="mailer-daemon@mx.example.cn")
    bounce["Return-Path"] = "<>"
    mailbox.deliver(_raw(bounce))
    run = _poll(desk)
    assert (run.fetched, run.ignored, run.opened) == (2, 2, 0)
    assert complaint_count(desk) == 0
    assert mailbox.uids("UNSEEN") == []  # taken in (as ignored): not read again every round
    mail_outbox.deliver_with_smtp(desk.uow)
    assert sink.received == []


def test_two_copies_of_one_mail_in_the_mailbox_make_one_complaint_and_one_acknowledgement(
    desk: Desk, sink: SmtpSink, mailbox: TestMailbox
) -> None:
    raw = _raw(customer_mail(message_id="<twice@example.cn>"))
    mailbox.deliver(raw)
    mailbox.deliver(raw)  # delivered twice, as a relay retrying does
    run = _poll(desk)
    assert (run.fetched, run.opened, run.duplicate) == (2, 1, 1)
    assert complaint_count(desk) == 1 and mailbox.uids("UNSEEN") == []
    mail_outbox.deliver_with_smtp(desk.uow)
    assert len(sink.wait_for(1)) == 1


def test_a_poller_dying_after_the_commit_before_marking_reads_the_mail_again_and_makes_one_complaint(
    desk: Desk, mailbox: TestMailbox
) -> None:
    mailbox.deliver(_raw(customer_mail()))
    dying = _DiesBeforeMarking(parse_imap_url(mailbox.url()))
    with pytest.raises(KeyboardInterrupt), dying.session():
        mail_poll.poll_once(desk.uow, dying, max_bytes=10_000_000)
    assert complaint_count(desk) == 1 and mailbox.uids("UNSEEN") == [1]
    run = _poll(desk)
    assert (run.fetched, run.duplicate, run.opened) == (1, 1, 0)
    assert complaint_count(desk) == 1
    assert mailbox.uids("UNSEEN") == []


def test_a_failed_intake_leaves_the_mail_unmarked_and_the_next_round_takes_it_in(
    desk: Desk, mailbox: TestMailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    mailbox.deliver(_raw(customer_mail(message_id="<first@example.cn>")))
    mailbox.deliver(_raw(customer_mail("发票开错了", subject="发票问题", message_id="<second@example.cn>")))
    real = mail_intake.take_in
    calls: list[int] = []

    def fails_first(*args: object, **kwargs: object) -> mail_intake.Intake:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database restarting")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(mail_intake, "take_in", fails_first)
    run = _poll(desk)
    assert (run.failed, run.opened) == (1, 1) and "database restarting" in run.errors[0]
    assert mailbox.uids("UNSEEN") == [1]  # the other mail of the round still went through
    assert _poll(desk).opened == 1
    assert complaint_count(desk) == 2 and mailbox.uids("UNSEEN") == []


def test_with_move_to_a_mail_taken_in_moves_to_that_folder(
    desk: Desk, mailbox: TestMailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPLAINTDESK_IMAP_URL", mailbox.url("?move_to=Processed"))
    get_settings.cache_clear()
    mail = with_files(customer_mail(), [("账单截图.png", "png", PNG)])
    mailbox.deliver(_raw(mail))
    mailbox.deliver(_raw(customer_mail("又一封", subject="发票问题")))
    assert mailbox.uids() == [1, 2]
    assert _poll(desk).opened == 2
    assert mailbox.uids() == [] and len(mailbox.uids(folder="Processed")) == 2


def test_a_mail_over_the_size_limit_is_left_in_the_mailbox_unread(
    desk: Desk, mailbox: TestMailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPLAINTDESK_MAIL_MAX_BYTES", "2048")
    get_settings.cache_clear()
    mailbox.deliver(_raw(customer_mail("很长的投诉。" * 400)))
    mailbox.deliver(_raw(customer_mail("短的", subject="发票问题")))
    run = _poll(desk)
    assert (run.too_large, run.opened) == (1, 1)
    assert mailbox.uids("UNSEEN") == [1]


def test_a_wrong_password_is_reported_as_the_mailbox_unavailable(desk: Desk, mailbox: TestMailbox) -> None:
    target = parse_imap_url(mailbox.url().replace(":secret@", ":wrong@"))
    with pytest.raises(MailboxUnavailable) as caught, ImapMailbox(target).session():
        pass
    assert "wrong" not in caught.value.message and "127.0.0.1" in caught.value.message



def test_mail_poll_without_a_mailbox_or_with_a_wrong_login_says_so_without_a_traceback(
    cli: Callable[..., tuple[int, str, str]], mailbox: TestMailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPLAINTDESK_IMAP_URL", mailbox.url().replace(":secret@", ":wrong@"))
    get_settings.cache_clear()
    code, out, err = cli("mail", "poll", "--once")
    assert code == MailboxUnavailable.exit_code and "127.0.0.1" in out + err and "Traceback" not in out + err
    monkeypatch.delenv("COMPLAINTDESK_IMAP_URL")
    get_settings.cache_clear()
    code, out, err = cli("mail", "poll", "--once")
    assert code == ConfigurationError.exit_code and "COMPLAINTDESK_IMAP_URL" in out + err
    mailbox.deliver(_raw(customer_mail()))
    monkeypatch.setenv("COMPLAINTDESK_IMAP_URL", mailbox.url())
    get_settings.cache_clear()
    code, out, _ = cli("mail", "poll", "--once", "--json", "--no-deliver")
    assert code == 0 and json.loads(out)["opened"] == 1


@pytest.mark.parametrize("scheme, query", [("imaps", ""), ("imap", "&starttls=1")])
def test_a_mailbox_read_over_tls_verifies_the_servers_certificate(
    desk: Desk, mailbox: TestMailbox, monkeypatch: pytest.MonkeyPatch, scheme: str, query: str
) -> None:
    mailbox.deliver(_raw(customer_mail()))
    untrusted = parse_imap_url(mailbox.url(query.replace("&", "?"), scheme=scheme))
    with pytest.raises(MailboxUnavailable) as caught, ImapMailbox(untrusted).session():
        pass  # a self-signed certificate the system does not trust
    assert "CERTIFICATE_VERIFY_FAILED" in caught.value.message
    trusted = mailbox.url(f"?cafile={mailbox.server.cafile}{query}", scheme=scheme)
    monkeypatch.setenv("COMPLAINTDESK_IMAP_URL", trusted)
    get_settings.cache_clear()
    assert _poll(desk).opened == 1
