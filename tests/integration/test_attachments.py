"""Attachments are stored by SHA-256 and checked on every read."""

from __future__ import annotations

import hashlib
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

from complaintdesk.domain.errors import InputTooLarge, IntegrityError, InvalidInput
from complaintdesk.services import attachments
from complaintdesk.services import complaints as svc
from complaintdesk.services.bootstrap import Desk
from complaintdesk.storage import orm

AT = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _number(desk: Desk) -> str:
    cmd = svc.OpenComplaint("王女士", "13812345678", "宽带停机", "欠费不到30天就停机", actor="a", opened_at=AT, analyse=False)
    return str(svc.open_complaint(desk.uow(), cmd, now=AT)["number"])


def test_attachment_round_trips_with_its_hash(desk: Desk) -> None:
    number = _number(desk)
    recording = b"RIFF....WAVEfmt fake recording bytes"
    detail = attachments.add_attachment(desk.uow(), number, "call.wav", recording, "li_agent", now=AT)
    digest = hashlib.sha256(recording).hexdigest()
    assert detail["attachments"][0]["sha256"] == digest
    stored = attachments.read_attachment(desk.uow(), number, digest)
    assert stored.content == recording and stored.content_type in ("audio/wav", "audio/x-wav")


def test_an_edited_recording_is_detected_on_read(desk: Desk) -> None:
    number = _number(desk)
    recording = b"original words of the agent"
    attachments.add_attachment(desk.uow(), number, "call.wav", recording, "li_agent", now=AT)
    digest = hashlib.sha256(recording).hexdigest()
    with desk.engine.begin() as conn:
        conn.execute(
            update(orm.attachment_blobs).where(orm.attachment_blobs.c.sha256 == digest).values(content=b"edited words")
        )
    with pytest.raises(IntegrityError):
        attachments.read_attachment(desk.uow(), number, digest)


def test_oversized_empty_and_unknown_type_attachments_are_refused(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    number = _number(desk)
    monkeypatch.setenv("COMPLAINTDESK_ATTACHMENT_MAX_BYTES", "10")
    from complaintdesk.settings import get_settings

    get_settings.cache_clear()
    with pytest.raises(InputTooLarge):
        attachments.add_attachment(desk.uow(), number, "big.pdf", b"x" * 11, "a", now=AT)
    with pytest.raises(InvalidInput):
        attachments.add_attachment(desk.uow(), number, "empty.pdf", b"", "a", now=AT)
    with pytest.raises(InvalidInput) as err:
        attachments.add_attachment(desk.uow(), number, "virus.exe", b"MZ", "a", now=AT)
    assert err.value.field == "content_type"
    assert svc.get_complaint(desk.uow(), number)["attachments"] == []
