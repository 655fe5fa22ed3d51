"""Soak on SQLite: intake, transfers, exports (some cancelled after the first chunk), imports, logins
and reads at once against one server, bounded in time, on loopback only.

    python benchmarks/soak.py [--seconds 60] [--import-rows 1000] [--keep]

Starts ``complaintdesk serve`` on a fresh SQLite data directory and a free port, drives it from
threads in this process, stops it, and runs ``complaintdesk audit verify`` on the database. Prints
the requests made, the errors by kind, the longest any login waited and the verdict of the audit
chain; exits 1 unless there was no 5xx, no failed connection, no login over two seconds and the
chain verified (issue 17: a stalled export or a large import froze every login, read and write).
"""

from __future__ import annotations

import argparse
import collections
import csv
import io
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

PASSWORD = "soak-password-1"
STAFF = (  # username, role, team
    ("agent1", "agent", "A"),
    ("agent2", "agent", "A"),
    ("agent3", "agent", "A"),
    ("lead", "team_lead", "A"),
    ("manager", "manager", None),
    ("auditor", "auditor", None),
)
TEXT = "宽带欠费不到30天就被停机,影响在家办公,要求马上恢复并退还停机期间的费用,否则投诉到工信部。"
LOGIN_LIMIT = 2.0
# Each load thread's pause between requests: a steady desk's load (some 30-40 requests/s in all), not
# a flood that saturates both cores, where a login measures CPU queueing rather than locking.
PACE = 0.1


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests: collections.Counter[str] = collections.Counter()
        self.errors: collections.Counter[str] = collections.Counter()
        self.login_waits: list[float] = []
        self.numbers: list[str] = []
        self.exports = {"complete": 0, "cancelled": 0}
        self.imported = 0

    def record(self, kind: str, response: httpx.Response | None, error: BaseException | None = None) -> None:
        with self.lock:
            self.requests[kind] += 1
            if error is not None:
                self.errors[f"{kind}: {type(error).__name__}"] += 1
            elif response is not None and response.status_code >= 400:
                code = ""
                if response.headers.get("content-type", "").startswith("application/json"):
                    code = (response.json().get("error") or {}).get("code", "")
                self.errors[f"{kind}: {response.status_code} {code}".rstrip()] += 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _token(client: httpx.Client, tally: Tally, username: str) -> str:
    started = time.monotonic()
    response = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
    waited = time.monotonic() - started
    tally.record("login", response)
    with tally.lock:
        tally.login_waits.append(waited)
    response.raise_for_status()
    return str(response.json()["access_token"])


def _loop(stop: threading.Event, tally: Tally, kind: str, base: str, username: str, step: Any) -> None:
    with httpx.Client(base_url=base, timeout=60) as client:
        headers: dict[str, str] = {}
        while not stop.is_set():
            try:
                if not headers:  # a failed login is counted (as "login") and tried again
                    headers = {"Authorization": f"Bearer {_token(client, tally, username)}"}
                step(client, headers)
            except httpx.HTTPStatusError:
                time.sleep(0.2)
            except httpx.HTTPError as exc:
                tally.record(kind, None, exc)
                time.sleep(0.2)


def intake(tally: Tally) -> Any:
    def step(client: httpx.Client, headers: dict[str, str]) -> None:
        n = random.randrange(10**8)
        body = {"customer_name": f"客户{n % 997}", "phone": f"139{n:08d}", "title": "宽带停机", "description": TEXT,
                "channel": "phone"}  # fmt: skip
        response = client.post("/api/v1/complaints", json=body, headers=headers)
        tally.record("intake", response)
        if response.status_code == 201:
            with tally.lock:
                tally.numbers.append(response.json()["number"])
        time.sleep(PACE)

    return step


def transfers(tally: Tally) -> Any:
    def step(client: httpx.Client, headers: dict[str, str]) -> None:
        with tally.lock:
            number = random.choice(tally.numbers) if tally.numbers else None
        if number is None:
            time.sleep(0.1)
            return
        current = client.get(f"/api/v1/complaints/{number}", headers=headers)
        tally.record("read", current)
        if current.status_code != 200:
            return
        detail = current.json()
        to = random.choice([u for u, role, _ in STAFF if role == "agent" and u != detail.get("owner")])
        body = {"to_owner": to, "reason": "按片区转给负责坐席", "version": detail["version"]}
        tally.record("transfer", client.post(f"/api/v1/complaints/{number}/transfers", json=body, headers=headers))
        time.sleep(PACE)

    return step


def exports(tally: Tally) -> Any:
    def step(client: httpx.Client, headers: dict[str, str]) -> None:
        cancel = random.random() < 0.5
        fmt = random.choice(["csv", "jsonl"])
        with client.stream("GET", "/api/v1/exports/complaints", params={"format": fmt}, headers=headers) as response:
            tally.record("export", response)
            for _chunk in response.iter_bytes():
                if cancel:
                    break  # the browser cancelled after the first chunk: the connection is dropped
        with tally.lock:
            tally.exports["cancelled" if cancel else "complete"] += 1
        time.sleep(0.5)

    return step


def imports(tally: Tally, rows: int) -> Any:
    def step(client: httpx.Client, headers: dict[str, str]) -> None:
        tag = random.randrange(1000)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["customer_name", "phone", "title", "description", "channel"])
        writer.writerows([f"导入客户{i % 500}", f"137{tag:03d}{i:05d}", "宽带停机", TEXT, "import"] for i in range(rows))
        content = out.getvalue().encode()
        response = client.post("/api/v1/imports/complaints", files={"file": ("soak.csv", content, "text/csv")},
                               data={"analyse": "true"}, headers=headers, timeout=600)  # fmt: skip
        tally.record("import", response)
        if response.status_code == 201:
            with tally.lock:
                tally.imported += int(response.json()["imported"])
        time.sleep(2)

    return step


