"""The facts of a case, validated into frozen dataclasses (the FACTS contract, docs/policy.md).

Every field is optional: what is missing becomes a question for the agent, never a guess. What is
present must make sense: a bad date, a negative amount, a repair before the purchase, a date after
``today`` or a field the contract does not know raises ``InvalidInput`` naming the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from complaintdesk.domain.errors import InvalidInput
from complaintdesk.domain.vocab import Demand
from complaintdesk.policy.reader import Reader


class ProductKind(StrEnum):
    TV = "tv"
    MOBILE_PHONE = "mobile_phone"
    COMPUTER = "computer"
    APPLIANCE = "appliance"
    CAR = "car"
    BROADBAND = "broadband"
    MOBILE_SERVICE = "mobile_service"
    PREPAID_SERVICE = "prepaid_service"  # gyms, salons, training: paid in advance, served over time
    FOOD = "food"
    OTHER = "other"


GOODS = frozenset({ProductKind.TV, ProductKind.MOBILE_PHONE, ProductKind.COMPUTER, ProductKind.APPLIANCE,
                   ProductKind.CAR, ProductKind.FOOD, ProductKind.OTHER})
TELECOM = frozenset({ProductKind.BROADBAND, ProductKind.MOBILE_SERVICE})

FAULT_KINDS = ("performance", "appearance", "serious_safety", "none")
# how a reason names each kind to the agent (the facts form shows the same words)
FAULT_WORDS = {"performance": "性能故障", "appearance": "外观问题", "serious_safety": "严重安全问题", "none": "没有故障"}
REMOTE_SALE_EXCEPTIONS = ("custom_made", "perishable", "digital_unsealed", "periodical")
ROLES = ("agent", "team_lead", "manager")
REGULATORS = ("market_regulation", "telecom_appeal")
# car parts named by the 家用汽车 三包 rules (engine ... body) and "other"
CAR_PARTS = ("engine", "gearbox", "traction_battery", "drive_motor", "steering", "brake", "suspension",
             "transmission", "emission_control", "axle", "body", "fuel_system", "other")
# what the business told the customer: no returns at all, repair only, "not a quality problem", no refunds
NOTICES = ("no_returns", "repair_only", "not_quality", "no_refund")
# why a telecom service was suspended: unpaid fees (电信条例 第三十四条) or a fraud-risk flag (反诈法 第十一条)
SUSPENSION_REASONS = ("arrears", "fraud_risk")
# did the customer agree to the service a disputed charge is for: yes, no, or each side says otherwise
CONSENT = ("given", "not_given", "disputed")
DEMANDS = tuple(d.value for d in Demand)


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
    first_seen: date | None = None  # the day the fault appeared
    reported_on: date | None = None  # the day the customer raised it with the business
    main_part: bool | None = None  # the fault is in (cars: needs replacing) a 主要部件
    appeared_day: int | None = None  # "第N日": days after the sale (or installation) it appeared
    reported_day: int | None = None  # days after the sale (or installation) it was raised
    part: str | None = None  # cars: which assembly or system
    in_warranty: bool | None = None  # the source says the fault arose inside the 三包有效期 (or after it)


@dataclass(frozen=True)
class Repair:
    on: date | None = None
    days_in_repair: int | None = None
    fixed: bool | None = None
    same_problem: bool | None = None
    part: str | None = None
    replaced: bool | None = None  # the part (assembly) was replaced, not repaired
    recorded: bool | None = None  # the repairer gave a written record (三包 换退 need it)


@dataclass(frozen=True)
class Billing:
    prepaid: bool | None = None
    monthly_fee: float | None = None
    amount_due: float | None = None
    due_date: date | None = None
    suspended_on: date | None = None
    paid_on: date | None = None
    restored_on: date | None = None
    balance: float | None = None  # account balance when suspended (negative: owed)
    suspended: bool | None = None  # suspended, day unknown
    suspension_reason: str | None = None  # SUSPENSION_REASONS; missing: judged as a suspension for unpaid fees
    reverified: bool | None = None  # fraud-risk suspension: the customer passed the re-verification or appeal check
    reason_notified: bool | None = None  # fraud-risk suspension: told the reason, how to appeal, what to bring
    consent: str | None = None  # CONSENT: for the service a disputed charge is for
    disputed_charges: float | None = None  # yuan charged for that service
    charge_spike: bool | None = None  # charges over 5 times the 3-month average appeared (电信条例 第三十三条)
    spike_notified: bool | None = None  # ... and the operator told the customer promptly


@dataclass(frozen=True)
class Contract:
    extended_warranty_until: date | None = None
    free_repair_until: date | None = None
    free_repair_card: bool | None = None  # holds the company's free-repair card (seed 001)
    no_reason_return_days: int | None = None


@dataclass(frozen=True)
class Prepayment:
    """Money paid in advance for a service delivered over time (消法 第五十三条)."""

    paid: float | None = None
    bonus: float | None = None  # value the business added ("充2000送1000")
    consumed: float | None = None  # card value used so far
    remaining: float | None = None  # unused money as the source computes it
    provided_as_agreed: bool | None = None  # False: closed, moved, stopped, never opened


@dataclass(frozen=True)
class CompanyResponse:
    refused: tuple[str, ...] = ()
    said: str | None = None
    notice: str | None = None


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
    installed_on: date | None = None
    requested_on: date | None = None  # a return asked without a fault
    requested_day: int | None = None  # ... as days after receipt
    invoice: bool | None = None
    remote_sale: bool | None = None
    remote_sale_exception: str | None = None
    fault: Fault = Fault()
    user_damage: bool | None = None
    repairs: tuple[Repair, ...] | None = None  # None: not asked yet; (): none
    waiting_for_parts_days: int | None = None
    billing: Billing = Billing()
    contract: Contract = Contract()
    prepayment: Prepayment | None = None
    company_response: CompanyResponse = CompanyResponse()
    outage_days: float | None = None
    misrepresented: bool | None = None
    food_unsafe: bool | None = None
    price: float | None = None
    complaint_filed_on: date | None = None
    operator_answered_within_days: int | None = None
    dissatisfied_with_answer: bool | None = None
    regulator: RegulatorCase | None = None
    promise: Promise | None = None
    demands: tuple[str, ...] = ()
    offer: Offer | None = None
    role: str | None = None


def _done(r: Reader | None) -> None:
    if r is not None:
        r.finish()


def _product(r: Reader | None) -> Product:
    if r is None:
        return Product()
    kind = r.choice("kind", [k.value for k in ProductKind])
    product = Product(kind=ProductKind(kind) if kind else None, model=r.text("model"),
                      warranty_years=r.integer("warranty_years"), main_parts_years=r.integer("main_parts_years"),
                      mileage_km=r.number("mileage_km"))
    r.finish()
    return product


def _fault(r: Reader | None) -> Fault:
    if r is None:
        return Fault()
    fault = Fault(r.choice("kind", FAULT_KINDS), r.get_date("first_seen"), r.get_date("reported_on"),
                  r.boolean("main_part"), r.integer("appeared_day"), r.integer("reported_day"),
                  r.choice("part", CAR_PARTS), r.boolean("in_warranty"))
    r.finish()
    return fault


def _repairs(value: Any) -> tuple[Repair, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list):
        raise InvalidInput("repairs 必须是列表", field="repairs")
    out = []
    for i, item in enumerate(value):
        r = Reader(item, f"repairs[{i}]")
        out.append(Repair(r.get_date("date"), r.integer("days_in_repair"), r.boolean("fixed"), r.boolean("same_problem"),
                          r.choice("part", CAR_PARTS), r.boolean("replaced"), r.boolean("recorded")))
        r.finish()
    # undated repairs keep their order after the dated ones (the source lists them in order)
    return tuple(sorted(out, key=lambda rep: (rep.on is None, rep.on or date.min)))


def _billing(r: Reader | None) -> Billing:
    if r is None:
        return Billing()
    billing = Billing(r.boolean("prepaid"), r.number("monthly_fee"), r.number("amount_due"), r.get_date("due_date"),
                      r.get_date("suspended_on"), r.get_date("paid_on"), r.get_date("restored_on"),
                      r.number("balance", signed=True), r.boolean("suspended"),
                      r.choice("suspension_reason", SUSPENSION_REASONS), r.boolean("reverified"),
                      r.boolean("reason_notified"), r.choice("consent", CONSENT), r.number("disputed_charges"),
                      r.boolean("charge_spike"), r.boolean("spike_notified"))
    r.finish()
    return billing


def _contract(r: Reader | None) -> Contract:
    if r is None:
        return Contract()
    contract = Contract(r.get_date("extended_warranty_until"), r.get_date("free_repair_until"),
                        r.boolean("free_repair_card"), r.integer("no_reason_return_days"))
    r.finish()
    return contract


def _prepayment(r: Reader | None) -> Prepayment | None:
    if r is None:
        return None
    pre = Prepayment(r.number("paid"), r.number("bonus"), r.number("consumed"), r.number("remaining"),
                     r.boolean("provided_as_agreed"))
    r.finish()
    return pre


def _response(r: Reader | None) -> CompanyResponse:
    if r is None:
        return CompanyResponse()
    response = CompanyResponse(r.choices("refused", DEMANDS), r.text("said"), r.choice("notice", NOTICES))
    r.finish()
    return response


def parse_facts(data: Mapping[str, Any] | Facts, *, today: date | None = None) -> Facts:
    """Validate a JSON-shaped mapping into ``Facts``; raise InvalidInput naming the first bad field."""
    if isinstance(data, Facts):
        facts = data
    else:
        r = Reader(data)
        regulator, promise, offer = r.child("regulator"), r.child("promise"), r.child("offer")
        facts = Facts(
            today=r.get_date("today") or today or date.today(),
            now=r.get_datetime("now"),
            product=_product(r.child("product")),
            purchase_date=r.get_date("purchase_date"),
            received_on=r.get_date("received_on"),
            installed_on=r.get_date("installed_on"),
            requested_on=r.get_date("requested_on"),
            requested_day=r.integer("requested_day"),
            invoice=r.boolean("invoice"),
            remote_sale=r.boolean("remote_sale"),
            remote_sale_exception=r.choice("remote_sale_exception", REMOTE_SALE_EXCEPTIONS),
            fault=_fault(r.child("fault")),
            user_damage=r.boolean("user_damage"),
            repairs=_repairs(r.raw("repairs")),
            waiting_for_parts_days=r.integer("waiting_for_parts_days"),
            billing=_billing(r.child("billing")),
            contract=_contract(r.child("contract")),
            prepayment=_prepayment(r.child("prepayment")),
            company_response=_response(r.child("company_response")),
            outage_days=r.number("outage_days"),
            misrepresented=r.boolean("misrepresented"),
            food_unsafe=r.boolean("food_unsafe"),
            price=r.number("price"),
            complaint_filed_on=r.get_date("complaint_filed_on"),
            operator_answered_within_days=r.integer("operator_answered_within_days"),
            dissatisfied_with_answer=r.boolean("dissatisfied_with_answer"),
            regulator=_regulator(regulator),
            promise=_promise(promise),
            demands=r.choices("demands", DEMANDS),
            offer=_offer(offer),
            role=r.choice("role", ROLES),
        )
        r.finish()
    check_consistency(facts)
    return facts


def _regulator(r: Reader | None) -> RegulatorCase | None:
    if r is None:
        return None
    reg = RegulatorCase(r.choice("body", REGULATORS) or "market_regulation", r.get_date("filed_on"),
                        r.get_date("accepted_on"))
    r.finish()
    return reg


def _offer(r: Reader | None) -> Offer | None:
    if r is None:
        return None
    kind = r.text("kind")
    if kind is None:
        raise InvalidInput("offer.kind 缺失：方案要写明类型（如 compensation、refund、waive_fee）", field="offer.kind")
    offer = Offer(kind, r.number("amount") or 0.0)
    r.finish()
    return offer


def parse_offer(data: Mapping[str, Any]) -> Offer:
    """An offer ``{"kind", "amount"}`` on its own (the API checks an agent's offer before it is made)."""
    offer = _offer(Reader(data, "offer"))
    assert offer is not None  # a reader over a mapping always yields an offer or raises
    return offer


def _promise(r: Reader | None) -> Promise | None:
    if r is None:
        return None
    started = r.get_datetime("started_at")
    if started is None:
        raise InvalidInput("promise.started_at 缺失：承诺从何时开始计时？", field="promise.started_at")
    promise = Promise(r.text("kind") or "recharge_gift", started, r.boolean("fulfilled"))
    r.finish()
    return promise


def _dated_fields(f: Facts) -> list[tuple[str, date | None]]:
    return [
        ("purchase_date", f.purchase_date), ("received_on", f.received_on), ("installed_on", f.installed_on),
        ("requested_on", f.requested_on),
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
            f"{later_name}（{later}）早于 {earlier_name}（{earlier}），事实自相矛盾，请核实", field=later_name
        )


def check_consistency(f: Facts) -> None:
    """Contradictions are refused, not judged: a verdict on impossible facts would be silently wrong."""
    dated = _dated_fields(f)
    for name, value in dated:
        if value is not None and value > f.today:
            raise InvalidInput(f"{name}（{value}）晚于今天（{f.today}）：不能是将来的日期", field=name)
    if f.promise is not None and f.now is not None and f.promise.started_at > f.now:
        raise InvalidInput("promise.started_at 晚于 now：不能是将来的时间", field="promise.started_at")
    after_sale = {"received_on", "installed_on", "requested_on", "fault.first_seen", "fault.reported_on"}
    for name, value in dated:
        if name in after_sale or name.startswith("repairs"):
            _not_before(value, f.purchase_date, name, "purchase_date")
    _not_before(f.requested_on, f.received_on, "requested_on", "received_on")
    _not_before(f.fault.reported_on, f.fault.first_seen, "fault.reported_on", "fault.first_seen")
    if None not in (f.fault.appeared_day, f.fault.reported_day) and f.fault.reported_day < f.fault.appeared_day:  # type: ignore[operator]
        raise InvalidInput("fault.reported_day 早于 fault.appeared_day，事实自相矛盾，请核实", field="fault.reported_day")
    _not_before(f.billing.restored_on, f.billing.suspended_on, "billing.restored_on", "billing.suspended_on")
    if f.regulator is not None:
        _not_before(f.regulator.accepted_on, f.regulator.filed_on, "regulator.accepted_on", "regulator.filed_on")
    if f.remote_sale is False and f.remote_sale_exception:
        raise InvalidInput("remote_sale 为 false 却给出了 remote_sale_exception", field="remote_sale_exception")
    pre = f.prepayment
    if pre is not None and pre.paid is not None and pre.remaining is not None and pre.remaining > pre.paid:
        raise InvalidInput("prepayment.remaining 大于 prepayment.paid，事实自相矛盾", field="prepayment.remaining")
