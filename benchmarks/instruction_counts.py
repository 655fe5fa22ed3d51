"""Instructions per request of two commits on bench_api's mix, counted by callgrind (exact, whatever
the machine's load): issue 26's figure without the noise of a shared machine.

    python benchmarks/instruction_counts.py OLD NEW [--requests 100] [--url …]

Each commit's ``src`` is exported (as ``compare_heads.py`` does) and this script runs itself under
``valgrind --tool=callgrind --instr-atstart=no`` on it: the application starts and serves 40 warm-up
requests uninstrumented, then instrumentation is switched on (``callgrind_control -i on``) for
``--requests`` requests of the mix (same seed, so the same sequence for both commits) and off again.
Work done once per interval of wall-clock time (the credential cache's 5 s, the webhook
subscriptions' 2 s, the knowledge check's 1 s) is pinned out of the count: under valgrind each request
takes some fifty times longer, so it would land in the count far more often than in a real server.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
WARM_UP = 40


def _toggle(on: bool) -> None:
    subprocess.run(["callgrind_control", "-i", "on" if on else "off", str(os.getpid())], check=True, capture_output=True)


async def _serve(url: str, requests: int) -> None:
    import api_profile

    from complaintdesk.api import knowledge_refresh
    from complaintdesk.api.app import create_app
    from complaintdesk.http import auth
    from complaintdesk.services import accounts, webhooks
    from complaintdesk.services.bootstrap import open_desk

    auth.PRINCIPAL_TTL_SECONDS = 1e9
    webhooks.SUBSCRIPTION_CACHE_SECONDS = 1e9
    knowledge_refresh.CHECK_EVERY_SECONDS = 1e9
    desk = open_desk(url)
    accounts.create_user(desk.uow(), "bench", "压测", "admin", None, "bench-password-1", "bench")
    token = accounts.login(desk.uow(), "bench", "bench-password-1").token
    app = create_app(desk)
    messages: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    await messages.put({"type": "lifespan.startup"})
    started = asyncio.Event()

    async def lifespan_send(message: dict[str, Any]) -> None:
        if message["type"].startswith("lifespan.startup"):
            started.set()

    lifespan = asyncio.create_task(
        app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, messages.get, lifespan_send)
    )
    await started.wait()
    mix = api_profile._Mix(api_profile._Driver(app, token), seed=1)
    for _ in range(WARM_UP):
        await mix.one()
    _toggle(True)
    for _ in range(requests):
        await mix.one()
    _toggle(False)
    await messages.put({"type": "lifespan.shutdown"})
    await lifespan
    desk.engine.dispose()


def _child(url: str, requests: int) -> None:
    sys.path.insert(0, str(HERE))
    os.environ["COMPLAINTDESK_API_THREADS"] = "0"
    os.environ["COMPLAINTDESK_REPEAT_USE_EMBEDDINGS"] = "false"
    import api_profile

    with api_profile._fresh_database(url) as fresh:
        asyncio.run(_serve(fresh, requests))


def _count(src: Path, url: str, requests: int, out: Path) -> int:
    env = {**os.environ, "PYTHONPATH": str(src), "PYTHONHASHSEED": "0"}
    command = [
        "valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}",
        sys.executable, str(Path(__file__).resolve()), "--child", "--requests", str(requests), "--url", url,
    ]  # fmt: skip
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"callgrind run failed:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("commits", nargs="*", help="two (or more) commits to compare")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--url",
        default=os.environ.get("COMPLAINTDESK_BENCH_DATABASE_URL", "postgresql+psycopg://root@127.0.0.1:5432/test"),
    )
    args = parser.parse_args()
    if args.child:
        _child(args.url, args.requests)
        return
    from compare_heads import _export

    with tempfile.TemporaryDirectory() as folder:
        first = None
        for commit in args.commits:
            count = _count(_export(commit, Path(folder)), args.url, args.requests, Path(folder) / "callgrind.out")
            per_request = count / args.requests
            first = first or per_request
            print(f"{commit:>12s}: {per_request / 1e6:.2f} M instructions per request ({per_request / first:.1%})", flush=True)


if __name__ == "__main__":
    main()
