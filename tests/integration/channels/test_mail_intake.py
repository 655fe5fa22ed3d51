"""Mail in through the SMTP listener: threading, Chinese encodings, attachments, and the mail that
must never open a complaint nor be answered (auto-replies, bounces, second deliveries)."""

from __future__ import annotations

import smtplib
from collections.abc import Iterator
from typing import Any

import pytest

from complaintdesk.channels import smtp_listener
from complaintdesk.services import complaints as svc
from complaintdesk.services import mail_intake, mail_outbox
from complaintdesk.services.bootstrap import Desk
from tests.integration.channels.channel_helpers import numbers
from tests.integration.channels.mail_helpers import complaint_count, customer_mail, send, with_files
from tests.integration.channels.smtp_sink import SmtpSink, free_port

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def port(desk: Desk, sink: SmtpSink) -> Iterator[int]:
    chosen = free_port()
    controller = smtp_listener.start(
        lambda raw, sender: mail_intake.take_in(desk.uow, raw, sender), "127.0.0.1", chosen, max_bytes=10_000_000
    )
    yield chosen
    controller.stop()


def _numbers(desk: Desk) -> list[str]:
    return numbers(desk)


def _acks(desk: Desk, sink: SmtpSink, expected: int) -> list[Any]:
    mail_outbox.deliver_with_smtp(desk.uow)
    return [mail for _, mail in sink.wait_for(expected)]


def test_a_reply_to_our_mail_threads_into_its_complaint(desk: Desk, sink: SmtpSink, port: int) -> None:
    send(port, customer_mail())
    [ack] = _acks(desk, sink, 1)
    [number] = _numbers(desk)
    reply = customer_mail("补充:停机是从11月20日开始的。", subject="Re: 我们已收到您的投诉")  # no number
    reply["In-Reply-To"] = ack["Message-ID"]
    reply["References"] = ack["Message-ID"]
    send(port, reply)
    assert _numbers(desk) == [number]
    last = svc.get_complaint(desk.uow(), number)["messages"][-1]
    assert last["kind"] == "inbound" and "11月20日" in last["body"]
    mail_outbox.deliver_with_smtp(desk.uow)
    assert len(sink.received) == 1  # a customer's reply is not acknowledged again


def test_the_number_in_the_subject_threads_only_from_the_customers_own_address(
    desk: Desk, sink: SmtpSink, port: int
) -> None:
    send(port, customer_mail())
    [number] = _numbers(desk)
    send(port, customer_mail("还没修好", subject=f"Re: [{number}] 宽带被停机"))
    assert _numbers(desk) == [number]
    stranger = customer_mail("我也要投诉", subject=f"[{number}] 插一句", sender="mallory@evil.example")
    send(port, stranger, envelope_from="mallory@evil.example")
    assert len(_numbers(desk)) == 2  # a stranger's mail opens its own complaint, never writes into this one
    bodies = [m["body"] for m in svc.get_complaint(desk.uow(), number)["messages"]]
    assert "我也要投诉" not in bodies


def test_gbk_body_and_encoded_subject_are_read_correctly(desk: Desk, sink: SmtpSink, port: int) -> None:
    # 镕 is in GBK but not in GB2312, which the mail declares: the reader must not lose it.
    body = "朱镕基路营业厅的宽带被停机,要求恢复。"
    raw = (
        "From: =?gb2312?B?" + _b64("李先生".encode("gbk")) + "?= <li@example.cn>\r\n"
        "To: kefu@desk.example.cn\r\n"
        "Subject: =?gb2312?B?" + _b64("镕基路宽带停机".encode("gbk")) + "?=\r\n"
        "Message-ID: <gbk-1@example.cn>\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=gb2312\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\n" + _b64(body.encode("gbk")) + "\r\n"
    ).encode("ascii")
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        client.sendmail("li@example.cn", ["kefu@desk.example.cn"], raw)
    [number] = _numbers(desk)
    detail = svc.get_complaint(desk.uow(), number)
    assert detail["title"] == "镕基路宽带停机"
    assert detail["description"] == body
    assert detail["customer"]["name"].startswith("李先生")


def _b64(data: bytes) -> str:
    import base64

    return base64.b64encode(data).decode("ascii")


def test_attachments_within_the_limits_are_kept_and_others_named(desk: Desk, sink: SmtpSink, port: int) -> None:
    mail = with_files(customer_mail(), [("账单截图.png", "png", PNG), ("setup.exe", "x-msdownload", b"MZ" * 50)])
    send(port, mail)
    [number] = _numbers(desk)
    detail = svc.get_complaint(desk.uow(), number)
    assert [(a["filename"], a["content_type"]) for a in detail["attachments"]] == [("账单截图.png", "image/png")]
    notes = [m["body"] for m in detail["messages"] if m["kind"] == "note"]
    assert len(notes) == 1 and "setup.exe" in notes[0]


@pytest.mark.parametrize(
    "headers",
    [{"Auto-Submitted": "auto-replied"}, {"Precedence": "bulk"}, {"Precedence": "auto_reply"}, {"X-Autoreply": "yes"}],
)
def test_an_auto_reply_never_opens_a_complaint_nor_gets_an_answer(
    desk: Desk, sink: SmtpSink, port: int, headers: dict[str, str]
) -> None:
    send(port, customer_mail("我正在休假,将于下周回复。", subject="自动回复: 我们已收到您的投诉", headers=headers))
    assert complaint_count(desk) == 0
    mail_outbox.deliver_with_smtp(desk.uow)
    assert sink.received == []


def test_a_bounce_never_opens_a_complaint_nor_gets_an_answer(desk: Desk, sink: SmtpSink, port: int) -> None:
    bounce = customer_mail(
        "This is the mail system at host mx.example.cn. I'm sorry to have to inform you that your message could not be delivered.",
        subject="Undelivered Mail Returned to Sender",
        sender="MAILER-DAEMON@mx.example.cn",
        name="Mail Delivery System",
    )
    send(port, bounce, envelope_from="")  # MAIL FROM:<>
    daemon = customer_mail("Delivery failed", subject="failure notice", sender="mailer-daemon@mx.example.cn")
    send(port, daemon)  # not a null sender, but from the mailer daemon
    assert complaint_count(desk) == 0
    mail_outbox.deliver_with_smtp(desk.uow)
    assert sink.received == []


def test_a_second_delivery_of_the_same_mail_is_ignored(desk: Desk, sink: SmtpSink, port: int) -> None:
    mail = customer_mail(message_id="<same-1@example.cn>")
    send(port, mail)
    send(port, mail)
    assert complaint_count(desk) == 1
    assert len(_acks(desk, sink, 1)) == 1
    assert len(sink.received) == 1


def test_a_customer_who_writes_again_is_the_same_customer(desk: Desk, sink: SmtpSink, port: int) -> None:
    send(port, customer_mail())
    send(port, customer_mail("另一件事:发票开错了", subject="发票问题"))
    numbers = _numbers(desk)
    assert len(numbers) == 2
    ids = {svc.get_complaint(desk.uow(), n)["customer"]["id"] for n in numbers}
    assert len(ids) == 1
