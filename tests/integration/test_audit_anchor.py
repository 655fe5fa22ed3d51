"""The audit chain's anchor: signed checkpoints kept outside the database catch what the hash chain
alone cannot — a deleted tail and a chain rewritten with fresh hashes (issue 17, points 2 and 3)."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, select, update

from complaintdesk.cli import main
from complaintdesk.commands import _context
from complaintdesk.domain.audit import compute_hash
from complaintdesk.domain.errors import ConfigurationError, IntegrityError
from complaintdesk.services import audit_service
from complaintdesk.services import commands as cmds
from complaintdesk.services.bootstrap import Desk
from complaintdesk.services.handlers import handle
from complaintdesk.services.housekeeping import Housekeeper
from complaintdesk.settings import get_settings
from complaintdesk.storage import orm
from complaintdesk.storage.audit_checkpoints import CheckpointStore
from tests.integration.test_audit_sla_repeat import MONDAY_10AM, _open

KEY = "k" * 40
NEW_KEY = "n" * 40


@pytest.fixture
def keyed(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setenv("COMPLAINTDESK_AUDIT_KEY", KEY)
    get_settings.cache_clear()
    return monkeypatch


def _events(desk: Desk, complaints: int = 3) -> None:
    for i in range(complaints):
        number = _open(desk, phone=f"1381234{i:04d}")
        handle(
            desk.uow(),
            cmds.Move(number=number, stage="calming", actor="li_agent"),
            now=MONDAY_10AM + timedelta(minutes=i + 1),
        )


def _last_seq(desk: Desk) -> int:
    with desk.engine.connect() as conn:
        return int(conn.scalar(select(orm.audit_events.c.seq).order_by(orm.audit_events.c.seq.desc()).limit(1)) or 0)


def _cli(desk: Desk, *args: str) -> int:
    _context.reset()
    try:
        return main(["--db", desk.engine.url.render_as_string(hide_password=False), *args])
    finally:
        _context.reset()


def test_deleting_the_newest_event_after_a_checkpoint_fails_verification(desk: Desk, keyed: object) -> None:
    _events(desk)
    signed = audit_service.checkpoint(desk.uow())
    assert signed.written and signed.checkpoint is not None
    last = _last_seq(desk)
    assert signed.checkpoint.seq == last
    with desk.engine.begin() as conn:
        conn.execute(delete(orm.audit_events).where(orm.audit_events.c.seq == last))
    verdict = audit_service.verify(desk.uow())
    assert not verdict.ok and verdict.broken_seq == last
    assert f"链只到事件 #{last - 1}" in (verdict.reason or "")


def test_deleting_the_newest_fifty_events_and_writing_on_fails_verification(desk: Desk, keyed: object) -> None:
    _events(desk, complaints=30)
    audit_service.checkpoint(desk.uow())
    last = _last_seq(desk)
    with desk.engine.begin() as conn:
        conn.execute(delete(orm.audit_events).where(orm.audit_events.c.seq > last - 50))
    _events(desk, complaints=1)  # the chain goes on from the cut, and links up seamlessly
    verdict = audit_service.verify(desk.uow())
    assert not verdict.ok
    assert any("签名的检查点不符" in b.reason or "链只到" in b.reason for b in verdict.breaks)


def test_a_chain_rewritten_with_fresh_hashes_fails_verification_at_the_checkpoint(desk: Desk, keyed: object) -> None:
    _events(desk)
    audit_service.checkpoint(desk.uow())
    target = 2
    with desk.engine.begin() as conn:
        rows = conn.execute(select(orm.audit_events).order_by(orm.audit_events.c.seq)).all()
        prev = rows[target - 2].hash
        for row in rows[target - 1 :]:  # edit one event, then recompute every later link and hash
            payload = {**row.payload, "edited": True} if row.seq == target else row.payload
            digest = compute_hash(row.seq, prev, row.complaint_number, row.kind, row.actor, row.at, payload)
            conn.execute(update(orm.audit_events).where(orm.audit_events.c.seq == row.seq)
                         .values(payload=payload, prev_hash=prev, hash=digest))  # fmt: skip
            prev = digest
    assert audit_service.verify(desk.uow(), CheckpointStore(Path("/nonexistent/x"), Path("/nonexistent/k"), KEY, [])).ok
    verdict = audit_service.verify(desk.uow())
    assert not verdict.ok and verdict.broken_seq == _last_seq(desk)
    assert "签名的检查点不符" in (verdict.reason or "")


def test_a_forged_or_edited_checkpoint_line_is_named(desk: Desk, keyed: object) -> None:
    _events(desk)
    audit_service.checkpoint(desk.uow())
    path = get_settings().data_dir / "audit-checkpoints.jsonl"
    line = json.loads(path.read_text(encoding="utf-8"))
    forged = {**line, "seq": line["seq"] + 5}
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(forged) + "\n" + "not json\n")
    verdict = audit_service.verify(desk.uow())
    reasons = [b.reason for b in verdict.breaks]
    assert not verdict.ok
    assert any("第 2 行的签名不符" in r for r in reasons) and any("第 3 行无法读取" in r for r in reasons)


def test_a_checkpoint_is_refused_for_a_chain_that_does_not_verify(desk: Desk, keyed: object) -> None:
    _events(desk)
    audit_service.checkpoint(desk.uow())
    _events(desk, complaints=1)
    last = _last_seq(desk)
    with desk.engine.begin() as conn:
        conn.execute(update(orm.audit_events).where(orm.audit_events.c.seq == last).values(actor="x"))
    with pytest.raises(IntegrityError, match="未签名检查点"):
        audit_service.checkpoint(desk.uow())


def test_an_unmoved_head_writes_no_new_checkpoint_and_a_moved_one_checks_only_the_new_events(
    desk: Desk, keyed: object
) -> None:
    _events(desk)
    first = audit_service.checkpoint(desk.uow())
    again = audit_service.checkpoint(desk.uow())
    assert first.written and not again.written and again.checkpoint == first.checkpoint
    _events(desk, complaints=1)
    moved = audit_service.checkpoint(desk.uow())
    assert first.checkpoint is not None and moved.checkpoint is not None
    # only the checkpointed event and those after it are walked
    assert moved.written and moved.checked == moved.checkpoint.seq - first.checkpoint.seq + 1 < moved.checkpoint.seq
    lines = (get_settings().data_dir / "audit-checkpoints.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2


def test_the_key_file_is_made_on_first_use_readable_by_its_owner_only(desk: Desk) -> None:
    _events(desk, complaints=1)
    audit_service.checkpoint(desk.uow())
    key_file = get_settings().data_dir / "audit.key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert not list(key_file.parent.glob(".audit.key.*"))  # no draft left behind
    assert audit_service.verify(desk.uow()).ok
    key_file.unlink()
    with pytest.raises(ConfigurationError, match="没有审计密钥"):
        audit_service.verify(desk.uow())


def test_checkpoints_signed_before_a_key_rotation_verify_with_the_retired_key(
    desk: Desk, keyed: pytest.MonkeyPatch
) -> None:
    _events(desk, complaints=1)
    audit_service.checkpoint(desk.uow())
    keyed.setenv("COMPLAINTDESK_AUDIT_KEY", NEW_KEY)
    get_settings.cache_clear()
    unknown = audit_service.verify(desk.uow())
    assert not unknown.ok and "未知的密钥" in (unknown.reason or "")
    keyed.setenv("COMPLAINTDESK_AUDIT_RETIRED_KEYS", KEY)
    get_settings.cache_clear()
    _events(desk, complaints=1)
    assert audit_service.checkpoint(desk.uow()).written
    verdict = audit_service.verify(desk.uow())
    assert verdict.ok and verdict.anchor is not None and verdict.anchor.seq == _last_seq(desk)


def test_cli_audit_checkpoint_then_verify_reports_the_anchor_and_every_break(
    desk: Desk, keyed: object, capsys: pytest.CaptureFixture[str]
) -> None:
    _events(desk)
    assert _cli(desk, "audit", "checkpoint", "--json") == 0
    signed = json.loads(capsys.readouterr().out)
    assert signed["written"] and signed["seq"] == _last_seq(desk)
    assert _cli(desk, "audit", "verify") == 0
    assert f"（事件 #{signed['seq']}）一致" in capsys.readouterr().out
    with desk.engine.begin() as conn:
        conn.execute(update(orm.audit_events).where(orm.audit_events.c.seq.in_([2, 4])).values(actor="x"))
        conn.execute(delete(orm.audit_events).where(orm.audit_events.c.seq == signed["seq"]))
    assert _cli(desk, "audit", "verify") == 8
    out, err = capsys.readouterr()
    assert "#2 " in out and "#4 " in out and f"#{signed['seq']} " in out and "3 处" in err
    assert _cli(desk, "audit", "verify", "--json") == 8
    report = json.loads(capsys.readouterr().out)
    assert [b["seq"] for b in report["breaks"]] == [2, 4, signed["seq"]] and report["break_count"] == 3


def test_a_running_server_signs_checkpoints_on_its_schedule(desk: Desk, keyed: object) -> None:
    _events(desk, complaints=1)
    keeper = Housekeeper(desk, interval=3600, sender=lambda *a: None)  # type: ignore[arg-type,return-value]
    keeper.checkpoint()
    path = get_settings().data_dir / "audit-checkpoints.jsonl"
    assert json.loads(path.read_text(encoding="utf-8"))["seq"] == _last_seq(desk)
    assert os.stat(path).st_size > 0 and audit_service.verify(desk.uow()).anchor is not None


def test_an_unanchored_chain_still_verifies_and_says_it_has_no_checkpoint(
    desk: Desk, capsys: pytest.CaptureFixture[str]
) -> None:
    _events(desk, complaints=1)
    assert _cli(desk, "audit", "verify") == 0
    assert "尚无签名检查点" in capsys.readouterr().out


@pytest.mark.parametrize("number", ["NaN", "Infinity", "1e400"])
def test_cli_facts_with_a_non_finite_number_exit_2_naming_the_field_and_the_chain_verifies(
    desk: Desk, tmp_path: Path, capsys: pytest.CaptureFixture[str], number: str
) -> None:
    complaint = _open(desk)
    facts = tmp_path / "facts.json"
    facts.write_text('{"billing": {"monthly_fee": ' + number + "}}", encoding="utf-8")
    assert _cli(desk, "complaint", "facts", complaint, str(facts)) == 2
    assert "facts.billing.monthly_fee" in capsys.readouterr().err
    facts.write_text('{"repairs": ' + "[" * 500 + "]" * 500 + "}", encoding="utf-8")
    assert _cli(desk, "complaint", "facts", complaint, str(facts)) == 2
    assert "嵌套过深" in capsys.readouterr().err
    assert audit_service.verify(desk.uow()).ok
