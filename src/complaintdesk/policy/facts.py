"""The facts of a case, validated into frozen dataclasses.

Every field is optional: what is missing becomes a question for the agent, never a guess. What is
present must make sense: a bad date, a negative amount, a repair before the purchase or a date after
``today`` raises ``InvalidInput`` naming the field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from complaintdesk.domain.errors import InvalidInput
from complaintdesk.domain.vocab import Demand


class ProductKind(StrEnum):
    TV = "tv"
    MOBILE_PHONE = "mobile_phone"
    COMPUTER = "computer"
    APPLIANCE = "appliance"
    CAR = "car"
    BROADBAND = "broadband"
    MOBILE_SERVICE = "mobile_service"
    OTHER = "other"


GOODS = frozenset({ProductKind.TV, ProductKind.MOBILE_PHONE, ProductKind.COMPUTER, ProductKind.APPLIANCE,
                   ProductKind.CAR, ProductKind.OTHER})
TELECOM = frozenset({ProductKind.BROADBAND, ProductKind.MOBILE_SERVICE})

FAULT_KINDS = ("performance", "appearance", "serious_safety", "none")
REMOTE_SALE_EXCEPTIONS = ("custom_made", "perishable", "digital_unsealed", "periodical")
ROLES = ("agent", "team_lead", "manager")
REGULATORS = ("market_regulation", "telecom_appeal")


@dataclass(frozen=True)
class Product:
    kind: ProductKind | None = None
    model: str | None = None
    warranty_years: int | None = None  # from the 三包凭证, when it differs from the catalogue
    main_parts_years: int | None = None
    mileage_km: float | None = None  # cars: the 三包 periods end at a mileage too


@dataclass(frozen=True)
class Fault:
    kind: str | None = None
    first_seen: date | None = None
    reported_on: date | None = None
    main_part: bool | None = None  # the fault is in a 主要部件 (longer period; cars: engine, gearbox ...)


@dataclass(frozen=True)
class Repair:
    on: date
    days_in_repair: int = 0
    fixed: bool | None = None
    same_problem: bool | None = None


@dataclass(frozen=True)
class Billing:
    prepaid: bool | None = None
    monthly_fee: float | None = None
    amount_due: float | None = None
    due_date: date | None = None
    suspended_on: date | None = None
    paid_on: date | None = None
    restored_on: date | None = None


@dataclass(frozen=True)
class Contract:
    extended_warranty_until: date | None = None
    free_repair_until: date | None = None
    free_repair_card: bool | None = None  # holds the company's free-repair card (seed 001)
    no_reason_return_days: int | None = None


@dataclass(frozen=True)
class Offer:
    kind: str
    amount: float = 0.0


@dataclass(frozen=True)
class Promise:
    """A dated company promise to the customer, e.g. a recharge gift 'within 48 hours' (seed 002)."""

    kind: str
    started_at: datetime
    fulfilled: bool | None = None


@dataclass(frozen=True)
class RegulatorCase:
    body: str
    filed_on: date | None = None
    accepted_on: date | None = None


@dataclass(frozen=True)
class Facts:
    today: date
    now: datetime | None = None
    product: Product = Product()
    purchase_date: date | None = None
    received_on: date | None = None
    invoice: bool | None = None
    remote_sale: bool | None = None
    remote_sale_exception: str | None = None
    fault: Fault = Fault()
    user_damage: bool | None = None
    repairs: tuple[Repair, ...] | None = None  # None: not asked yet; (): none
    waiting_for_parts_days: int | None = None
    billing: Billing = Billing()
    contract: Contract = Contract()
    outage_days: float | None = None
    misrepresented: bool | None = None
    price: float | None = None
    complaint_filed_on: date | None = None
    operator_answered_within_days: int | None = None
    dissatisfied_with_answer: bool | None = None
    regulator: RegulatorCase | None = None
    promise: Promise | None = None
    demands: tuple[str, ...] = ()
    offer: Offer | None = None
    role: str | None = None

    @property
    def raised_on(self) -> date:
        """The day the customer raised the problem: periods are judged on it (issue 8)."""
        return self.fault.reported_on or self.today


class _Reader:
    """Reads one mapping, naming each field by its path in errors (``repairs[1].date``)."""

    def __init__(self, data: Mapping[str, Any], path: str = "") -> None:
        if not isinstance(data, Mapping):
            raise InvalidInput(f"{path or 'facts'} 必须是一个对象(JSON object)", field=path or "facts")
        self.data = data
        self.path = path

    def name(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def raw(self, key: str) -> Any:
        return self.data.get(key)

    def get_date(self, key: str) -> date | None:
        value = self.data.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value)[:10])
        except ValueError:
            raise InvalidInput(f"{self.name(key)} 不是有效日期(应为 YYYY-MM-DD): {value!r}", field=self.name(key)) from None

    def get_datetime(self, key: str) -> datetime | None:
        value = self.data.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, datetime):
            return value
        if isinstance(value, date):
            return datetime(value.year, value.month, value.day)
        try:
            return datetime.fromisoformat(str(value))
        except ValueError:
            raise InvalidInput(f"{self.name(key)} 不是有效时间(应为 ISO 8601): {value!r}", field=self.name(key)) from None

    def boolean(self, key: str) -> bool | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool):
            return value
        raise InvalidInput(f"{self.name(key)} 必须是 true 或 false: {value!r}", field=self.name(key))

    def number(self, key: str) -> float | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidInput(f"{self.name(key)} 必须是数字: {value!r}", field=self.name(key))
        if value < 0:
            raise InvalidInput(f"{self.name(key)} 不能为负数: {value!r}", field=self.name(key))
        return float(value)

    def integer(self, key: str) -> int | None:
        value = self.number(key)
        if value is None:
            return None
        if value != int(value):
            raise InvalidInput(f"{self.name(key)} 必须是整数: {value!r}", field=self.name(key))
        return int(value)

    def text(self, key: str) -> str | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise InvalidInput(f"{self.name(key)} 必须是文本: {value!r}", field=self.name(key))
        return value.strip() or None

    def choice(self, key: str, allowed: Sequence[str]) -> str | None:
        value = self.text(key)
        if value is None or value == "null":
            return None
        if value not in allowed:
            raise InvalidInput(
                f"{self.name(key)} 的值 {value!r} 无效,可选: {', '.join(allowed)}", field=self.name(key)
            )
        return value

    def child(self, key: str) -> _Reader | None:
        value = self.data.get(key)
        if value is None:
            return None
        return _Reader(value, self.name(key))


def _product(r: _Reader | None) -> Product:
    if r is None:
        return Product()
    kind = r.choice("kind", [k.value for k in ProductKind])
    return Product(
        kind=ProductKind(kind) if kind else None,
        model=r.text("model"),
        warranty_years=r.integer("warranty_years"),
        main_parts_years=r.integer("main_parts_years"),
        mileage_km=r.number("mileage_km"),
    )


def _repairs(value: Any) -> tuple[Repair, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list):
        raise InvalidInput("repairs 必须是列表", field="repairs")
    out = []
    for i, item in enumerate(value):
        r = _Reader(item, f"repairs[{i}]")
        when = r.get_date("date")
        if when is None:
            raise InvalidInput(f"repairs[{i}].date 缺失:每次维修都需要日期", field=f"repairs[{i}].date")
        out.append(Repair(when, r.integer("days_in_repair") or 0, r.boolean("fixed"), r.boolean("same_problem")))
    return tuple(sorted(out, key=lambda rep: rep.on))


def _demands(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    allowed = [d.value for d in Demand]
    out: list[str] = []
    for i, item in enumerate(items):
        if str(item) not in allowed:
            raise InvalidInput(f"demands[{i}] 的值 {item!r} 无效,可选: {', '.join(allowed)}", field=f"demands[{i}]")
        if str(item) not in out:
            out.append(str(item))
    return tuple(out)


def parse_facts(data: Mapping[str, Any] | Facts, *, today: date | None = None) -> Facts:
    """Validate a JSON-shaped mapping into ``Facts``; raise InvalidInput naming the first bad field."""
    if isinstance(data, Facts):
        facts = data
    else:
        r = _Reader(data)
        fault = r.child("fault")
        billing = r.child("billing")
        contract = r.child("contract")
        offer = r.child("offer")
        promise = r.child("promise")
        regulator = r.child("regulator")
        facts = Facts(
            today=r.get_date("today") or today or date.today(),
            now=r.get_datetime("now"),
            product=_product(r.child("product")),
            purchase_date=r.get_date("purchase_date"),
            received_on=r.get_date("received_on"),
            invoice=r.boolean("invoice"),
            remote_sale=r.boolean("remote_sale"),
            remote_sale_exception=r.choice("remote_sale_exception", REMOTE_SALE_EXCEPTIONS),
            fault=Fault(fault.choice("kind", FAULT_KINDS), fault.get_date("first_seen"), fault.get_date("reported_on"),
                        fault.boolean("main_part")) if fault else Fault(),
            user_damage=r.boolean("user_damage"),
            repairs=_repairs(r.raw("repairs")),
            waiting_for_parts_days=r.integer("waiting_for_parts_days"),
            billing=Billing(billing.boolean("prepaid"), billing.number("monthly_fee"), billing.number("amount_due"),
                            billing.get_date("due_date"), billing.get_date("suspended_on"), billing.get_date("paid_on"),
                            billing.get_date("restored_on")) if billing else Billing(),
            contract=Contract(contract.get_date("extended_warranty_until"), contract.get_date("free_repair_until"),
                              contract.boolean("free_repair_card"), contract.integer("no_reason_return_days"))
            if contract else Contract(),
            outage_days=r.number("outage_days"),
            misrepresented=r.boolean("misrepresented"),
            price=r.number("price"),
            complaint_filed_on=r.get_date("complaint_filed_on"),
            operator_answered_within_days=r.integer("operator_answered_within_days"),
            dissatisfied_with_answer=r.boolean("dissatisfied_with_answer"),
            regulator=RegulatorCase(regulator.choice("body", REGULATORS) or "market_regulation",
                                    regulator.get_date("filed_on"), regulator.get_date("accepted_on")) if regulator else None,
            promise=_promise(promise),
            demands=_demands(r.raw("demands")),
            offer=_offer(offer),
            role=r.choice("role", ROLES),
        )
    check_consistency(facts)
    return facts


def _offer(r: _Reader | None) -> Offer | None:
    if r is None:
        return None
    kind = r.text("kind")
    if kind is None:
        raise InvalidInput("offer.kind 缺失:方案要写明类型(如 compensation、refund、waive_fee)", field="offer.kind")
    return Offer(kind, r.number("amount") or 0.0)


def parse_offer(data: Mapping[str, Any]) -> Offer:
    """An offer ``{"kind", "amount"}`` on its own (the API checks an agent's offer before it is made)."""
    offer = _offer(_Reader(data, "offer"))
    assert offer is not None  # a reader over a mapping always yields an offer or raises
    return offer


def _promise(r: _Reader | None) -> Promise | None:
    if r is None:
        return None
    started = r.get_datetime("started_at")
    if started is None:
        raise InvalidInput("promise.started_at 缺失:承诺从何时开始计时?", field="promise.started_at")
    return Promise(r.text("kind") or "recharge_gift", started, r.boolean("fulfilled"))


def _dated_fields(f: Facts) -> list[tuple[str, date | None]]:
    return [
        ("purchase_date", f.purchase_date), ("received_on", f.received_on),
        ("fault.first_seen", f.fault.first_seen), ("fault.reported_on", f.fault.reported_on),
        ("billing.due_date", f.billing.due_date), ("billing.suspended_on", f.billing.suspended_on),
        ("billing.paid_on", f.billing.paid_on), ("billing.restored_on", f.billing.restored_on),
        ("complaint_filed_on", f.complaint_filed_on),
        ("regulator.filed_on", f.regulator.filed_on if f.regulator else None),
        ("regulator.accepted_on", f.regulator.accepted_on if f.regulator else None),
        *[(f"repairs[{i}].date", rep.on) for i, rep in enumerate(f.repairs or ())],
    ]


def _not_before(later: date | None, earlier: date | None, later_name: str, earlier_name: str) -> None:
    if later is not None and earlier is not None and later < earlier:
        raise InvalidInput(
            f"{later_name} ({later}) 早于 {earlier_name} ({earlier}),事实自相矛盾,请核实", field=later_name
        )


def check_consistency(f: Facts) -> None:
    """Contradictions are refused, not judged: a verdict on impossible facts would be silently wrong."""
    for name, value in _dated_fields(f):
        if value is not None and value > f.today:
            raise InvalidInput(f"{name} ({value}) 晚于今天 ({f.today}):不能是将来的日期", field=name)
    if f.promise is not None and f.now is not None and f.promise.started_at > f.now:
        raise InvalidInput("promise.started_at 晚于 now:不能是将来的时间", field="promise.started_at")
    for name, value in _dated_fields(f)[1:4] + [(n, v) for n, v in _dated_fields(f) if n.startswith("repairs")]:
        _not_before(value, f.purchase_date, name, "purchase_date")
    _not_before(f.fault.reported_on, f.fault.first_seen, "fault.reported_on", "fault.first_seen")
    _not_before(f.billing.restored_on, f.billing.suspended_on, "billing.restored_on", "billing.suspended_on")
    if f.regulator is not None:
        _not_before(f.regulator.accepted_on, f.regulator.filed_on, "regulator.accepted_on", "regulator.filed_on")
    if f.remote_sale is False and f.remote_sale_exception:
        raise InvalidInput("remote_sale 为 false 却给出了 remote_sale_exception", field="remote_sale_exception")
