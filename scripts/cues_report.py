"""Demands and threats per kind on the real tune files and the team-written sets (issue 19, Session 16).

The tune files are split by the evidence rules of the round:

* ``dev``   — ``corpus_tune_a``–``h`` and ``l`` (read item by item in session 17's agreement study):
  misses and false alarms may be listed (``--misses``, ``--false``);
* ``check`` — ``corpus_tune_i``–``k``: counts only, never listed;
* ``held``  — ``corpus_tune_m`` (session 17): counts only, and only with ``--held-out`` (read at most twice in a round);
* ``--per-file`` (Session 18) — the check part file by file, ``m`` among them (``check_i`` … ``check_m``): a rule is
  kept when the check files move up together, so each file's figure is read, never its items;

plus the team dev set (``eval/analysis_dev.jsonl``) and the team test set (``eval/analysis_test.jsonl``,
counts only). Every reading is the engine as shipped (cues blended with the shipped learned layer);
``--cues`` adds the cue scan alone.

    PYTHONPATH=src .venv/bin/python scripts/cues_report.py [--cues] [--held-out] [--per-file] [--labels]
        [--misses KIND] [--false KIND] [--field demands|threats]
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from complaintdesk.analysis import analyze, corpus, learned
from complaintdesk.analysis.model import DEMAND_KINDS, THREAT_KINDS

sys.path.insert(0, str(Path(__file__).resolve().parent))
from faults_report import score  # one scorer for every per-kind report

FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "demands": ("demand_kinds", DEMAND_KINDS),
    "threats": ("threat_kinds", THREAT_KINDS),
}
PARTS = {"dev": tuple("abcdefghl"), "check": tuple("ijk"), "held": ("m",)}
ROOT = Path(__file__).resolve().parent.parent
TEAM = {"team_dev": ROOT / "eval" / "analysis_dev.jsonl", "team_test": ROOT / "eval" / "analysis_test.jsonl"}


def _part(record: dict[str, Any]) -> str:
    letter = str(record["id"]).split("-")[0][-1]
    return next((name for name, files in PARTS.items() if letter in files), "")


def _today(record: dict[str, Any]) -> date | None:
    value = record.get("today")
    return date.fromisoformat(value) if value else None


def read(records: list[dict[str, Any]], cues: bool) -> dict[str, list[dict[str, set[str]]]]:
    out: dict[str, list[dict[str, set[str]]]] = {}
    readers = [("engine", None)] + ([("cues", "off")] if cues else [])
    for name, mode in readers:
        if mode == "off":
            learned.disable()
        rows = []
        for r in records:
            a = analyze(r["text"], _today(r))
            rows.append({f: set(getattr(a, attr)) for f, (attr, _) in FIELDS.items()})
        out[name] = rows
        if mode == "off":
            learned.use(None)
    return out


CHECK_FILES = ("i", "j", "k", "m")  # Session 18: the check part, read file by file


def record_groups(*, held_out: bool, per_file: bool = False) -> dict[str, list[dict[str, Any]]]:
    """The round's parts of the tune corpus (``held`` only when asked; with ``per_file`` the check part is one
    group per file of ``CHECK_FILES``), then the two team-written sets."""
    groups: dict[str, list[dict[str, Any]]] = {"dev": []}
    groups.update({f"check_{c}": [] for c in CHECK_FILES} if per_file else {"check": []})
    if held_out and not per_file:
        groups["held"] = []
    for r in corpus.development_complaints():
        part = _part(r)
        letter = str(r["id"]).split("-")[0][-1]
        if per_file and letter in CHECK_FILES:
            part = f"check_{letter}"
        if part in groups:
            groups[part].append(r)
    for name, path in TEAM.items():
        groups[name] = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    return groups


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cues", action="store_true", help="also score the cue scan alone")
    parser.add_argument("--held-out", action="store_true", help="also score corpus_tune_m (counts only)")
    parser.add_argument("--per-file", action="store_true", help="the check part file by file (i, j, k, m; counts only)")
    parser.add_argument("--labels", action="store_true", help="per-kind counts, not only micro")
    parser.add_argument("--field", default="demands", choices=tuple(FIELDS))
    parser.add_argument("--misses", help="list dev (a–h, l) complaints whose gold KIND the engine missed")
    parser.add_argument("--false", help="list dev (a–h, l) complaints the engine wrongly read as KIND")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()
    groups = record_groups(held_out=args.held_out, per_file=args.per_file)
    figures: dict[str, Any] = {}
    for group, records in groups.items():
        readings = read(records, args.cues)
        figures[group] = {}
        for reader, rows in readings.items():
            for field, (_, kinds) in FIELDS.items():
                gold = [set(r["expect"].get(field, [])) for r in records]
                s = score(((g, got[field] & set(kinds)) for g, got in zip(gold, rows, strict=True)), kinds)
                figures[group][f"{reader}.{field}"] = s
                m = s["micro"]
                print(f"{group:10} n={len(records):4} {reader:6} {field:8} F1 {m['f1']:.3f}  P {m['p']:.3f}  R {m['r']:.3f}"
                      f"  (tp {m['tp']}, fp {m['fp']}, fn {m['fn']})")
                if args.labels:
                    for kind in kinds:
                        k = s[kind]
                        if k["tp"] + k["fp"] + k["fn"]:
                            print(f"    {kind:18} tp {k['tp']:3}  fp {k['fp']:3}  fn {k['fn']:3}")
        if group == "dev" and (args.misses or args.false):
            rows = readings["engine"]
            for r, got in zip(records, rows, strict=True):
                gold = set(r["expect"].get(args.field, []))
                have = got[args.field]
                if (args.misses and args.misses in gold and args.misses not in have) or (
                    args.false and args.false in have and args.false not in gold
                ):
                    print(f"\n[{r['id']}] gold={sorted(gold)} got={sorted(have)}\n{r['text']}")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, ensure_ascii=False, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
