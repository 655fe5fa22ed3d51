#!/usr/bin/env bash
# Install complaintdesk, create the embedded SQLite database, load the demo data and start the server.
# Arguments go to `complaintdesk serve` (e.g. --port 8080). COMPLAINTDESK_SKIP_INSTALL=1 uses the
# existing .venv as it is (the tests do; a fresh machine installs).
set -euo pipefail
cd "$(dirname "$0")/.."

fail() {
    echo "start.sh: $*" >&2
    exit 1
}
trap 'fail "step failed (exit $?) at line $LINENO: $BASH_COMMAND"' ERR

PYTHON=${PYTHON:-python3}
if [ "${COMPLAINTDESK_SKIP_INSTALL:-}" != "1" ]; then
    if [ ! -x .venv/bin/python ]; then
        "$PYTHON" -m venv .venv || fail "could not create .venv with $PYTHON"
    fi
    .venv/bin/python -m pip install -q --disable-pip-version-check -e . || fail "pip install failed"
fi
[ -x .venv/bin/complaintdesk ] || fail ".venv/bin/complaintdesk is missing: run without COMPLAINTDESK_SKIP_INSTALL"
.venv/bin/complaintdesk init
.venv/bin/complaintdesk demo
.venv/bin/complaintdesk complaint list || true   # a listing problem must not keep the desk from starting
trap - ERR
# The server, always: it is what this command is for (it used to be skipped when a pipeline
# checking for the serve command died of a broken pipe).
exec .venv/bin/complaintdesk serve "$@"
