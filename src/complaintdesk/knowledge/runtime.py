"""Serving the centre's knowledge directory: validated before a server starts, reloaded on request
without a restart in every process.

A reload (``complaintdesk knowledge reload``, ``POST /api/v1/admin/knowledge/reload`` or the admin
page's button) validates the directory first and changes nothing when it is broken. When it is
sound, it writes a new token to the stamp file ``knowledge-reload`` in the data directory; every
process that serves (each server worker, the housekeeping worker) compares that token with the one
it last served at most once a second, on its next request or round, and loads the knowledge again.
A stamp file rather than a signal: workers share no memory, and a file in the data directory reaches
each of them without knowing how many there are or on which port they listen.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from complaintdesk.domain.errors import ConfigurationError
from complaintdesk.settings import Settings
from complaintdesk.yamldata import knowledge_dir, use_knowledge_dir

if TYPE_CHECKING:
    from complaintdesk.knowledge.catalogue import Report

log = logging.getLogger(__name__)

STAMP_FILE = "knowledge-reload"
CHECK_EVERY_SECONDS = 1.0

Fingerprint = tuple[tuple[str, int, int], ...]


@dataclass
class _Served:
    directory: Path
    fingerprint: Fingerprint
    stamp: str | None
    checked_at: float


_served: _Served | None = None
_lock = threading.Lock()


def directory_of(settings: Settings) -> Path:
    """The knowledge directory the settings name. One named explicitly must exist (a typo in the
    path would otherwise serve the packaged defaults in silence); the default may be absent."""
    directory = settings.resolved_knowledge_dir()
    if settings.knowledge_dir is not None and not directory.is_dir():
        raise ConfigurationError(f"知识目录不存在：{directory}", field="COMPLAINTDESK_KNOWLEDGE_DIR")
    return directory


def fingerprint(directory: Path) -> Fingerprint:
    """Each file under the directory with its modification time and size (empty: no centre files)."""
    if not directory.is_dir():
        return ()
    found = []
    for path in directory.rglob("*"):
        if path.is_file() and not path.name.startswith("."):
            stat = path.stat()
            found.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(found))


def check(directory: Path, *, must_exist: bool = True) -> Report:
    """Validate everything in ``directory`` (ConfigurationError on the first problem) and say what
    would be served, and from where. Serves nothing. ``must_exist=False``: an absent directory is
    reported as serving the packaged defaults (the default location, never created)."""
    from complaintdesk.knowledge.catalogue import build_all, describe

    if must_exist and not directory.is_dir():
        raise ConfigurationError(f"知识目录不存在：{directory}", field="dir")
    return describe(directory, build_all(directory))


def serve(settings: Settings) -> None:
    """At start (server, housekeeping worker): validate the centre's knowledge and serve it.
    A broken file raises ConfigurationError, and the server does not start. Without centre files
    nothing is built here: the packaged defaults load where they always did (a worker's warm-up)."""
    directory = directory_of(settings)
    with _lock:
        _serve(directory, _read_stamp(settings), force=False)


def use(settings: Settings) -> None:
    """For one CLI command: point the loaders at the centre's knowledge; each kind is validated when
    the command first uses it (a command that reads no rules pays nothing for them)."""
    global _served
    directory = directory_of(settings)
    prints = fingerprint(directory)
    _point(directory, prints, None)
    _served = _Served(directory, prints, _read_stamp(settings), time.monotonic())


def request_reload(settings: Settings) -> Report:
    """Validate the knowledge directory and, when it is sound, serve it here now and tell every other
    process to serve it (the stamp file). A broken directory raises ConfigurationError; nothing changes."""
    from complaintdesk.knowledge.catalogue import build_all

    directory = directory_of(settings)
    built = build_all(directory) if directory.is_dir() else None
    stamp = uuid.uuid4().hex
    _write_stamp(settings, stamp)
    with _lock:
        _install(directory, fingerprint(directory), built, stamp)
    return report()


def refresh(settings: Settings) -> bool:
    """Serve the knowledge again when a reload was requested since this process last looked (checked
    at most once a second). A directory broken since the request keeps the knowledge in force."""
    served = _served
    if served is None:
        return False  # this process never served a knowledge directory (a test, a script)
    now = time.monotonic()
    if now - served.checked_at < CHECK_EVERY_SECONDS:
        return False
    served.checked_at = now
    stamp = _read_stamp(settings)
    if stamp == served.stamp:
        return False
    with _lock:
        if _served is not served or served.stamp == stamp:
            return False  # another thread of this process reloaded meanwhile
        try:
            _serve(directory_of(settings), stamp, force=True)
        except ConfigurationError as exc:
            served.stamp = stamp  # asked once: not again every second until the next request
            log.error("knowledge reload refused, keeping the knowledge in force: %s", exc.message)
            return False
    log.info("knowledge reloaded from %s", served.directory)
    return True


def report() -> Report:
    """What this process serves now, and from where."""
    from complaintdesk.knowledge.catalogue import active, describe

    served = _served
    directory = served.directory if served is not None else knowledge_dir()
    return describe(directory, active())


def stamp_path(settings: Settings) -> Path:
    return settings.data_dir / STAMP_FILE


def _serve(directory: Path, stamp: str | None, *, force: bool) -> None:
    prints = fingerprint(directory)
    same = _served is not None and _served.directory == directory and _served.fingerprint == prints
    if same and not force:
        _served.stamp = stamp  # type: ignore[union-attr]
        return
    built = None
    if prints:
        from complaintdesk.knowledge.catalogue import build_all

        built = build_all(directory)
    _install(directory, prints, built, stamp, force=force)


def _install(
    directory: Path, prints: Fingerprint, built: dict[str, Any] | None, stamp: str | None, *, force: bool = True
) -> None:
    global _served
    _point(directory, prints, built, force=force)
    _served = _Served(directory, prints, stamp, time.monotonic())


def _point(directory: Path, prints: Fingerprint, built: dict[str, Any] | None, *, force: bool = False) -> None:
    """Point the loaders at the directory. Without centre files the packaged defaults are served,
    and the caches already built for them are kept (a test's fresh data directory costs nothing)."""
    if prints:
        use_knowledge_dir(directory, built)
    elif force or knowledge_dir() is not None:
        use_knowledge_dir(None, built)


def _read_stamp(settings: Settings) -> str | None:
    try:
        return stamp_path(settings).read_text("utf-8").strip() or None
    except OSError:
        return None


def _write_stamp(settings: Settings, stamp: str) -> None:
    """Replace the stamp file whole (a worker never reads half a token)."""
    path = stamp_path(settings)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".knowledge-reload.")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(stamp)
        os.replace(tmp, path)
    except OSError as exc:
        raise ConfigurationError(f"无法写入重新加载标记 {path}: {exc.strerror}", field="data_dir") from None
