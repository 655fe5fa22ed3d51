"""Cars: 《家用汽车产品修理、更换、退货责任规定》, the 2012 rules (in force 2013-10-01) and the 2021 rules
(in force 2022-01-01), chosen by the sale (invoice or delivery) date.

Each version is one ``car_sanbao`` rule whose params carry its numbers. When the sale date is unknown
both versions are judged: where they agree the answer stands, where they differ the sale date is asked.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from complaintdesk.policy import dates
from complaintdesk.policy.context import (
    Q_CAR_PART,
    Q_CAR_SALE,
    Q_FAULT,
    Q_MILEAGE,
    Q_RECORDS,
    Q_REPAIR_DAYS,
    Q_STILL_FAILING,
    Context,
)
from complaintdesk.policy.facts import Repair
from complaintdesk.policy.packs import PackRule
from complaintdesk.policy.result import VERDICT_WORDS, Remedy, RuleRef, Verdict
from complaintdesk.policy.settle import settle

E, N, U = Verdict.ENTITLED, Verdict.NOT_ENTITLED, Verdict.UNKNOWN
CAR_DEMANDS = ("exchange", "refund", "repair")
_PART_ZH = {"engine": "发动机", "gearbox": "变速器", "traction_battery": "动力蓄电池", "drive_motor": "行驶驱动电机",
            "steering": "转向系统", "brake": "制动系统", "suspension": "悬架系统", "transmission": "传动系统",
            "emission_control": "污染控制装置", "axle": "前/后桥", "body": "车身", "fuel_system": "燃油系统",
            "other": "其他部件"}


def _version(ctx: Context, rules: list[PackRule]) -> list[PackRule]:
    """The version in force on the sale date; every version when the date is unknown."""
    sale = ctx.facts.purchase_date
    dated = sorted((r for r in rules if r.date is not None), key=lambda r: r.date or date.min)
    if sale is None:
        return dated
    in_force = [r for r in dated if r.date is not None and r.date <= sale]
    return in_force[-1:]


def _day(ctx: Context, on: date | None, n: int | None) -> int | None:
    sale = ctx.facts.purchase_date
    if n is not None:
        return n
    if on is not None and sale is not None:
        return (on - sale).days
    return None


class _Judge:
    """One version's word on one car: findings go to ``ctx`` as for any rule."""

    def __init__(self, ctx: Context, rule: PackRule) -> None:
        self.ctx, self.rule, self.p = ctx, rule, rule.params
        self.refs: tuple[RuleRef, ...] = (rule.ref,)
        self.f = ctx.facts

    def add(self, demands: tuple[str, ...], verdict: Verdict, reason: str, missing: tuple[str, ...] = (),
            *, free: bool = False) -> None:
        for demand in demands:
            self.ctx.add(demand, verdict, f"{self.rule.source}：{reason}", self.refs, missing)
        if verdict is E and "refund" in demands and all(r.kind != "refund" for r in self.ctx.remedies):
            remedy = car_refund(self.ctx, self.p, free)
            if remedy is not None:
                self.ctx.remedies.append(Remedy(remedy.kind, remedy.amount_yuan, remedy.computation, self.refs))

    def early(self) -> None:
        """Right after the sale: an assembly that must be replaced (7 days), a serious failure (60 days / 3000 km)."""
        f, p = self.f, self.p
        appeared = _day(self.ctx, f.fault.first_seen, f.fault.appeared_day)
        if appeared is None:  # raised on day N: it had appeared by then
            appeared = _day(self.ctx, f.fault.reported_on, f.fault.reported_day)
        km = f.product.mileage_km
        both = ("exchange", "refund")
        if int(p["early_days"]) > 0:
            if appeared is None:
                self.add(both, U, f"{p['early_days']}日内需要更换总成的可换车退车，要知道故障哪天出现", (Q_FAULT,))
            elif appeared <= int(p["early_days"]):
                part = f.fault.part
                needs = f.fault.main_part is True or any(r.replaced for r in f.repairs or ())
                if f.fault.main_part is False:
                    pass  # no assembly to replace: the 7-day right does not arise
                elif part is not None and part in p["early_parts"] and needs:
                    self.add(both, E, f"售出后第 {appeared} 日因质量问题需要更换{_PART_ZH[part]}或其主要零部件，可免费换车或退车",
                             free=True)
                elif part is None or (part in p["early_parts"] and f.fault.main_part is None):
                    self.add(both, U, f"售出后第 {appeared} 日出现故障：是否需要更换{'、'.join(_PART_ZH[x] for x in p['early_parts'])}"
                             "或其主要零部件决定能否换退车", (Q_CAR_PART,))
        serious_in = appeared is not None and appeared <= int(p["serious_days"]) and (km is None or km <= float(p["serious_km"]))
        if f.fault.kind == "serious_safety" and serious_in:
            if km is None:
                self.add(both, U, f"{p['serious_days']}日或{p['serious_km']:g}公里内的严重安全故障可换退车，要知道里程", (Q_MILEAGE,))
            else:
                self.add(both, E, f"售出后第 {appeared} 日、{km:g} 公里内出现严重安全性能故障（转向、制动失效等），可免费换车或退车",
                         free=True)

    def _failing(self, repairs: list[Repair]) -> bool | None:
        last = repairs[-1]
        return True if last.fixed is False else (None if last.fixed is None else False)

    def period(self) -> None:
        """Inside the 三包有效期: repeated serious repairs, replaced assemblies, repair days, repair count."""
        f, p = self.f, self.p
        both = ("exchange", "refund")
        km = f.product.mileage_km
        if km is not None and km > float(p["period_km"]):
            self.add(both, N, f"行驶里程 {km:g} 公里已超过三包有效期的 {p['period_km']:g} 公里")
            return
        if f.fault.in_warranty is False:
            self.add(both, N, "故障和修理都在三包有效期之后")
            return
        repairs = list(f.repairs or ())
        if f.repairs is None:
            self.add(both, U, "三包期内修过几次、每次多少天决定能否换退车", (Q_REPAIR_DAYS,))
            return
        if f.purchase_date is None and f.fault.in_warranty is not True and repairs:
            self.add(both, U, f"要知道这些修理是否都在三包有效期（{p['period_years']}年/{p['period_km']:g}公里）内", (Q_CAR_SALE,))
            return
        if f.purchase_date is not None:
            end = dates.add_years(f.purchase_date, int(p["period_years"]))  # 29 Feb ends on 28 Feb
            repairs = [r for r in repairs if r.on is None or r.on <= end]
        unrecorded = any(r.recorded is False for r in repairs)
        granted: set[str] = set()
        serious = [r for r in repairs if f.fault.kind == "serious_safety" and r.same_problem is not False]
        if len(serious) >= int(p["serious_repairs"]) and self._failing(serious):
            self.add(both, E, f"严重安全性能故障已修理 {len(serious)} 次仍未排除，可换车或退车")
            granted |= set(both)
        for part in set(r.part for r in repairs if r.replaced and r.part):
            swaps = [r for r in repairs if r.replaced and r.part == part]
            if part in p["system_parts"] and len(swaps) >= int(p["replacements"]) and self._failing(swaps):
                self.add(both, E, f"{_PART_ZH[part]}（或其同一主要零部件）已因质量问题更换 {len(swaps)} 次仍不能正常使用，可换车或退车")
                granted |= set(both)
        same = [r for r in repairs if r.same_problem is True]
        count_remedies: tuple[str, ...] = p["count_remedies"]
        limit_count, limit_days = int(p["same_problem_repairs"]), int(p["repair_days"])
        if len(same) > limit_count:
            self.add(count_remedies, E, f"同一质量问题已累计修理 {len(same)} 次，超过 {limit_count} 次，可{'换车' if count_remedies == ('exchange',) else '换车或退车'}",
                     (Q_RECORDS,) if unrecorded else ())
            granted |= set(count_remedies)
        days = [r.days_in_repair for r in repairs]
        total = sum(d for d in days if d is not None)
        if total > limit_days:
            self.add(count_remedies, E, f"因质量问题累计修理 {total} 日，超过 {limit_days} 日，可{'换车' if count_remedies == ('exchange',) else '换车或退车'}")
            granted |= set(count_remedies)
        rest = tuple(d for d in both if d not in granted)
        if not rest:
            return
        if repairs and None in days and total <= limit_days:
            self.add(rest, U, f"同一问题修理 {len(same)} 次（超过 {limit_count} 次才可换退）；累计修理天数超过 {limit_days} 日也可以，天数不全",
                     (Q_REPAIR_DAYS,))
        elif repairs and self._failing(repairs) is None and len(same) >= 2:
            self.add(rest, U, "要确认最近一次修理后是否仍有故障", (Q_STILL_FAILING,))
        else:
            self.add(rest, N, f"三包有效期内修理 {len(repairs)} 次、累计 {total} 日，"
                     f"未达到换退车条件（同一问题超过 {limit_count} 次或累计超过 {limit_days} 日等）")

    def repair(self) -> None:
        km = self.f.product.mileage_km
        if km is not None and km > float(self.p["repair_km"]):
            self.add(("repair",), N, f"行驶里程已超过包修期的 {self.p['repair_km']:g} 公里")
        elif self.f.user_damage:
            self.add(("repair",), N, "使用不当造成的损坏不在包修范围")
        else:
            self.add(("repair",), E, f"包修期（{self.p['repair_years']}年或{self.p['repair_km']:g}公里）内的质量问题由修理者免费修理")


