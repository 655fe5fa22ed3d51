"""Instructions per ``analyze()`` of one or more commits, counted by callgrind (exact, whatever the load).

    python benchmarks/analysis_instructions.py [COMMIT ...] [--texts 100] [--repeats 20]

Each commit's ``src`` is exported (as ``compare_heads.py`` does; none: the working tree's ``src``) and
this script runs itself under ``valgrind --tool=callgrind --instr-atstart=no`` on it. After ``warm_up()``
and one uncounted reading of each text, three counts, one callgrind dump each:

* ``intake``: ``--repeats`` readings of the intake benchmarks' text (``inprocess.TEXT``, the same text
  each time, as ``bench_api``'s mix opens it: its one-line caches are warm);
* ``tune``: ``--texts`` tune complaints spread over the shipped corpus, each read for the first time in
  the counted process (as a real intake's text is), every ``today`` as of its record;
* ``repeat``: ``--repeats`` repeat pre-filter readings (``RepeatMatcher.match`` without the model) of
  the intake text against three earlier complaints, as an intake of a returning customer runs it.

The second reading of a tune text would hit the one-line caches (``text.simplified``), so the tune
texts are read uncounted only in a warm-up copy of each with one character changed at the end.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date
from pathlib import Path

from callgrind_runner import dump, section_counts, toggle

HERE = Path(__file__).resolve().parent
KINDS = ("intake", "tune", "repeat")
EARLIER = (
    "宽带被停机了，要求退费",
    "上个月宽带断网三次，客服说会派师傅上门，一直没人来。",
    "电视机修了两次还是黑屏，要求换新。",
)


# the held-out tune files (corpus.HELD_OUT_PARTS), by id so the script also runs on heads that predate the name
HELD_OUT_IDS = ("tn-", "to-", "tp-")


def _child(texts: int, repeats: int) -> None:
    sys.path.insert(0, str(HERE))
    from inprocess import TEXT

    from complaintdesk.analysis import analyze, corpus, warm_up
    from complaintdesk.analysis.similarity import RepeatMatcher

    warm_up()
    records = [r for r in corpus.tune_complaints() if not str(r.get("id", "")).startswith(HELD_OUT_IDS)]
    step = max(1, len(records) // texts)
    chosen = [
        (str(r["text"]), date.fromisoformat(r["today"]) if r.get("today") else None) for r in records[::step][:texts]
    ]
    for text, today in chosen:  # the code paths warm, not the texts' own cache entries
        analyze(text[:-1] + "。", today)
    matcher = RepeatMatcher(use_embeddings=False)
    candidates = [(f"c{i}", t) for i, t in enumerate(EARLIER)]
    analyze(TEXT, date(2026, 11, 23))
    matcher.match(TEXT, candidates)
    toggle(True)
    for _ in range(repeats):
        analyze(TEXT, date(2026, 11, 23))
    toggle(False)
    dump()
    toggle(True)
    for text, today in chosen:
        analyze(text, today)
    toggle(False)
    dump()
    toggle(True)
    for _ in range(repeats):
        matcher.match(TEXT, candidates)
    toggle(False)
    dump()


def _count(src: Path, texts: int, repeats: int, out: Path) -> list[int]:
    args = ["--texts", str(texts), "--repeats", str(repeats)]
    return section_counts(Path(__file__).resolve(), args, out, sections=len(KINDS), env={"PYTHONPATH": str(src)})




def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("commits", nargs="*", help="commits to compare (none: the working tree's src)")
    parser.add_argument("--texts", type=int, default=100, help="tune complaints read")
    parser.add_argument("--repeats", type=int, default=20, help="readings of the intake text, and repeat checks")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.texts, args.repeats)
        return
    from compare_heads import _export

    with tempfile.TemporaryDirectory() as folder:
        first: list[float] = []
        for commit in args.commits or ["(working tree)"]:
            src = HERE.parent / "src" if not args.commits else _export(commit, Path(folder))
            counts = _count(src, args.texts, args.repeats, Path(folder) / "callgrind.out")
            figures = [counts[0] / args.repeats, counts[1] / args.texts, counts[2] / args.repeats]
            first = first or figures
            print(
                f"{commit:>14s}: "
                + ", ".join(
                    f"{kind} {figure / 1e6:.3f} M ({figure / base:.1%})"
                    for kind, figure, base in zip(KINDS, figures, first, strict=True)
                ),
                flush=True,
            )


if __name__ == "__main__":
    main()
