"""A stream or an import never stops the desk: an abandoned export holds no transaction, reads take no
write lock, and a database that stays locked is answered "busy, retry" (503 + Retry-After, exit 9)."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from complaintdesk.domain.errors import DatabaseBusy
from complaintdesk.http.downloads import export_response
from complaintdesk.services import accounts, complaints, exporter, importer
from complaintdesk.services.bootstrap import Desk, open_desk
from complaintdesk.services.complaints import OpenComplaint
from complaintdesk.services.queue import QueueQuery, list_queue
from complaintdesk.storage import db

PROMPT = 2.0  # seconds: what "promptly" means here (the lock wait of the old code was 30 s)


def _open(desk: Desk, n: int = 0) -> str:
    cmd = OpenComplaint(f"客户{n}", f"1380013{n:04d}", "宽带停机", "欠费不到三十天就停了我的宽带。", analyse=False)
    return str(complaints.open_complaint(desk.uow(), cmd)["number"])


def _prompt(action, *args, **kwargs):  # type: ignore[no-untyped-def]
    started = time.monotonic()
    result = action(*args, **kwargs)
    assert time.monotonic() - started < PROMPT, f"{action.__name__} waited {time.monotonic() - started:.1f} s"
    return result


def _on_a_loop_of_its_own(step: Any) -> Any:
    """Await ``step`` on a fresh event loop in a thread of its own: the browser tests' session keeps playwright's
    loop running in the main thread, where ``asyncio.run`` refuses to start (the test failed after them)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, step).result()


def test_an_export_abandoned_after_its_first_chunk_holds_no_connection_and_blocks_nobody(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    from complaintdesk.http import downloads

    monkeypatch.setattr(downloads, "CHUNK_CHARS", 1)  # a piece per line, as a large export sends many
    numbers = [_open(desk, n) for n in range(3)]
    accounts.create_user(desk.uow(), "mona", "Mona", "manager", None, "correct-horse-1", "test")
    response = export_response(desk, "csv", False)
    body = response.body_iterator
    first = _on_a_loop_of_its_own(body.__anext__())  # type: ignore[attr-defined]  # what the browser got before it cancelled
    assert first.startswith("\ufeffnumber,".encode()) and first.count(b"\n") == 2  # header and one row
    # The stream is suspended mid-way, as under a client that stopped reading or went away.
    assert desk.engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    token = _prompt(accounts.login, desk.uow(), "mona", "correct-horse-1").token
    assert _prompt(accounts.authenticate, desk.uow(), token, kind="bearer").username == "mona"
    assert _prompt(complaints.get_complaint, desk.uow(), numbers[0])["number"] == numbers[0]
    _prompt(_open, desk, 9)
    assert len(list_queue(desk.uow(), QueueQuery(), viewer=None).summaries) == 4
    _on_a_loop_of_its_own(body.aclose())  # type: ignore[attr-defined]


def test_an_export_reads_in_pages_and_still_carries_every_complaint(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(exporter, "PAGE", 2)
    opened = {_open(desk, n) for n in range(5)}
    lines = "".join(exporter.iter_export(desk.uow(), "csv")).splitlines()
    assert {line.split(",")[0] for line in lines[1:]} == opened and len(lines) == 6


@pytest.fixture
def sqlite_desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Desk]:
    """A SQLite desk whose statements wait a quarter second for the write lock (not ten)."""
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 250)
    desk = open_desk(f"sqlite:///{tmp_path / 'busy.db'}")
    yield desk
    desk.engine.dispose()


@pytest.fixture
def write_lock(sqlite_desk: Desk) -> Iterator[sqlite3.Connection]:
    """Another process's writer holding SQLite's write lock (as a long import did)."""
    path = sqlite_desk.engine.url.database
    assert path
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    yield holder
    holder.execute("ROLLBACK")
    holder.close()


def test_reads_go_on_while_another_writer_holds_the_lock_and_a_write_is_told_busy(
    sqlite_desk: Desk, write_lock: sqlite3.Connection
) -> None:
    write_lock.execute("ROLLBACK")
    number = _open(sqlite_desk)
    accounts.create_user(sqlite_desk.uow(), "mona", "Mona", "manager", None, "correct-horse-1", "test")
    token = accounts.login(sqlite_desk.uow(), "mona", "correct-horse-1").token
    write_lock.execute("BEGIN IMMEDIATE")
    assert _prompt(complaints.get_complaint, sqlite_desk.uow(), number)["number"] == number
    assert _prompt(accounts.authenticate, sqlite_desk.uow(), token, kind="bearer").username == "mona"
    assert number in "".join(_prompt(lambda: list(exporter.iter_export(sqlite_desk.uow()))))
    with pytest.raises(DatabaseBusy) as refused:
        _open(sqlite_desk, 1)
    assert refused.value.http_status == 503 and refused.value.exit_code == 9


