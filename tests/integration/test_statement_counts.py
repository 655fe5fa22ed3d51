"""How many SQL statements the hot paths send, as ceilings: open, move and the queue list are most of
the API's traffic, and every statement is a round trip and its Python (issue 26). A change that adds
one must lower another or raise its ceiling here, deliberately.

Counted on the desk's engine (``before_cursor_execute``: BEGIN on SQLite included, since the driver
sends it as a statement). Not counted: PostgreSQL's draw of the day's number, which psycopg sends
directly in autocommit before the transaction (``ComplaintRepository.next_number``). The first
operation of a desk is left out: it also checks once which optional tables the database has.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import event, text

from complaintdesk.services import commands, queue, webhooks
from complaintdesk.services.bootstrap import Desk
from complaintdesk.services.complaints import OpenComplaint, open_complaint
from complaintdesk.services.handlers import handle
from complaintdesk.services.search_index import write_documents

TEXT = "宽带欠费不到30天就被停机,影响在家办公,要求马上恢复并退还停机期间的费用,否则投诉到工信部。"

# (open a new customer's complaint, move it, list 20 of the queue), per database
CEILINGS = {
    "sqlite": {"open": 10, "move": 6, "list": 2},
    "postgresql": {"open": 3, "move": 4, "list": 1},
}


@pytest.fixture
def counted(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Callable[[], Any]], int]]:
    # The active webhook subscriptions are read again every couple of seconds, not per request: on a
    # slow test machine that refresh would land in a random operation.
    monkeypatch.setattr(webhooks, "SUBSCRIPTION_CACHE_SECONDS", 3600.0)
    sent: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        sent.append(statement)

    def count(operation: Callable[[], Any]) -> int:
        sent.clear()
        operation()
        return len(sent)

    event.listen(desk.engine, "before_cursor_execute", note)
    yield count
    event.remove(desk.engine, "before_cursor_execute", note)


def _open(desk: Desk, i: int) -> dict[str, Any]:
    cmd = OpenComplaint(f"客户{i}", f"139{i:08d}", "宽带停机", TEXT, actor="alice")
    return open_complaint(desk.uow(), cmd)


def _move(desk: Desk, opened: dict[str, Any]) -> dict[str, Any]:
    move = commands.Move(
        number=opened["number"], stage="calming", actor="alice", expected_version=opened["version"]
    )
    return handle(desk.uow(), move)


def _list(desk: Desk) -> Any:
    return queue.list_queue(desk.uow(), queue.QueueQuery(limit=20), viewer=None)


def _warm(desk: Desk) -> None:
    _move(desk, _open(desk, 1))
    _list(desk)


def test_opening_a_new_customers_complaint_stays_within_its_statement_ceiling(
    desk: Desk, counted: Callable[[Callable[[], Any]], int]
) -> None:
    _warm(desk)
    assert counted(lambda: _open(desk, 2)) <= CEILINGS[desk.engine.dialect.name]["open"]


def test_moving_a_complaint_stays_within_its_statement_ceiling(
    desk: Desk, counted: Callable[[Callable[[], Any]], int]
) -> None:
    _warm(desk)
    opened = _open(desk, 2)
    moved: list[dict[str, Any]] = []
    assert counted(lambda: moved.append(_move(desk, opened))) <= CEILINGS[desk.engine.dialect.name]["move"]
    assert moved[0]["stage"] == "calming" and moved[0]["version"] == opened["version"] + 1


def test_listing_the_queue_stays_within_its_statement_ceiling(
    desk: Desk, counted: Callable[[Callable[[], Any]], int]
) -> None:
    _warm(desk)
    for i in range(2, 6):
        _open(desk, i)
    page: list[Any] = []
    assert counted(lambda: page.append(_list(desk))) <= CEILINGS[desk.engine.dialect.name]["list"]
    assert len(page[0].to_dict()["items"]) == 5


def test_a_page_with_its_total_costs_no_statement_more_than_the_page_alone(
    desk: Desk, counted: Callable[[Callable[[], Any]], int]
) -> None:
    _warm(desk)
    for i in range(2, 6):
        _open(desk, i)
    for order in ("newest", "due"):
        query = queue.QueueQuery(limit=2, order=order)
        alone = counted(lambda q=query: queue.list_queue(desk.uow(), q, viewer=None))
        page: list[Any] = []
        with_total = dataclasses.replace(query, with_total=True)
        assert counted(lambda q=with_total, p=page: p.append(queue.list_queue(desk.uow(), q, viewer=None))) == alone
        assert page[0].total == queue.count_queue(desk.uow(), query, viewer=None) == 5


def test_clocks_read_with_the_complaint_are_the_rows_read_alone(desk: Desk) -> None:
    opened = _open(desk, 1)
    _move(desk, opened)  # one clock stopped, one running: both kinds of row
    with desk.uow() as uow:
        uow.complaints.get(opened["number"], with_clocks=True)
        preloaded = uow.clocks.for_complaint(opened["number"])
        read_alone = uow.clocks.for_complaint(opened["number"])  # handed out once: this one is read
    assert len(read_alone) == 3 and {r.active for r in read_alone} == {True, False}
    assert preloaded == read_alone
    assert all(r.due_at.tzinfo is not None and r.updated_at.tzinfo is not None for r in preloaded)


def test_a_clock_written_after_the_complaint_was_read_is_read_again(desk: Desk) -> None:
    opened = _open(desk, 1)
    with desk.uow() as uow:
        uow.complaints.get(opened["number"], with_clocks=True)
        row = next(r for r in uow.clocks.for_complaint(opened["number"]) if r.active)
        row.warned = True
        uow.clocks.save(row)
        assert any(r.warned for r in uow.clocks.for_complaint(opened["number"]))


def test_rewriting_a_search_entry_on_sqlite_leaves_none_of_the_old_text_findable(desk: Desk) -> None:
    if desk.engine.dialect.name != "sqlite":
        pytest.skip("the FTS5 table is SQLite's index")
    opened = _open(desk, 1)
    with desk.uow() as uow:
        complaint = uow.complaints.get(opened["number"])
        complaint.title, complaint.description = "发票丢失", "要求补开发票"
        write_documents(uow.session.connection(), [complaint])
        found = {
            gram: uow.session.execute(
                text("SELECT count(*) FROM search_fts WHERE search_fts MATCH :q"), {"q": gram}
            ).scalar()
            for gram in ("停机", "发票")
        }
    assert found == {"停机": 0, "发票": 1}
