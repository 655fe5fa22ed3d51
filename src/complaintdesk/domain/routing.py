"""Routing of the complaints a channel opens on its own (today: mail), as data: ``data/routing.yaml`` or
the centre's ``routing.yaml``. The first rule whose category matches names an account or a team; the
team's member with the fewest open complaints takes it (``pick_member``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from complaintdesk.domain.errors import ConfigurationError
from complaintdesk.domain.vocab import CATEGORY_KEYS
from complaintdesk.yamldata import centre_file, knowledge_cache, read_data_file

DEFAULT_FILE = "routing.yaml"


@dataclass(frozen=True)
class RoutingRule:
    category: str | None  # None: any category
    owner: str | None = None
    team: str | None = None


@dataclass(frozen=True)
class Routing:
    mail: tuple[RoutingRule, ...] = ()

    def rule_for(self, category: str) -> RoutingRule | None:
        return next((r for r in self.mail if r.category in (None, category)), None)


def pick_member(open_counts: dict[str, int]) -> str | None:
    """The member with the fewest open complaints; ties go to the first username."""
    if not open_counts:
        return None
    return min(sorted(open_counts), key=lambda name: open_counts[name])


def _text(value: object, where: str, field: str) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > 64:
        raise ConfigurationError(f"{where}: {field} 必须是 1 到 64 个字符的文字", field=field)
    return value.strip()


def routing_from_mapping(data: Any, source: str) -> Routing:
    if not isinstance(data, dict) or not isinstance(data.get("mail", []), list):
        raise ConfigurationError(f"分派规则 {source} 必须是映射，mail 是规则列表", field="mail")
    rules = []
    for i, raw in enumerate(data.get("mail") or [], start=1):
        where = f"分派规则 {source} 第 {i} 条"
        if not isinstance(raw, dict) or set(raw) - {"category", "owner", "team"}:
            raise ConfigurationError(f"{where}：只能有 category、owner、team", field="mail")
        if ("owner" in raw) == ("team" in raw):
            raise ConfigurationError(f"{where}: owner 与 team 须给出且只给出其一", field="owner")
        category = raw.get("category")
        if category is not None and category not in CATEGORY_KEYS:
            raise ConfigurationError(f"{where}：未知的投诉类别 {category!r}", field="category")
        owner = _text(raw["owner"], where, "owner") if "owner" in raw else None
        team = _text(raw["team"], where, "team") if "team" in raw else None
        rules.append(RoutingRule(category, owner, team))
    return Routing(tuple(rules))


def routing_in(directory: Path | None) -> Routing:
    path = centre_file(directory, DEFAULT_FILE)
    return routing_from_mapping(*read_data_file(path, "complaintdesk.data", DEFAULT_FILE, "分派规则", "routing"))


@knowledge_cache("routing")
def active_routing(directory: Path | None) -> Routing:
    return routing_in(directory)
