"""Reading an inbound mail: headers decoded (RFC 2047, GBK/GB18030 included), the text body, the
attachments, the threading headers, and whether a machine sent it (auto-reply, bounce, list mail).

Chinese mail often declares ``gb2312`` and then uses characters only GBK or GB18030 have; every
Chinese GB charset is read as GB18030 (a superset of both), so nothing turns into question marks.
"""

from __future__ import annotations

import email
import hashlib
import html
import re
from dataclasses import dataclass, field
from email.header import decode_header
from email.message import Message
from email.utils import getaddresses, parseaddr

_GB = {"gb2312", "gbk", "x-gbk", "cp936", "gb_2312-80", "euc-cn", "x-euc-cn", "gb18030", "hz-gb-2312"}
_AUTO_PRECEDENCE = {"bulk", "auto_reply", "list", "junk"}
_DAEMONS = {"mailer-daemon", "postmaster", "mail-daemon", "noreply-dsn"}
_MSG_ID = re.compile(r"<[^<>\s]+>")
_TAGS = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S | re.I)


def codec(charset: str | None) -> str:
    name = (charset or "").strip().lower()
    if name in _GB:
        return "gb18030"
    return name or "utf-8"


def _decode(data: bytes, charset: str | None) -> str:
    try:
        return data.decode(codec(charset), errors="strict")
    except (LookupError, UnicodeDecodeError):
        pass
    if charset is None:  # undeclared: UTF-8 if it is, else the Chinese default
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return data.decode("gb18030", errors="replace")
    try:
        return data.decode(codec(charset), errors="replace")
    except LookupError:
        return data.decode("utf-8", errors="replace")


def header_text(value: object) -> str:
    """A header as text: encoded words decoded with their charsets (GB ones as GB18030)."""
    if value is None:
        return ""
    parts = []
    for chunk, charset in decode_header(str(value)):
        parts.append(_decode(chunk, charset) if isinstance(chunk, bytes) else chunk)
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _ids(value: object) -> list[str]:
    return _MSG_ID.findall(str(value or ""))


@dataclass(frozen=True)
class MailFile:
    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class InboundMail:
    message_id: str
    sender_name: str
    sender: str  # lower-cased address, "" when none
    subject: str
    text: str
    in_reply_to: list[str]
    references: list[str]
    files: list[MailFile] = field(default_factory=list)
    automatic: str | None = None  # why a machine sent it; None for a person's mail


def _machine(msg: Message, envelope_from: str | None, sender: str) -> str | None:
    """Why this mail must never open a complaint nor be answered (RFC 3834, RFC 3464), or None."""
    if envelope_from is not None and envelope_from.strip() in ("", "<>"):
        return "null sender (bounce)"
    if str(msg.get("Return-Path", "")).strip() == "<>":
        return "null Return-Path (bounce)"
    if not sender:
        return "no sender address"
    if sender.split("@")[0] in _DAEMONS:
        return "mailer daemon (bounce)"
    if msg.get_content_type() == "multipart/report":
        return "delivery report (bounce)"
    auto = str(msg.get("Auto-Submitted", "")).strip().lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    precedence = str(msg.get("Precedence", "")).strip().lower()
    if precedence in _AUTO_PRECEDENCE:
        return f"Precedence: {precedence}"
    if msg.get("X-Autoreply") or msg.get("X-Autorespond") or msg.get("X-Auto-Reply"):
        return "auto-reply header"
    if msg.get("List-Id") or msg.get("List-Unsubscribe"):
        return "mailing list"
    return None


def _body_and_files(msg: Message) -> tuple[str, list[MailFile]]:
    plain: list[str] = []
    markup: list[str] = []
    files: list[MailFile] = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        filename = part.get_filename()
        disposition = str(part.get("Content-Disposition", "")).lower()
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        if filename or disposition.startswith("attachment"):
            name = header_text(filename) or "附件"
            files.append(MailFile(name, part.get_content_type(), data))
        elif part.get_content_type() == "text/plain":
            plain.append(_decode(data, part.get_content_charset()))
        elif part.get_content_type() == "text/html":
            markup.append(_decode(data, part.get_content_charset()))
    if plain:
        text = "\n".join(plain)
    else:
        text = html.unescape(_TAGS.sub(" ", re.sub(r"<br\s*/?>|</p>", "\n", "\n".join(markup), flags=re.I)))
    return text.replace("\r\n", "\n").strip(), files


def parse(raw: bytes, envelope_from: str | None = None) -> InboundMail:
    msg = email.message_from_bytes(raw)
    sender_name, sender = parseaddr(header_text(msg.get("From")))
    if not sender and getaddresses([str(msg.get("Sender", ""))]):
        sender = parseaddr(str(msg.get("Sender", "")))[1]
    sender = sender.strip().lower()
    ids = _ids(msg.get("Message-ID"))
    # No Message-ID: one made from the content, so that a second delivery is still recognised.
    message_id = ids[0] if ids else f"<sha256.{hashlib.sha256(raw).hexdigest()[:40]}@inbound>"
    text, files = _body_and_files(msg)
    return InboundMail(
        message_id=message_id[:255],
        sender_name=sender_name.strip(),
        sender=sender,
        subject=header_text(msg.get("Subject")),
        text=text,
        in_reply_to=_ids(msg.get("In-Reply-To")),
        references=_ids(msg.get("References")),
        files=files,
        automatic=_machine(msg, envelope_from, sender),
    )
