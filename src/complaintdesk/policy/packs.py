"""Rule packs: YAML files of rules, each with its source, article, date and text.

The engine's logic is a fixed set of rule *kinds* (a return window, a warranty period, an authority
table ...); a pack chooses which rules apply, to which products, with which numbers, and cites the
text. A centre adds its own pack in a directory: a rule with an existing id replaces it, a rule with
``enabled: false`` switches it off. A file that breaks the schema is refused at load, naming the
file, the rule and the field.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from complaintdesk.domain.errors import ConfigurationError
from complaintdesk.domain.vocab import Demand
from complaintdesk.policy.facts import CAR_PARTS, FAULT_KINDS, REMOTE_SALE_EXCEPTIONS, ROLES, ProductKind
from complaintdesk.policy.result import RuleRef
from complaintdesk.yamldata import knowledge_cache, knowledge_dir, load_yaml, shipped

# kind -> {param: (type, required)}; types: int, number, bool, str, date, demands, fault_kinds, exceptions, parts, limits
KIND_PARAMS: dict[str, dict[str, tuple[str, bool]]] = {
    "fault_window": {"days": ("int", True), "remedies": ("demands", True), "fault_kinds": ("fault_kinds", True),
                     "requires_main_part": ("bool", False), "max_km": ("number", False)},
    "warranty_period": {"whole_unit_years": ("int", True), "main_parts_years": ("int", False),
                        "main_parts": ("str", False), "max_km": ("number", False)},
    "repeated_repair": {"repairs": ("int", True), "remedies": ("demands", True),
                        "fault_kinds": ("fault_kinds", False), "same_problem_only": ("bool", False)},
    "parts_shortage": {"days": ("int", True), "remedies": ("demands", True)},
    "warranty_exclusion": {},
    "burden_of_proof": {"months": ("int", True)},
    "period_end_holiday": {},
    "remote_sale_return": {"days": ("int", True), "exceptions": ("exceptions", True)},
    "seller_promise": {},
    # a version of a law: in force from the rule's date until ``in_force_until`` (versions.py picks by sale date)
    "fraud_compensation": {"multiplier": ("number", True), "minimum": ("number", True),
                           "in_force_until": ("date", False)},
    "answer_inquiry": {},
    "dispute_channels": {},
    "arrears_suspension": {"min_days_past_due": ("int", True), "late_fee_per_day": ("number", True)},
    "prepaid_contract": {},
    "restore_after_payment": {"hours": ("int", True)},
    "fraud_risk_suspension": {},
    "unconsented_charge": {},
    "charge_spike_notice": {"multiple": ("number", True), "months": ("int", True)},
    "service_fault_repair": {"hours": ("int", True)},
    "operator_answer": {"days": ("int", True)},
    "appeal_time_limits": {"accept_working_days": ("int", True), "answer_days": ("int", True)},
    "regulator_time_limits": {"accept_working_days": ("int", True), "mediation_working_days": ("int", True)},
    "free_repair_card": {"years": ("int", True)},
    "pro_rata_compensation": {"days_per_month": ("number", True)},
    "promise_window": {"promise": ("str", True), "hours": ("int", True)},
    "authority_limits": {role: ("limits", True) for role in ROLES},
    "goodwill": {"demands": ("demands", True)},
    "prepaid_refund": {},
    "food_safety_compensation": {"multiplier": ("number", True), "minimum": ("number", True),
                                 "in_force_until": ("date", False)},
    # one version of the 家用汽车 三包 rules; which applies is chosen by the rule's date and the sale date
    "car_sanbao": {"period_years": ("int", True), "period_km": ("number", True), "repair_years": ("int", True),
                   "repair_km": ("number", True), "early_days": ("int", True), "early_parts": ("parts", True),
                   "serious_days": ("int", True), "serious_km": ("number", True), "serious_repairs": ("int", True),
                   "replacements": ("int", True), "system_parts": ("parts", True), "repair_days": ("int", True),
                   "same_problem_repairs": ("int", True), "count_remedies": ("demands", True),
                   "compensation_n_max": ("number", True)},
}

_REQUIRED_TEXT = ("id", "kind", "source", "article", "text")
_TEXT_STATUS = ("quote", "paraphrase")


@dataclass(frozen=True)
class PackRule:
    id: str
    kind: str
    source: str
    article: str
    text: str
    date: date | None
    text_status: str
    pack: str
    pack_kind: str  # statutory | company
    file: str
    applies_to: frozenset[str] = frozenset()  # empty: every product kind
    params: Mapping[str, Any] = field(default_factory=dict)
    note: str = ""
    source_url: str = ""  # where the text was checked against a published copy; empty: not yet verified

    @property
    def ref(self) -> RuleRef:
        return RuleRef(self.id, self.source, self.article, self.text)

    def applies(self, product_kind: str | None) -> bool:
        return not self.applies_to or (product_kind is not None and product_kind in self.applies_to)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "kind": self.kind, "pack": self.pack, "pack_kind": self.pack_kind,
            "source": self.source, "article": self.article, "date": self.date.isoformat() if self.date else None,
            "text": self.text, "text_status": self.text_status, "applies_to": sorted(self.applies_to),
            "params": dict(self.params), "note": self.note, "file": self.file,
            "source_url": self.source_url,
        }


@dataclass(frozen=True)
class PolicyPacks:
    """The rules in force, in load order (later packs override earlier ones by id)."""

    rules: tuple[PackRule, ...]

    def __iter__(self) -> Iterator[PackRule]:
        return iter(self.rules)

    def get(self, rule_id: str) -> PackRule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def of_kind(self, kind: str, product_kind: str | None = None, *, any_product: bool = False) -> list[PackRule]:
        return [r for r in self.rules if r.kind == kind and (any_product or r.applies(product_kind))]

    def first(self, kind: str, product_kind: str | None = None) -> PackRule | None:
        found = self.of_kind(kind, product_kind)
        # the most specific rule wins: one written for this product over a catch-all
        found.sort(key=lambda r: 0 if r.applies_to else 1)
        return found[0] if found else None


class _Problem(Exception):
    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field_name = field_name
        self.message = message


def _check_param(name: str, kind: str, value: Any) -> Any:
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise _Problem(f"params.{name}", f"必须是非负整数，得到 {value!r}")
        return value
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise _Problem(f"params.{name}", f"必须是非负数，得到 {value!r}")
        return float(value)
    if kind == "bool":
        if not isinstance(value, bool):
            raise _Problem(f"params.{name}", f"必须是 true/false，得到 {value!r}")
        return value
    if kind == "date":  # kept as ISO text, so a rule's params stay JSON
        try:
            return (value if isinstance(value, date) else date.fromisoformat(str(value))).isoformat()
        except ValueError:
            raise _Problem(f"params.{name}", f"不是有效日期：{value!r}") from None
    if kind == "str":
        if not isinstance(value, str) or not value.strip():
            raise _Problem(f"params.{name}", "必须是非空文本")
        return value
    if kind == "limits":
        if not isinstance(value, Mapping):
            raise _Problem(f"params.{name}", "必须是 方案类型：金额上限 的映射")
        return {str(k): _check_param(f"{name}.{k}", "number", v) for k, v in value.items()}
    allowed = {"demands": [d.value for d in Demand], "fault_kinds": list(FAULT_KINDS),
               "exceptions": list(REMOTE_SALE_EXCEPTIONS), "parts": list(CAR_PARTS)}[kind]
    if not isinstance(value, list) or not value:
        raise _Problem(f"params.{name}", "必须是非空列表")
    for item in value:
        if item not in allowed:
            raise _Problem(f"params.{name}", f"值 {item!r} 无效，可选：{', '.join(allowed)}")
    return tuple(value)


def _parse_rule(raw: Any, pack: str, pack_kind: str, file: str, index: int) -> PackRule:
    if not isinstance(raw, Mapping):
        raise _Problem("rule", f"第 {index + 1} 条规则必须是映射")
    for key in _REQUIRED_TEXT:
        if not isinstance(raw.get(key), str) or not str(raw.get(key)).strip():
            raise _Problem(key, "缺失或不是非空文本")
    kind = str(raw["kind"])
    if kind not in KIND_PARAMS:
        raise _Problem("kind", f"未知的规则类型 {kind!r}，可选：{', '.join(sorted(KIND_PARAMS))}")
    status = raw.get("text_status", "quote")
    if status not in _TEXT_STATUS:
        raise _Problem("text_status", f"必须是 quote（原文）或 paraphrase（转述），得到 {status!r}")
    when = raw.get("date")
    if when is not None and not isinstance(when, date):
        try:
            when = date.fromisoformat(str(when))
        except ValueError:
            raise _Problem("date", f"不是有效日期：{when!r}") from None
    if kind == "car_sanbao" and when is None:
        raise _Problem("date", "汽车三包规则必须给出施行日期（按购车日期选择版本）")
    source_url = str(raw.get("source_url") or "").strip()
    if source_url and not source_url.startswith(("https://", "http://")):
        raise _Problem("source_url", f"必须是 http(s)地址，得到 {source_url!r}")
    applies = raw.get("applies_to") or []
    kinds = [k.value for k in ProductKind]
    if not isinstance(applies, list) or any(a not in kinds for a in applies):
        raise _Problem("applies_to", f"必须是产品类型列表，可选：{', '.join(kinds)}")
    params_raw = raw.get("params") or {}
    if not isinstance(params_raw, Mapping):
        raise _Problem("params", "必须是映射")
    schema = KIND_PARAMS[kind]
    unknown = sorted(set(params_raw) - set(schema))
    if unknown:
        raise _Problem(f"params.{unknown[0]}", f"规则类型 {kind} 不认识这个参数")
    params: dict[str, Any] = {}
    for name, (ptype, required) in schema.items():
        if name in params_raw:
            params[name] = _check_param(name, ptype, params_raw[name])
        elif required:
            raise _Problem(f"params.{name}", f"规则类型 {kind} 必须提供此参数")
    return PackRule(
        id=str(raw["id"]).strip(), kind=kind, source=str(raw["source"]).strip(), article=str(raw["article"]).strip(),
        text=str(raw["text"]).strip(), date=when, text_status=str(status), pack=pack, pack_kind=pack_kind,
        file=file, applies_to=frozenset(applies), params=params, note=str(raw.get("note") or "").strip(),
        source_url=source_url,
    )


def parse_pack(text: str, file: str) -> tuple[list[PackRule], set[str]]:
    """Parse one pack file; returns its rules and the ids it disables. Raises ConfigurationError."""
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        raise ConfigurationError(f"规则包 {file}：YAML 格式错误：{exc}", field=file) from None
    if not isinstance(data, Mapping):
        raise ConfigurationError(f"规则包 {file}：顶层必须是映射（pack, kind, rules）", field=file)
    pack = data.get("pack")
    if not isinstance(pack, str) or not pack.strip():
        raise ConfigurationError(f"规则包 {file}：缺少 pack（规则包名称）", field=f"{file}:pack")
    pack_kind = data.get("kind", "company")
    if pack_kind not in ("statutory", "company"):
        raise ConfigurationError(f"规则包 {file}：kind 必须是 statutory 或 company", field=f"{file}:kind")
    raw_rules = data.get("rules")
    if not isinstance(raw_rules, list):
        raise ConfigurationError(f"规则包 {file}：rules 必须是列表", field=f"{file}:rules")
    rules: list[PackRule] = []
    disabled: set[str] = set()
    seen: set[str] = set()
    for index, raw in enumerate(raw_rules):
        rule_id = str(raw.get("id")) if isinstance(raw, Mapping) and raw.get("id") else f"#{index + 1}"
        if isinstance(raw, Mapping) and raw.get("enabled") is False:
            disabled.add(rule_id)
            continue
        try:
            rule = _parse_rule(raw, pack.strip(), str(pack_kind), file, index)
        except _Problem as problem:
            raise ConfigurationError(
                f"规则包 {file}：规则 {rule_id}：字段 {problem.field_name}：{problem.message}",
                field=f"{file}:{rule_id}.{problem.field_name}",
            ) from None
        if rule.id in seen:
            raise ConfigurationError(f"规则包 {file}：规则 {rule.id}：字段 id：在同一文件中重复",
                                     field=f"{file}:{rule.id}.id")
        seen.add(rule.id)
        rules.append(rule)
    return rules, disabled


def _builtin_texts() -> list[tuple[str, str]]:
    folder = shipped("complaintdesk.policy.data")
    return sorted(
        (f"complaintdesk/policy/data/{entry.name}", entry.read_text("utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith((".yaml", ".yml"))
    )


def _dir_texts(directory: Path) -> list[tuple[str, str]]:
    if not directory.is_dir():
        raise ConfigurationError(f"规则包目录不存在：{directory}", field="packs")
    return [(str(p), _read_file(p)) for p in sorted(directory.iterdir()) if p.suffix in (".yaml", ".yml")]


def load_packs(extra: Iterable[str | Path] = (), *, builtin: bool = True) -> PolicyPacks:
    """The packs in force: the shipped ones, the centre's (``policy/`` in the knowledge directory), then
    each extra directory (or file) in order; later ids override earlier ones."""
    extra_paths = [Path(p) for p in extra]
    if builtin and not extra_paths:
        return active_packs()
    centre = centre_folders(knowledge_dir()) if builtin else []
    return merge_packs([*centre, *extra_paths], builtin=builtin)


def centre_folders(directory: Path | None) -> list[Path]:
    """The centre's pack folder in a knowledge directory, when it has one."""
    folder = directory / "policy" if directory is not None else None
    return [folder] if folder is not None and folder.is_dir() else []


