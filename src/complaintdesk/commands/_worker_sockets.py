"""`serve --workers N` on Linux: every worker listens on a socket of its own in one SO_REUSEPORT
group, so the kernel spreads connections evenly. On uvicorn's one shared socket, whichever worker woke
first took them: splits of 19/81 between two workers were measured, and with handlers on the event
loop 1/18/81 among three, the busiest worker setting everyone's latency.

A module of its own, imported only by `serve`: the worker class must be importable by name (workers
are spawned), and the rest of the CLI should not load uvicorn to start.
"""

from __future__ import annotations

import socket
from typing import Any

from uvicorn.supervisors import Multiprocess, multiprocess

from complaintdesk.domain.errors import InvalidInput


def run(config: Any) -> None:
    """Refuse a port something already listens on, then supervise workers that bind their own."""
    _refuse_if_taken(config)
    # uvicorn 0.54 (pinned) creates its workers through this module-level name.
    multiprocess.Process = _OwnSocketProcess  # type: ignore[misc]
    Multiprocess(config, sockets=[]).run()


def _listening_socket(config: Any, *, reuse_port: bool) -> socket.socket:
    family = socket.AF_INET6 if ":" in config.host else socket.AF_INET
    # Declared as TCP so that asyncio turns Nagle off on every connection (see server._tcp_socket).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if reuse_port:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((config.host, config.port))
    except OSError:
        sock.close()
        raise
    return sock


def _refuse_if_taken(config: Any) -> None:
    """SO_REUSEPORT would let a second server share the port silently: bind once without it first."""
    try:
        _listening_socket(config, reuse_port=False).close()
    except OSError as exc:
        raise InvalidInput(f"无法监听 {config.host}:{config.port}: {exc.strerror}", field="port") from None


class _OwnSocketProcess(multiprocess.Process):
    """A uvicorn worker that binds its own listening socket (in the worker, so that nothing in the
    supervisor holds it open after the worker dies and the kernel stops routing connections to it)."""

    def target(self, sockets: list[socket.socket] | None = None) -> None:  # pragma: no cover - in the worker
        sock = _listening_socket(self.config, reuse_port=True)
        sock.listen(self.config.backlog)
        super().target([sock])
