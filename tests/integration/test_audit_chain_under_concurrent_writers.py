"""The audit chain stays one unbroken chain when many writers append at the same moment."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from complaintdesk.services import audit_service
from complaintdesk.services import commands as cmds
from complaintdesk.services.bootstrap import Desk
from complaintdesk.services.handlers import handle
from tests.builders import open_number

TEXT = "宽带停机三天了,要求马上恢复并赔偿。"


def _open(desk: Desk, i: int) -> str:
    return open_number(desk, customer_name=f"并发客户{i % 5}", phone=f"1390000{i % 5:04d}", title="宽带停机",
                       description=TEXT)  # fmt: skip


def test_eight_writers_at_once_leave_one_unbroken_chain(desk: Desk) -> None:
    if desk.engine.dialect.name == "sqlite":
        pytest.skip("SQLite admits one writer at a time (BEGIN IMMEDIATE)")
    numbers = [_open(desk, 0)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        opened = list(pool.map(lambda i: _open(desk, i), range(1, 25)))
        moved = list(
            pool.map(
                lambda n: handle(desk.uow(), cmds.Move(number=n, stage="calming", actor="li_agent"))["stage"],
                opened[:12],
            )
        )
    numbers += opened
    assert moved == ["calming"] * 12
    verdict = audit_service.verify(desk.uow())
    assert verdict.ok, verdict
    with desk.uow() as uow:
        seqs = [record.seq for record in uow.audit.iter_all()]
    assert seqs == list(range(1, len(seqs) + 1))
    assert len(seqs) >= len(numbers) + len(moved)


def test_checkpoints_signed_while_writers_append_all_agree_with_the_final_chain(desk: Desk) -> None:
    """A checkpoint takes no lock: it signs whatever committed head it reads, and every head it can
    read is a whole prefix of the chain, so each signed line still verifies once the writers are done."""
    import threading

    _open(desk, 0)
    done = threading.Event()
    signed: list[int] = []

    def sign_until_done() -> None:
        while not done.is_set():
            result = audit_service.checkpoint(desk.uow())
            if result.written and result.checkpoint is not None:
                signed.append(result.checkpoint.seq)

    signers = [threading.Thread(target=sign_until_done) for _ in range(2)]
    for signer in signers:
        signer.start()
    try:
        workers = 4 if desk.engine.dialect.name == "postgresql" else 1
        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(lambda i: _open(desk, i), range(1, 17)))
    finally:
        done.set()
        for signer in signers:
            signer.join()
    audit_service.checkpoint(desk.uow())
    verdict = audit_service.verify(desk.uow())
    assert verdict.ok, verdict.to_dict()
    assert signed and verdict.anchor is not None and verdict.anchor.seq == verdict.head[0]  # type: ignore[index]
