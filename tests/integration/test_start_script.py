"""The README's first command: scripts/start.sh on a fresh data directory ends with the server
answering, and a step that fails says so and exits non-zero instead of ending quietly (issue 25)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPLAINTDESK_")}
    env.update(COMPLAINTDESK_DATA_DIR=str(tmp_path / "data"), COMPLAINTDESK_SKIP_INSTALL="1",
               COMPLAINTDESK_REPEAT_USE_EMBEDDINGS="false")  # fmt: skip
    return env


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """The script runs from its own checkout's .venv: a copy of scripts/ beside a link to the venv."""
    if not (ROOT / ".venv" / "bin" / "complaintdesk").exists():
        pytest.skip("needs the installed .venv (scripts/test.sh makes it)")
    tree = tmp_path / "checkout"
    (tree / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "start.sh", tree / "scripts" / "start.sh")
    (tree / ".venv").symlink_to(ROOT / ".venv")
    return tree


def test_start_sh_on_a_fresh_data_directory_serves(checkout: Path, tmp_path: Path) -> None:
    port = _free_port()
    process = subprocess.Popen(
        ["bash", "scripts/start.sh", "--port", str(port), "--workers", "1"], cwd=checkout, env=_env(tmp_path),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 90
        answered = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as response:
                    answered = response.status
                    break
            except OSError:
                time.sleep(0.5)
        output = b"" if answered else (process.stdout.read() if process.poll() is not None and process.stdout else b"")
        assert answered == 200, output.decode("utf-8", "replace")[-2000:]
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def test_a_failing_step_says_so_and_exits_non_zero(checkout: Path, tmp_path: Path) -> None:
    broken = checkout / ".venv"
    broken.unlink()
    (broken / "bin").mkdir(parents=True)
    fake = broken / "bin" / "complaintdesk"
    fake.write_text("#!/usr/bin/env bash\necho 'database unreachable' >&2\nexit 7\n", encoding="utf-8")
    fake.chmod(0o755)
    result = subprocess.run(["bash", "scripts/start.sh"], cwd=checkout, env=_env(tmp_path), capture_output=True,
                            text=True, timeout=60)  # fmt: skip
    assert result.returncode != 0
    assert "start.sh: step failed" in result.stderr
