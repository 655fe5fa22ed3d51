"""The held-out tune files (issue 19) stay out of what development scripts, reports and benchmarks read."""

from __future__ import annotations

import ast
from pathlib import Path

from complaintdesk.analysis import corpus

ROOT = Path(__file__).resolve().parents[3]


def test_development_complaints_leave_out_every_held_out_file() -> None:
    held = {f"t{part}-" for part in corpus.HELD_OUT_PARTS}
    development = corpus.development_complaints()
    assert development
    assert not [r["id"] for r in development if str(r["id"])[:3] in held]
    everything = corpus.tune_complaints()
    assert len(everything) - len(development) == sum(1 for r in everything if str(r["id"])[:3] in held)


def test_the_held_out_files_are_shipped_tune_files() -> None:
    assert set(corpus.tune_parts()) >= corpus.HELD_OUT_PARTS


def test_the_benchmarks_leave_out_the_same_files_by_id() -> None:
    expected = {f"t{part}-" for part in corpus.HELD_OUT_PARTS}
    for name in ("analysis_fingerprint.py", "analysis_instructions.py"):
        tree = ast.parse((ROOT / "benchmarks" / name).read_text("utf-8"))
        values = [
            ast.literal_eval(node.value)
            for node in tree.body
            if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "HELD_OUT_IDS" for t in node.targets)
        ]
        assert values == [tuple(sorted(expected))], name


def test_no_development_script_reads_every_tune_file() -> None:
    for name in ("analysis_tune_cv.py", "category_report.py", "crossval_analysis.py", "cues_report.py", "faults_report.py",
                 "types_report.py"):
        source = (ROOT / "scripts" / name).read_text("utf-8")
        assert "corpus.tune_complaints()" not in source, name
        assert "corpus.development_complaints()" in source, name
