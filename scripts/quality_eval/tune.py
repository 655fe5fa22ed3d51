"""The tune part only: what the family patterns and the similarity fallback are generalised against.

    PYTHONPATH=src python scripts/quality_eval/tune.py [--show 40] [--new FILE] [--probes] [--heldout FILE]

Prints, on the tune split only (the frozen test part is never read here):
* leave-one-out recall of the bank's tune part: each tune phrase matched with the similarity index blind
  to that phrase (and to every phrase with the same normal form), with the misses;
* recall on the tune paraphrases (eval/quality_paraphrases_tune.jsonl), with the misses;
* false alarms on the courteous tune lines and on the good replies of the tune pairs, with the lines.
``--new FILE`` (one phrase per line, "family phrase") reports which of those phrases the current patterns
and index already catch, for tune-split phrases only: the honest estimate of how the engine generalises to
phrases it has not seen, before they are added.
``--probes`` also reads our development probes (probes.txt: rude lines we wrote; hard_courteous.txt: polite
lines with the words the patterns look for) and lists the probes missed and the polite lines flagged.
``--heldout FILE`` (heldout_r4.txt, heldout_r5.txt, heldout_r6.txt; a bare name is looked up in this folder; repeat the option for
several sets) reports recall and false alarms on a held-out set per half, split by a hash of each line: the dev half's
misses and alarms are listed, the check half's are only counted.
``--drafts`` (seventh round) counts the assist engine's reply drafts for its TUNE scenarios (eval/assist_real.jsonl;
its test split is never read) that a 禁语 check flags: ordinary courteous replies no quality corpus holds and no threshold
is calibrated on, the out-of-sample check on a style model's false alarms (0/284 as shipped; the assist suite requires 0).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from complaintdesk.quality import banned  # noqa: E402
from complaintdesk.quality.bank import Bank, canonical, load_bank, split_of  # noqa: E402
from complaintdesk.quality.evaluate import said  # noqa: E402
from complaintdesk.quality.inspector import inspect  # noqa: E402
from complaintdesk.quality.rubric import Rubric, load_rubric  # noqa: E402


def rows(name: str) -> list[dict[str, object]]:
    path = ROOT / "eval" / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def without(bank: Bank, canon: str) -> Bank:
    return replace(
        bank, entries=tuple(e for e in bank.entries if e.canon != canon),
        variants=tuple(v for v in bank.variants if v[1].canon != canon),  # its rewordings go too
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", type=int, default=40)
    parser.add_argument("--new", type=Path)
    parser.add_argument("--probes", action="store_true")
    parser.add_argument("--heldout", type=Path, action="append", default=[],
                        help="held-out file (heldout_r4.txt … heldout_r6.txt; repeatable): dev half listed, check half counted")
    parser.add_argument("--drafts", action="store_true", help="count the assist engine's tune drafts a 禁语 check flags")
    args = parser.parse_args()
    rubric, bank = load_rubric(), load_bank()
    tune = bank.part("tune")
    misses = []
    for entry in tune:
        blind = without(bank, entry.canon)
        banned._matcher.cache_clear()
        if not said(entry.phrase, rubric, blind):
            misses.append(f"{entry.family} {entry.phrase}")
    banned._matcher.cache_clear()
    print(f"bank tune leave-one-out: {len(tune) - len(misses)}/{len(tune)}")
    for miss in misses[: args.show]:
        print("   miss", miss)
    para = [r for r in rows("quality_paraphrases_tune.jsonl")]
    p_miss = [f"{r['family']} {r['text']}  (of {r['of']})" for r in para if not said(str(r["text"]), rubric, bank)]
    print(f"tune paraphrases: {len(para) - len(p_miss)}/{len(para)}")
    for miss in p_miss[: args.show]:
        print("   miss", miss)
    lines = [r for r in rows("quality_courteous.jsonl") if r["split"] == "tune"]
    alarms = [(str(r["text"]), said(str(r["text"]), rubric, bank)) for r in lines]
    alarms = [(t, v) for t, v in alarms if v]
    print(f"courteous tune false alarms: {len(alarms)}/{len(lines)}")
    for text, found in alarms[: args.show]:
        print("   alarm", text, [(v.family or v.rule, v.match) for v in found])
    pairs = [r for r in rows("quality_real.jsonl") if r["split"] == "tune"]
    order_fail = []
    good_alarms = []
    for pair in pairs:
        bad = inspect(f"客户: {pair['customer']}\n客服: {pair['bad']}", rubric=rubric, use_analysis=False)
        good = inspect(f"客户: {pair['customer']}\n客服: {pair['good']}", rubric=rubric, use_analysis=False)
        if bad.score >= good.score:
            order_fail.append(f"{pair['id']} {bad.score}≥{good.score} {pair['bad']}")
        found = said(str(pair["good"]), rubric, bank)
        if found:
            good_alarms.append(f"{pair['id']} {pair['good']} {[(v.family or v.rule, v.match) for v in found]}")
    print(f"tune pairs bad<good: {len(pairs) - len(order_fail)}/{len(pairs)}; good replies flagged: {len(good_alarms)}")
    for line in (*order_fail, *good_alarms)[: args.show]:
        print("  ", line)
    if args.probes:
        _probes(rubric, bank, args.show)
    for path in args.heldout:
        _heldout(_heldout_path(path), rubric, bank, args.show)
    if args.drafts:
        _drafts(rubric, bank, args.show)
    if args.new:
        known = {e.canon for e in bank.entries}
        fresh = []
        for raw in args.new.read_text(encoding="utf-8").splitlines():
            family, _, phrase = raw.strip().partition(" ")
            if phrase and split_of(phrase, 0.42) == "tune" and canonical(phrase) not in known:
                fresh.append((family, phrase))
        caught = [(f, p, said(p, rubric, bank)) for f, p in fresh]
        print(f"new tune-split phrases caught before tuning: {sum(bool(v) for *_, v in caught)}/{len(caught)}")
        for family, phrase, found in caught:
            print("   ", "ok  " if found else "MISS", family, phrase, [v.family or v.rule for v in found])


def _lines(name: str) -> list[tuple[str, str]]:
    """("family" or "x", line) of a probe file in this folder, comments aside."""
    raw = (Path(__file__).resolve().parent / name).read_text(encoding="utf-8").splitlines()
    return [(tag, text) for tag, _, text in (line.strip().partition(" ") for line in raw if line.strip() and not line.startswith("#"))]


def half_of(text: str) -> str:
    """``dev`` or ``check``: a held-out line's half, by a hash of the line (fixed before any line was run)."""
    return "dev" if hashlib.sha256(text.encode("utf-8")).digest()[0] % 2 == 0 else "check"


