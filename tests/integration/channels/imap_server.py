"""A real IMAP server for the tests: Debian's dovecot (``dovecot-imapd``), a private instance with its
own configuration in a temporary directory, listening on a free loopback port. Any user name logs in
with the password ``secret`` (static passdb) and gets its own maildir, so each test uses its own
mailbox. Mail is delivered by IMAP APPEND, as a mail server would store it.

Skipped when dovecot is not installed, except in CI (``CI`` set) or with
``COMPLAINTDESK_REQUIRE_IMAP=1``, where a missing dovecot fails the run (scripts/test.sh installs it).
"""

from __future__ import annotations

import grp
import imaplib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from tests.integration.channels.smtp_sink import free_port

DOVECOT = Path("/usr/sbin/dovecot")
PASSWORD = "secret"


def required() -> bool:
    if os.environ.get("COMPLAINTDESK_REQUIRE_IMAP", "") in ("0", "false"):
        return False
    return os.environ.get("COMPLAINTDESK_REQUIRE_IMAP") == "1" or bool(os.environ.get("CI"))


def _users() -> tuple[str, str, int, int]:
    """(internal user, login user, mail uid, mail gid). Dovecot's login processes refuse to run as
    root and its mail processes refuse uid 0: as root the package's own users serve; as anyone else,
    that user does everything."""
    if os.geteuid() != 0:
        me = pwd.getpwuid(os.geteuid()).pw_name
        return me, me, os.geteuid(), os.getegid()
    login = next((n for n in ("dovenull", "nobody") if _exists(n)), "nobody")
    mail_user = pwd.getpwnam("dovecot" if _exists("dovecot") else "nobody")
    return "root", login, mail_user.pw_uid, mail_user.pw_gid


def _exists(user: str) -> bool:
    try:
        pwd.getpwnam(user)
    except KeyError:
        return False
    return True


CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
instance_name = complaintdesk-test-{port}
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
ssl = yes
ssl_cert = <{root}/tls/cert.pem
ssl_key = <{root}/tls/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
# a refused login answers at once: the tests refuse some on purpose, and the default delay (2 s, more
# after repeated failures from one address) is only time
auth_failure_delay = 0
protocols = imap
listen = 127.0.0.1
default_internal_user = {internal}
default_internal_group = {internal_group}
default_login_user = {login}
first_valid_uid = 1
mail_location = maildir:{root}/mail/%u
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
  }}
}}
service anvil {{
  chroot =
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
"""


class Dovecot:
    def __init__(self) -> None:
        # Not under pytest's tmp: its directories are private to the user, and dovecot's login
        # processes (another user when run as root) must reach the sockets in base_dir.
        self.root = Path(tempfile.mkdtemp(prefix="complaintdesk-dovecot-"))
        self.root.chmod(0o755)
        self.port = free_port()
        self.tls_port = free_port()
        self.cafile = self.root / "tls" / "cert.pem"  # self-signed: the certificate is its own CA
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Dovecot:
        internal, login, uid, gid = _users()
        for sub in ("run", "state", "mail", "home"):
            (self.root / sub).mkdir()
        for sub in ("mail", "home"):
            os.chown(self.root / sub, uid, gid)
        self._certificate()
        config = self.root / "dovecot.conf"
        config.write_text(
            CONFIG.format(
                root=self.root,
                port=self.port,
                tls_port=self.tls_port,
                internal=internal,
                internal_group=grp.getgrgid(pwd.getpwnam(internal).pw_gid).gr_name,
                login=login,
                uid=uid,
                gid=gid,
                password=PASSWORD,
            ),
            encoding="utf-8",
        )
        self.process = subprocess.Popen(
            [str(DOVECOT), "-F", "-c", str(config)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        self._wait_until_ready()
        return self

    def _certificate(self) -> None:
        """A self-signed certificate for 127.0.0.1 (openssl: a dependency of dovecot-core)."""
        tls = self.root / "tls"
        tls.mkdir()
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
             "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
             "-keyout", str(tls / "key.pem"), "-out", str(tls / "cert.pem")],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip

    def _wait_until_ready(self, timeout: float = 30.0) -> None:
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dovecot exited: {self.log()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=2) as probe:
                    if probe.recv(64).startswith(b"* OK"):
                        return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"dovecot did not start: {self.log()}")

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)

    def mailbox(self) -> TestMailbox:
        return TestMailbox(self, f"desk{uuid.uuid4().hex[:10]}")


class TestMailbox:
    """One test's mailbox on the server: its URL for COMPLAINTDESK_IMAP_URL, delivery and inspection."""

    __test__ = False  # not a test class

    def __init__(self, server: Dovecot, user: str) -> None:
        self.server = server
        self.user = user

    def url(self, query: str = "", *, scheme: str = "imap") -> str:
        port = self.server.tls_port if scheme == "imaps" else self.server.port
        return f"{scheme}://{self.user}:{PASSWORD}@127.0.0.1:{port}/INBOX{query}"

    def _client(self, folder: str = "INBOX") -> imaplib.IMAP4:
        client = imaplib.IMAP4("127.0.0.1", self.server.port, timeout=30)
        client.login(self.user, PASSWORD)
        client.create(folder)
        client.select(folder)
        return client

    def deliver(self, raw: bytes) -> None:
        client = self._client()
        try:
            status, data = client.append("INBOX", None, None, raw)
            assert status == "OK", data
        finally:
            client.logout()

    def uids(self, criterion: str = "ALL", folder: str = "INBOX") -> list[int]:
        client = self._client(folder)
        try:
            status, data = client.uid("SEARCH", criterion)
            assert status == "OK", data
            return [int(u) for u in (data[0] or b"").split()]
        finally:
            client.logout()
