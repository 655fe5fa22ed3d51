"""Emotion per label on the real tune files and the team-written sets (issue 19 point 3, Session 16).

The same split as ``cues_report.py``:

* ``dev``   — ``corpus_tune_a``–``h`` and ``l``: misses and false readings may be listed (``--misses``, ``--false``);
* ``check`` — ``corpus_tune_i``–``k``: counts only, never listed;
* ``held``  — ``corpus_tune_m``: counts only, and only with ``--held-out`` (read at most twice in a round);

plus the team dev set (``eval/analysis_dev.jsonl``) and the team test set (``eval/analysis_test.jsonl``,
counts only). The engine as shipped (cues blended with the learned layer); ``--cues`` adds the cue scan alone.

    PYTHONPATH=src .venv/bin/python scripts/emotion_report.py [--cues] [--held-out] [--misses LABEL] [--false LABEL]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from complaintdesk.analysis import analyze, learned

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cues_report import _today, record_groups  # one split for every per-label report
from faults_report import score

LABELS = ("anger", "anxiety", "disappointment", "calm")


def read(records: list[dict[str, Any]], cues: bool) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name in ("engine", "cues") if cues else ("engine",):
        if name == "cues":
            learned.disable()
        out[name] = [str(analyze(r["text"], _today(r)).emotion.label) for r in records]
        if name == "cues":
            learned.use(None)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cues", action="store_true", help="also score the cue scan alone")
    parser.add_argument("--held-out", action="store_true", help="also score corpus_tune_m (counts only)")
    parser.add_argument("--misses", help="list dev (a–h, l) complaints whose gold LABEL the engine missed")
    parser.add_argument("--false", help="list dev (a–h, l) complaints the engine wrongly read as LABEL")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()
    groups = record_groups(held_out=args.held_out)
    figures: dict[str, Any] = {}
    for group, records in groups.items():
        readings = read(records, args.cues)
        gold = [str(r["expect"]["emotion"]) for r in records]
        figures[group] = {}
        for reader, got in readings.items():
            s = score((({g}, {h}) for g, h in zip(gold, got, strict=True)), LABELS)
            acc = sum(g == h for g, h in zip(gold, got, strict=True)) / max(1, len(records))
            figures[group][reader] = {"accuracy": round(acc, 3), **s}
            print(f"{group:10} n={len(records):4} {reader:6} accuracy {acc:.3f}")
            for label in LABELS:
                k = s[label]
                print(f"    {label:15} tp {k['tp']:3}  fp {k['fp']:3}  fn {k['fn']:3}  P {k['p']:.3f}  R {k['r']:.3f}")
        if group == "dev" and (args.misses or args.false):
            for r, g, h in zip(records, gold, readings["engine"], strict=True):
                if (args.misses and g == args.misses != h) or (args.false and h == args.false != g):
                    print(f"\n[{r['id']}] gold={g} got={h}\n{r['text']}")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, ensure_ascii=False, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
