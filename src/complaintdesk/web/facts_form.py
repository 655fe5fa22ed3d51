"""The complaint page's facts form: the facts an agent most often establishes as form fields, the rest
as JSON, turned into the facts the policy engine reads (docs/policy.md, Facts). Pure: no I/O."""

from __future__ import annotations

import json
import math
from typing import Any

from complaintdesk.domain.errors import InvalidInput
from complaintdesk.domain.json_input import parse_json

# (form field, path in the facts, kind) — kind: "text", "date", "number" or "yesno"
FIELDS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("product_kind", ("product", "kind"), "text"),
    ("product_model", ("product", "model"), "text"),
    ("purchase_date", ("purchase_date",), "date"),
    ("fault_kind", ("fault", "kind"), "text"),
    ("fault_first_seen", ("fault", "first_seen"), "date"),
    ("fault_reported_on", ("fault", "reported_on"), "date"),
    ("user_damage", ("user_damage",), "yesno"),
    ("monthly_fee", ("billing", "monthly_fee"), "number"),
    ("amount_due", ("billing", "amount_due"), "number"),
    ("due_date", ("billing", "due_date"), "date"),
    ("suspended_on", ("billing", "suspended_on"), "date"),
    ("paid_on", ("billing", "paid_on"), "date"),
)
PRODUCT_KINDS = ("tv", "mobile_phone", "computer", "appliance", "car", "broadband", "mobile_service", "other")
FAULT_KINDS = ("performance", "appearance", "serious_safety", "none")
OFFER_KINDS = ("compensation", "gift", "waive_fee", "refund", "repair", "exchange")  # the 授权表's columns
_COVERED = {path for _, path, _ in FIELDS}
_TOP_LEVEL = tuple(dict.fromkeys(path[0] for _, path, _ in FIELDS))  # product, purchase_date, fault, …


def _get(facts: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = facts
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def prefill(facts: dict[str, Any]) -> dict[str, str]:
    """The form as the recorded facts fill it; what no field shows goes to the JSON box."""
    values: dict[str, str] = {}
    for name, path, kind in FIELDS:
        value = _get(facts, path)
        if value is None:
            values[name] = ""
        elif kind == "yesno":
            values[name] = "yes" if value else "no"
        else:
            values[name] = str(value)
    rest = _without_fields(facts)
    values["other"] = json.dumps(rest, ensure_ascii=False, indent=1) if rest else ""
    return values


def _without_fields(facts: dict[str, Any]) -> dict[str, Any]:
    rest: dict[str, Any] = {}
    for key, value in facts.items():
        if (key,) in _COVERED:
            continue
        if isinstance(value, dict):
            inner = {k: v for k, v in value.items() if (key, k) not in _COVERED}
            if inner:
                rest[key] = inner
        else:
            rest[key] = value
    return rest


def _number(name: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise InvalidInput(f"{name} 应为数字", field=name) from None
    if not math.isfinite(value):  # float() reads "nan", "inf" and "1e400" too
        raise InvalidInput(f"{name} 应为有限的数字", field=name)
    return value


def typed(form: dict[str, str]) -> dict[str, str]:
    """The form as the agent typed it, to show again with an error (what ``prefill`` gives)."""
    return {name: form.get(name) or "" for name in (*(f[0] for f in FIELDS), "other")}


def from_form(form: dict[str, str]) -> dict[str, Any]:
    """The facts the form states: the JSON box first, then every filled field over it (nested objects
    are merged, so a field and the JSON can each give part of ``product``). What the form covers and
    leaves empty comes out as null, which removes it from the recorded facts."""
    raw = (form.get("other") or "").strip()
    facts = parse_json(raw, "other", label="其他事实") if raw else {}
    if not isinstance(facts, dict):
        raise InvalidInput("其他事实应为 JSON 对象 ({...})", field="other")
    for name, path, kind in FIELDS:
        raw_value = (form.get(name) or "").strip()
        if not raw_value:
            continue
        value: Any = raw_value
        if kind == "number":
            value = _number(name, raw_value)
        elif kind == "yesno":
            value = raw_value == "yes"
        target = facts
        for key in path[:-1]:
            nested = target.get(key)
            if not isinstance(nested, dict):
                nested = {}
                target[key] = nested
            target = nested
        target[path[-1]] = value
    for key in _TOP_LEVEL:
        facts.setdefault(key, None)  # an emptied field un-records its fact
    return facts
