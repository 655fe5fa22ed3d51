"""CPU time from /proc (Linux): a process tree's, PostgreSQL's, and the hypervisor's stolen ticks, for
bench_api's per-request CPU figures."""

from __future__ import annotations

import os
import time
from collections.abc import Callable


def cpu_seconds(include: Callable[[int, int, str], bool]) -> float:
    """utime+stime summed over the processes ``include(pid, parent pid, name)`` accepts, from /proc
    (Linux only)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                name, _, rest = f.read().partition(" (")[2].rpartition(") ")
        except OSError:
            continue
        fields = rest.split()
        if include(int(entry), int(fields[1]), name):
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def tree_cpu_seconds(pid: int) -> float:
    """A process and its direct children (uvicorn's workers)."""
    return cpu_seconds(lambda p, parent, _name: pid in (p, parent))


def machine_ticks() -> tuple[int, int]:
    """(all, stolen) CPU ticks of the machine from /proc/stat: time the hypervisor gave to other guests
    is time this run's processes waited with work to do."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    return sum(fields[:8]), fields[7] if len(fields) > 7 else 0


class StealSampler:
    """Samples the machine's stolen CPU ticks every 20 ms in a thread: the moments the hypervisor ran
    other guests instead of this machine. A burst of steal stops every process here at once, the
    server's workers and PostgreSQL alike, whatever their code does."""

    def __init__(self) -> None:
        import threading

        self.samples: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append((time.time(), machine_ticks()[1]))
            self._stop.wait(0.02)

    def __enter__(self) -> StealSampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def windows(self, margin: float = 0.02) -> list[tuple[float, float]]:
        """(start, end) wall-clock intervals in which some CPU time was stolen, widened by ``margin``
        (the kernel accounts steal at its next tick)."""
        return [
            (t0 - margin, t1 + margin)
            for (t0, s0), (t1, s1) in zip(self.samples, self.samples[1:], strict=False)
            if s1 > s0
        ]


def overlaps(start: float, end: float, windows: list[tuple[float, float]]) -> bool:
    return any(w0 < end and start < w1 for w0, w1 in windows)


def postgres_cpu_seconds() -> float:
    """Every PostgreSQL server process on this machine."""
    return cpu_seconds(lambda _p, _parent, name: name == "postgres")
