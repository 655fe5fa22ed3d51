"""Load the demo data set (data/demo/demo.yaml): real cases from the seeds, worked through the service layer."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from complaintdesk.domain.errors import ConfigurationError
from complaintdesk.domain.users import User
from complaintdesk.domain.vocab import Role, Stage
from complaintdesk.domain.workflow import ORDER
from complaintdesk.services import approvals
from complaintdesk.services import commands as cmds
from complaintdesk.services import complaints as svc
from complaintdesk.services import users as user_svc
from complaintdesk.services.handlers import handle
from complaintdesk.services.permissions import assignment_refusal
from complaintdesk.services.proposals import StatedOffer
from complaintdesk.services.unit_of_work import UnitOfWork
from complaintdesk.yamldata import load_yaml, shipped_text

DEMO_PASSWORD = "demo1234"  # printed by `complaintdesk demo`; demo databases only
DEMO_ADMIN = {"key": "admin", "name": "系统管理员", "role": "admin", "team": None}


@dataclass(frozen=True)
class DemoResult:
    loaded: int
    skipped: bool
    numbers: list[str]
    usernames: list[str]


def load_demo_data() -> dict[str, Any]:
    text = shipped_text("complaintdesk.data.demo", "demo.yaml")
    data = load_yaml(text)
    if not isinstance(data, dict) or "complaints" not in data:
        raise ConfigurationError("demo.yaml 缺少 complaints", field="complaints")
    return data


def _stages_until(target: Stage) -> Iterator[Stage]:
    for stage in ORDER[1:]:
        if ORDER.index(stage) > ORDER.index(target):
            return
        yield stage


def load_demo(
    uow_factory: Callable[[], UnitOfWork],
    *,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> DemoResult:
    """Open every demo complaint as it happened (times relative to ``now``) and move it to its stage.

    Skips when the database already holds complaints, so running it twice is harmless.
    """
    now = now or svc.utcnow()
    data = load_demo_data()
    with uow_factory() as uow:
        if uow.complaints.count() > 0:
            return DemoResult(0, True, [], [])
    agents = {a["key"]: a for a in data.get("agents", [])}
    password_hash = _demo_password_hash()
    for agent in [*agents.values(), DEMO_ADMIN]:
        user_svc.ensure_user(
            uow_factory(),
            str(agent["key"]),
            str(agent["name"]),
            str(agent["role"]),
            agent.get("team"),
            now=now,
            password_hash=password_hash,
        )
    customers = {c["key"]: c for c in data.get("customers", [])}
    desk_agents = [k for k, a in agents.items() if a["role"] == "agent"] or ["demo"]
    numbers: list[str] = []
    total = len(data["complaints"])
    for index, item in enumerate(data["complaints"]):
        numbers.append(
            _load_one(uow_factory, item, customers, agents, desk_agents[index % len(desk_agents)], now)
        )
        if progress:
            progress(index + 1, total)
    return DemoResult(len(numbers), False, numbers, [*agents, str(DEMO_ADMIN["key"])])


@lru_cache(maxsize=1)
def _demo_password_hash() -> str:
    # One argon2 hash (deliberately slow, ~0.3 s) shared by every demo account and every demo load.
    from complaintdesk.services.accounts import hash_password

    return hash_password(DEMO_PASSWORD)


def _transfer_actor(agents: dict[str, dict[str, Any]], current: str, to: str, at: datetime) -> str:
    """Who hands the complaint on: its owner where the target is within their reach, else the
    centre's manager, who reassigns across teams (the same rule as on the desk)."""

    def user(key: str) -> User:
        a = agents[key]
        return User(key, str(a["name"]), Role(a["role"]), a.get("team"), True, at)

    if current in agents and to in agents and assignment_refusal(user(current), user(to)) is None:
        return current
    return _manager(agents)


def _manager(agents: dict[str, dict[str, Any]]) -> str:
    return next((k for k, a in agents.items() if a["role"] == "manager"), str(DEMO_ADMIN["key"]))


def _taker(uow_factory: Callable[[], UnitOfWork], level: int, team: str | None) -> str | None:
    """Who takes a demo escalation to ``level``, from the picker's people: at level 1 the owner's team's
    lead when there is one, above it a manager."""
    people = approvals.escalation_candidates(uow_factory(), level)
    preferred = [u.username for u in people if (u.team == team if level == 1 else u.role == Role.MANAGER)]
    choices = preferred or [u.username for u in people]
    return choices[0] if choices else None


def _first_reply(
    uow_factory: Callable[[], UnitOfWork], number: str, owner: str, agents: dict[str, dict[str, Any]]
) -> Callable[[datetime], object]:
    author = str(agents.get(owner, {}).get("name") or owner)

    def reply(t: datetime) -> object:
        body = "您好，您的投诉我们已经受理，正在核实情况，会尽快给您答复。"
        return handle(
            uow_factory(), cmds.AddMessage(number=number, kind="outbound", actor=author, body=body), now=t
        )

    return reply


