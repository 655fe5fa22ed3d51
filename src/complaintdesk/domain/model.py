"""Entities of a complaint: customer, complaint and its parts.

Plain classes (mapped imperatively by ``storage.orm``) so the domain imports nothing of the
database. Every change goes through a method that checks its guard and records a ``DomainEvent``;
the unit of work turns those events into the hash-chained audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from complaintdesk.domain.errors import InvalidInput, WorkflowViolation
from complaintdesk.domain.phones import mask_phone as mask_phone
from complaintdesk.domain.phones import normalise_phone as normalise_phone
from complaintdesk.domain.records import Attachment as Attachment
from complaintdesk.domain.records import Message as Message
from complaintdesk.domain.records import Promise as Promise
from complaintdesk.domain.records import RepeatLink as RepeatLink
from complaintdesk.domain.records import Transfer as Transfer
from complaintdesk.domain.tasks import Task, TaskKind, TaskOutcome
from complaintdesk.domain.vocab import (
    MAX_ESCALATION_LEVEL,
    Category,
    Channel,
    MessageKind,
    Priority,
    Segment,
    Stage,
)
from complaintdesk.domain.workflow import check_transition

RUNAROUND_TRANSFERS = 3  # seed 003: 轮流转接 — three owners in a row means the customer is being bounced

@dataclass(frozen=True)
class DomainEvent:
    kind: str
    actor: str
    at: datetime
    payload: dict[str, Any] = field(default_factory=dict)


class Customer:
    def __init__(
        self,
        name: str,
        phone: str,
        segment: Segment = Segment.REGULAR,
        *,
        created_at: datetime,
        phone_unknown: bool = False,
    ) -> None:
        if not name or not name.strip():
            raise InvalidInput("客户姓名不能为空", field="customer_name")
        if len(name) > 100:
            raise InvalidInput("客户姓名过长（最多 100 字）", field="customer_name")
        self.id: int | None = None
        self.name = name.strip()
        # phone_unknown: a customer who wrote (an e-mail) without a phone; "" until an agent asks for it.
        self.phone = "" if phone_unknown else normalise_phone(phone)
        self.segment = Segment(segment)
        self.created_at = created_at

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


def _require_text(value: str | None, field_name: str, label: str, max_len: int = 20_000) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(f"{label}不能为空", field=field_name)
    if len(text) > max_len:
        raise InvalidInput(f"{label}过长（最多 {max_len} 字）", field=field_name)
    return text


class Complaint:
    def __init__(
        self,
        *,
        number: str,
        customer_id: int,
        channel: Channel,
        title: str,
        description: str,
        opened_at: datetime,
        opened_by: str,
        category: Category = Category("other"),
        demands: list[str] | None = None,
        priority: Priority = Priority.NORMAL,
        owner: str | None = None,
    ) -> None:
        self.id: int | None = None
        self.number = number
        self.customer_id = customer_id
        self.channel = Channel(channel)
        self.title = _require_text(title, "title", "标题", 200)
        self.description = _require_text(description, "description", "投诉内容", 100_000)
        self.category = Category(category)
        self.demands: list[str] = list(demands or [])
        self.priority = Priority(priority)
        self.stage = Stage.ACCEPTED
        self.owner = owner or opened_by
        self.escalation_level = 0
        self.transfer_count = 0
        self.runaround = False
        self.repeat = False
        self.proposal: str | None = None
        self.waiver_reason: str | None = None
        self.signoff_satisfied: bool | None = None
        self.signoff_reason: str | None = None
        self.signoff_at: datetime | None = None
        self.follow_up_due: datetime | None = None
        self.follow_up_done_at: datetime | None = None
        self.follow_up_outcome: str | None = None
        self.reopen_count = 0
        self.analysis: dict[str, Any] | None = None
        self.facts: dict[str, Any] | None = None
        self.opened_at = opened_at
        self.updated_at = opened_at
        self.closed_at: datetime | None = None
        self.first_response_at: datetime | None = None
        self.version = 1
        self.messages: list[Message] = []
        self.attachments: list[Attachment] = []
        self.transfers: list[Transfer] = []
        self.promises: list[Promise] = []
        self.tasks: list[Task] = []
        self.repeat_links: list[RepeatLink] = []
        self._record("opened", opened_by, opened_at, {"channel": self.channel.value, "owner": self.owner})

    # -- events ---------------------------------------------------------------------------------
    @property
    def pending_events(self) -> list[DomainEvent]:
        # Loaded rows skip __init__, so the list is created on first use.
        events: list[DomainEvent] | None = self.__dict__.get("_pending_events")
        if events is None:
            events = []
            self.__dict__["_pending_events"] = events
        return events

    def _record(self, kind: str, actor: str, at: datetime, payload: dict[str, Any]) -> None:
        self.updated_at = at
        self.pending_events.append(DomainEvent(kind, actor, at, payload))

    @property
    def is_open(self) -> bool:
        return self.stage != Stage.CLOSED

    # -- workflow -------------------------------------------------------------------------------
    def move_to(self, target: Stage, actor: str, at: datetime, *, waiver_reason: str | None = None) -> None:
        target = Stage(target)
        if target == Stage.REOPENED:
            raise WorkflowViolation("重开请使用 reopen 操作并写明原因", field="stage")
        if waiver_reason is not None and target == Stage.CLOSED:
            self.waiver_reason = _require_text(waiver_reason, "waiver_reason", "免签原因", 2000)
        check_transition(self, target)
        previous = self.stage
        self.stage = target
        if target == Stage.CLOSED:
            self.closed_at = at
        self._record(
            "stage_changed",
            actor,
            at,
            {"from": previous.value, "to": target.value, "waiver_reason": self.waiver_reason},
        )

    def propose(self, solution: str, actor: str, at: datetime) -> None:
        self._require_open("propose")
        self.proposal = _require_text(solution, "proposal", "解决方案", 5000)
        self._record("solution_proposed", actor, at, {"proposal": self.proposal})

    def reopen(self, reason: str, actor: str, at: datetime) -> None:
        if self.stage not in (Stage.CLOSED, Stage.THANKING, Stage.FOLLOW_UP):
            raise WorkflowViolation(
                f"只有已结案或进入感谢/回访阶段的投诉才能重开（当前阶段：{self.stage.value}）", field="stage"
            )
        text = _require_text(reason, "reason", "重开原因", 2000)
        previous = self.stage
        self.stage = Stage.REOPENED
        self.reopen_count += 1
        self.closed_at = None
        self.signoff_satisfied = None
        self.signoff_reason = None
        self.signoff_at = None
        self.waiver_reason = None
        self._record("reopened", actor, at, {"from": previous.value, "reason": text})

    # -- ownership and escalation ---------------------------------------------------------------
    def transfer(self, to_owner: str, reason: str, actor: str, at: datetime) -> None:
        self._require_open("transfer")
        target = _require_text(to_owner, "to_owner", "接收人", 100)
        if target == self.owner:
            raise InvalidInput("不能转给当前处理人自己", field="to_owner")
        why = _require_text(reason, "reason", "转派原因", 1000)
        self.transfers.append(Transfer(self.owner, target, why, actor, at))
        previous = self.owner
        self.owner = target
        self.transfer_count += 1
        newly_flagged = self.transfer_count >= RUNAROUND_TRANSFERS and not self.runaround
        if newly_flagged:
            self.runaround = True
        self._record(
            "transferred",
            actor,
            at,
            {
                "from": previous,
                "to": target,
                "reason": why,
                "count": self.transfer_count,
                "runaround": self.runaround,
            },
        )

    def escalate(
        self, actor: str, at: datetime, reason: str, *, to_level: int | None = None, to_user: str | None = None
    ) -> None:
        self._require_open("escalate")
        level = self.escalation_level + 1 if to_level is None else to_level
        if not isinstance(level, int) or level < 0 or level > MAX_ESCALATION_LEVEL:
            raise InvalidInput(f"升级层级必须在 0 到 {MAX_ESCALATION_LEVEL} 之间", field="level")
        if level <= self.escalation_level:
            raise WorkflowViolation(
                f"升级只能向上：当前层级 {self.escalation_level}，请求层级 {level}", field="level"
            )
        why = _require_text(reason, "reason", "升级原因", 1000)
        previous = self.escalation_level
        self.escalation_level = level
        payload: dict[str, Any] = {"from": previous, "to": level, "reason": why}
        if to_user:
            payload["to_user"] = to_user  # who takes it at that level
        self._record("escalated", actor, at, payload)

    # -- conversation ---------------------------------------------------------------------------
    def add_message(self, kind: MessageKind, author: str, body: str, at: datetime) -> Message:
        text = _require_text(body, "body", "消息内容", 100_000)
        message = Message(MessageKind(kind), _require_text(author, "author", "作者", 100), text, at)
        self.messages.append(message)
        if message.kind == MessageKind.OUTBOUND and self.first_response_at is None:
            self.first_response_at = at
        self._record("message_added", author, at, {"kind": message.kind.value, "body": text})
        return message

    def add_attachment(
        self, filename: str, content_type: str, size: int, sha256: str, actor: str, at: datetime,
        *, from_customer: bool = False,
    ) -> Attachment:  # fmt: skip
        name = _require_text(filename, "filename", "文件名", 255)
        attachment = Attachment(name, content_type, size, sha256, at, from_customer)
        self.attachments.append(attachment)
        payload: dict[str, Any] = {"filename": name, "sha256": sha256, "size": size}
        if from_customer:
            payload["from_customer"] = True
        self._record("attachment_added", actor, at, payload)
        return attachment

    # -- promises, sign-off, follow-up ----------------------------------------------------------
    def make_promise(
        self, what: str, due_at: datetime, actor: str, at: datetime, *, callback: bool = False
    ) -> Promise:
        """``callback``: a promise to call the customer back, which becomes a task of the owner's."""
        self._require_open("promise")
        if due_at <= at:
            raise InvalidInput("承诺的完成时间必须晚于现在", field="due_at")
        promise = Promise(_require_text(what, "what", "承诺内容", 1000), due_at, at, actor)
        self.promises.append(promise)
        self._record("promise_made", actor, at, {"what": promise.what, "due_at": due_at.isoformat()})
        if callback:
            self._add_task(Task(TaskKind.CALLBACK, promise.what, due_at, actor, at, promise), actor, at)
        return promise

    def resolve_promise(self, index: int, kept: bool, actor: str, at: datetime) -> Promise:
        if index < 0 or index >= len(self.promises):
            raise InvalidInput(f"没有第 {index + 1} 个承诺", field="promise")
        promise = self.promises[index]
        if promise.kept is not None:
            raise WorkflowViolation("该承诺已经有结果，不能再次标记", field="promise")
        promise.kept = bool(kept)
        promise.resolved_at = at
        self._record("promise_resolved", actor, at, {"what": promise.what, "kept": promise.kept})
        for task in [t for t in self.tasks if t.promise is promise and t.is_open]:
            self._finish_task(task, TaskOutcome.REACHED if kept else TaskOutcome.NOT_REACHED, actor, at)
        return promise

    def sign_off(self, satisfied: bool, reason: str | None, actor: str, at: datetime) -> None:
        """Seed 000: '不签字就表示不满意,我们还得来' — not satisfied reopens the complaint."""
        if self.stage not in (Stage.ACTING, Stage.THANKING, Stage.FOLLOW_UP):
            raise WorkflowViolation("只有采取行动之后才能请客户签字确认", field="stage")
        if satisfied:
            self.signoff_satisfied = True
            self.signoff_reason = (reason or "").strip() or None
            self.signoff_at = at
            self._record("signed_off", actor, at, {"satisfied": True, "reason": self.signoff_reason})
            return
        why = _require_text(reason, "reason", "不满意原因", 2000)
        self._record("signed_off", actor, at, {"satisfied": False, "reason": why})
        previous = self.stage
        self.stage = Stage.REOPENED
        self.reopen_count += 1
        self._record("reopened", actor, at, {"from": previous.value, "reason": f"客户不满意：{why}"})

    def schedule_follow_up(self, due: datetime, actor: str, at: datetime) -> None:
        if self.stage in (Stage.CLOSED,) and self.follow_up_done_at is not None:
            raise WorkflowViolation("回访已完成", field="follow_up")
        if due <= at:
            raise InvalidInput("回访时间必须晚于现在", field="due")
        self.follow_up_due = due
        self.follow_up_done_at = None
        self._record("follow_up_scheduled", actor, at, {"due": due.isoformat()})
        task = next((t for t in self.tasks if t.kind == TaskKind.FOLLOW_UP and t.is_open), None)
        if task is not None:
            task.reschedule(due)
        else:
            self._add_task(Task(TaskKind.FOLLOW_UP, "回访客户", due, actor, at), actor, at)

    def complete_follow_up(self, outcome: str, actor: str, at: datetime) -> None:
        if self.follow_up_due is None:
            raise WorkflowViolation("尚未安排回访", field="follow_up")
        self.follow_up_outcome = _require_text(outcome, "outcome", "回访结果", 2000)
        self.follow_up_done_at = at
        self._record("follow_up_done", actor, at, {"outcome": self.follow_up_outcome})
        for task in [t for t in self.tasks if t.kind == TaskKind.FOLLOW_UP and t.is_open]:
            self._finish_task(task, TaskOutcome.REACHED, actor, at)

    # -- call-back and follow-up tasks (domain.tasks) -----------------------------------------------
    def _add_task(self, task: Task, actor: str, at: datetime) -> None:
        self.tasks.append(task)
        self._record("task_created", actor, at, {"kind": TaskKind(task.kind).value, "what": task.what,
                                                 "due_at": task.due_at.isoformat()})  # fmt: skip

    def _finish_task(self, task: Task, outcome: TaskOutcome, actor: str, at: datetime) -> None:
        task.finish(outcome, actor, at)
        self._record("task_done", actor, at, {**task.payload(), "outcome": task.outcome})

    def record_task_outcome(self, task_id: int, outcome: TaskOutcome, actor: str, at: datetime) -> Task:
        """How the call went: reached or satisfied keeps the promise it came from (and completes the
        follow-up); not reached leaves them open for the owner to try again or resolve."""
        task = next((t for t in self.tasks if t.id == task_id), None)
        if task is None:
            raise InvalidInput(f"投诉单 {self.number} 没有任务 {task_id}", field="task")
        self._finish_task(task, TaskOutcome(outcome), actor, at)
        if task.outcome == TaskOutcome.NOT_REACHED:
            return task
        if task.promise is not None and task.promise.kept is None:
            task.promise.kept = True
            task.promise.resolved_at = at
            self._record("promise_resolved", actor, at, {"what": task.promise.what, "kept": True})
        if task.kind == TaskKind.FOLLOW_UP and self.follow_up_due is not None and self.follow_up_done_at is None:
            self.follow_up_outcome = "客户满意" if task.outcome == TaskOutcome.SATISFIED else "已联系上客户"
            self.follow_up_done_at = at
            self._record("follow_up_done", actor, at, {"outcome": self.follow_up_outcome})
        return task

    # -- repeat complaints and analysis ---------------------------------------------------------
    def link_repeat(self, earlier_number: str, score: float, reason: str, actor: str, at: datetime) -> None:
        if earlier_number == self.number or any(
            link.earlier_number == earlier_number for link in self.repeat_links
        ):
            return
        self.repeat_links.append(RepeatLink(earlier_number, score, reason, at))
        self.repeat = True
        self._record(
            "repeat_linked",
            actor,
            at,
            {"earlier": earlier_number, "score": round(score, 4), "reason": reason},
        )

    def record_analysis(self, analysis: dict[str, Any], actor: str, at: datetime) -> None:
        self.analysis = analysis
        self._record("analysed", actor, at, {"keys": sorted(analysis)})

    def correct_analysis(self, corrections: dict[str, Any], actor: str, at: datetime) -> None:
        """The agent's reading of the complaint where it differs from the engine's (already checked
        against the vocabularies by the caller): kept beside the engine's reading, field by field, and
        audited — corrected complaints are the labels a centre retrains the analysis engine on."""
        if not corrections:
            raise InvalidInput("corrections 不能为空", field="corrections")
        current = dict(self.analysis or {})
        current["corrections"] = {**current.get("corrections", {}), **corrections}
        current["corrected_by"] = actor
        self.analysis = current  # a new dict: the JSON column sees the change
        self._record("analysis_corrected", actor, at, {"corrections": corrections})

    def record_facts(self, facts: dict[str, Any], actor: str, at: datetime) -> None:
        """What the agent established (purchase date, repairs, billing dates …) for the policy check.
        Merged over what was recorded before, key by key; a key given as null is no longer established
        and is removed (as in a JSON merge patch). The audit event keeps what was sent, nulls included."""
        merged = {**(self.facts or {}), **facts}
        self.facts = {key: value for key, value in merged.items() if value is not None}
        self._record("facts_recorded", actor, at, {"facts": facts})

    def _require_open(self, action: str) -> None:
        if self.stage == Stage.CLOSED:
            raise WorkflowViolation(f"投诉已结案，不能执行 {action}；如需继续处理请先重开", field="stage")
