"""Company faults (or threats, ``--field threats``) per kind against the real tune corpus's gold labels
(issues 19 and 20).

Three readings of each complaint text are scored, kind by kind, with precision and recall:

* ``cues``   — the analysis engine's company faults from the cue scan alone (the learned layer off);
* ``engine`` — the analysis engine as shipped (cues blended with the learned layer, which is trained on
  these very files, so its figures are in-sample);
* ``assist`` — the faults the assist engine's reading would admit from the text alone (no policy result,
  no recorded facts): the engine's faults filtered by ``replies.yaml``'s allowed lists, plus its ``told``
  rules, minus faults sent elsewhere, disputed or set by a contract.

``corpus_tune_a``–``h`` and ``l`` are the development files; ``i``–``k`` and ``m`` are the check files, reported
as counts only (session 19).
The assist engine's own kinds (faulty_work, wrong_record, no_notice) have no gold label: how often they
are taken is shown, and how often on a text whose gold says the company did nothing wrong.

    PYTHONPATH=src .venv/bin/python scripts/faults_report.py [--field threats] [--misses KIND] [--false KIND] [--json out.json]

With ``--field threats`` the threats the customer makes are scored instead (``cues`` and ``engine``; the
assist reading has no threats of its own).

``--misses`` / ``--false`` list a development file's missed / wrongly read complaints of one kind (cue
reading; the held-out files are never listed).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from complaintdesk.analysis import analyze, corpus, learned
from complaintdesk.analysis.model import COMPANY_FAULTS, THREAT_KINDS
from complaintdesk.assist.case import build_case
from complaintdesk.assist.playbook import load_playbook
from complaintdesk.assist.reading import faults as assist_faults

# session 19's split: develop on a–h and l (listed); i–k and m are the check files, counts only; n and o are held
# out of every development script (corpus.HELD_OUT_PARTS)
DEV = (*"abcdefgh", "l")
HELD_OUT = ("i", "j", "k", "m")
NEW: tuple[str, ...] = ()  # a file added after the check files, read as counts only too
# field → the gold key, the analysis attribute with the kinds read, the vocabulary
FIELDS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "company_faults": ("company_faults", "fault_kinds", COMPANY_FAULTS),
    "threats": ("threats", "threat_kinds", THREAT_KINDS),
}


def _part(record: dict[str, Any]) -> str:
    return str(record["id"]).split("-")[0][-1]


def score(pairs: Iterable[tuple[set[str], set[str]]], kinds: Iterable[str]) -> dict[str, dict[str, float]]:
    """Per kind and ``micro``: true/false positives, misses, precision and recall."""
    counts: dict[str, Counter[str]] = {k: Counter() for k in kinds}
    for gold, got in pairs:
        for kind in counts:
            if kind in got:
                counts[kind]["tp" if kind in gold else "fp"] += 1
            elif kind in gold:
                counts[kind]["fn"] += 1
    total: Counter[str] = Counter()
    for c in counts.values():
        total.update(c)
    out = {}
    for kind, c in [*counts.items(), ("micro", total)]:
        tp, fp, fn = c["tp"], c["fp"], c["fn"]
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        out[kind] = {"tp": tp, "fp": fp, "fn": fn, "p": round(p, 3), "r": round(r, 3),
                     "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}
    return out


def readings(records: list[dict[str, Any]], field: str = "company_faults") -> dict[str, list[set[str]]]:
    """Each record's faults (or threats) as the cue scan, the shipped engine and the assist reading see them."""
    attr = FIELDS[field][1]
    pb = load_playbook(None)
    learned.disable()
    cues = [set(getattr(analyze(r["text"]), attr)) for r in records]
    learned.use(None)
    engine, assist = [], []
    for r in records:
        analysis = analyze(r["text"])
        engine.append(set(getattr(analysis, attr)))
        if field == "company_faults":
            case, _ = build_case(analysis, None, {}, None, None, pb, None, r["text"])
            assist.append({f.kind for f in assist_faults(case, pb)})
    if field != "company_faults":
        return {"cues": cues, "engine": engine}
    return {"cues": cues, "engine": engine, "assist": assist}


def _table(title: str, figures: dict[str, dict[str, float]], show_rates: bool = True) -> str:
    lines = [title, f"  {'kind':22}{'tp':>5}{'fp':>5}{'fn':>5}" + (f"{'P':>7}{'R':>7}{'F1':>7}" if show_rates else "")]
    for kind, f in figures.items():
        row = f"  {kind:22}{f['tp']:>5}{f['fp']:>5}{f['fn']:>5}"
        if show_rates:
            row += f"{f['p']:>7.3f}{f['r']:>7.3f}{f['f1']:>7.3f}"
        lines.append(row)
    return "\n".join(lines)


def report(
    records: list[dict[str, Any]], listing: Callable[[str], None] | None = None, field: str = "company_faults"
) -> dict[str, Any]:
    key, _, kinds = FIELDS[field]
    read = readings(records, field)
    gold = [set(r["expect"].get(key, [])) for r in records]
    out: dict[str, Any] = {}
    for part, files in (("dev", DEV), ("held_out", HELD_OUT), ("new", NEW)):
        idx = [i for i, r in enumerate(records) if _part(r) in files]
        out[part] = {"n": len(idx)}
        for name, got in read.items():
            out[part][name] = score(((gold[i], got[i] & set(kinds)) for i in idx), kinds)
        out[part]["no_fault_texts"] = sum(1 for i in idx if not gold[i])
        if "assist" not in read:
            continue
        own = Counter(k for i in idx for k in read["assist"][i] - set(COMPANY_FAULTS))
        on_none = Counter(k for i in idx if not gold[i] for k in read["assist"][i])
        out[part]["assist_own_kinds"] = dict(own)
        out[part]["assist_on_no_fault_texts"] = dict(on_none)
        out[part]["cue_faults_on_no_fault_texts"] = sum(len(read["cues"][i]) for i in idx if not gold[i])
    out["_read"] = read
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--field", default="company_faults", choices=tuple(FIELDS))
    parser.add_argument("--misses", help="list development complaints whose gold KIND the cue scan missed")
    parser.add_argument("--false", help="list development complaints the cue scan wrongly read as KIND")
    parser.add_argument("--reading", default="cues", choices=("cues", "engine", "assist"))
    # the check files (i–k, m) are never listed: counts only
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()
    records = corpus.development_complaints()
    out = report(records, field=args.field)
    read = out.pop("_read")
    for part in ("dev", "held_out", "new"):
        if not out[part]["n"]:
            continue
        print(f"== {part} (n={out[part]['n']}, texts with no gold {args.field}: {out[part]['no_fault_texts']})")
        for name in read:
            print(_table(f"-- {name}", out[part][name], show_rates=True))
        if "assist" not in read:
            continue
        print(f"-- assist's own kinds taken: {out[part]['assist_own_kinds']}")
        print(f"-- assist faults on no-fault texts: {out[part]['assist_on_no_fault_texts']}; "
              f"cue faults on them: {out[part]['cue_faults_on_no_fault_texts']}")
    for flag, want_gold in ((args.misses, True), (args.false, False)):
        if not flag:
            continue
        for i, r in enumerate(records):
            if _part(r) not in DEV:
                continue
            gold = set(r["expect"].get(FIELDS[args.field][0], []))
            got = read[args.reading][i]
            if (want_gold and flag in gold and flag not in got) or (not want_gold and flag in got and flag not in gold):
                print(f"\n[{r['id']}] gold={sorted(gold)} got={sorted(got)}\n{r['text']}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(out, fh, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
