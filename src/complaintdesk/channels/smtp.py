"""Sending mail over SMTP: the ``COMPLAINTDESK_SMTP_URL`` parsed once, one connection per batch.

``smtp://user:pass@host:587?starttls=1`` (STARTTLS), ``smtps://user:pass@host:465`` (TLS from the
first byte), ``smtp://host:25`` (a relay that needs neither). A send reports whether a failure is
worth a retry: a 4xx answer or a connection that failed is; a 5xx answer (an address the server will
never accept) is not.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

from complaintdesk.domain.errors import ConfigurationError

ERROR_TEXT_LIMIT = 300
_TRUE = ("1", "true", "yes", "on")


@dataclass(frozen=True)
class SmtpTarget:
    host: str
    port: int
    username: str | None = None
    password: str | None = None
    tls: bool = False  # smtps: TLS from the start
    starttls: bool = False
    timeout: float = 30.0

    def describe(self) -> str:
        return f"{'smtps' if self.tls else 'smtp'}://{self.host}:{self.port}"  # never the password


def parse_smtp_url(url: str) -> SmtpTarget:
    """The target of an SMTP URL; ConfigurationError naming the setting when it is not one."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ConfigurationError(
            "COMPLAINTDESK_SMTP_URL 应形如 smtp://用户:密码@主机:587?starttls=1", field="COMPLAINTDESK_SMTP_URL"
        )
    query = parse_qs(parts.query)
    try:
        port = parts.port or (465 if parts.scheme == "smtps" else 25)
        timeout = float(query.get("timeout", ["30"])[0])
    except ValueError:
        raise ConfigurationError("COMPLAINTDESK_SMTP_URL 的端口或超时无效", field="COMPLAINTDESK_SMTP_URL") from None
    return SmtpTarget(
        host=parts.hostname,
        port=port,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        tls=parts.scheme == "smtps",
        starttls=query.get("starttls", ["0"])[0].lower() in _TRUE,
        timeout=timeout,
    )


@dataclass(frozen=True)
class SendResult:
    ok: bool
    error: str | None = None
    retry: bool = True  # worth another attempt later


def _error(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:ERROR_TEXT_LIMIT]


class SmtpSender:
    """Sends messages over SMTP. Inside ``with sender.session():`` one connection, opened at the first
    send, serves the whole batch; outside, each send opens and closes its own."""

    def __init__(self, target: SmtpTarget) -> None:
        self.target = target
        self._client: smtplib.SMTP | None = None
        self._connect_error: str | None = None  # within a session: the server is unreachable, fail fast
        self._in_session = False

    @contextmanager
    def session(self) -> Iterator[SmtpSender]:
        self._in_session = True
        try:
            yield self
        finally:
            self._close()
            self._in_session, self._connect_error = False, None

    def _close(self) -> None:
        if self._client is not None:
            # What was sent is sent: a connection that does not close cleanly loses nothing.
            with suppress(OSError, smtplib.SMTPException):
                self._client.quit()
        self._client = None

    def _connect(self) -> smtplib.SMTP:
        t = self.target
        context = ssl.create_default_context()
        client: smtplib.SMTP
        if t.tls:
            client = smtplib.SMTP_SSL(t.host, t.port, timeout=t.timeout, context=context)
        else:
            client = smtplib.SMTP(t.host, t.port, timeout=t.timeout)
            if t.starttls:
                client.starttls(context=context)
        if t.username:
            client.login(t.username, t.password or "")
        return client

    def __call__(self, message: EmailMessage) -> SendResult:
        try:
            return self._send(message)
        finally:
            if not self._in_session:
                self._close()
                self._connect_error = None

    def _send(self, message: EmailMessage) -> SendResult:
        if self._connect_error is not None:
            return SendResult(False, self._connect_error)
        try:
            if self._client is None:
                self._client = self._connect()
            refused = self._client.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            return SendResult(False, _error(exc), retry=all(400 <= c < 500 for c in codes))
        except smtplib.SMTPResponseException as exc:
            if exc.smtp_code in (421,) or not 500 <= exc.smtp_code < 600:
                self._close()  # the server is closing or the session is in doubt: reconnect next time
            return SendResult(False, _error(exc), retry=not 500 <= exc.smtp_code < 600)
        except (OSError, smtplib.SMTPException) as exc:
            self._close()
            self._connect_error = _error(exc)  # the rest of the batch fails fast and is retried later
            return SendResult(False, self._connect_error)
        if refused:
            return SendResult(False, f"refused: {refused}"[:ERROR_TEXT_LIMIT])
        return SendResult(True)
