"""Closed vocabularies shared by the whole product. Values are the stable API strings."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

E = TypeVar("E", bound="StrEnum")


class Segment(StrEnum):
    """Customer segments handled differently (seed 003: phone, web order, key account, walk-in)."""

    REGULAR = "regular"
    KEY_ACCOUNT = "key_account"
    WEB_ORDER = "web_order"
    WALK_IN = "walk_in"


class Channel(StrEnum):
    PHONE = "phone"
    WEB = "web"
    EMAIL = "email"
    WALK_IN = "walk_in"
    CHAT = "chat"
    REGULATOR_TRANSFER = "regulator_transfer"
    IMPORT = "import"


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class Stage(StrEnum):
    """The seven steps of seed 001 plus seed 004's 跟踪服务, then closed; ``reopened`` after a 'not satisfied'."""

    ACCEPTED = "accepted"  # 接受投诉
    CALMING = "calming"  # 平息怨气
    CLARIFYING = "clarifying"  # 澄清问题
    PROPOSING = "proposing"  # 探讨解决方案
    ACTING = "acting"  # 采取行动
    THANKING = "thanking"  # 感谢客户
    FOLLOW_UP = "follow_up"  # 跟踪服务
    CLOSED = "closed"
    REOPENED = "reopened"


class MessageKind(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"
    NOTE = "note"


class Category(StrEnum):
    PARTS_SHORTAGE = "parts_shortage"
    PRODUCT_QUALITY = "product_quality"
    REPEATED_REPAIR = "repeated_repair"
    OUT_OF_WARRANTY_CHARGE = "out_of_warranty_charge"
    STAFF_ATTITUDE = "staff_attitude"
    LATE_VISIT = "late_visit"
    BILLING = "billing"
    SERVICE_SUSPENSION = "service_suspension"
    DELIVERY = "delivery"
    INSTALLATION = "installation"
    PROMOTION_RULES = "promotion_rules"
    OTHER = "other"


class Demand(StrEnum):
    REFUND = "refund"
    EXCHANGE = "exchange"
    REPAIR = "repair"
    COMPENSATION = "compensation"
    APOLOGY = "apology"
    EXPLANATION = "explanation"
    RESTORE_SERVICE = "restore_service"
    ESCALATE = "escalate"
    EXPEDITE = "expedite"
    WAIVE_FEE = "waive_fee"
    DISCIPLINE_STAFF = "discipline_staff"


class Role(StrEnum):
    AGENT = "agent"
    TEAM_LEAD = "team_lead"
    MANAGER = "manager"
    ADMIN = "admin"
    AUDITOR = "auditor"


ESCALATION_LEVELS: dict[int, str] = {
    0: "坐席 agent",
    1: "班组长 team lead",
    2: "中心经理 centre manager",
    3: "总部 head office",
    4: "外部监管 external regulator",
}
MAX_ESCALATION_LEVEL = 4

STAGE_LABELS_ZH: dict[Stage, str] = {
    Stage.ACCEPTED: "接受投诉",
    Stage.CALMING: "平息怨气",
    Stage.CLARIFYING: "澄清问题",
    Stage.PROPOSING: "探讨解决方案",
    Stage.ACTING: "采取行动",
    Stage.THANKING: "感谢客户",
    Stage.FOLLOW_UP: "跟踪服务",
    Stage.CLOSED: "已结案",
    Stage.REOPENED: "已重开",
}


def parse_enum(enum_type: type[E], value: object, field: str) -> E:
    """Parse a vocabulary value or raise InvalidInput naming the field and the allowed values."""
    from complaintdesk.domain.errors import InvalidInput

    try:
        return enum_type(str(value).strip())
    except ValueError:
        allowed = ", ".join(member.value for member in enum_type)
        raise InvalidInput(f"{field} 的值 {value!r} 无效,可选: {allowed}", field=field) from None
