"""Batch inspection: a folder of transcripts or a JSONL file in, one JSONL record per call out, plus a
per-agent summary. Calls are independent, so they are spread over a process pool (one per core)."""

from __future__ import annotations

import json
import os
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

from complaintdesk.domain.errors import ComplaintDeskError, InvalidInput, NotFound
from complaintdesk.quality.inspector import inspect
from complaintdesk.quality.rubric import load_rubric

SUFFIXES = (".txt", ".json", ".jsonl")
UNKNOWN_AGENT = "未知"
_IN_FLIGHT_PER_WORKER = 32  # bounded submission keeps memory flat on a million-line JSONL


@dataclass(frozen=True)
class BatchItem:
    """One call to inspect: its id, where it came from, and the transcript (text or decoded JSON)."""

    id: str
    payload: Any
    agent_id: str | None = None
    logged_category: str | None = None
    jsonl: bool = False  # payload is one undecoded JSONL line


@dataclass(frozen=True)
class AgentSummary:
    agent: str
    calls: int
    errors: int
    mean_score: float | None
    worst_rules: tuple[tuple[str, int, float], ...]  # (rule, occurrences, points deducted)

    def to_dict(self) -> dict[str, Any]:
        return {
            "agent": self.agent, "calls": self.calls, "errors": self.errors,
            "mean_score": None if self.mean_score is None else round(self.mean_score, 1),
            "worst_rules": [{"rule": r, "count": c, "deducted": round(d, 1)} for r, c, d in self.worst_rules],
        }


@dataclass(frozen=True)
class BatchSummary:
    total: int
    scored: int
    failed: int
    agents: tuple[AgentSummary, ...] = field(default_factory=tuple)
    # how the run went, not what it found: two runs with different workers compare equal
    workers: int = field(default=1, compare=False)
    seconds: float = field(default=0.0, compare=False)  # wall time of the run

    @property
    def per_second(self) -> float | None:
        """Transcripts per second of wall time (None before any time has passed)."""
        return self.total / self.seconds if self.seconds > 0 else None

    def to_dict(self) -> dict[str, Any]:
        rate = self.per_second
        return {
            "total": self.total, "scored": self.scored, "failed": self.failed,
            "workers": self.workers, "seconds": round(self.seconds, 3),
            "per_second": None if rate is None else round(rate, 1),
            "agents": [a.to_dict() for a in self.agents],
        }


def _jsonl_items(path: Path, id_prefix: str, agent: str | None = None) -> Iterator[BatchItem]:
    # lines are decoded in the worker (see inspect_item): the parent only reads and hands them out
    with path.open(encoding="utf-8-sig") as handle:
        for number, raw in enumerate(handle, start=1):
            if raw.strip():
                yield BatchItem(f"{id_prefix}:{number}", raw, agent, jsonl=True)


def _decode_line(item: BatchItem) -> BatchItem:
    try:
        record = json.loads(item.payload)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{item.id} 不是有效 JSON：{exc.msg}", field="line") from exc
    if not isinstance(record, dict):
        return BatchItem(item.id, record, item.agent_id)
    agent = record.get("agent_id", record.get("agent"))
    category = record.get("logged_category", record.get("category"))
    return BatchItem(
        str(record.get("id", item.id)), record, item.agent_id if agent is None else str(agent),
        None if category is None else str(category),
    )


def iter_items(path: Path) -> Iterator[BatchItem]:
    """Every call under ``path``: a JSONL file (one call per line) or a folder of .txt/.json/.jsonl
    files, searched recursively; a call in a sub-folder belongs to the agent named by that folder
    unless the transcript names its agent itself."""
    if not path.exists():
        raise NotFound(f"找不到批量质检的输入 {path}", field="path")
    if path.is_file():
        if path.suffix.lower() != ".jsonl":
            raise InvalidInput("批量质检需要一个文件夹或 .jsonl 文件", field="path")
        yield from _jsonl_items(path, path.name)
        return
    for file in sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES):
        relative = file.relative_to(path)
        folder_agent = relative.parts[0] if len(relative.parts) > 1 else None
        if file.suffix.lower() == ".jsonl":
            yield from _jsonl_items(file, str(relative), folder_agent)
            continue
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            yield BatchItem(str(relative), InvalidInput(f"无法读取 {relative}：{exc}", field="path"))
            continue
        yield BatchItem(str(relative), text, folder_agent)


