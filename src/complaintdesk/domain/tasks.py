"""Call-back and follow-up tasks: what the complaint's owner must do by a time (seed 003: 跟踪处理结果
的落实…给顾客一个电话; seed 004: promised 24 h, delivered 48 h). A promise to call back, or a scheduled
follow-up, becomes a task; the sweep reminds the owner before it is due and tells their lead once it is
missed; the owner records how it went in one step. Plain classes, mapped by ``storage.orm``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

from complaintdesk.domain.errors import ConfigurationError, WorkflowViolation
from complaintdesk.domain.records import Promise
from complaintdesk.text import fold
from complaintdesk.yamldata import read_data_file


class TaskKind(StrEnum):
    CALLBACK = "callback"  # 回电: a promise to call the customer back
    FOLLOW_UP = "follow_up"  # 回访: the scheduled follow-up call


class TaskOutcome(StrEnum):
    REACHED = "reached"  # 已联系上
    NOT_REACHED = "not_reached"  # 未联系上
    SATISFIED = "satisfied"  # 客户满意


OUTCOME_ZH = {TaskOutcome.REACHED: "已联系上", TaskOutcome.NOT_REACHED: "未联系上", TaskOutcome.SATISFIED: "客户满意"}


class Task:
    def __init__(
        self, kind: TaskKind, what: str, due_at: datetime, created_by: str, at: datetime,
        promise: Promise | None = None,
    ) -> None:  # fmt: skip
        self.id: int | None = None
        self.kind = TaskKind(kind)
        self.what = what
        self.due_at = due_at
        self.created_by = created_by
        self.created_at = at
        self.promise = promise
        self.reminded_at: datetime | None = None
        self.missed_at: datetime | None = None
        self.outcome: str | None = None
        self.outcome_by: str | None = None
        self.outcome_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.outcome is None

    def reminder_due(self, now: datetime, before: timedelta) -> bool:
        """Not yet reminded, still open and within ``before`` of its due time (or past it)."""
        return self.is_open and self.reminded_at is None and now >= self.due_at - before

    def missed(self, now: datetime) -> bool:
        """Past its due time with no outcome, and the lead not yet told."""
        return self.is_open and self.missed_at is None and now > self.due_at

    def reschedule(self, due_at: datetime) -> None:
        self.due_at = due_at
        self.reminded_at = None
        self.missed_at = None

    def finish(self, outcome: TaskOutcome, actor: str, at: datetime) -> None:
        if not self.is_open:
            raise WorkflowViolation("该任务已经记录了结果，不能再次记录", field="task")
        self.outcome = TaskOutcome(outcome).value
        self.outcome_by = actor
        self.outcome_at = at

    def payload(self) -> dict[str, Any]:
        return {"task": self.id, "kind": TaskKind(self.kind).value, "what": self.what, "due_at": self.due_at.isoformat()}


@dataclass(frozen=True)
class TaskPolicy:
    remind_before: timedelta
    callback_cues: tuple[str, ...]

    def is_callback(self, what: str) -> bool:
        """Whether a promise's text promises to call the customer back (a cue from the data file)."""
        text = fold(what or "")
        return any(cue in text for cue in self.callback_cues)


def policy_from_mapping(data: Any, source: str) -> TaskPolicy:
    if not isinstance(data, dict):
        raise ConfigurationError(f"任务配置 {source} 必须是一个映射", field="tasks")
    minutes = data.get("remind_before_minutes")
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 0 <= minutes <= 7 * 24 * 60:
        raise ConfigurationError(
            f"任务配置 {source}: remind_before_minutes 必须是 0 到 10080 之间的整数", field="remind_before_minutes"
        )
    cues = data.get("callback_cues")
    if not isinstance(cues, list) or not cues or not all(isinstance(c, str) and c.strip() for c in cues):
        raise ConfigurationError(f"任务配置 {source}: callback_cues 必须是非空的文字列表", field="callback_cues")
    return TaskPolicy(timedelta(minutes=minutes), tuple(fold(c.strip()) for c in cues))


def load_task_policy(path: str | Path | None = None) -> TaskPolicy:
    """The task policy at ``path``, or the shipped ``data/tasks.yaml`` (read once)."""
    return _shipped() if path is None else policy_from_mapping(*read_data_file(path, "", "", "任务配置", "tasks"))


@lru_cache(maxsize=1)
def _shipped() -> TaskPolicy:
    return policy_from_mapping(*read_data_file(None, "complaintdesk.data", "tasks.yaml", "任务配置", "tasks"))
