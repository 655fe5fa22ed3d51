"""bench_api's load generator, run in a process of its own: a minimal keep-alive HTTP client and the
mix of open, list and move at a fixed arrival rate (or one request at a time)."""

from __future__ import annotations

import asyncio
import json
import random
import time
from typing import Any

MIX = (("open", 0.4), ("list", 0.4), ("move", 0.2))
TEXT = "宽带欠费不到30天就被停机,影响在家办公,要求马上恢复并退还停机期间的费用,否则投诉到工信部。"


class Http:
    """A minimal keep-alive HTTP/1.1 client over raw asyncio streams. httpx's AsyncClient cost more
    CPU per request (about 14 ms at 200 concurrent) than the server it measured, on the same 2 cores,
    so the figures were the load generator's; this one costs a fraction of a millisecond."""

    def __init__(self, host: str, port: int, token: str, connections: int) -> None:
        self.host, self.port, self.token = host, port, token
        self.idle: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = asyncio.Queue()
        self.connections = connections
        self.opened = 0

    async def _connection(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self.idle.empty() and self.opened < self.connections:
            self.opened += 1
            return await asyncio.open_connection(self.host, self.port)
        return await self.idle.get()

    async def request(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        payload = json.dumps(body, ensure_ascii=False).encode() if body is not None else b""
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: {self.host}\r\nAuthorization: Bearer {self.token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n"
        ).encode()
        reader, writer = await self._connection()
        try:
            writer.write(head + payload)
            status_line, _, headers = (await reader.readuntil(b"\r\n\r\n")).partition(b"\r\n")
            status = int(status_line.split()[1])
            length = 0
            for line in headers.split(b"\r\n"):
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            data = await reader.readexactly(length) if length else b""
        except BaseException:
            writer.close()
            self.opened -= 1
            raise
        self.idle.put_nowait((reader, writer))
        return status, (json.loads(data) if data else None)

    async def open_all(self) -> None:
        """Open every connection before the clock starts, as wrk does: the figures are the server's
        answers on kept-alive connections, not 100 TCP handshakes in the first second."""
        while self.opened < self.connections:
            self.opened += 1
            self.idle.put_nowait(await asyncio.open_connection(self.host, self.port))

    async def close(self) -> None:
        while not self.idle.empty():
            _, writer = self.idle.get_nowait()
            writer.close()


async def generate(base: str, token: str, rate: float, seconds: float, cap: int) -> dict[str, Any]:
    host, port = base.removeprefix("http://").split(":")
    client = Http(host, int(port), token, connections=100)
    latencies: dict[str, list[float]] = {name: [] for name, _ in MIX}
    errors: dict[str, int] = {}
    opened: list[str] = []
    rng = random.Random(1)
    total = min(cap, int(rate * seconds))

    async def request(i: int, kind: str) -> tuple[str, int]:
        if kind == "move" and opened:
            number = opened.pop()
            status, _ = await client.request(
                "POST", f"/api/v1/complaints/{number}/move", {"stage": "calming", "version": 1}
            )
            return kind, status
        if kind in ("open", "move"):  # nothing to move yet: open instead
            body = {
                "customer_name": f"客户{i}",
                "phone": f"139{i:08d}",
                "title": "宽带停机",
                "description": TEXT,
            }
            status, data = await client.request("POST", "/api/v1/complaints", body)
            if status == 201:
                opened.append(data["number"])
            return "open", status
        status, _ = await client.request("GET", "/api/v1/complaints?limit=20")
        return kind, status

    timeline: list[tuple[float, float, str]] = []  # (wall-clock start, latency in ms, kind) of every loaded request

    async def one(i: int, kind: str) -> None:
        began = time.perf_counter()
        began_wall = time.time()
        try:
            kind, code = await request(i, kind)
            status = str(code) if code >= 400 else None
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            status = type(exc).__name__
        latency = (time.perf_counter() - began) * 1000
        latencies[kind].append(latency)
        timeline.append((began_wall, latency, kind))
        if status is not None:
            errors[f"{kind} {status}"] = errors.get(f"{kind} {status}", 0) + 1

    await client.open_all()
    if rate <= 0:  # the mix one request at a time (the server's CPU per request without concurrency)
        for i in range(cap):
            await one(i, rng.choices([m for m, _ in MIX], [w for _, w in MIX])[0])
        await client.close()
        return {"requests": cap, "latencies": latencies, "errors": errors}
    # Unloaded latency first: one request at a time, so the figure is the server's own cost.
    sequential: list[float] = []
    for i in range(60):
        began = time.perf_counter()
        await request(10_000_000 + i, "open" if i % 2 else "list")
        sequential.append((time.perf_counter() - began) * 1000)
    cpu_before = time.process_time()
    tasks = []
    start = time.perf_counter()
    for i in range(total):
        # Open-loop arrivals at a fixed rate: a slow server does not slow the load down.
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        kind = rng.choices([m for m, _ in MIX], [w for _, w in MIX])[0]
        tasks.append(asyncio.create_task(one(i, kind)))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - start
    await client.close()
    return {
        "generator_cpu": time.process_time() - cpu_before,
        "elapsed": elapsed,
        "requests": total,
        "latencies": latencies,
        "errors": errors,
        "sequential": sequential,
        "timeline": timeline,
    }
