"""Reading a mailbox over IMAP (imaplib): the ``COMPLAINTDESK_IMAP_URL`` parsed once, one connection
per polling round.

``imaps://user:pass@host:993/INBOX`` (TLS from the first byte), ``imap://user:pass@host:143/INBOX?starttls=1``
(STARTTLS), ``imap://user:pass@host:143`` (plain, a trusted network only). The path names the mailbox
(default ``INBOX``). ``?move_to=Folder`` moves each mail taken in to that folder; without it the mail is
flagged ``\\Seen``. ``?timeout=30`` sets the socket timeout. ``?cafile=/path/ca.pem`` trusts the
certificate authority in that file (a centre's own) instead of the system's; the server's certificate
and name are always verified.

Mails are read with ``BODY.PEEK[]`` (reading marks nothing) and addressed by UID. The caller marks a
mail (``done``) only after its complaint is committed: a poller that dies in between leaves the mail
as it was, and the next round reads it again.
"""

from __future__ import annotations

import imaplib
import re
import ssl
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from complaintdesk.domain.errors import ConfigurationError, MailboxUnavailable

_TRUE = ("1", "true", "yes", "on")
_SIZE = re.compile(rb"UID (\d+) RFC822\.SIZE (\d+)|RFC822\.SIZE (\d+) UID (\d+)")
SETTING = "COMPLAINTDESK_IMAP_URL"


@dataclass(frozen=True)
class ImapTarget:
    host: str
    port: int
    username: str
    password: str
    mailbox: str = "INBOX"
    tls: bool = False  # imaps: TLS from the start
    starttls: bool = False
    move_to: str | None = None  # the folder a mail taken in goes to; None: flag it \Seen
    timeout: float = 30.0
    cafile: str | None = None  # the CA that signed the server's certificate; None: the system's

    def describe(self) -> str:
        scheme = "imaps" if self.tls else "imap"
        return f"{scheme}://{self.host}:{self.port}/{self.mailbox}"  # never the password


