"""Browser tests: the real app served by uvicorn on 127.0.0.1, driven by Debian's chromium.

Skipped when /usr/bin/chromium (or the playwright package) is missing, unless
COMPLAINTDESK_REQUIRE_BROWSER=1, in which case a missing browser fails the run.
``playwright install`` is never needed: the system chromium is used.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
REQUIRED = os.environ.get("COMPLAINTDESK_REQUIRE_BROWSER") == "1"

pytestmark = pytest.mark.e2e


def _missing(reason: str) -> None:
    if REQUIRED:
        pytest.fail(f"COMPLAINTDESK_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


@dataclass
class Server:
    url: str
    desk: Any
    numbers: list[str]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    import uvicorn

    from complaintdesk.api.app import create_app
    from complaintdesk.services import demo
    from complaintdesk.services.bootstrap import open_desk
    from complaintdesk.settings import get_settings

    root = tmp_path_factory.mktemp("e2e")
    os.environ["COMPLAINTDESK_DATA_DIR"] = str(root / "data")
    os.environ["COMPLAINTDESK_REPEAT_USE_EMBEDDINGS"] = "false"
    get_settings.cache_clear()
    desk = open_desk(f"sqlite:///{root / 'e2e.db'}")
    loaded = demo.load_demo(desk.uow, now=datetime.now(UTC))
    port = _free_port()
    config = uvicorn.Config(create_app(desk), host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    for _ in range(200):
        if uv.started:
            break
        time.sleep(0.05)
    else:
        pytest.fail("uvicorn did not start")
    yield Server(f"http://127.0.0.1:{port}", desk, loaded.numbers)
    uv.should_exit = True
    thread.join(timeout=10)
    desk.engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package is not installed (.venv/bin/pip install playwright==1.65.2)")
    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, server: Server) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN", base_url=server.url)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()
