#!/usr/bin/env bash
# Install complaintdesk, create the embedded SQLite database, load the demo data and start the server.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e .
.venv/bin/complaintdesk init
.venv/bin/complaintdesk demo
.venv/bin/complaintdesk complaint list
if .venv/bin/complaintdesk --help | grep -q " serve "; then
    exec .venv/bin/complaintdesk serve "$@"
fi
