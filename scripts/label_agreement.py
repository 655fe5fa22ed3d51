"""How far two labellers of the same complaints agree, field by field (issue 19, session 17).

Two label files with the same ids (``{"id", "expect": {...}}``; a tune corpus file or a second labelling such as
``eval/analysis_agreement/l_second.jsonl``) are compared on the six fields the analysis engine reads:

* ``emotion`` and ``category`` (one label each): accuracy and Cohen's kappa (agreement beyond what the two
  labellers' own label frequencies would give by chance);
* ``customer_types``, ``demands``, ``threats``, ``company_faults`` (0..n each): micro-F1 between the two, and per
  label how many complaints only A, only B or both gave it. F1 is symmetric, so neither file is "the truth".

With ``--engine`` the shipped engine reads every text (from ``--texts``, else from whichever file carries ``text``) and is scored
against A and against B the same way, so an engine figure can be set beside the labellers' own agreement: a field
whose engine score is close to the labellers' agreement is limited by the labels, not by the engine.

    PYTHONPATH=src .venv/bin/python scripts/label_agreement.py A.jsonl B.jsonl [--engine [--texts corpus.jsonl]] [--labels] [--json out.json]

e.g. the two labellings of tune file ``l`` (neither carries the texts, so the engine reads them from the corpus file):

    scripts/label_agreement.py eval/analysis_agreement/l_first.jsonl eval/analysis_agreement/l_second.jsonl \
        --engine --texts src/complaintdesk/analysis/data/corpus_tune_l.jsonl --labels
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SINGLE = ("emotion", "category")
MULTI = ("customer_types", "demands", "threats", "company_faults")


@dataclass(frozen=True, slots=True)
class SingleAgreement:
    n: int
    same: int
    kappa: float

    @property
    def accuracy(self) -> float:
        return self.same / self.n if self.n else 0.0


@dataclass(frozen=True, slots=True)
class LabelCounts:
    label: str
    both: int
    a_only: int
    b_only: int


@dataclass(frozen=True, slots=True)
class MultiAgreement:
    labels: tuple[LabelCounts, ...]

    @property
    def both(self) -> int:
        return sum(c.both for c in self.labels)

    @property
    def a_only(self) -> int:
        return sum(c.a_only for c in self.labels)

    @property
    def b_only(self) -> int:
        return sum(c.b_only for c in self.labels)

    @property
    def micro_f1(self) -> float:
        # 2·both / (|A| + |B|): the Dice overlap of the two label sets, the same number whichever side is gold;
        # two labellers who both give nothing anywhere agree fully
        given = 2 * self.both + self.a_only + self.b_only
        return 2 * self.both / given if given else 1.0


def cohen_kappa(pairs: Sequence[tuple[str, str]]) -> float:
    """Cohen's kappa of two raters over the same items: (observed − chance) / (1 − chance)."""
    n = len(pairs)
    if not n:
        return 0.0
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    chance = sum(first[label] * second[label] for label in first) / (n * n)
    # both raters used one and the same label throughout: agreement is perfect but chance explains all of it
    return 1.0 if chance == 1.0 else (observed - chance) / (1 - chance)


def single_agreement(pairs: Sequence[tuple[str, str]]) -> SingleAgreement:
    return SingleAgreement(len(pairs), sum(a == b for a, b in pairs), cohen_kappa(pairs))


def multi_agreement(pairs: Iterable[tuple[Iterable[str], Iterable[str]]]) -> MultiAgreement:
    counts: dict[str, list[int]] = {}
    for a_labels, b_labels in pairs:
        a, b = set(a_labels), set(b_labels)
        for label in a | b:
            row = counts.setdefault(label, [0, 0, 0])
            row[0 if label in a and label in b else 1 if label in a else 2] += 1
    return MultiAgreement(tuple(LabelCounts(label, *row) for label, row in sorted(counts.items())))


