"""All configuration in one place: environment variables prefixed ``COMPLAINTDESK_``."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs
from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("complaintdesk", appauthor=False))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="COMPLAINTDESK_", env_file=None, extra="ignore")

    data_dir: Path = Field(default_factory=_default_data_dir)
    database_url: str | None = None
    # The centre's local time: where a "day" begins and ends (intake dates, reports, the pages' times).
    timezone: str = "Asia/Shanghai"
    # The interface language when a user has not chosen one (web pages, CLI messages).
    language: Literal["zh-CN", "en"] = "zh-CN"
    attachment_max_bytes: int = 10 * 1024 * 1024
    # The longest complaint text (characters) the analysis reads; the rest is left out, and said so.
    analysis_max_chars: int = Field(default=200_000, ge=100, le=200_000)  # the engine reads 200,000 at most
    # An earlier complaint of the same customer opened within this many days may be linked as a repeat.
    repeat_window_days: int = Field(default=30, ge=1, le=3650)
    # The centre's own knowledge files (rule packs, playbooks, cue lists, QA rubric, SLA policy ...),
    # overriding or extending the packaged ones (docs/knowledge.md). Default: ``knowledge`` in data_dir.
    knowledge_dir: Path | None = None
    repeat_use_embeddings: bool = True
    # Comma-separated hosts, *.domains or IP networks that webhooks may be sent to (empty: any host
    # but this machine's own loopback and link-local addresses). See services/webhook_targets.py.
    webhook_allowed_hosts: str = ""
    # The queue shows a customer type only at or above this score (0.5: every type the engine reports;
    # a type's score is half its cue weight, capped at 1). An agent's correction is always shown.
    queue_type_min_score: float = Field(default=0.5, ge=0, le=1)
    host: str = "127.0.0.1"
    port: int = 8000
    # Threads per server worker that run the API's request handlers. Each holds a database connection
    # while it works; more threads than cores only queue on Python's GIL. 0: run them on the worker's
    # event loop, one request at a time per worker, and scale with `serve --workers` (api/dispatch.py).
    api_threads: int = Field(default=4, ge=0, le=400)
    # Do at start what a worker's first requests would otherwise pay for (the analysis lexicons, the
    # routes' parameter models, ORM mappers, the first queries: ~0.2 s). Off only where apps are made
    # and dropped by the hundred, as in the test suite, and nothing waits on a first request.
    warm_up_on_start: bool = True
    # Test a pooled PostgreSQL connection with a round trip before use when it has been idle in the
    # pool for database_ping_idle_seconds or more (0: before every use). A database restart then
    # costs no failed request unless it happens within that many seconds of the connection's last use.
    database_pre_ping: bool = True
    database_ping_idle_seconds: float = Field(default=5.0, ge=0, le=3600)
    # The earliest intake date the desk accepts (centre local time): older dates are typing errors or
    # a migration that needs its own decision, and they would run SLA clocks over decades.
    opened_at_floor: date = date(2000, 1, 1)

    # The audit chain's anchor (docs/audit.md): the key that signs its checkpoints, never stored in the
    # database. Unset: a key file ``audit.key`` in the data directory, made on the first checkpoint.
    audit_key: str | None = Field(default=None, min_length=32)
    # Keys used before a rotation, comma-separated: checkpoints they signed still verify.
    audit_retired_keys: str = ""
    # Where the signed checkpoints are appended (JSON lines); default ``audit-checkpoints.jsonl`` in
    # the data directory.
    audit_checkpoint_file: Path | None = None
    # How often a running server signs a checkpoint of the chain's head (only when it has moved).
    audit_checkpoint_seconds: float = Field(default=300.0, ge=10, le=86_400)

    # Outgoing mail (docs/channels.md): smtp://user:pass@host:587?starttls=1, or smtps://host:465.
    # Unset: replies marked "send to customer" are queued and wait until it is set.
    smtp_url: str | None = None
    # SMS to customers (docs/channels.md): aliyun://KEY:SECRET@dysmsapi.aliyuncs.com?sign=…&template=…,
    # tencent://ID:KEY@sms.tencentcloudapi.com?app=…&sign=…&template=…, or https://KEY:SECRET@gateway/path.
    # Unset: replies sent by SMS are queued and wait until it is set.
    sms_url: str | None = None
    # The From address of the desk's mail, and the domain of its Message-IDs (threading replies).
    mail_from: str = "complaintdesk@localhost"
    # Where customers reach this desk: the status-page links in mail are built on it.
    public_url: str = "http://127.0.0.1:8000"
    # The largest inbound mail the listener accepts (bytes); attachments keep attachment_max_bytes each.
    mail_max_bytes: int = Field(default=25 * 1024 * 1024, ge=1024)
    # The mailbox `mail poll` reads (docs/channels.md): imaps://user:pass@host:993/INBOX, or
    # imap://user:pass@host:143/INBOX?starttls=1; ?move_to=Folder moves mails taken in there.
    imap_url: str | None = None
    # Fault injection for the tests only: `mail poll` pauses this many seconds after fetching each mail,
    # before taking it in (a test kills it there). 0 in production.
    imap_pause_after_fetch: float = Field(default=0.0, ge=0, le=3600)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"未知时区 {value!r}（例：Asia/Shanghai）") from None
        return value

    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def resolved_knowledge_dir(self) -> Path:
        return self.knowledge_dir if self.knowledge_dir is not None else self.data_dir / "knowledge"

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'complaintdesk.db'}"


def describe_invalid(exc: ValidationError) -> tuple[str, str | None]:
    """A message naming each bad environment variable, and the first one as the field."""
    names = [f"COMPLAINTDESK_{'_'.join(str(p) for p in err['loc']).upper()}" for err in exc.errors()]
    problems = "; ".join(f"{name}: {err['msg']}" for name, err in zip(names, exc.errors(), strict=True))
    return f"配置无效 {problems}", (names[0] if names else None)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def local_zone() -> ZoneInfo:
    """The centre's time zone (``COMPLAINTDESK_TIMEZONE``)."""
    return get_settings().zone()
