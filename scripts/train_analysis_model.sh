#!/usr/bin/env bash
# Rebuild the analysis engine's shipped learned layer (src/complaintdesk/analysis/data/learned_model.npz)
# from the tune files it was trained on (a–g: later files are check and held-out material, docs/analysis.md)
# and the team-written dev set. The frozen real test split (eval/analysis_real/test.jsonl) is never read here.
# Session 18: the tune files are named, so a file added later (n, o …) is never trained on by accident.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
"$PY" -m complaintdesk.cli train analysis \
    --tune a-g \
    --extra eval/analysis_dev.jsonl \
    --out src/complaintdesk/analysis/data/learned_model.npz "$@"
