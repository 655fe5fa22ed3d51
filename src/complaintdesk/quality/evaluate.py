"""Evaluation of the quality engine on real agent language: 禁语 recall on the bank's frozen test part and
on paraphrases of it, false alarms on courteous agent lines, and bad < good ordering of reply pairs,
each per split (tune/test), with recall by family.

The records come from ``eval/quality_courteous.jsonl``, ``eval/quality_real.jsonl``,
``eval/quality_paraphrases.jsonl`` (the frozen test paraphrases) and ``eval/quality_paraphrases_tune.jsonl``
(paraphrases of tune-part entries); the caller reads them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from complaintdesk.quality.bank import SPLITS, Bank, load_bank
from complaintdesk.quality.banned import Matcher, bigrams, canonical_map
from complaintdesk.quality.inspector import inspect
from complaintdesk.quality.model import Violation
from complaintdesk.quality.phrases import check_text
from complaintdesk.quality.rubric import SAID_RULES, Rubric, load_rubric
from complaintdesk.quality.transcript import normalize

FA_TARGET = 0.0  # the calibration keeps false alarms on the courteous tune lines at or below this
MIN_THRESHOLD = 0.3  # below this a clause shares too little with any banned phrase to quote it
COMMON_MIN_LINES = 2  # a bigram one courteous line uses is no evidence of what courteous agents say


@dataclass
class Rate:
    hits: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, ok: bool, label: str) -> None:
        self.total += 1
        self.hits += ok
        if not ok:
            self.misses.append(label)

    @property
    def value(self) -> float | None:
        return self.hits / self.total if self.total else None

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "hits": self.hits, "total": self.total, "misses": self.misses}


@dataclass
class SplitReport:
    split: str
    bank_recall: Rate = field(default_factory=Rate)
    family_recall: dict[str, Rate] = field(default_factory=lambda: defaultdict(Rate))
    paraphrase_recall: Rate = field(default_factory=Rate)
    false_alarms: Rate = field(default_factory=Rate)  # hits = lines flagged
    ordering: Rate = field(default_factory=Rate)
    flaw_recall: dict[str, Rate] = field(default_factory=lambda: defaultdict(Rate))

    def to_dict(self) -> dict[str, Any]:
        return {
            "split": self.split, "bank_recall": self.bank_recall.to_dict(),
            "family_recall": {k: v.to_dict() for k, v in sorted(self.family_recall.items())},
            "paraphrase_recall": self.paraphrase_recall.to_dict(),
            "false_alarms": self.false_alarms.to_dict(), "pair_ordering": self.ordering.to_dict(),
            "flaw_recall": {k: v.to_dict() for k, v in sorted(self.flaw_recall.items())},
        }


def said(text: str, rubric: Rubric, bank: Bank) -> list[Violation]:
    """What an agent line says that it must not: rubric phrases and banned phrases of the bank."""
    return [v for v in check_text(text, rubric, bank) if v.rule in SAID_RULES]


def _families(violations: Iterable[Violation]) -> set[str]:
    return {v.family for v in violations if v.family} | {v.rule for v in violations}


def evaluate(
    courteous: Sequence[Mapping[str, Any]],
    pairs: Sequence[Mapping[str, Any]],
    paraphrases: Sequence[Mapping[str, Any]],
    *,
    rubric: Rubric | None = None,
    bank: Bank | None = None,
) -> dict[str, SplitReport]:
    """All figures, per split. The bank's test part and the paraphrases of it belong to ``test`` only;
    paraphrases of tune-part entries (``"split": "tune"``) are what the patterns are tuned against."""
    rubric = rubric or load_rubric()
    bank = bank or load_bank()
    reports = {s: SplitReport(s) for s in SPLITS}
    for entry in bank.entries:
        found = said(entry.phrase, rubric, bank)
        report = reports[entry.split]
        report.bank_recall.add(bool(found), entry.phrase)
        report.family_recall[entry.family].add(bool(found), entry.phrase)
    for item in paraphrases:  # paraphrases of the test part are test; those written to tune on say "tune"
        reports[item.get("split", "test")].paraphrase_recall.add(bool(said(item["text"], rubric, bank)), item["text"])
    for line in courteous:
        flagged = said(line["text"], rubric, bank)
        reports[line["split"]].false_alarms.add(bool(flagged), line["text"])
    for pair in pairs:
        report = reports[pair["split"]]
        bad = inspect(f"客户: {pair['customer']}\n客服: {pair['bad']}", rubric=rubric, use_analysis=False)
        good = inspect(f"客户: {pair['customer']}\n客服: {pair['good']}", rubric=rubric, use_analysis=False)
        report.ordering.add(bad.score < good.score, f"{pair['id']} {bad.score}≥{good.score} {pair['bad']}")
        got = _families(bad.violations)
        for flaw in pair["flaws"]:
            report.flaw_recall[flaw].add(flaw in got, f"{pair['id']} {pair['bad']}")
    return reports


def _tune_lines(courteous: Sequence[Mapping[str, Any]]) -> list[str]:
    return [normalize(line["text"]) for line in courteous if line["split"] == "tune"]


def common_bigrams(lines: Iterable[str], min_lines: int = COMMON_MIN_LINES) -> dict[str, int]:
    """Bigram → number of ``lines`` (normalised courteous agent lines) whose normal form contains it, for
    the bigrams at least ``min_lines`` lines share: what polite agents say anyway weighs less as evidence."""
    counts: Counter[str] = Counter()
    for norm in lines:
        counts.update(bigrams(canonical_map(norm)[0]))
    return {gram: n for gram, n in sorted(counts.items()) if n >= min_lines}


def calibrate(courteous: Sequence[Mapping[str, Any]], bank: Bank | None = None) -> float:
    """The similarity threshold: the lowest that keeps the fallback's false alarms on the courteous tune
    lines at or below FA_TARGET (never below MIN_THRESHOLD). Cross-fitted: each half of the lines is scored
    with bigram weights learnt from the other half, so the threshold holds for lines the weights never saw."""
    bank = bank or load_bank()
    lines = _tune_lines(courteous)
    scores: list[float] = []
    for held_out, fitted in ((lines[0::2], lines[1::2]), (lines[1::2], lines[0::2])):
        found = Matcher(replace(bank, common_bigrams=common_bigrams(fitted)))
        scores.extend(found.best_score(norm) for norm in held_out)
    scores.sort(reverse=True)
    allowed = int(len(scores) * FA_TARGET)
    worst = scores[allowed] if len(scores) > allowed else 0.0
    return max(MIN_THRESHOLD, round(worst + 0.01, 2))


def calibration(courteous: Sequence[Mapping[str, Any]], bank: Bank | None = None) -> dict[str, Any]:
    """The ``similarity`` settings the courteous tune lines support (to write into banned_phrases.yaml)."""
    return {
        "threshold": calibrate(courteous, bank),
        "common_bigrams": common_bigrams(_tune_lines(courteous)),
    }
