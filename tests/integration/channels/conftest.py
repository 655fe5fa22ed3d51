"""Fixtures of the channel tests: a real SMTP sink, and the desk's settings pointed at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from complaintdesk.services import mail_outbox
from complaintdesk.settings import get_settings
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
