"""Closed vocabularies shared by the whole product. Values are the stable API strings.

The complaint categories are data (``complaintdesk/data/categories.yaml``): read here once, and every
other list of categories (the analysis labels, the dashboard, the drafts, the labels people read) is
derived from ``CATEGORIES``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from complaintdesk.domain.errors import ConfigurationError
from complaintdesk.yamldata import load_yaml, shipped_text

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


CATEGORY_GROUPS = ("seed_root_cause", "goods", "specific")
_CATEGORY_KEY = re.compile(r"[a-z][a-z0-9_]{0,31}")
_CATEGORY_FILE = "complaintdesk/data/categories.yaml"


@dataclass(frozen=True, slots=True)
class CategoryInfo:
    key: str
    zh: str
    en: str
    groups: frozenset[str]


def parse_categories(data: object, source: str = _CATEGORY_FILE) -> tuple[CategoryInfo, ...]:
    """The category list of a vocabulary file; anything malformed is a ConfigurationError naming it."""
    entries = data.get("categories") if isinstance(data, Mapping) else None
    if not isinstance(entries, Mapping) or not entries:
        raise ConfigurationError(f"{source} 缺少 categories 映射", field="categories")
    out = []
    for key, entry in entries.items():
        where = f"categories.{key}"
        if not isinstance(key, str) or not _CATEGORY_KEY.fullmatch(key):
            raise ConfigurationError(f"{source}：类别 {key!r} 须为小写字母、数字和下划线，不超过 32 个字符", field=where)
        if not isinstance(entry, Mapping):
            raise ConfigurationError(f"{source}: {where} 须为 {{zh, en, groups}} 映射", field=where)
        labels = {lang: entry.get(lang) for lang in ("zh", "en")}
        for lang, text in labels.items():
            if not isinstance(text, str) or not text.strip():
                raise ConfigurationError(f"{source}: {where} 缺少 {lang} 名称", field=f"{where}.{lang}")
        groups = entry.get("groups", [])
        unknown = [g for g in groups if g not in CATEGORY_GROUPS] if isinstance(groups, list) else [groups]
        if unknown:
            raise ConfigurationError(
                f"{source}: {where}.groups 含未知分组 {unknown}，可选：{', '.join(CATEGORY_GROUPS)}",
                field=f"{where}.groups",
            )
        out.append(CategoryInfo(key, str(labels["zh"]), str(labels["en"]), frozenset(groups)))
    if out[-1].key != "other":
        raise ConfigurationError(f"{source}：须以 other（其他）结尾：无法归类的投诉归入此类", field="categories.other")
    return tuple(out)


CATEGORIES = parse_categories(load_yaml(shipped_text("complaintdesk.data", "categories.yaml")))
CATEGORY_KEYS = tuple(c.key for c in CATEGORIES)
CATEGORY_LABELS_ZH = {c.key: c.zh for c in CATEGORIES}

# Built from the data, so mypy cannot list the members: code names none but OTHER, via Category("other").
Category = StrEnum("Category", [(key.upper(), key) for key in CATEGORY_KEYS])  # type: ignore[misc]


def categories_in(group: str) -> tuple[str, ...]:
    """The category keys of one group of the vocabulary (``CATEGORY_GROUPS``), in display order."""
    if group not in CATEGORY_GROUPS:
        raise ValueError(f"unknown category group {group!r}")
    return tuple(c.key for c in CATEGORIES if group in c.groups)


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
    RESHIP = "reship"
    CANCEL_ACCOUNT = "cancel_account"
    PRICE_DIFFERENCE = "price_difference"
    CREDIT_RECORD = "credit_record"
    SHIP = "ship"


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
        raise InvalidInput(f"{field} 的值 {value!r} 无效，可选：{allowed}", field=field) from None