def logins(tally: Tally) -> Any:
    def step(client: httpx.Client, headers: dict[str, str]) -> None:
        _token(client, tally, random.choice([u for u, _, _ in STAFF]))
        time.sleep(0.2)

    return step


def reads(tally: Tally) -> Any:
    def step(client: httpx.Client, headers: dict[str, str]) -> None:
        tally.record("read", client.get("/api/v1/complaints", params={"limit": 50}, headers=headers))
        time.sleep(PACE)

    return step


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--import-rows", type=int, default=1000, help="rows of each imported file")
    parser.add_argument("--baseline-seconds", type=float, default=10.0, help="logins alone first, for comparison")
    parser.add_argument("--keep", action="store_true", help="keep the data directory (its path is printed)")
    args = parser.parse_args()
    if not 1 <= args.seconds <= 600:
        parser.error("--seconds must be between 1 and 600")

    from complaintdesk.services import accounts
    from complaintdesk.services.bootstrap import open_desk

    folder = Path(tempfile.mkdtemp(prefix="complaintdesk-soak-"))
    url = f"sqlite:///{folder / 'soak.db'}"
    env = {**os.environ, "COMPLAINTDESK_DATA_DIR": str(folder), "COMPLAINTDESK_DATABASE_URL": url,
           "COMPLAINTDESK_REPEAT_USE_EMBEDDINGS": "false"}  # fmt: skip
    os.environ.update(env)
    desk = open_desk(url)
    for username, role, team in STAFF:
        accounts.create_user(desk.uow(), username, username, role, team, PASSWORD, "soak")
    desk.engine.dispose()

    load_before = os.getloadavg()[0]
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, *os.environ.get("SOAK_SERVER", "-m complaintdesk.cli").split(), "serve", "--host", "127.0.0.1", "--port", str(port),
         "--no-access-log"],
        env=env, stdout=subprocess.DEVNULL, stderr=open(folder / "server.log", "w"),  # noqa: SIM115
    )  # fmt: skip
    tally = Tally()
    quiet = Tally()
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if httpx.get(f"{base}/api/v1/openapi.json", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        else:
            raise SystemExit("server did not start in time")
        # Baseline, same server and machine: logins alone (argon2 costs CPU, which other work shares).
        quiet = Tally()
        stop = threading.Event()
        alone = threading.Thread(target=_loop, args=(stop, quiet, "login", base, "agent3", logins(quiet)), daemon=True)
        alone.start()
        time.sleep(args.baseline_seconds)
        stop.set()
        alone.join(60)
        stop = threading.Event()
        plan = [
            ("intake", "agent1", intake(tally)),
            ("intake", "agent2", intake(tally)),
            ("transfer", "lead", transfers(tally)),
            ("export", "manager", exports(tally)),
            ("export", "auditor", exports(tally)),
            ("import", "manager", imports(tally, args.import_rows)),
            ("login", "agent3", logins(tally)),
            ("read", "agent3", reads(tally)),
        ]
        threads = [threading.Thread(target=_loop, args=(stop, tally, kind, base, user, step), daemon=True)
                   for kind, user, step in plan]  # fmt: skip
        started = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(args.seconds)
        stop.set()
        for thread in threads:
            thread.join(120)
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(30)

    verify = subprocess.run(
        [sys.executable, "-m", "complaintdesk.cli", "--db", url, "audit", "verify"],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    verdict = (verify.stdout + verify.stderr).strip().splitlines()
    five_xx = sum(n for kind, n in tally.errors.items() if " 5" in kind.split(":", 1)[1][:2])
    failed_connections = sum(n for kind, n in tally.errors.items() if not kind.split(": ", 1)[1][:1].isdigit())
    longest_login = max(tally.login_waits, default=0.0)
    print(f"soak on SQLite, {elapsed:.0f} s, data in {folder}")
    print(f"requests: {sum(tally.requests.values())} " + ", ".join(f"{k} {v}" for k, v in sorted(tally.requests.items())))
    print(f"exports: {tally.exports['complete']} complete, {tally.exports['cancelled']} cancelled after the first chunk")
    print(f"imported: {tally.imported} rows in files of {args.import_rows}; opened at intake: {len(tally.numbers)}")
    print("errors by kind: " + (", ".join(f"{k} × {v}" for k, v in sorted(tally.errors.items())) or "none"))
    waits = sorted(tally.login_waits)
    median = waits[len(waits) // 2] if waits else 0.0
    p95 = waits[int(len(waits) * 0.95)] if waits else 0.0
    print(f"logins: {len(waits)}, median wait {median:.3f} s, p95 {p95:.3f} s, longest wait {longest_login:.3f} s")
    quiet_waits = sorted(quiet.login_waits)
    if quiet_waits:
        print(f"baseline (logins alone, {args.baseline_seconds:.0f} s before): {len(quiet_waits)} logins, median "
              f"{quiet_waits[len(quiet_waits) // 2]:.3f} s, longest {quiet_waits[-1]:.3f} s")  # fmt: skip
    print(f"machine load average (1 min) before/after: {load_before:.1f} / {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"audit verify (exit {verify.returncode}): {verdict[-1] if verdict else ''}")
    ok = five_xx == 0 and failed_connections == 0 and longest_login <= LOGIN_LIMIT and verify.returncode == 0
    print("PASS" if ok else "FAIL", f"(5xx: {five_xx}, failed connections: {failed_connections})")
    if not args.keep:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
