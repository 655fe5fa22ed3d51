"""Fixtures of the channel tests: a real SMTP sink, a real IMAP server (dovecot), and the desk's
settings pointed at them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from complaintdesk.services import mail_outbox
from complaintdesk.settings import get_settings
from tests.integration.channels import imap_server
from tests.integration.channels.imap_server import Dovecot, TestMailbox
from tests.integration.channels.smtp_sink import SmtpSink


@pytest.fixture
def sink(monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpSink]:
    running = SmtpSink().start()
    monkeypatch.setenv("COMPLAINTDESK_SMTP_URL", running.url)
    monkeypatch.setenv("COMPLAINTDESK_MAIL_FROM", "客服中心 <service@desk.example.cn>")
    monkeypatch.setenv("COMPLAINTDESK_PUBLIC_URL", "https://desk.example.cn")
    get_settings.cache_clear()
    mail_outbox.templates.cache_clear()
    yield running
    running.stop()
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    """One private dovecot per test session (per xdist worker); skipped outside CI when not installed."""
    if not imap_server.DOVECOT.exists():
        reason = "dovecot is not installed (apt-get install dovecot-imapd; scripts/test.sh does)"
        if imap_server.required():
            pytest.fail(f"CI or COMPLAINTDESK_REQUIRE_IMAP=1, but {reason}")
        pytest.skip(reason)
    server = Dovecot().start()
    yield server
    server.stop()


@pytest.fixture
def mailbox(dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch) -> TestMailbox:
    """This test's own mailbox on the server, and COMPLAINTDESK_IMAP_URL pointing at it."""
    box = dovecot.mailbox()
    monkeypatch.setenv("COMPLAINTDESK_IMAP_URL", box.url())
    get_settings.cache_clear()
    return box
