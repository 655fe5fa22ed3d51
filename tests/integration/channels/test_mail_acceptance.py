"""Issue 24's acceptance, end to end: a mail sent with smtplib to `complaintdesk mail listen` opens a
complaint; the acknowledgement reaches an SMTP sink with the number and a /t/ link; the link shows the
stage; the customer's "not satisfied" there reopens the complaint."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from complaintdesk.api.app import create_app
from complaintdesk.services import complaints as svc
from complaintdesk.services.bootstrap import Desk
from complaintdesk.web import pages_status
from tests.integration.channels.channel_helpers import drive_to_acting
from tests.integration.channels.mail_helpers import complaint_count, customer_mail, send
from tests.integration.channels.smtp_sink import SmtpSink, free_port

SRC = Path(__file__).resolve().parents[3] / "src"


def _wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"mail listen exited: {process.stderr.read() if process.stderr else b''!r}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError("mail listen did not start")


@pytest.fixture
def listening(desk: Desk, database_url: str, sink: SmtpSink, tmp_path: Path) -> Iterator[int]:
    """`complaintdesk mail listen` in its own process, on the test's database, mailing to the sink."""
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "COMPLAINTDESK_DATABASE_URL": database_url,
        "COMPLAINTDESK_DATA_DIR": str(tmp_path / "listener"),
    }
    command = [sys.executable, "-m", "complaintdesk.cli", "mail", "listen", "--port", str(port), "--deliver", "0.5"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _wait_for_port(port, process)
        yield port
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def test_a_mail_opens_a_complaint_acknowledged_with_a_link_where_not_satisfied_reopens_it(
    desk: Desk, sink: SmtpSink, listening: int
) -> None:
    send(listening, customer_mail())
    [(rcpt, ack)] = sink.wait_for(1, timeout=60)
    assert rcpt == ["wang@example.cn"]
    assert ack["Auto-Submitted"] == "auto-replied"  # an acknowledgement is automatic: no loops
    text = ack.get_content()
    number = re.search(r"TS-\d{8}-\d{6}", str(ack["Subject"]))
    assert number is not None and number.group(0) in text
    link = re.search(r"https://desk\.example\.cn(/t/[A-Za-z0-9_-]+)", text)
    assert link is not None
    assert complaint_count(desk) == 1
    detail = svc.get_complaint(desk.uow(), number.group(0))
    assert detail["channel"] == "email" and "宽带" in detail["description"]
    assert detail["analysis"] is not None  # analysed like any intake

    pages_status.READS.reset()
    pages_status.WRITES.reset()
    with TestClient(create_app(desk)) as client:
        page = client.get(link.group(1))
        assert page.status_code == 200 and "已受理" in page.text and number.group(0) in page.text
        drive_to_acting(desk, number.group(0))
        assert "正在落实解决方案" in client.get(link.group(1)).text
        answer = client.post(
            f"{link.group(1)}/signoff", data={"satisfied": "no", "reason": "网还是断的"}, follow_redirects=False
        )
        assert answer.status_code == 303
    assert svc.get_complaint(desk.uow(), number.group(0))["stage"] == "reopened"
