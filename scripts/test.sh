#!/usr/bin/env bash
# Install everything and run the whole test suite: lint, types, unit, integration and browser tests.
# Set COMPLAINTDESK_TEST_DATABASE_URL=postgresql+psycopg://... to run the database tests on
# PostgreSQL as well as SQLite. COMPLAINTDESK_REQUIRE_BROWSER=1 makes a missing browser fail the run.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[dev]"

# Browser tests need Debian's chromium and CJK fonts (without them Chinese renders as empty boxes).
if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "cjk"; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
        echo "Installing chromium and fonts-noto-cjk for the browser tests..."
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk) \
            >/tmp/complaintdesk-apt.log 2>&1 || echo "apt-get failed (see /tmp/complaintdesk-apt.log)"
    fi
fi

echo "== ruff"
.venv/bin/ruff check src tests benchmarks scripts
echo "== mypy"
.venv/bin/mypy
echo "== pytest"
.venv/bin/python -m pytest -n "${COMPLAINTDESK_TEST_WORKERS:-2}" --durations=15 "$@"
