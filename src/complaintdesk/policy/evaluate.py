"""Agreement of the engine with real published cases (eval/policy_real.jsonl): verdicts, violations, amounts.

Pure: cases in, a report out. A case gives its facts, the split it belongs to, and what the engine
should answer: a verdict per demand (optionally with a question it must ask), the codes of the
company's violations (the whole set), and remedy amounts by kind (within half a yuan).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from complaintdesk.domain.errors import ComplaintDeskError, InvalidInput
from complaintdesk.policy.result import PolicyResult

AMOUNT_TOLERANCE = 0.5  # courts round to the yuan; the engine keeps the fen


@dataclass(frozen=True)
class Miss:
    case_id: str
    split: str
    what: str  # "verdict:refund", "violations", "remedy:refund", "facts"
    expected: str
    given: str
    reason: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"case": self.case_id, "split": self.split, "what": self.what, "expected": self.expected,
                "given": self.given, "reason": self.reason}


@dataclass
class Tally:
    cases: int = 0
    cases_right: int = 0
    verdicts: int = 0
    verdicts_right: int = 0
    violations: int = 0
    violations_right: int = 0
    amounts: int = 0
    amounts_right: int = 0

    @property
    def checks(self) -> int:
        return self.verdicts + self.violations + self.amounts

    @property
    def agreement(self) -> float:
        right = self.verdicts_right + self.violations_right + self.amounts_right
        return right / self.checks if self.checks else 0.0

    def to_dict(self) -> dict[str, Any]:
        def rate(right: int, total: int) -> float | None:
            return round(right / total, 4) if total else None
        return {"cases": self.cases, "cases_right": self.cases_right, "agreement": round(self.agreement, 4),
                "verdicts": [self.verdicts_right, self.verdicts], "verdict_rate": rate(self.verdicts_right, self.verdicts),
                "violations": [self.violations_right, self.violations],
                "violation_rate": rate(self.violations_right, self.violations),
                "amounts": [self.amounts_right, self.amounts], "amount_rate": rate(self.amounts_right, self.amounts)}


@dataclass
class Report:
    splits: dict[str, Tally] = field(default_factory=dict)
    misses: list[Miss] = field(default_factory=list)

    def to_dict(self, splits: Iterable[str] | None = None) -> dict[str, Any]:
        wanted = set(splits) if splits is not None else set(self.splits)
        return {"splits": {k: v.to_dict() for k, v in sorted(self.splits.items()) if k in wanted},
                "misses": [m.to_dict() for m in self.misses if m.split in wanted]}


def load_cases(text: str, source: str = "cases") -> list[dict[str, Any]]:
    """JSON Lines of cases; a malformed line is refused naming its number."""
    cases: list[dict[str, Any]] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            case = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"{source} 第 {number} 行不是有效的 JSON：{exc.msg}", field=f"line {number}") from None
        for key in ("id", "split", "facts", "expect"):
            if key not in case:
                raise InvalidInput(f"{source} 第 {number} 行缺少 {key}", field=f"line {number}.{key}")
        cases.append(case)
    return cases


def _judge(case: Mapping[str, Any], result: PolicyResult, tally: Tally, misses: list[Miss]) -> bool:
    cid, split, expect = str(case["id"]), str(case["split"]), case["expect"]
    right = True
    questions: Mapping[str, str] = expect.get("questions", {})
    for demand, verdict in expect.get("demands", {}).items():
        tally.verdicts += 1
        got = result.verdict_for(demand)
        given = got.verdict.value if got else "—"
        asked = questions.get(demand)
        ok = got is not None and given == verdict and (asked is None or any(asked in q for q in got.missing_facts))
        if ok:
            tally.verdicts_right += 1
        else:
            right = False
            wanted = verdict + (f"（问：{asked}）" if asked else "")
            asked_now = "；".join(got.missing_facts) if got else ""
            misses.append(Miss(cid, split, f"verdict:{demand}", wanted, given + (f"（问：{asked_now}）" if asked_now else ""),
                               got.reason if got else "诉求没有结论"))
    tally.violations += 1
    want = sorted(set(expect.get("violations", [])))
    have = sorted({v.code for v in result.company_violations})
    if want == have:
        tally.violations_right += 1
    else:
        right = False
        misses.append(Miss(cid, split, "violations", ",".join(want) or "无", ",".join(have) or "无",
                           "；".join(v.finding for v in result.company_violations)))
    for kind, amount in expect.get("remedies", {}).items():
        tally.amounts += 1
        found = [r for r in result.remedies if r.kind == kind and r.amount_yuan is not None]
        if any(abs(float(r.amount_yuan or 0) - float(amount)) <= AMOUNT_TOLERANCE for r in found):
            tally.amounts_right += 1
        else:
            right = False
            given = ",".join(f"{r.amount_yuan:g}" for r in found) or "无金额"
            misses.append(Miss(cid, split, f"remedy:{kind}", f"{amount:g}", given,
                               "；".join(r.computation for r in result.remedies if r.kind == kind)))
    return right


def evaluate(cases: Iterable[Mapping[str, Any]], check: Callable[[Mapping[str, Any]], PolicyResult]) -> Report:
    """Run ``check`` on every case's facts and tally agreement per split; refused facts count as misses."""
    report = Report()
    for case in cases:
        split = str(case["split"])
        tally = report.splits.setdefault(split, Tally())
        tally.cases += 1
        try:
            result = check(case["facts"])
        except ComplaintDeskError as exc:
            n = len(case["expect"].get("demands", {})) + 1 + len(case["expect"].get("remedies", {}))
            tally.verdicts += n
            report.misses.append(Miss(str(case["id"]), split, "facts", "可判断", "事实被拒绝", str(exc)))
            continue
        if _judge(case, result, tally, report.misses):
            tally.cases_right += 1
    return report
