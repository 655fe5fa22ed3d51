from __future__ import annotations

from collections.abc import Iterator

import pytest

from complaintdesk.cli import main
from complaintdesk.commands import _context
from complaintdesk.services.bootstrap import Desk, open_desk


@pytest.fixture
def desk(database_url: str) -> Iterator[Desk]:
    d = open_desk(database_url)
    yield d
    d.engine.dispose()


@pytest.fixture
def cli(database_url: str, capsys: pytest.CaptureFixture[str]) -> Iterator[object]:
    """Runs ``complaintdesk`` on the test database: ``cli("complaint", "list")`` -> (exit code, out, err)."""

    def run(*args: str) -> tuple[int, str, str]:
        _context.reset()
        code = main(["--db", database_url, *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    yield run
    _context.reset()
