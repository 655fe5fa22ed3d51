"""A unit of work takes its thread's closed session of the last unit of work instead of making a new one
(``unit_of_work._idle_session``): it must start as a new session starts — nothing of the last use-case in
its identity map or its ``info``, its transaction new — whether the last one committed, failed half-way or
was a read; and two units of work at once, or two threads, never share one."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from complaintdesk.domain.errors import ComplaintDeskError
from complaintdesk.services.bootstrap import Desk
from complaintdesk.services.commit_pipeline import Commit, CommitPipeline
from complaintdesk.storage import orm
from tests.builders import open_complaint


def _count(desk: Desk) -> int:
    with desk.uow().reading() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(orm.complaints)) or 0)


def test_the_next_unit_of_work_starts_with_an_empty_session_and_info(desk: Desk) -> None:
    number = open_complaint(desk)["number"]
    with desk.uow() as uow:
        first = uow.session
        complaint = uow.complaints.get(number, with_clocks=True)
        uow.session.info["left over"] = complaint
        uow.commit()
    with desk.uow() as uow:
        assert uow.session is first  # the same session, used again …
        assert len(uow.session.identity_map) == 0 and not uow.session.new and not uow.session.dirty
        assert uow.session.info == {}  # … with nothing of the last use-case left in it
        assert uow.complaints.get(number).number == number


def test_a_use_case_that_failed_half_way_leaves_nothing_and_the_next_one_lands(desk: Desk) -> None:
    before = _count(desk)

    def refuse(_commit: Commit) -> None:
        raise ComplaintDeskError("拒绝提交", field=None)

    failing = Desk(desk.settings, desk.engine, desk.session_factory,
                   CommitPipeline(handlers=(*desk.pipeline.handlers, refuse), trackers=desk.pipeline.trackers))  # fmt: skip
    with pytest.raises(ComplaintDeskError):
        open_complaint(failing, description="宽带停机三天,要求退还月费")
    assert _count(desk) == before  # all or nothing, on a session that is then used again
    shown = open_complaint(desk, description="宽带停机三天,要求退还月费")
    assert _count(desk) == before + 1
    with desk.uow().reading() as uow:
        assert uow.complaints.get(shown["number"]).description == "宽带停机三天,要求退还月费"


def test_a_unit_of_work_inside_another_and_a_reader_get_sessions_of_their_own(desk: Desk) -> None:
    open_complaint(desk)
    with desk.uow() as outer:
        with desk.uow() as inner:
            assert inner.session is not outer.session
        with desk.uow().reading() as reader:
            assert reader.session is not outer.session
            assert reader.session.get_bind() is not outer.session.get_bind()  # the reader engine
    with desk.uow() as again:
        assert again.session.get_bind() is desk.engine  # a writer never gets the reader's session


def test_two_threads_never_share_a_session(desk: Desk) -> None:
    open_complaint(desk)
    seen: dict[str, int] = {}
    barrier = threading.Barrier(2)

    def work(name: str) -> None:
        with desk.uow().reading() as uow:
            seen[name] = id(uow.session)
            barrier.wait(timeout=30)  # both sessions open at once
            uow.session.scalar(select(func.count()).select_from(orm.complaints))

    threads = [threading.Thread(target=work, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(seen) == 2 and seen["a"] != seen["b"]
