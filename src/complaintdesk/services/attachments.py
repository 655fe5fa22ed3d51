"""Attachments: content stored once by SHA-256 (recordings, photos, invoices) and checked on every read,
so an edited recording is detected (seed 003: 语音也属于数据,它是可以进行编辑的)."""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from complaintdesk.domain.errors import InputTooLarge, IntegrityError, InvalidInput, NotFound, StaleWrite
from complaintdesk.services.unit_of_work import UnitOfWork
from complaintdesk.services.views import complaint_detail
from complaintdesk.settings import get_settings

ALLOWED_TYPES = (
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "application/pdf",
    "text/plain",
    "text/csv",
    "audio/mpeg",
    "audio/wav",
    "audio/x-wav",
    "audio/mp4",
    "audio/amr",
    "video/mp4",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)


@dataclass(frozen=True)
class StoredFile:
    filename: str
    content_type: str
    sha256: str
    content: bytes


def _content_type(filename: str, declared: str | None) -> str:
    guessed = declared or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    guessed = guessed.split(";")[0].strip().lower()
    if guessed not in ALLOWED_TYPES:
        raise InvalidInput(f"不支持的附件类型 {guessed}", field="content_type")
    return guessed


def check_file(filename: str, content: bytes, content_type: str | None = None) -> tuple[str, str]:
    """The content type and SHA-256 of a file within today's limits; InvalidInput (or InputTooLarge)
    naming what is wrong otherwise. Every way a file arrives (upload, mail) goes through it."""
    limit = get_settings().attachment_max_bytes
    if len(content) > limit:
        raise InputTooLarge(f"附件超过 {limit // 1024 // 1024} MB 上限", field="file")
    if not content:
        raise InvalidInput("附件是空文件", field="file")
    return _content_type(filename, content_type), hashlib.sha256(content).hexdigest()


def safe_filename(filename: str) -> str:
    """A name sent by someone outside (a customer's upload, a mail): its last path part, without
    control characters, at most 255 characters; "附件" when nothing is left. Pages escape it anyway."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip().lstrip(".")
    return name[-255:] or "附件"


def add_attachment(
    uow: UnitOfWork,
    number: str,
    filename: str,
    content: bytes,
    actor: str,
    *,
    content_type: str | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
    from_customer: bool = False,
) -> dict[str, Any]:
    now = now or datetime.now(UTC)
    kind, digest = check_file(filename, content, content_type)
    with uow:
        complaint = uow.complaints.get(number)
        if expected_version is not None and complaint.version != expected_version:
            raise StaleWrite(f"投诉单 {number} 已被他人修改，请刷新后重试", field="version")
        uow.blobs.put(digest, content)
        complaint.add_attachment(filename, kind, len(content), digest, actor, now, from_customer=from_customer)
        uow.commit()
        return complaint_detail(complaint, uow.customers.get(complaint.customer_id))


def read_attachment(uow: UnitOfWork, number: str, sha256: str) -> StoredFile:
    with uow.reading():
        complaint = uow.complaints.get(number)
        meta = next((a for a in complaint.attachments if a.sha256 == sha256), None)
        if meta is None:
            raise NotFound(f"投诉单 {number} 没有附件 {sha256[:12]}…", field="sha256")
        filename, content_type = meta.filename, meta.content_type
        content = uow.blobs.get(sha256)
    if content is None or hashlib.sha256(content).hexdigest() != sha256:
        raise IntegrityError(f"附件 {filename} 的内容与登记的 SHA-256 不符（可能被改动）", field="sha256")
    return StoredFile(filename, content_type, sha256, content)
