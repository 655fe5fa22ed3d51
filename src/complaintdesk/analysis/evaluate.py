"""Score ``analyze`` against a gold set: per-field precision / recall / F1 and the disagreements.

Pure: records in, report out (the CLI reads the file and prints). A gold record is
``{"text": ..., "today": "YYYY-MM-DD"?, "expect": {...}}`` where ``expect`` holds any subset of
``emotion`` (or ``emotion.label``), ``customer_types``, ``chronic_complainer`` (bool), ``demands``,
``threats``, ``category`` and ``facts`` (a mapping of fact names, or ``facts.<name>`` keys).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from complaintdesk.analysis.model import MULTI_LABEL_FIELDS, SINGLE_LABEL_FIELDS, Analysis
from complaintdesk.domain.errors import InvalidInput

SINGLE = tuple(SINGLE_LABEL_FIELDS)
MULTI = tuple(MULTI_LABEL_FIELDS)
# Labels of the real corpus that are scored elsewhere (valence: the dissatisfaction AUC on reviews).
IGNORED = frozenset({"valence"})
FACT_KEYS = ("purchase_date", "fault_date", "days_since_purchase", "repair_count", "amounts_yuan", "product_models", "durations_days")


@dataclass(frozen=True, slots=True)
class LabelScore:
    label: str
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "tp": self.tp, "fp": self.fp, "fn": self.fn,
                "precision": round(self.precision, 3), "recall": round(self.recall, 3), "f1": round(self.f1, 3)}


@dataclass(frozen=True, slots=True)
class FieldScore:
    name: str
    kind: str  # single | multi | binary | fact
    n: int
    labels: tuple[LabelScore, ...] = ()
    accuracy: float | None = None

    @property
    def macro_f1(self) -> float:
        scored = [s for s in self.labels if s.tp + s.fp + s.fn]
        return sum(s.f1 for s in scored) / len(scored) if scored else 0.0

    @property
    def micro(self) -> LabelScore:
        return LabelScore("micro", sum(s.tp for s in self.labels), sum(s.fp for s in self.labels),
                          sum(s.fn for s in self.labels))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"field": self.name, "kind": self.kind, "n": self.n}
        if self.labels:
            micro = self.micro
            out.update(macro_f1=round(self.macro_f1, 3), micro_precision=round(micro.precision, 3),
                       micro_recall=round(micro.recall, 3), micro_f1=round(micro.f1, 3),
                       labels=[s.to_dict() for s in self.labels])
        if self.accuracy is not None:
            out["accuracy"] = round(self.accuracy, 3)
        return out


@dataclass(frozen=True, slots=True)
class Disagreement:
    index: int
    field: str
    expected: Any
    got: Any
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "field": self.field, "expected": self.expected, "got": self.got,
                "text": self.text}


@dataclass(frozen=True, slots=True)
class Report:
    n: int
    fields: tuple[FieldScore, ...]
    disagreements: tuple[Disagreement, ...] = field(default=())

    def field(self, name: str) -> FieldScore:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        return {"n": self.n, "fields": [f.to_dict() for f in self.fields],
                "disagreements": [d.to_dict() for d in self.disagreements]}


def _expectations(expect: Mapping[str, Any]) -> dict[str, Any]:
    """Flatten ``emotion.label`` / ``facts.x`` spellings into one mapping."""
    flat: dict[str, Any] = {}
    for key, value in expect.items():
        if key in ("emotion.label", "category.label"):
            flat[key.split(".")[0]] = value
        elif key == "facts" and isinstance(value, Mapping):
            flat.update({f"facts.{k}": v for k, v in value.items()})
        else:
            flat[key] = value
    return flat


def predicted(analysis: Analysis, key: str) -> Any:
    if key == "emotion":
        return analysis.emotion.label
    if key == "category":
        return analysis.category.label
    if key == "customer_types":
        return sorted(analysis.type_names)
    if key == "demands":
        return sorted(analysis.demand_kinds)
    if key == "threats":
        return sorted(analysis.threat_kinds)
    if key == "company_faults":
        return sorted(analysis.fault_kinds)
    if key == "chronic_complainer":
        return analysis.chronic_complainer.likely
    if key.startswith("facts."):
        return analysis.facts.to_dict().get(key[6:])
    raise KeyError(key)


def _same_fact(expected: Any, got: Any) -> bool:
    if isinstance(expected, list) and isinstance(got, list):
        return sorted(map(str, expected)) == sorted(map(str, got)) if expected and isinstance(expected[0], str) \
            else sorted(float(x) for x in expected) == sorted(float(x) for x in got)
    return bool(expected == got)


def evaluate(
    records: Iterable[Mapping[str, Any]], analyze: Callable[[str, date | None], Analysis]
) -> Report:
    counts: dict[str, dict[str, list[int]]] = {}
    correct: dict[str, list[int]] = {}
    disagreements: list[Disagreement] = []
    n = 0
    for index, record in enumerate(records):
        text, expect = record.get("text"), record.get("expect")
        if not isinstance(text, str) or not isinstance(expect, Mapping):
            raise InvalidInput(f"金标第 {index + 1} 行缺少 text 或 expect (gold line needs text and expect)",
                               field=f"line {index + 1}")
        today = _parse_today(record.get("today"), index)
        analysis = analyze(text, today)
        n += 1
        for key, want in _expectations(expect).items():
            if key in IGNORED:
                continue
            _check_labels(key, want, index)
            got = predicted(analysis, key)
            table = counts.setdefault(key, {})
            if key in SINGLE or key in MULTI or key == "chronic_complainer":
                wanted = {str(want)} if key in SINGLE else {"yes"} if key == "chronic_complainer" and want \
                    else set() if key == "chronic_complainer" else set(want)
                found = {str(got)} if key in SINGLE else {"yes"} if key == "chronic_complainer" and got \
                    else set() if key == "chronic_complainer" else set(got)
                for label in wanted | found:
                    tp_fp_fn = table.setdefault(label, [0, 0, 0])
                    tp_fp_fn[0 if label in wanted and label in found else 1 if label in found else 2] += 1
                ok = wanted == found
            else:
                ok = _same_fact(want, got)
            tally = correct.setdefault(key, [0, 0])
            tally[0] += int(ok)
            tally[1] += 1
            if not ok:
                disagreements.append(Disagreement(index, key, want, got, text[:80]))
    fields = []
    order = [*SINGLE, *MULTI, "chronic_complainer", *(f"facts.{k}" for k in FACT_KEYS)]
    for key in order:
        if key not in correct:
            continue
        right, total = correct[key]
        kind = "single" if key in SINGLE else "multi" if key in MULTI else \
            "binary" if key == "chronic_complainer" else "fact"
        labels = tuple(LabelScore(label, *tp_fp_fn) for label, tp_fp_fn in sorted(counts.get(key, {}).items()))
        fields.append(FieldScore(key, kind, total, labels if kind != "fact" else (), right / total if total else None))
    return Report(n, tuple(fields), tuple(disagreements))


_VOCAB = {**SINGLE_LABEL_FIELDS, **MULTI_LABEL_FIELDS}


def _check_labels(key: str, want: Any, index: int) -> None:
    """A gold label outside the vocabulary is a typo in the gold file, not a model error."""
    if key not in _VOCAB and key != "chronic_complainer" and not key.startswith("facts."):
        raise InvalidInput(f"金标第 {index + 1} 行有未知字段 {key!r}", field=key)
    allowed = _VOCAB.get(key)
    if allowed is None:
        return
    values = [want] if key in SINGLE else want
    if not isinstance(values, list) or any(v not in allowed for v in values):
        raise InvalidInput(
            f"金标第 {index + 1} 行 {key} 的值 {want!r} 无效，可选：{', '.join(allowed)}", field=key
        )


def _parse_today(value: object, index: int) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput(f"金标第 {index + 1} 行 today 不是 ISO 日期：{value!r}", field="today") from None


def dissatisfaction_auc(
    records: Iterable[Mapping[str, Any]], analyze: Callable[[str, date | None], Analysis]
) -> tuple[float, int, int]:
    """How well the dissatisfaction score separates negative from positive reviews (``{"text",
    "label": "negative"|"positive"}``): the probability that a random negative scores above a random
    positive (ties count half), with the counts of each."""
    negative: list[float] = []
    positive: list[float] = []
    for index, record in enumerate(records):
        label, text = record.get("label"), record.get("text")
        if label not in ("negative", "positive") or not isinstance(text, str):
            raise InvalidInput(f"第 {index + 1} 行应有 text 和 label (negative/positive)", field=f"line {index + 1}")
        score = analyze(text, None).emotion.dissatisfaction
        (negative if label == "negative" else positive).append(score)
    if not negative or not positive:
        raise InvalidInput("评测 AUC 需要正负两类评论", field="label")
    wins = sum(1.0 if n > q else 0.5 if n == q else 0.0 for n in negative for q in positive)
    return wins / (len(negative) * len(positive)), len(negative), len(positive)