def _judge(ctx: Context, rule: PackRule) -> None:
    judge = _Judge(ctx, rule)
    judge.early()
    judge.period()
    judge.repair()


def evaluate_car(ctx: Context) -> None:
    rules = ctx.rules("car_sanbao")
    if not rules:
        return
    versions = _version(ctx, rules)
    if not versions:
        first = min(r.date for r in rules if r.date is not None)
        for demand in CAR_DEMANDS:
            ctx.add(demand, N, f"购车日期早于汽车三包规定施行日（{first}），不适用该规定；可依消法第二十四条主张", ())
        return
    if len(versions) == 1:
        _judge(ctx, versions[0])
        return
    # sale date unknown: judge under each version; keep the answer only where they agree
    results: dict[str, list[Any]] = {}
    scratch: list[Context] = []
    for rule in versions:
        sub = Context(ctx.facts, ctx.calendar, ctx.packs)
        _judge(sub, rule)
        scratch.append(sub)
        for demand in CAR_DEMANDS:
            results.setdefault(demand, []).append(settle(demand, [x for x in sub.findings if x.demand == demand]))
    for demand, verdicts in results.items():
        kinds = {v.verdict for v in verdicts}
        if len(kinds) == 1:
            for sub in scratch[-1:]:
                ctx.findings.extend(x for x in sub.findings if x.demand == demand)
                if demand == "refund":
                    ctx.remedies.extend(r for r in sub.remedies if r.kind == "refund")
        else:
            reasons = "；".join(f"{r.source}：{VERDICT_WORDS[v.verdict]}" for r, v in zip(versions, verdicts, strict=True))
            ctx.add(demand, U, f"两版汽车三包规定结论不同（{reasons}），取决于购车日期", tuple(r.ref for r in versions), (Q_CAR_SALE,))


def car_refund(ctx: Context, rule_params: Mapping[str, Any] | None, free: bool) -> Remedy | None:
    """A car refund: the price, less the rules' use compensation (price × km / 1000 × n) unless it is free."""
    f = ctx.facts
    if f.price is None:
        return None
    if free or rule_params is None:
        return Remedy("refund", f.price, f"免费退车：退还车价款 {f.price:g} 元")
    n_max = float(rule_params["compensation_n_max"])
    if f.product.mileage_km is None:
        return Remedy("refund", None, f"车价款 {f.price:g} 元 − 合理使用补偿（车价款 × 行驶里程 ÷ 1000 × n,n ≤ {n_max:.1%}）；缺里程")
    comp = round(f.price * f.product.mileage_km / 1000 * n_max, 2)
    amount = round(f.price - comp, 2)
    return Remedy("refund", amount, f"至少退 {f.price:g} − {f.price:g} × {f.product.mileage_km:g} ÷ 1000 × {n_max:.1%} = {amount:g} 元"
                  f"（使用补偿系数 n 以三包凭证为准，最高 {n_max:.1%}）")