def compare(a: Mapping[str, Mapping[str, Any]], b: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """Every field's agreement between two ``{id: expect}`` mappings over the ids they share."""
    ids = sorted(set(a) & set(b))
    out: dict[str, Any] = {"n": len(ids)}
    for key in SINGLE:
        out[key] = single_agreement([(str(a[i][key]), str(b[i][key])) for i in ids])
    for key in MULTI:
        out[key] = multi_agreement([(a[i].get(key, []), b[i].get(key, [])) for i in ids])
    return out


def load(path: Path) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """``{id: expect}`` and ``{id: text}`` (texts only where the file carries them)."""
    labels: dict[str, dict[str, Any]] = {}
    texts: dict[str, str] = {}
    for line in path.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        labels[str(record["id"])] = dict(record["expect"])
        if isinstance(record.get("text"), str):
            texts[str(record["id"])] = record["text"]
    return labels, texts


def engine_labels(texts: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    from complaintdesk.analysis import analyze
    from complaintdesk.analysis.evaluate import predicted

    readings: dict[str, dict[str, Any]] = {}
    for ident, text in texts.items():
        analysis = analyze(text)
        readings[ident] = {key: predicted(analysis, key) for key in (*SINGLE, *MULTI)}
    return readings


def to_dict(result: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"n": result["n"]}
    for key in SINGLE:
        s: SingleAgreement = result[key]
        out[key] = {"accuracy": round(s.accuracy, 3), "kappa": round(s.kappa, 3), "same": s.same}
    for key in MULTI:
        m: MultiAgreement = result[key]
        out[key] = {"micro_f1": round(m.micro_f1, 3), "both": m.both, "a_only": m.a_only, "b_only": m.b_only,
                    "labels": {c.label: [c.both, c.a_only, c.b_only] for c in m.labels}}
    return out


def render(title: str, result: Mapping[str, Any], *, per_label: bool) -> str:
    lines = [f"== {title} (n = {result['n']})"]
    for key in SINGLE:
        s: SingleAgreement = result[key]
        lines.append(f"{key:15} accuracy {s.accuracy:.3f} ({s.same}/{s.n})  kappa {s.kappa:.3f}")
    for key in MULTI:
        m: MultiAgreement = result[key]
        lines.append(f"{key:15} micro-F1 {m.micro_f1:.3f}  both {m.both}  A only {m.a_only}  B only {m.b_only}")
        if per_label:
            lines.extend(f"    {c.label:22} both {c.both:3}  A only {c.a_only:3}  B only {c.b_only:3}" for c in m.labels)
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("a", type=Path, help="labeller A's file")
    parser.add_argument("b", type=Path, help="labeller B's file (the same ids)")
    parser.add_argument("--engine", action="store_true", help="also score the shipped engine against A and B")
    parser.add_argument("--texts", type=Path, help="a file with the same ids carrying ``text`` (for --engine)")
    parser.add_argument("--labels", action="store_true", help="per-label counts (A only / B only / both)")
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    args = parser.parse_args(argv)
    a, a_texts = load(args.a)
    b, b_texts = load(args.b)
    if set(a) != set(b):
        print(f"ids differ: {len(set(a) - set(b))} only in A, {len(set(b) - set(a))} only in B", file=sys.stderr)
        return 2
    results = {"A vs B": compare(a, b)}
    if args.engine:
        texts = {**b_texts, **a_texts, **(load(args.texts)[1] if args.texts else {})}
        if set(a) - set(texts):
            # an engine scored on fewer items than the labellers would not be comparable with their agreement
            print(f"--engine: no text for {len(set(a) - set(texts))} ids (give --texts)", file=sys.stderr)
            return 2
        engine = engine_labels({ident: texts[ident] for ident in a})
        results["engine vs A"] = compare(a, engine)
        results["engine vs B"] = compare(b, engine)
    print("\n\n".join(render(title, result, per_label=args.labels) for title, result in results.items()))
    if args.json:
        args.json.write_text(json.dumps({t: to_dict(r) for t, r in results.items()}, ensure_ascii=False, indent=1) + "\n",
                             "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
