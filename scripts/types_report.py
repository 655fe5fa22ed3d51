"""Customer types per type against the real tune corpus's gold labels (issue 19, session 19).

Two readings of each complaint: ``cues`` (the cue scan alone, the learned layer off) and ``engine`` (as shipped:
the learned layer may only veto a type). Per type: true/false positives, misses, precision, recall, F1, by file
group — the development files ``a``–``h`` and ``l`` and the check files ``i``, ``j``, ``k``, ``m`` (pooled, and each
file's micro figures as counts only). The records come from ``corpus.development_complaints()``: the held-out files
``n`` and ``o`` are never read here.

    PYTHONPATH=src .venv/bin/python scripts/types_report.py [--misses TYPE] [--false TYPE] [--team] [--json out.json]

``--misses`` / ``--false`` list the development files' missed / wrongly read complaints of one type (engine
reading, with the evidence the engine cited); the check files are never listed. ``--team`` adds the team-written
dev and test sets (``eval/analysis_dev.jsonl``, ``eval/analysis_test.jsonl``) as aggregates.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from complaintdesk.analysis import analyze, corpus, learned
from complaintdesk.analysis.model import CUSTOMER_TYPES

sys.path.insert(0, str(Path(__file__).resolve().parent))
from faults_report import score as score_kinds  # one scorer for every per-kind report

DEV = (*"abcdefgh", "l")
CHECK = ("i", "j", "k", "m")
ROOT = Path(__file__).resolve().parent.parent
TEAM = {"team_dev": ROOT / "eval" / "analysis_dev.jsonl", "team_test": ROOT / "eval" / "analysis_test.jsonl"}


def _part(record: dict[str, Any]) -> str:
    return str(record["id"]).split("-")[0][-1]


def score(pairs: Iterable[tuple[set[str], set[str]]]) -> dict[str, dict[str, float]]:
    """Per type and ``micro``: true/false positives, misses, precision, recall and F1."""
    return score_kinds(pairs, CUSTOMER_TYPES)


def readings(texts: list[str]) -> dict[str, list[Any]]:
    learned.disable()
    cues = [set(analyze(t).type_names) for t in texts]
    learned.use(None)
    engine = [analyze(t) for t in texts]
    return {"cues": cues, "engine": engine}


def _gold(record: dict[str, Any]) -> set[str]:
    return set(record["expect"].get("customer_types", []))


def _table(title: str, figures: dict[str, dict[str, float]], rows: Iterable[str] | None = None) -> str:
    lines = [title, f"  {'type':16}{'tp':>5}{'fp':>5}{'fn':>5}{'P':>7}{'R':>7}{'F1':>7}"]
    for kind in rows if rows is not None else figures:
        f = figures[kind]
        lines.append(f"  {kind:16}{f['tp']:>5}{f['fp']:>5}{f['fn']:>5}{f['p']:>7.3f}{f['r']:>7.3f}{f['f1']:>7.3f}")
    return "\n".join(lines)


def report(records: list[dict[str, Any]], team: bool = False) -> tuple[dict[str, Any], dict[str, Any]]:
    read = readings([r["text"] for r in records])
    engine_types = [set(a.type_names) for a in read["engine"]]
    gold = [_gold(r) for r in records]
    out: dict[str, Any] = {}
    for name, files in [("dev", DEV), ("check", CHECK), *((f, (f,)) for f in CHECK)]:
        idx = [i for i, r in enumerate(records) if _part(r) in files]
        out[name] = {"n": len(idx),
                     "cues": score((gold[i], read["cues"][i]) for i in idx),
                     "engine": score((gold[i], engine_types[i]) for i in idx)}  # fmt: skip
    if team:
        for name, path in TEAM.items():
            rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
            learned.use(None)
            got = [set(analyze(r["text"]).type_names) for r in rows]
            out[name] = {"n": len(rows), "engine": score(zip((_gold(r) for r in rows), got, strict=True))}
    return out, {"records": records, "engine": read["engine"], "gold": gold}


def listing(detail: dict[str, Any], kind: str, misses: bool) -> list[str]:
    lines = []
    for record, analysis, gold in zip(detail["records"], detail["engine"], detail["gold"], strict=True):
        if _part(record) not in DEV:
            continue
        got = set(analysis.type_names)
        if (misses and kind in gold and kind not in got) or (not misses and kind in got and kind not in gold):
            cited = [t for t in analysis.customer_types if t.type == kind]
            spans = [record["text"][s.start : s.end] for t in cited for s in t.evidence] if cited else []
            lines.append(f"{record['id']} gold={sorted(gold)} got={sorted(got)} spans={spans}\n  {record['text'][:300]}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", choices=CUSTOMER_TYPES)
    parser.add_argument("--false", dest="false_alarms", choices=CUSTOMER_TYPES)
    parser.add_argument("--team", action="store_true")
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    out, detail = report(corpus.development_complaints(), args.team)
    for name, part in out.items():
        if name in CHECK:
            micro = part["engine"]["micro"]
            print(f"check file {name} (n={part['n']}): engine micro tp {micro['tp']} fp {micro['fp']} fn {micro['fn']} "
                  f"F1 {micro['f1']:.3f}; cues F1 {part['cues']['micro']['f1']:.3f}")  # fmt: skip
            continue
        for reading, figures in part.items():
            if reading != "n":
                print(_table(f"{name} (n={part['n']}) · {reading}", figures))
    for kind, misses in ((args.misses, True), (args.false_alarms, False)):
        if kind:
            print(f"\n{'missed' if misses else 'false'} {kind} (development files):")
            print("\n".join(listing(detail, kind, misses)))
    if args.json:
        Path(args.json).write_text(json.dumps(out, ensure_ascii=False, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
