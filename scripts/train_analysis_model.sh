#!/usr/bin/env bash
# Rebuild the analysis engine's shipped learned layer (src/complaintdesk/analysis/data/learned_model.npz)
# from the real-complaint tune corpus that ships beside it and the team-written dev set. The frozen real
# test split (eval/analysis_real/test.jsonl) is never read here.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
"$PY" -m complaintdesk.cli train analysis \
    --extra eval/analysis_dev.jsonl \
    --out src/complaintdesk/analysis/data/learned_model.npz "$@"