@knowledge_cache("packs")
def active_packs(directory: Path | None) -> PolicyPacks:
    return merge_packs(centre_folders(directory))


def merge_packs(extra_paths: Iterable[Path], *, builtin: bool = True) -> PolicyPacks:
    texts = _builtin_texts() if builtin else []
    for path in extra_paths:
        texts.extend(_dir_texts(path) if path.is_dir() else [(str(path), _read_file(path))])
    merged: dict[str, PackRule] = {}
    for file, text in texts:
        rules, disabled = parse_pack(text, file)
        for rule_id in disabled:
            merged.pop(rule_id, None)
        for rule in rules:
            merged.pop(rule.id, None)  # re-insert so an override sits where its pack was loaded
            merged[rule.id] = rule
    return PolicyPacks(tuple(merged.values()))


def _read_file(path: Path) -> str:
    try:
        return path.read_text("utf-8")
    except OSError as exc:
        raise ConfigurationError(f"无法读取规则包 {path}：{exc.strerror}", field="packs") from None
    except UnicodeDecodeError:
        raise ConfigurationError(f"规则包 {path} 不是 UTF-8 文本", field=str(path)) from None


def list_rules(packs: PolicyPacks | None = None) -> list[PackRule]:
    return list((packs or load_packs()).rules)
