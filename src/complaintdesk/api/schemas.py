"""Request bodies. Text is accepted as sent (HTML, SQL, control characters are data), except NUL,
which no database stores; limits keep every bad input a 4xx."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from complaintdesk.api.query_params import QueryModel


def no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("文本不能包含 NUL (\\x00) 字符")
    return value


Text = Annotated[str, Field(max_length=100_000), AfterValidator(no_nul)]
Short = Annotated[str, Field(max_length=2_000), AfterValidator(no_nul)]
Name = Annotated[str, Field(max_length=100), AfterValidator(no_nul)]
Secret = Annotated[str, Field(max_length=1024), AfterValidator(no_nul)]
Login = Annotated[str, Field(max_length=64), AfterValidator(no_nul)]
Version = Annotated[int | None, Field(default=None, ge=1, le=2**31 - 1, description="读取时的版本号")]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Versioned(Body):
    version: Version = None


class OpenComplaintIn(Body):
    customer_name: Name
    phone: Annotated[str, Field(max_length=32), AfterValidator(no_nul)]
    title: Annotated[str, Field(max_length=200), AfterValidator(no_nul)]
    description: Text
    channel: Name = "phone"
    segment: Name = "regular"
    category: Name | None = None
    demands: list[Name] | None = Field(default=None, max_length=20)
    priority: Name | None = None
    owner: Name | None = None
    opened_at: datetime | None = None

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "customer_name": "王先生",
                    "phone": "13800138000",
                    "title": "宽带欠费不到30天被停机",
                    "description": "宽带欠费才二十几天就被停了，影响在家办公，要求马上恢复。",
                    "channel": "phone",
                }
            ]
        },
    )


class MoveIn(Versioned):
    stage: Name
    waiver_reason: Short | None = None

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"stage": "calming"}]})


class ProposalOfferIn(Body):
    kind: Name = Field(description="compensation | refund | waive_fee | gift | repair | exchange")
    amount: float = Field(ge=0, le=10_000_000, allow_inf_nan=False)


class ProposalIn(Versioned):
    solution: Text
    offer: ProposalOfferIn | None = Field(
        default=None,
        description="方案涉及赔偿、退款、换货时必填：按授权表核对（the proposer's authority, as /offers）",
    )


class MessageIn(Versioned):
    kind: Name = "note"
    body: Text
    # An outbound reply also sent to the customer, by mail or SMS (docs/channels.md); via: email | sms.
    send_to_customer: bool = False
    via: Literal["email", "sms"] | None = None


class ReplyAndMoveIn(Versioned):
    """A reply (empty: none) and the move to ``stage`` (None: the next one), with what its guard asks for."""

    body: Text | None = None
    kind: Name = "outbound"
    send_to_customer: bool = False
    stage: Name | None = None
    solution: Text | None = None
    offer: ProposalOfferIn | None = None
    follow_up_due: datetime | None = None
    satisfied: bool | None = None
    signoff_reason: Short | None = None


class TransferIn(Versioned):
    to_owner: Name
    reason: Short


class ReassignIn(Body):
    to_owner: Name
    reason: Short
    numbers: Annotated[
        list[Annotated[str, Field(max_length=24)]], Field(default_factory=list, max_length=500)
    ]
    from_owner: Annotated[str | None, Field(default=None, max_length=100)] = None


class EscalateIn(Versioned):
    reason: Short
    to_level: Annotated[int | None, Field(default=None, ge=0, le=4)] = None
    to_user: Login | None = None  # who takes it at that level (GET /escalation-candidates)


class DecisionIn(Body):
    note: Short | None = None


class PromiseIn(Versioned):
    what: Short
    due_at: datetime


class PromiseResultIn(Versioned):
    kept: bool


class TaskOutcomeIn(Versioned):
    outcome: str = Field(..., max_length=32, description="reached（已联系上） | not_reached（未联系上） | satisfied（客户满意）")


class SignOffIn(Versioned):
    satisfied: bool
    reason: Short | None = None


class FollowUpIn(Versioned):
    due: datetime


class FollowUpResultIn(Versioned):
    outcome: Text


class ReopenIn(Versioned):
    reason: Short


class PauseIn(Body):
    reason: Short


class TokenIn(Body):
    username: Login
    password: Secret


class UserIn(Body):
    username: Login
    display_name: Name
    role: Name
    team: Name | None = None
    password: Secret | None = None


class RoleIn(Body):
    role: Name


class TeamMoveIn(Body):
    team: Name | None = None  # None or empty: no team


class TeamIn(Body):
    name: Name
    lead: Login | None = None


class PasswordIn(Body):
    password: Secret
    current_password: Secret | None = None  # required when changing one's own password


FilterValue = Annotated[str, Field(max_length=64), AfterValidator(no_nul)]


class SavedViewIn(Body):
    """A saved queue view: the queue page's query string as an object (``flag`` a list)."""

    name: Annotated[str, Field(max_length=100), AfterValidator(no_nul)]
    scope: Annotated[str, Field(max_length=8)] = "mine"
    filters: dict[Annotated[str, Field(max_length=32)], FilterValue | list[FilterValue]] = Field(
        default_factory=dict, max_length=20
    )

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"name": "本组超时", "scope": "team", "filters": {"sla": "breached", "flag": ["runaround"]}}]
        },
    )


class SavedViewRenameIn(Body):
    name: Annotated[str, Field(max_length=100), AfterValidator(no_nul)]


class QueueParams(QueryModel):
    """The queue's query string (``GET /complaints``), read by ``api.query_params.parse_query``."""

    stage: str | None = Field(None, max_length=32)
    owner: str | None = Field(None, max_length=100)
    category: str | None = Field(None, max_length=32)
    channel: str | None = Field(None, max_length=32)
    priority: str | None = Field(None, max_length=32)
    customer_id: int | None = Field(None, ge=1, le=2**31 - 1)
    sla_state: str | None = Field(None, max_length=16, description="breached | due_soon | on_track | none")
    team: str | None = Field(None, max_length=64, description="owners in that team")
    escalated: bool | None = Field(None, description="true: escalated at least once; false: never")
    flag: list[str] = Field([], max_length=3, description="runaround | repeat | reopened (all must hold)")
    opened_from: datetime | None = None
    opened_to: datetime | None = None
    open_only: bool = False
    order: str = Field("newest", max_length=16, description="newest | due (earliest running clock first)")
    total: bool = Field(True, description="count every match (the response's total)")
    limit: int = Field(50, ge=1, le=200)
    cursor: str | None = Field(None, max_length=96)
