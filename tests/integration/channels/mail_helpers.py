"""Building and sending test mail: what a customer's client, an auto-responder or a bouncing server sends."""

from __future__ import annotations

import smtplib
from email.header import Header
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import formataddr, make_msgid

from sqlalchemy import func, select

from complaintdesk.services.bootstrap import Desk
from complaintdesk.storage.orm import complaints

DESK_ADDRESS = "kefu@desk.example.cn"


def customer_mail(
    body: str = "我家宽带欠费才二十几天就被停了,影响在家办公,要求马上恢复。",
    *,
    subject: str = "宽带被停机",
    sender: str = "wang@example.cn",
    name: str = "王女士",
    charset: str = "utf-8",
    headers: dict[str, str] | None = None,
    message_id: str | None = None,
) -> MIMEText:
    mail = MIMEText(body, "plain", charset)
    mail["From"] = formataddr((str(Header(name, charset)), sender))
    mail["To"] = DESK_ADDRESS
    mail["Subject"] = Header(subject, charset)
    mail["Message-ID"] = message_id or make_msgid(domain="example.cn")
    for key, value in (headers or {}).items():
        mail[key] = value
    return mail


def with_files(mail: MIMEText, files: list[tuple[str, str, bytes]]) -> MIMEMultipart:
    whole = MIMEMultipart()
    for key in ("From", "To", "Subject", "Message-ID"):
        whole[key] = mail[key]
    whole.attach(mail)
    for filename, subtype, content in files:
        part = MIMEApplication(content, _subtype=subtype)
        part.add_header("Content-Disposition", "attachment", filename=filename)
        if subtype == "png":
            part.replace_header("Content-Type", "image/png")
        whole.attach(part)
    return whole


def send(port: int, mail: MIMEText | MIMEMultipart, envelope_from: str | None = None) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        sender = envelope_from if envelope_from is not None else "wang@example.cn"
        client.sendmail(sender, [DESK_ADDRESS], mail.as_bytes(policy=compat32.clone(linesep="\r\n")))  # CRLF, as on the wire


def complaint_count(desk: Desk) -> int:
    with desk.uow().reading() as uow:
        return int(uow.users.session.execute(select(func.count()).select_from(complaints)).scalar_one())
