"""The desk (database) a CLI invocation works on, opened once per process."""

from __future__ import annotations

from complaintdesk.services.bootstrap import Desk, open_desk

_database_url: str | None = None
_desk: Desk | None = None


def set_database_url(url: str | None) -> None:
    global _database_url, _desk
    if url != _database_url:
        _database_url = url
        _desk = None


def desk() -> Desk:
    global _desk
    if _desk is None:
        _desk = open_desk(_database_url)
    return _desk


def reset() -> None:
    """Forget the open desk (tests run many invocations in one process)."""
    global _desk
    if _desk is not None:
        _desk.engine.dispose()
    _desk = None
