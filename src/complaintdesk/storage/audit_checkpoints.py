"""Signed checkpoints of the audit chain's head, kept outside the database (docs/audit.md).

The hash chain shows an edited or deleted event in the middle, but someone who can write the
database can also delete its newest events or recompute every hash after an edit. A checkpoint is
a line ``{"seq", "hash", "at", "key_id", "mac"}`` appended to a file in the data directory, its MAC
an HMAC-SHA256 under a key that is never in the database (``COMPLAINTDESK_AUDIT_KEY``, or the key
file ``audit.key`` made on first use). A database editor can neither forge a line nor make the
chain agree with the lines already written. Each line is also logged (logger
``complaintdesk.audit.checkpoint``) so that syslog can carry it off the machine.

Lines are appended with one ``write`` on a file opened ``O_APPEND``, which the kernel keeps whole
under concurrent writers (two servers, a server and the CLI); no lock is taken.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from complaintdesk.domain.audit import Checkpoint
from complaintdesk.domain.errors import ConfigurationError
from complaintdesk.settings import Settings, get_settings

log = logging.getLogger("complaintdesk.audit.checkpoint")

KEY_FILE = "audit.key"
CHECKPOINT_FILE = "audit-checkpoints.jsonl"


def key_id(key: bytes) -> str:
    """A public name for a key (which key signed a line), that says nothing about the key."""
    return hashlib.sha256(b"complaintdesk audit key id\x00" + key).hexdigest()[:16]


def _mac(key: bytes, seq: int, digest: str, at: str, kid: str) -> str:
    message = json.dumps({"seq": seq, "hash": digest, "at": at, "key_id": kid}, sort_keys=True, separators=(",", ":"))
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class BadLine:
    """A checkpoint line that cannot be trusted: unreadable, or its MAC does not match."""

    line: int
    seq: int
    reason: str


@dataclass(frozen=True)
class CheckpointFile:
    checkpoints: list[Checkpoint]
    bad: list[BadLine]

    @property
    def latest(self) -> Checkpoint | None:
        return max(self.checkpoints, key=lambda c: c.seq) if self.checkpoints else None


class CheckpointStore:
    def __init__(self, path: Path, key_file: Path, key: str | None, retired: list[str]) -> None:
        self.path = path
        self.key_file = key_file
        self._key = key.encode("utf-8") if key else None
        self._retired = [k.encode("utf-8") for k in retired]

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> CheckpointStore:
        settings = settings or get_settings()
        path = settings.audit_checkpoint_file or settings.data_dir / CHECKPOINT_FILE
        retired = [k.strip() for k in settings.audit_retired_keys.split(",") if k.strip()]
        return cls(path, settings.data_dir / KEY_FILE, settings.audit_key, retired)

    def _current_key(self, *, create: bool) -> bytes | None:
        if self._key is not None:
            return self._key
        try:
            text = self.key_file.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            if not create:
                return None
            return self._make_key_file()
        except OSError as exc:
            raise ConfigurationError(f"无法读取审计密钥文件 {self.key_file}: {exc}", field="audit_key") from None
        if len(text) < 32:
            raise ConfigurationError(f"审计密钥文件 {self.key_file} 的密钥过短（至少 32 个字符）", field="audit_key")
        return text.encode("utf-8")

    def _make_key_file(self) -> bytes:
        self.key_file.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(32)
        draft = self.key_file.with_name(f".{self.key_file.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(key + "\n")
        try:
            # link, not rename: it fails if the file exists, so when two processes make the first
            # checkpoint at once one whole key wins and the other process reads it
            os.link(draft, self.key_file)
        except FileExistsError:
            return self._current_key(create=False) or b""
        finally:
            draft.unlink()
        log.warning("made the audit key file %s: back it up outside this machine (docs/audit.md)", self.key_file)
        return key.encode("utf-8")

    def _known_keys(self) -> dict[str, bytes]:
        keys = {key_id(k): k for k in self._retired}
        current = self._current_key(create=False)
        if current is not None:
            keys[key_id(current)] = current
        return keys

    def read(self) -> CheckpointFile:
        """Every checkpoint whose MAC verifies, and every line that does not."""
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return CheckpointFile([], [])
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigurationError(f"无法读取审计检查点文件 {self.path}: {exc}", field="audit_checkpoint_file") from None
        keys = self._known_keys() if lines else {}
        if lines and not keys:
            raise ConfigurationError(
                f"有审计检查点（{self.path}）却没有审计密钥：请设置 COMPLAINTDESK_AUDIT_KEY 或恢复 {self.key_file}",
                field="audit_key",
            )
        good: list[Checkpoint] = []
        bad: list[BadLine] = []
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            entry = _parse(line)
            if entry is None:
                bad.append(BadLine(number, 0, f"检查点文件第 {number} 行无法读取（被改动？）"))
                continue
            seq, digest, at, kid, mac = entry
            key = keys.get(kid)
            if key is None:
                bad.append(BadLine(number, seq, f"检查点文件第 {number} 行由未知的密钥 {kid} 签名"))
            elif not hmac.compare_digest(_mac(key, seq, digest, at, kid), mac):
                bad.append(BadLine(number, seq, f"检查点文件第 {number} 行的签名不符（被伪造或改动）"))
            else:
                good.append(Checkpoint(seq, digest, at))
        return CheckpointFile(good, bad)

    def append(self, seq: int, digest: str, at: str) -> Checkpoint:
        key = self._current_key(create=True)
        assert key is not None
        kid = key_id(key)
        line = json.dumps(
            {"seq": seq, "hash": digest, "at": at, "key_id": kid, "mac": _mac(key, seq, digest, at, kid)},
            sort_keys=True,
            separators=(",", ":"),
        )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o640)
            try:
                os.write(fd, (line + "\n").encode("utf-8"))
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            raise ConfigurationError(f"无法写入审计检查点文件 {self.path}: {exc}", field="audit_checkpoint_file") from None
        log.info("audit checkpoint %s", line)
        return Checkpoint(seq, digest, at)


def _parse(line: str) -> tuple[int, str, str, str, str] | None:
    try:
        data: Any = json.loads(line)
        seq, digest, at, kid, mac = data["seq"], data["hash"], data["at"], data["key_id"], data["mac"]
    except (ValueError, TypeError, KeyError):
        return None
    if not (isinstance(seq, int) and all(isinstance(v, str) for v in (digest, at, kid, mac))):
        return None
    return seq, digest, at, kid, mac
