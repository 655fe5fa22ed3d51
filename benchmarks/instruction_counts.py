"""Instructions per request of two commits on bench_api's mix, counted by callgrind (exact, whatever
the machine's load): issue 26's figure without the noise of a shared machine.

    python benchmarks/instruction_counts.py OLD NEW [--requests 100] [--per-route 20] [--url …]

Each commit's ``src`` is exported (as ``compare_heads.py`` does) and this script runs itself under
``valgrind --tool=callgrind --instr-atstart=no`` on it: the application starts and serves 40 warm-up
requests uninstrumented, then instrumentation is switched on (``callgrind_control -i on``) for
``--requests`` requests of the mix (same seed, so the same sequence for both commits) and off again;
then, counted apart (``callgrind_control -d``), ``--per-route`` opens, lists and moves alone.
Work done once per interval of wall-clock time (the credential cache's 5 s, the webhook
subscriptions' 2 s, the knowledge check's 1 s) is pinned out of the count: under valgrind each request
takes some fifty times longer, so it would land in the count far more often than in a real server.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path

from callgrind_runner import dump, section_counts, toggle

HERE = Path(__file__).resolve().parent
WARM_UP = 40


ROUTES = ("open", "list", "move")


async def _serve(url: str, requests: int, per_route: int) -> None:
    from inprocess import served

    from complaintdesk.api import knowledge_refresh
    from complaintdesk.http import auth
    from complaintdesk.services import webhooks

    auth.PRINCIPAL_TTL_SECONDS = 1e9
    webhooks.SUBSCRIPTION_CACHE_SECONDS = 1e9
    knowledge_refresh.CHECK_EVERY_SECONDS = 1e9
    async with served(url) as server:
        mix = server.mix
        for _ in range(WARM_UP):
            await mix.one()
        toggle(True)
        for _ in range(requests):
            await mix.one()
        toggle(False)
        dump()
        for kind in ROUTES if per_route else ():
            toggle(True)
            for _ in range(per_route):  # a move takes one of the complaints the opens just made
                await mix.run(kind)
            toggle(False)
            dump()


def _child(url: str, requests: int, per_route: int) -> None:
    sys.path.insert(0, str(HERE))
    os.environ["COMPLAINTDESK_API_THREADS"] = "0"
    os.environ["COMPLAINTDESK_REPEAT_USE_EMBEDDINGS"] = "false"
    from inprocess import fresh_database

    with fresh_database(url) as fresh:
        asyncio.run(_serve(fresh, requests, per_route))


def _count(src: Path, url: str, requests: int, per_route: int, out: Path) -> list[int]:
    """Instructions of the mix's requests, then of each route's ``per_route`` requests (one dump each)."""
    args = ["--requests", str(requests), "--per-route", str(per_route), "--url", url]
    return section_counts(Path(__file__).resolve(), args, out, sections=1 + (len(ROUTES) if per_route else 0),
                          env={"PYTHONPATH": str(src)})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("commits", nargs="*", help="one commit, or two (or more) to compare")
    parser.add_argument("--requests", type=int, default=100, help="requests of the mix counted")
    parser.add_argument("--per-route", type=int, default=20, help="then this many of each route alone (0: none)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--url",
        default=os.environ.get("COMPLAINTDESK_BENCH_DATABASE_URL", "postgresql+psycopg://root@127.0.0.1:5432/test"),
    )
    args = parser.parse_args()
    if args.child:
        _child(args.url, args.requests, args.per_route)
        return
    if not args.commits:
        parser.error("give one commit, or two (or more) to compare")
    from compare_heads import _export

    with tempfile.TemporaryDirectory() as folder:
        first: list[float] = []
        for commit in args.commits:
            out = Path(folder) / "callgrind.out"
            counts = _count(_export(commit, Path(folder)), args.url, args.requests, args.per_route, out)
            figures = [counts[0] / args.requests, *(count / args.per_route for count in counts[1:])]
            first = first or figures
            routes = "".join(
                f", {route} {figure / 1e6:.2f} M ({figure / base:.1%})"
                for route, figure, base in zip(ROUTES, figures[1:], first[1:], strict=False)
            )
            print(
                f"{commit:>12s}: {figures[0] / 1e6:.2f} M instructions per request of the mix "
                f"({figures[0] / first[0]:.1%}){routes}",
                flush=True,
            )


if __name__ == "__main__":
    main()
