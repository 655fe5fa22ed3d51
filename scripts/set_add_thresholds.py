"""Rewrite the add thresholds of a learned-layer model file from ``add_thresholds.yaml`` (issue 19, Session 18).

Only the ``<head>__add_at`` arrays change, and only upwards (the file's thresholds are floors): coefficients,
vocabulary, veto thresholds and meta are copied as read. ``complaintdesk train analysis`` applies the same file
when it trains, so a rebuild (``scripts/train_analysis_model.sh``) needs no extra step; this script is for a model
file that is kept, not retrained.

    PYTHONPATH=src .venv/bin/python scripts/set_add_thresholds.py [--model M.npz] [--data T.yaml] [--out OUT.npz]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from complaintdesk.analysis import add_thresholds, learned
from complaintdesk.yamldata import shipped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    default = shipped("complaintdesk.analysis.data", learned.MODEL_FILE)
    parser.add_argument("--model", type=Path, default=default, help="the model file (default: the shipped one)")
    parser.add_argument("--data", type=Path, help="the thresholds file (default: the shipped add_thresholds.yaml)")
    parser.add_argument("--out", type=Path, help="where to write (default: over --model)")
    args = parser.parse_args(argv)
    changes = add_thresholds.rewrite(args.model, args.out or args.model, add_thresholds.load(args.data))
    for name, (before, after) in changes.items():
        print(f"{name}: add_at {before:g} → {after:g}")
    if not changes:
        print("no add threshold changed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
