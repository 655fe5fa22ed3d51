"""The desk's outgoing mail as MIME: UTF-8 text, our own Message-ID (a customer's reply names it in
In-Reply-To), and ``Auto-Submitted: auto-replied`` on acknowledgements so that other systems' auto-
responders do not answer them (RFC 3834; no mail loops)."""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr

NUMBER_IN_SUBJECT = re.compile(r"\[?\b([A-Z]{2,4}-\d{8}-\d{6})\b\]?")


def mail_domain(mail_from: str) -> str:
    address = parseaddr(mail_from)[1]
    return address.rpartition("@")[2] or "localhost"


def new_message_id(number: str, mail_from: str) -> str:
    return f"<cd.{secrets.token_hex(8)}.{number}@{mail_domain(mail_from)}>"


def compose(
    *,
    mail_from: str,
    to: str,
    subject: str,
    body: str,
    message_id: str,
    at: datetime,
    in_reply_to: str | None = None,
    automatic: bool = False,
) -> EmailMessage:
    message = EmailMessage()
    name, address = parseaddr(mail_from)
    message["From"] = formataddr((name or "客户服务中心", address or mail_from))
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(at)
    message["Message-ID"] = message_id
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    if automatic:
        message["Auto-Submitted"] = "auto-replied"
    message.set_content(body, charset="utf-8")
    return message