def _heldout_path(path: Path) -> Path:
    """A held-out file as given, or by its bare name in this folder (``--heldout heldout_r5.txt``)."""
    here = Path(__file__).resolve().parent / path
    return path if path.exists() or not here.exists() else here


def _heldout(path: Path, rubric: Rubric, bank: Bank, show: int) -> None:
    """Recall and false alarms on a held-out file, per half; only the dev half's misses and alarms are listed."""
    raw = path.read_text(encoding="utf-8").splitlines()
    items = [(tag, text) for tag, _, text in (line.strip().partition(" ") for line in raw)
             if tag and text and not tag.startswith("#")]
    for half in ("dev", "check"):
        rude = [(tag, text) for tag, text in items if tag != "x" and half_of(text) == half]
        polite = [text for tag, text in items if tag == "x" and half_of(text) == half]
        missed = [f"{tag} {text}" for tag, text in rude if not said(text, rubric, bank)]
        flagged = [(text, found) for text in polite if (found := said(text, rubric, bank))]
        print(f"held-out {path.stem} {half}: caught {len(rude) - len(missed)}/{len(rude)}; courteous flagged {len(flagged)}/{len(polite)}")
        if half == "dev":
            for miss in missed[:show]:
                print("   miss", miss)
            for text, found in flagged[:show]:
                print("   alarm", text, [(v.family or v.rule, v.match) for v in found])


def _drafts(rubric: Rubric, bank: Bank, show: int) -> None:
    """The assist engine's drafts for its tune scenarios that a 禁语 check flags (every one is a false alarm)."""
    from complaintdesk.commands.assist import _advise_scenario, _scenarios

    scenarios = [s for s in _scenarios(ROOT / "eval" / "assist_real.jsonl") if s.split == "tune"]
    flagged = [(d, found) for d in (_advise_scenario(s).reply_draft for s in scenarios) if (found := said(d, rubric, bank))]
    print(f"assist tune drafts flagged: {len(flagged)}/{len(scenarios)}")
    for draft, found in flagged[:show]:
        print("   alarm", draft, [(v.family or v.rule, v.match) for v in found])


def _probes(rubric: Rubric, bank: Bank, show: int) -> None:
    probes = _lines("probes.txt")
    missed = [f"{family} {text}" for family, text in probes if not said(text, rubric, bank)]
    print(f"development probes caught: {len(probes) - len(missed)}/{len(probes)}")
    for miss in missed[:show]:
        print("   miss", miss)
    polite = [text for _, text in _lines("hard_courteous.txt")]
    flagged = [(text, said(text, rubric, bank)) for text in polite]
    flagged = [(text, found) for text, found in flagged if found]
    print(f"hard courteous lines flagged: {len(flagged)}/{len(polite)}")
    for text, found in flagged[:show]:
        print("   alarm", text, [(v.family or v.rule, v.match) for v in found])


if __name__ == "__main__":
    main()
