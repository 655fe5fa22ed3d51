"""Mail intake rates for bench_intake.py: mails/s through the SMTP listener and, when dovecot is
installed, through one IMAP polling round, each on a fresh database, beside the analysed service intake
measured in the same run."""

from __future__ import annotations

import smtplib
import socket
import sys
import time
from collections.abc import Callable
from email.message import EmailMessage
from email.utils import formataddr
from pathlib import Path

from complaintdesk.channels import smtp_listener
from complaintdesk.channels.imap import ImapMailbox, parse_imap_url
from complaintdesk.services import mail_intake, mail_poll
from complaintdesk.services.bootstrap import open_desk

DESK = "kefu@desk.example.cn"
ROUNDS = 3


def _mail(i: int, text: str) -> bytes:
    mail = EmailMessage()
    mail["From"] = formataddr((f"客户{i % 97}", f"c{i % 97}@example.cn"))
    mail["To"] = DESK
    mail["Subject"] = "宽带被停机"
    mail["Message-ID"] = f"<bench-{i}@example.cn>"
    mail.set_content(f"{text}(第{i}次)")
    return mail.as_bytes()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def smtp_rate(url: str, n: int, text: str) -> float:
    """Mails/s sent over one SMTP connection; each is answered only after its complaint commits."""
    desk = open_desk(url)
    port = _free_port()
    controller = smtp_listener.start(
        lambda raw, sender: mail_intake.take_in(desk.uow, raw, sender), "127.0.0.1", port, max_bytes=10_000_000
    )
    mails = [_mail(i, text) for i in range(n)]
    try:
        began = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", port, timeout=60) as client:
            for i, raw in enumerate(mails):
                client.sendmail(f"c{i % 97}@example.cn", [DESK], raw)
        elapsed = time.perf_counter() - began
    finally:
        controller.stop()
        desk.engine.dispose()
    return n / elapsed


def imap_rate(url: str, n: int, text: str) -> float | None:
    """Mails/s taken from a private dovecot's mailbox by one polling round; None without dovecot."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests' dovecot, reused
    from tests.integration.channels.imap_server import DOVECOT, Dovecot

    if not DOVECOT.exists():
        return None
    server = Dovecot().start()
    desk = open_desk(url)
    try:
        box = server.mailbox()
        for i in range(n):  # delivered beforehand: the round alone is timed
            box.deliver(_mail(i, text))
        mailbox = ImapMailbox(parse_imap_url(box.url()))
        began = time.perf_counter()
        with mailbox.session():
            run = mail_poll.poll_once(desk.uow, mailbox, max_bytes=10_000_000)
        elapsed = time.perf_counter() - began
        assert run.opened == n, run
    finally:
        desk.engine.dispose()
        server.stop()
    return n / elapsed


def report(name: str, n: int, text: str, service: Callable[[str, int], float], fresh: Callable[[], str]) -> None:
    """The three rates measured in interleaved rounds on fresh databases, the best round of each kept:
    a machine shared with other work slows whatever runs at that moment, not one kind throughout."""
    per_round = max(n // ROUNDS, 1)
    rates: dict[str, list[float]] = {"service": [], "smtp": [], "imap": []}
    for _ in range(ROUNDS):
        rates["service"].append(service(fresh(), per_round))
        rates["smtp"].append(smtp_rate(fresh(), per_round, text))
        imap = imap_rate(fresh(), per_round, text)
        if imap is not None:
            rates["imap"].append(imap)
    analysed, smtp = max(rates["service"]), max(rates["smtp"])
    line = (
        f"{name:11s} service intake (analysed) {analysed:7.1f}/s  SMTP listener {smtp:7.1f} mails/s "
        f"({smtp / analysed:6.1%} of service)"
    )
    if not rates["imap"]:
        line += "  IMAP: dovecot not installed"
    else:
        imap_best = max(rates["imap"])
        line += f"  IMAP poll {imap_best:7.1f} mails/s ({imap_best / analysed:6.1%} of service)"
    print(f"{line}  [best of {ROUNDS} interleaved rounds of {per_round}]")
