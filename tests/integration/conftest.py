from __future__ import annotations

from collections.abc import Iterator

import pytest

from complaintdesk.cli import main
from complaintdesk.commands import _context
from complaintdesk.services.bootstrap import Desk, open_desk
from tests.demo_template import DemoTemplates


@pytest.fixture
def desk(database_url: str) -> Iterator[Desk]:
    d = open_desk(database_url)
    yield d
    d.engine.dispose()


@pytest.fixture
def demo_db(database_url: str, demo_templates: DemoTemplates) -> list[str]:
    """The test database holding the demo, as `complaintdesk demo` loads it, copied from the session's
    build (loading it anew costs ~4 s a test); its complaint numbers."""
    desk, numbers = demo_templates.open_copy(database_url)
    desk.engine.dispose()
    return numbers


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
