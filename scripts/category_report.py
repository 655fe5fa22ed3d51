"""Category accuracy per part of the tune corpus, and why `other` is missed (issue 19, Session 17).

The tune files are split by the evidence rules of the round:

* ``dev``   — ``corpus_tune_h`` and ``l`` (outside the shipped model's training: their misses may be listed with
  ``--misses``) and ``a``–``g`` (in the model's training: read only to see nothing breaks);
* ``check`` — ``corpus_tune_i``–``k``: accuracy and the count of `other` misses only, never an item;
* ``held``  — ``corpus_tune_m``: accuracy only, and only with ``--held-out`` (read once, for a final change).

``corpus_tune_n`` is never read. The team dev set (``eval/analysis_dev.jsonl``) is scored too.

    PYTHONPATH=src .venv/bin/python scripts/category_report.py [--held-out] [--misses] [--cues]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from complaintdesk.analysis import analyze, corpus, learned

PARTS = {"dev a–g": tuple("abcdefg"), "dev h+l": tuple("hl"), "check i–k": tuple("ijk"), "held m": ("m",)}
LISTED = "dev h+l"  # the only part whose items may be printed
ROOT = Path(__file__).resolve().parent.parent
TEAM_DEV = ROOT / "eval" / "analysis_dev.jsonl"


def _letter(record: dict[str, Any]) -> str:
    return str(record["id"]).split("-")[0][-1]


def _today(record: dict[str, Any]) -> date | None:
    value = record.get("today")
    return date.fromisoformat(value) if value else None


def groups(*, held_out: bool) -> dict[str, list[dict[str, Any]]]:
    wanted = {name: files for name, files in PARTS.items() if held_out or name != "held m"}
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in wanted}
    for r in corpus.development_complaints():
        part = next((name for name, files in wanted.items() if _letter(r) in files), None)
        if part is not None:
            out[part].append(r)
    out["team dev"] = [json.loads(line) for line in TEAM_DEV.read_text("utf-8").splitlines() if line.strip()]
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--held-out", action="store_true", help="also read m (aggregate only; once per round)")
    parser.add_argument("--misses", action="store_true", help="list the `other` misses and false `other` of h and l")
    parser.add_argument("--cues", action="store_true", help="the cue scan alone (no learned layer)")
    args = parser.parse_args()
    if args.cues:
        learned.disable()
    for name, records in groups(held_out=args.held_out).items():
        right = other_gold = other_missed = false_other = 0
        missed_as: Counter[str] = Counter()
        for r in records:
            gold = r["expect"].get("category")
            if gold is None:
                continue
            a = analyze(r["text"], _today(r))
            got = a.category.label
            right += got == gold
            if gold == "other":
                other_gold += 1
                if got != "other":
                    other_missed += 1
                    missed_as[got] += 1
            elif got == "other":
                false_other += 1
            if args.misses and name == LISTED and got != gold and "other" in (got, gold):
                scores = " ".join(f"{k}:{v:.1f}" for k, v in a.category.scores)
                how = f"model {a.category.model:.2f}" if a.category.model is not None else "cue"
                cited = "/".join(s.text for s in a.category.evidence)
                print(f"  {r['id']} gold {gold} → {got} ({how}; {cited}) [{scores}] {r['text'][:70]}")
        total = sum(1 for r in records if r["expect"].get("category") is not None)
        line = f"{name:10} n={total:4} category {right / total:.3f}  other missed {other_missed}/{other_gold}"
        if name != "check i–k" and name != "held m":
            line += f"  false other {false_other}  as {dict(missed_as.most_common())}"
        print(line)


if __name__ == "__main__":
    main()
