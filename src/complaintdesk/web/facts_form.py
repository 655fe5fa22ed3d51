"""The complaint page's facts form: the facts an agent most often establishes as form fields, the rest
as JSON, turned into the facts the policy engine reads (docs/policy.md, Facts). Pure: no I/O."""

from __future__ import annotations

import json
import math
from typing import Any

from complaintdesk.domain.errors import InvalidInput
from complaintdesk.domain.json_input import parse_json
from complaintdesk.policy.facts import CONSENT, SUSPENSION_REASONS

# (form field, path in the facts, kind) — kind: "text", "date", "number", "yesno", "choice" (one of
# CHOICES[field]) or "account" (prepaid / postpaid, stored as billing.prepaid true / false)
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
    # the facts the rules turn on in real cases (issue 18): each reachable without typing JSON
    ("price", ("price",), "number"),
    ("remote_sale", ("remote_sale",), "yesno"),
    ("received_on", ("received_on",), "date"),
    ("requested_on", ("requested_on",), "date"),
    ("installed_on", ("installed_on",), "date"),
    ("invoice", ("invoice",), "yesno"),
    ("misrepresented", ("misrepresented",), "yesno"),
    ("fault_main_part", ("fault", "main_part"), "yesno"),
    ("fault_part", ("fault", "part"), "choice"),
    ("mileage_km", ("product", "mileage_km"), "number"),
    ("account_type", ("billing", "prepaid"), "account"),
    ("balance", ("billing", "balance"), "number"),
    ("prepaid_paid", ("prepayment", "paid"), "number"),
    ("prepaid_remaining", ("prepayment", "remaining"), "number"),
    ("provided_as_agreed", ("prepayment", "provided_as_agreed"), "yesno"),
    ("company_notice", ("company_response", "notice"), "choice"),
    ("food_unsafe", ("food_unsafe",), "yesno"),
    # telecom: why a line was suspended, unconsented charges, a sudden bill (电信条例 30, 33, 34; 反诈法 11)
    ("suspension_reason", ("billing", "suspension_reason"), "choice"),
    ("reverified", ("billing", "reverified"), "yesno"),
    ("reason_notified", ("billing", "reason_notified"), "yesno"),
    ("consent", ("billing", "consent"), "choice"),
    ("disputed_charges", ("billing", "disputed_charges"), "number"),
    ("charge_spike", ("billing", "charge_spike"), "yesno"),
    ("spike_notified", ("billing", "spike_notified"), "yesno"),
)
# the fields the template lays out one by one; the rest it renders from MORE_FIELDS
_HAND_LAID = 12
MORE_FIELDS = tuple((name, kind) for name, _, kind in FIELDS[_HAND_LAID:])
CHOICES: dict[str, tuple[str, ...]] = {
    "fault_part": ("engine", "gearbox", "traction_battery", "drive_motor", "steering", "brake", "suspension",
                   "transmission", "emission_control", "axle", "body", "fuel_system", "other"),
    "company_notice": ("no_returns", "repair_only", "not_quality", "no_refund"),
    "account_type": ("prepaid", "postpaid"),
    "suspension_reason": SUSPENSION_REASONS,
    "consent": CONSENT,
}
PRODUCT_KINDS = ("tv", "mobile_phone", "computer", "appliance", "car", "broadband", "mobile_service",
                 "prepaid_service", "food", "other")
FAULT_KINDS = ("performance", "appearance", "serious_safety", "none")
OFFER_KINDS = ("compensation", "gift", "waive_fee", "refund", "repair", "exchange")  # the 授权表's columns
_COVERED = {path for _, path, _ in FIELDS}
_TOP_LEVEL = tuple(dict.fromkeys(path[0] for _, path, _ in FIELDS))  # product, purchase_date, fault, …
EMPTIED = {key: None for key in _TOP_LEVEL}  # what an empty form states: every covered fact un-recorded


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
        elif kind == "account":
            values[name] = "prepaid" if value else "postpaid"
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
        raise InvalidInput("其他事实应为 JSON 对象（{...}）", field="other")
    for name, path, kind in FIELDS:
        raw_value = (form.get(name) or "").strip()
        if not raw_value:
            continue
        value: Any = raw_value
        if kind == "number":
            value = _number(name, raw_value)
        elif kind == "yesno":
            value = raw_value == "yes"
        elif kind == "account":
            value = raw_value == "prepaid"
        if kind in ("choice", "account") and raw_value not in CHOICES[name]:
            raise InvalidInput(f"{name} 的值 {raw_value!r} 无效，可选：{', '.join(CHOICES[name])}", field=name)
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