def inspect_item(item: BatchItem) -> dict[str, Any]:
    """One output record: the scorecard, or the error that stopped it (a batch never stops on one call)."""
    record: dict[str, Any] = {"id": item.id}
    try:
        if isinstance(item.payload, ComplaintDeskError):
            raise item.payload
        if item.jsonl:
            item = _decode_line(item)
            record["id"] = item.id
        card = inspect(item.payload, agent_id=item.agent_id, logged_category=item.logged_category)
    except ComplaintDeskError as exc:
        record.update({"agent": item.agent_id or UNKNOWN_AGENT, "error": exc.to_dict()})
        return record
    record.update({"agent": card.agent_id or UNKNOWN_AGENT, **card.to_dict()})
    return record


_TALLY_KEYS = ("agent", "score", "violations", "deductions", "error")


def _encoded(item: BatchItem) -> tuple[str, dict[str, Any]]:
    """Runs in a worker: the JSON line is encoded there too, leaving the parent only to write it."""
    record = inspect_item(item)
    tally = {k: record[k] for k in _TALLY_KEYS if k in record}
    tally["violations"] = [{"rule": v["rule"]} for v in record.get("violations", [])]
    return json.dumps(record, ensure_ascii=False), tally


def _warm_up() -> None:
    load_rubric()
    inspect("客户: 你好\n客服: 您好")  # loads OpenCC (and the analysis engine, if present)


def _results(items: Iterator[BatchItem], workers: int) -> Iterator[tuple[str, dict[str, Any]]]:
    if workers <= 1:
        for item in items:
            yield _encoded(item)
        return
    _warm_up()  # where workers are forked they inherit the loaded engines instead of each loading them
    with ProcessPoolExecutor(max_workers=workers, initializer=_warm_up) as pool:
        pending: deque[Future[tuple[str, dict[str, Any]]]] = deque()
        for item in items:
            pending.append(pool.submit(_encoded, item))
            if len(pending) >= workers * _IN_FLIGHT_PER_WORKER:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


class Tally:
    """Running per-agent totals, so a batch of any size is summarised without keeping its records."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()
        self.score_sum: Counter[str] = Counter()
        self.rule_counts: dict[str, Counter[str]] = defaultdict(Counter)
        self.rule_points: dict[str, Counter[str]] = defaultdict(Counter)

    def add(self, record: dict[str, Any]) -> None:
        agent = str(record.get("agent") or UNKNOWN_AGENT)
        self.calls[agent] += 1
        if "error" in record:
            self.errors[agent] += 1
            return
        self.score_sum[agent] += record["score"]
        self.rule_counts[agent].update(v["rule"] for v in record.get("violations", []))
        for rule, points in record.get("deductions", {}).items():
            self.rule_points[agent][rule] += points

    def summary(self) -> BatchSummary:
        agents: list[AgentSummary] = []
        for agent in sorted(self.calls):
            counts, points = self.rule_counts[agent], self.rule_points[agent]
            worst = sorted(counts, key=lambda r: (-points[r], -counts[r], r))[:3]
            scored = self.calls[agent] - self.errors[agent]
            agents.append(AgentSummary(
                agent, self.calls[agent], self.errors[agent],
                self.score_sum[agent] / scored if scored else None,
                tuple((r, counts[r], points[r]) for r in worst),
            ))
        total, failed = sum(self.calls.values()), sum(self.errors.values())
        return BatchSummary(total, total - failed, failed, tuple(agents))


def summarize(records: list[dict[str, Any]]) -> BatchSummary:
    tally = Tally()
    for record in records:
        tally.add(record)
    return tally.summary()


def count_items(path: Path) -> int:
    return sum(1 for _ in iter_items(path))


def run_batch(
    path: Path,
    out: IO[str],
    *,
    workers: int = 1,
    on_progress: Callable[[int], None] | None = None,
) -> BatchSummary:
    """Inspect every call under ``path`` with ``workers`` processes (0 = one per core), write one JSON
    line per call to ``out`` in input order, and return the per-agent summary."""
    if workers < 0:
        raise InvalidInput("workers 不能为负数", field="workers")
    workers = workers or os.cpu_count() or 1
    tally = Tally()
    started = time.perf_counter()
    for done, (line, record) in enumerate(_results(iter_items(path), workers), start=1):
        out.write(line + "\n")
        tally.add(record)
        if on_progress is not None:
            on_progress(done)
    return replace(tally.summary(), workers=workers, seconds=time.perf_counter() - started)