def _load_one(
    uow_factory: Callable[[], UnitOfWork],
    item: dict[str, Any],
    customers: dict[str, dict[str, Any]],
    agents: dict[str, dict[str, Any]],
    owner: str,
    now: datetime,
) -> str:
    customer = customers[item["customer"]]
    opened = now - timedelta(days=float(item.get("opened_days_ago", 0)))

    def at(minutes: float) -> datetime:
        return opened + timedelta(minutes=minutes)

    detail = svc.open_complaint(
        uow_factory(),
        svc.OpenComplaint(
            customer_name=customer["name"],
            phone=str(customer["phone"]),
            segment=customer.get("segment", "regular"),
            title=item["title"],
            description=item["description"],
            channel=item.get("channel", "phone"),
            category=item.get("category"),
            demands=item.get("demands"),
            priority=item.get("priority"),
            owner=owner,
            actor=owner,
            opened_at=opened,
        ),
        now=opened,
    )
    number: str = detail["number"]
    timeline: list[tuple[datetime, Callable[[datetime], object]]] = []
    for msg in item.get("messages") or []:

        def add(t: datetime, m: dict[str, Any] = msg) -> object:
            return handle(
                uow_factory(),
                cmds.AddMessage(number=number, kind=m["kind"], actor=m["author"], body=m["body"]),
                now=t,
            )

        timeline.append((at(float(msg.get("minutes_after_open", 0))), add))
    target = Stage(item.get("target_stage", "accepted"))
    if target != Stage.ACCEPTED and not any(m["kind"] == "outbound" for m in item.get("messages") or []):
        # A complaint past acceptance has been answered: a centre's first reply, twenty minutes in
        # (without it the first-response clock would run, and show red, for the whole demo).
        timeline.append((at(20), _first_reply(uow_factory, number, owner, agents)))
    current_owner = [owner]
    for tr in item.get("transfers") or []:

        def move_owner(t: datetime, x: dict[str, Any] = tr) -> object:
            if x["to"] == current_owner[0]:
                return None
            by = _transfer_actor(agents, current_owner[0], x["to"], t)
            current_owner[0] = x["to"]
            return handle(
                uow_factory(),
                cmds.Transfer(number=number, to_owner=x["to"], reason=x["reason"], actor=by),
                now=t,
            )

        timeline.append((at(float(tr.get("minutes_after_open", 0))), move_owner))
    timeline.sort(key=lambda pair: pair[0])
    for when, action in timeline:
        action(min(when, now))

    step = at(1)
    for level in range(1, int(item.get("escalation_level") or 0) + 1):
        step += timedelta(minutes=5)
        handle(
            uow_factory(),
            cmds.Escalate(
                number=number, reason="演示数据：按案例升级", actor=owner, to_level=level,
                to_user=_taker(uow_factory, level, agents.get(owner, {}).get("team")),
            ),
            now=step,
        )  # fmt: skip
    for promise in item.get("promises") or []:
        step += timedelta(minutes=1)
        due = opened + timedelta(hours=float(promise["due_hours_after_open"]))
        if due <= step:
            due = step + timedelta(hours=1)
        if promise.get("kept") is None and target != Stage.CLOSED and due <= now:
            # A promise still open on a live complaint is one the agent is working to keep: due in a few
            # hours (amber), not long past (a demo desk of red promises is no centre's normal day).
            due = now + timedelta(hours=4)
        handle(
            uow_factory(),
            cmds.MakePromise(number=number, what=promise["what"], due_at=due, actor=owner),
            now=step,
        )

    signoff = item.get("signoff")
    step = max(step, min(now - timedelta(minutes=30), opened + timedelta(hours=2)))
    for stage in _stages_until(target):
        step += timedelta(minutes=1)
        if stage == Stage.ACTING and item.get("proposal"):
            # A proposal that promises money, a refund or an exchange carries its structured offer and
            # is made by someone whose authority covers it (the 授权表), as on the desk.
            offer = item.get("offer")
            stated = StatedOffer(str(offer["kind"]), float(offer["amount"])) if offer else None
            by = str(item.get("proposed_by") or owner)
            handle(
                uow_factory(),
                cmds.Propose(number=number, solution=item["proposal"], actor=by, offer=stated),
                now=step,
            )
        if stage == Stage.THANKING and signoff:
            handle(
                uow_factory(),
                cmds.SignOff(
                    number=number,
                    satisfied=bool(signoff["satisfied"]),
                    reason=signoff.get("reason"),
                    actor=owner,
                ),
                now=step,
            )
            if not signoff["satisfied"]:
                break
        if stage == Stage.FOLLOW_UP:
            handle(
                uow_factory(),
                cmds.ScheduleFollowUp(number=number, due=now + timedelta(days=1), actor=owner),
                now=step,
            )
        waiver = None if (signoff and signoff["satisfied"]) else "演示数据：客户电话确认，未签字"
        # Closing unsigned is the manager's call (an agent's would wait for approval).
        mover = _manager(agents) if stage == Stage.CLOSED and waiver else owner
        handle(
            uow_factory(),
            cmds.Move(number=number, stage=stage.value, actor=mover, waiver_reason=waiver),
            now=step,
        )
    for index, promise in enumerate(item.get("promises") or []):
        if promise.get("kept") is not None:
            step += timedelta(minutes=1)
            handle(
                uow_factory(),
                cmds.ResolvePromise(number=number, index=index, kept=bool(promise["kept"]), actor=owner),
                now=step,
            )
    return number
