"""Operators choose where the API's handlers run: a thread pool per worker (the default) or, with
COMPLAINTDESK_API_THREADS=0, the worker's event loop; `serve --workers N` gives each worker a socket."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from complaintdesk.api.app import create_app
from complaintdesk.services import queue
from complaintdesk.services.bootstrap import Desk
from complaintdesk.settings import get_settings


def _thread_of_queue_read(
    client: TestClient, auth: Callable[[str], dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, int]:
    """(the thread that ran the queue handler's service call, the event loop's thread)."""
    seen: list[int] = []
    real = queue.list_queue

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(threading.get_ident())
        return real(*args, **kwargs)

    monkeypatch.setattr(queue, "list_queue", spy)
    response = client.get("/api/v1/complaints", headers=auth("root"))
    assert response.status_code == 200, response.text
    loop_thread = client.portal.call(threading.get_ident)  # type: ignore[union-attr]
    return seen[-1], loop_thread


def test_handlers_run_on_the_thread_pool_by_default(
    client: TestClient, auth: Callable[[str], dict[str, str]], fresh_settings: pytest.MonkeyPatch
) -> None:
    fresh_settings.delenv("COMPLAINTDESK_API_THREADS", raising=False)
    get_settings.cache_clear()
    assert get_settings().api_threads == 4
    handler_thread, loop_thread = _thread_of_queue_read(client, auth, fresh_settings)
    assert handler_thread != loop_thread


def test_handlers_run_on_the_event_loop_when_api_threads_is_zero(
    desk: Desk, client: TestClient, auth: Callable[[str], dict[str, str]], fresh_settings: pytest.MonkeyPatch
) -> None:
    fresh_settings.setenv("COMPLAINTDESK_API_THREADS", "0")
    get_settings.cache_clear()
    with TestClient(create_app(desk)) as inline_client:
        handler_thread, loop_thread = _thread_of_queue_read(inline_client, auth, fresh_settings)
        assert handler_thread == loop_thread
        # And the routes still answer as they do on threads: errors in the one shape included.
        missing = inline_client.get("/api/v1/complaints/TS-20260101-999999", headers=auth("root"))
        assert missing.status_code == 404
        assert missing.json()["error"]["code"]


def test_a_negative_thread_count_is_refused(fresh_settings: pytest.MonkeyPatch) -> None:
    fresh_settings.setenv("COMPLAINTDESK_API_THREADS", "-1")
    with pytest.raises(ValueError, match="api_threads"):
        get_settings()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _listening_sockets(port: int) -> int:
    """Sockets in LISTEN state on this port, from /proc (Linux)."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "0A":
                count += 1
    return count


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="one socket per worker is Linux only")
def test_serve_gives_each_worker_its_own_socket_and_refuses_a_taken_port(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "COMPLAINTDESK_DATA_DIR": str(tmp_path), "COMPLAINTDESK_API_THREADS": "0"}
    env.pop("COMPLAINTDESK_DATABASE_URL", None)
    command = [sys.executable, "-m", "complaintdesk.cli", "serve", "--port", str(port), "--workers", "2",
               "--housekeeping", "0", "--no-access-log"]  # fmt: skip
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 90
        answers = 0
        while time.monotonic() < deadline and answers < 6:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=5) as r:
                    answers += r.status == 200
            except OSError:
                time.sleep(0.5)
        assert answers == 6
        # on a loaded machine the second worker may bind after the first has answered: wait for it
        while time.monotonic() < deadline and _listening_sockets(port) < 2:
            time.sleep(0.5)
        assert _listening_sockets(port) == 2
        second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
        assert second.returncode != 0
        assert "无法监听" in second.stderr + second.stdout
        assert "Traceback" not in second.stderr
    finally:
        server.terminate()
        server.wait(timeout=30)