def parse_imap_url(url: str) -> ImapTarget:
    """The target of an IMAP URL; ConfigurationError naming the setting when it is not one."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("imap", "imaps") or not parts.hostname or not parts.username:
        raise ConfigurationError(f"{SETTING} 应形如 imaps://用户:密码@主机:993/INBOX", field=SETTING)
    query = parse_qs(parts.query)
    try:
        port = parts.port or (993 if parts.scheme == "imaps" else 143)
        timeout = float(query.get("timeout", ["30"])[0])
    except ValueError:
        raise ConfigurationError(f"{SETTING} 的端口或超时无效", field=SETTING) from None
    cafile = query.get("cafile", [""])[0].strip() or None
    if cafile is not None and not Path(cafile).is_file():
        raise ConfigurationError(f"{SETTING} 的 cafile 不是一个文件：{cafile}", field=SETTING)
    mailbox = unquote(parts.path.lstrip("/")) or "INBOX"
    move_to = query.get("move_to", [""])[0].strip() or None
    for name in (mailbox, move_to or ""):
        if not name.isascii() or '"' in name or "\\" in name:
            raise ConfigurationError(f"{SETTING} 的邮箱文件夹名只能用英文字母、数字和符号", field=SETTING)
    return ImapTarget(
        host=parts.hostname,
        port=port,
        username=unquote(parts.username),
        password=unquote(parts.password or ""),
        mailbox=mailbox,
        tls=parts.scheme == "imaps",
        starttls=query.get("starttls", ["0"])[0].lower() in _TRUE,
        move_to=move_to,
        timeout=timeout,
        cafile=cafile,
    )


def _quoted(name: str) -> str:
    return f'"{name}"'


def _check(result: tuple[str, Sequence[object]], what: str) -> Sequence[object]:
    status, data = result
    if status != "OK":
        raise imaplib.IMAP4.error(f"{what}: {status} {data!r}")
    return data


class ImapMailbox:
    """One connection to the mailbox, open within ``with mailbox.session():``."""

    def __init__(self, target: ImapTarget) -> None:
        self.target = target
        self._client: imaplib.IMAP4 | None = None

    @contextmanager
    def session(self) -> Iterator[ImapMailbox]:
        try:
            self._client = self._connect()
        except (OSError, imaplib.IMAP4.error, ssl.SSLError) as exc:
            raise MailboxUnavailable(f"无法读取邮箱 {self.target.describe()}: {type(exc).__name__}: {exc}"[:300]) from exc
        try:
            yield self
        finally:
            client, self._client = self._client, None
            with suppress(OSError, imaplib.IMAP4.error):
                client.logout()

    def _connect(self) -> imaplib.IMAP4:
        t = self.target
        context = ssl.create_default_context(cafile=t.cafile)
        client: imaplib.IMAP4
        if t.tls:
            client = imaplib.IMAP4_SSL(t.host, t.port, ssl_context=context, timeout=t.timeout)
        else:
            client = imaplib.IMAP4(t.host, t.port, timeout=t.timeout)
            if t.starttls:
                client.starttls(ssl_context=context)
        try:
            client.login(t.username, t.password)
            _check(client.select(_quoted(t.mailbox)), "SELECT")
            if t.move_to is not None:
                client.create(_quoted(t.move_to))  # answers NO when it exists: fine either way
        except Exception:
            with suppress(OSError, imaplib.IMAP4.error):
                client.logout()
            raise
        return client

    @contextmanager
    def _talking(self, what: str) -> Iterator[None]:
        try:
            yield
        except (OSError, imaplib.IMAP4.error, ssl.SSLError) as exc:
            raise MailboxUnavailable(f"邮箱 {self.target.describe()} {what}失败：{type(exc).__name__}: {exc}"[:300]) from exc

    @property
    def client(self) -> imaplib.IMAP4:
        if self._client is None:
            raise RuntimeError("ImapMailbox used outside session()")
        return self._client

    def waiting(self) -> list[tuple[int, int]]:
        """(UID, size) of each mail not taken in yet, oldest first. With ``move_to`` every mail left
        in the mailbox is waiting (a person may have read one); without, every mail not ``\\Seen``."""
        with self._talking("查找邮件"):
            return self._waiting()

    def _waiting(self) -> list[tuple[int, int]]:
        criterion = "ALL" if self.target.move_to else "UNSEEN"
        data = _check(self.client.uid("SEARCH", criterion), "SEARCH")
        uids = [int(u) for u in (data[0] or b"").split()] if data and isinstance(data[0], bytes) else []
        if not uids:
            return []
        sizes: dict[int, int] = {}
        for item in _check(self.client.uid("FETCH", ",".join(map(str, uids)), "(RFC822.SIZE)"), "FETCH"):
            line = item[0] if isinstance(item, tuple) else item
            found = _SIZE.search(line) if isinstance(line, bytes) else None
            if found:
                uid, size = (found.group(1), found.group(2)) if found.group(1) else (found.group(4), found.group(3))
                sizes[int(uid)] = int(size)
        return [(uid, sizes.get(uid, 0)) for uid in sorted(uids)]

    def fetch(self, uid: int) -> bytes | None:
        """The whole mail, read without marking it; None when it is gone (another poller moved it)."""
        with self._talking("读取邮件"):
            data = _check(self.client.uid("FETCH", str(uid), "(BODY.PEEK[])"), "FETCH")
        for item in data:
            if isinstance(item, tuple) and isinstance(item[1], bytes):
                return item[1]
        return None

    def done(self, uid: int) -> None:
        """Mark a mail taken in: moved to ``move_to``, or flagged ``\\Seen``."""
        with self._talking("标记邮件"):
            self._done(uid)

    def _done(self, uid: int) -> None:
        client, folder = self.client, self.target.move_to
        if folder is None:
            _check(client.uid("STORE", str(uid), "+FLAGS.SILENT", "(\\Seen)"), "STORE")
            return
        if "MOVE" in client.capabilities:
            _check(client.uid("MOVE", str(uid), _quoted(folder)), "MOVE")
            return
        _check(client.uid("COPY", str(uid), _quoted(folder)), "COPY")
        _check(client.uid("STORE", str(uid), "+FLAGS.SILENT", "(\\Seen \\Deleted)"), "STORE")
        if "UIDPLUS" in client.capabilities:
            _check(client.uid("EXPUNGE", str(uid)), "EXPUNGE")
        else:
            _check(client.expunge(), "EXPUNGE")
