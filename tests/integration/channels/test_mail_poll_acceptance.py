"""Issue 24's acceptance from an IMAP mailbox, with `complaintdesk mail poll` in its own process: a mail
in the mailbox opens a complaint, the acknowledgement reaches an SMTP sink with the number and a /t/
link, the link shows the stage, "not satisfied" there reopens the complaint; and a poller killed between
fetching a mail and committing its complaint loses nothing: the mail is fetched again, one complaint."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
from email.policy import compat32
from pathlib import Path

from fastapi.testclient import TestClient

from complaintdesk.api.app import create_app
from complaintdesk.services import complaints as svc
from complaintdesk.services.bootstrap import Desk
from complaintdesk.web import pages_status
from tests.integration.channels.channel_helpers import drive_to_acting
from tests.integration.channels.imap_server import TestMailbox
from tests.integration.channels.mail_helpers import complaint_count, customer_mail
from tests.integration.channels.smtp_sink import SmtpSink

SRC = Path(__file__).resolve().parents[3] / "src"


def _poll_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "complaintdesk.cli", "mail", "poll", *args]


def _env(database_url: str, tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,  # the sink's and the mailbox's settings, set by their fixtures
        "PYTHONPATH": str(SRC),
        "COMPLAINTDESK_DATABASE_URL": database_url,
        "COMPLAINTDESK_DATA_DIR": str(tmp_path / "poller"),
        **extra,
    }


def _poll_once(database_url: str, tmp_path: Path) -> str:
    done = subprocess.run(
        _poll_command("--once"), env=_env(database_url, tmp_path), capture_output=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return done.stdout.decode(errors="replace")


def test_a_mail_in_the_mailbox_opens_a_complaint_acknowledged_with_a_link_where_not_satisfied_reopens_it(
    desk: Desk, database_url: str, sink: SmtpSink, mailbox: TestMailbox, tmp_path: Path
) -> None:
    mailbox.deliver(customer_mail().as_bytes(policy=compat32.clone(linesep="\r\n")))
    output = _poll_once(database_url, tmp_path)
    assert "新投诉 1" in output
    [(rcpt, ack)] = sink.wait_for(1, timeout=60)  # sent by the same run, after the round
    assert rcpt == ["wang@example.cn"] and ack["Auto-Submitted"] == "auto-replied"
    text = ack.get_content()
    number = re.search(r"TS-\d{8}-\d{6}", str(ack["Subject"]))
    assert number is not None and number.group(0) in text
    link = re.search(r"https://desk\.example\.cn(/t/[A-Za-z0-9_-]+)", text)
    assert link is not None
    assert complaint_count(desk) == 1 and mailbox.uids("UNSEEN") == []
    detail = svc.get_complaint(desk.uow(), number.group(0))
    assert detail["channel"] == "email" and detail["analysis"] is not None

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


def _lines(process: subprocess.Popen[bytes]) -> queue.Queue[str]:
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line.decode(errors="replace"))
        lines.put("")  # the process ended

    threading.Thread(target=read, daemon=True).start()
    return lines


def _wait_for_line(lines: queue.Queue[str], start: str) -> str:
    while True:
        line = lines.get(timeout=300)
        if not line or line.startswith(start):
            return line


def test_a_poller_killed_between_fetch_and_commit_loses_nothing_and_the_next_round_makes_one_complaint(
    desk: Desk, database_url: str, sink: SmtpSink, mailbox: TestMailbox, tmp_path: Path
) -> None:
    mailbox.deliver(customer_mail().as_bytes(policy=compat32.clone(linesep="\r\n")))
    # The poller says when it has fetched the mail, then waits there (the tests' fault-injection
    # setting); it is killed at that point, its mail fetched and not yet taken in.
    env = _env(database_url, tmp_path, COMPLAINTDESK_IMAP_PAUSE_AFTER_FETCH="600")
    process = subprocess.Popen(
        _poll_command("--interval", "1"), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        line = _wait_for_line(_lines(process), "fetched UID")
        assert line.startswith("fetched UID 1"), line or (process.stderr.read() if process.stderr else b"")
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert complaint_count(desk) == 0
    assert mailbox.uids("UNSEEN") == [1]  # not marked: nothing committed

    assert "新投诉 1" in _poll_once(database_url, tmp_path)
    assert complaint_count(desk) == 1 and mailbox.uids("UNSEEN") == []
    assert "重复 0" in _poll_once(database_url, tmp_path)  # nothing waiting any more
    assert complaint_count(desk) == 1
    assert len(sink.wait_for(1, timeout=60)) == 1  # one acknowledgement