def test_a_large_import_blocks_no_read_or_write_and_shows_its_rows_only_when_whole(desk: Desk, tmp_path: Path) -> None:
    number = _open(desk)
    rows = "\n".join(f"客户{n},1390013{n:04d},宽带停机,欠费不到三十天就停了我的宽带。" for n in range(300))
    path = tmp_path / "big.csv"
    path.write_text("customer_name,phone,title,description\n" + rows + "\n", encoding="utf-8")
    halfway, resume = threading.Event(), threading.Event()

    def progress(done: int, total: int) -> None:
        if done >= total // 2 and not halfway.is_set():
            halfway.set()
            resume.wait(30)

    outcome: list[object] = []
    worker = threading.Thread(
        target=lambda: outcome.append(importer.import_file(desk.uow(), path, analyse=False, progress=progress))
    )
    worker.start()
    try:
        assert halfway.wait(60)
        assert _prompt(complaints.get_complaint, desk.uow(), number)["number"] == number
        # Half the file is written, none of it shows: not in lists, exports or by number.
        assert len(_prompt(lambda uow: list_queue(uow, QueueQuery(limit=1000), viewer=None).items, desk.uow())) == 1
        assert "".join(exporter.iter_export(desk.uow(), "jsonl")).count("\n") == 1
        with desk.uow().reading() as uow:
            assert uow.complaints.count() == 1
        written = _prompt(_open, desk, 7)
    finally:
        resume.set()
        worker.join(60)
    result = outcome[0]
    assert isinstance(result, importer.ImportResult) and result.imported == 300
    listed = list_queue(desk.uow(), QueueQuery(limit=1000), viewer=None).summaries
    assert len(listed) == 302 and written in {c["number"] for c in listed}
    assert complaints.get_complaint(desk.uow(), result.numbers[0])["number"] == result.numbers[0]


def test_an_import_that_fails_while_writing_leaves_nothing_behind(
    desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from complaintdesk.services import audit_service, import_staging

    monkeypatch.setattr(import_staging, "MAX_BATCH", 2)
    monkeypatch.setattr(import_staging, "PAUSE_SECONDS", 0)
    rows = "\n".join(f"客户{n},1390013{n:04d},宽带停机,欠费不到三十天就停了我的宽带。" for n in range(5))
    path = tmp_path / "five.csv"
    path.write_text("customer_name,phone,title,description\n" + rows + "\n", encoding="utf-8")

    def stop(done: int, total: int) -> None:
        if done == 4:
            raise KeyboardInterrupt  # the operator pressed Ctrl-C with two batches written

    events_before = len(audit_service.recent(desk.uow(), limit=200))
    with pytest.raises(KeyboardInterrupt):
        importer.import_file(desk.uow(), path, analyse=False, progress=stop)
    with desk.uow() as uow:
        session = uow.complaints.session
        for table in ("complaints", "customers", "sla_clocks", "search_documents", "import_runs"):
            assert session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() == 0, table
    assert len(audit_service.recent(desk.uow(), limit=200)) == events_before
    assert importer.import_file(desk.uow(), path, analyse=False).imported == 5
    assert audit_service.verify(desk.uow()).ok


def test_a_locked_database_is_503_with_retry_after_over_the_api(
    sqlite_desk: Desk, write_lock: sqlite3.Connection
) -> None:
    from fastapi.testclient import TestClient

    from complaintdesk.api.app import create_app

    write_lock.execute("ROLLBACK")
    accounts.create_user(sqlite_desk.uow(), "mona", "Mona", "manager", None, "correct-horse-1", "test")
    with TestClient(create_app(sqlite_desk)) as client:
        token = client.post("/api/v1/auth/token", json={"username": "mona", "password": "correct-horse-1"}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        write_lock.execute("BEGIN IMMEDIATE")
        assert client.get("/api/v1/complaints", headers=headers).status_code == 200  # reads go on
        body = {"customer_name": "王先生", "phone": "13800138000", "title": "宽带停机", "description": "停机了"}
        response = client.post("/api/v1/complaints", json=body, headers=headers)
        assert response.status_code == 503, response.text
        assert response.headers["Retry-After"] == "5"
        assert response.json()["error"]["code"] == "database_busy"


def test_the_cli_reads_during_a_lock_and_a_write_exits_with_the_busy_code(
    sqlite_desk: Desk, write_lock: sqlite3.Connection, capsys: pytest.CaptureFixture[str]
) -> None:
    from complaintdesk.cli import main
    from complaintdesk.commands import _context

    url = str(sqlite_desk.engine.url)
    _context.reset()
    try:
        assert main(["--db", url, "complaint", "list"]) == 0  # was: configuration_error, exit 7
        code = main(["--db", url, "complaint", "open", "--name", "王女士", "--phone", "13812345678",
                     "--title", "宽带停机", "--text", "停机了"])  # fmt: skip
    finally:
        _context.reset()
    assert code == 9
    err = capsys.readouterr().err
    assert "database_busy" in err and "configuration_error" not in err


def test_busy_is_recognised_only_for_lock_errors() -> None:
    from sqlalchemy.exc import OperationalError

    assert db.as_busy(OperationalError("x", {}, sqlite3.OperationalError("database is locked"))) is not None
    assert db.as_busy(OperationalError("x", {}, sqlite3.OperationalError("no such table: t"))) is None
    assert db.as_busy(ValueError("database is locked")) is None
