#!/usr/bin/env bash
# Install everything and run the whole test suite: lint, types, unit, integration and browser tests.
# Set COMPLAINTDESK_TEST_DATABASE_URL=postgresql+psycopg://... to run the database tests on
# PostgreSQL as well as SQLite. COMPLAINTDESK_REQUIRE_BROWSER=1 makes a missing browser fail the run;
# COMPLAINTDESK_REQUIRE_IMAP=1 (or CI set) makes a missing dovecot fail the IMAP tests instead of skipping.
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

# The mail tests read a real IMAP mailbox: Debian's dovecot, started privately by the tests (its own
# configuration, a loopback port). The package's own service is not used.
if [ ! -x /usr/sbin/dovecot ]; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
        echo "Installing dovecot-imapd for the IMAP tests..."
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd) \
            >/tmp/complaintdesk-apt-dovecot.log 2>&1 || echo "apt-get failed (see /tmp/complaintdesk-apt-dovecot.log)"
        # The package may start a system-wide dovecot on port 143: the tests do not use it.
        (systemctl disable --now dovecot || service dovecot stop) >/dev/null 2>&1 || true
    fi
fi

echo "== ruff"
.venv/bin/ruff check src tests benchmarks scripts
echo "== mypy"
.venv/bin/mypy
echo "== pytest"
# worksteal: a worker that runs out takes queued tests from the other, so a few long tests do not leave one idle at the end
.venv/bin/python -m pytest -n "${COMPLAINTDESK_TEST_WORKERS:-2}" --dist worksteal --durations=15 "$@"
