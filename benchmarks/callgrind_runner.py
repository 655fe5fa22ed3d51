"""Instruction counts of a child process's marked sections, by callgrind (exact, whatever the machine's load).

The child starts with instrumentation off (``--instr-atstart=no``), switches it on around each section it counts
(``toggle``) and writes one dump per section (``dump``); ``section_counts`` runs the child and reads each dump's
total, in order. Used by instruction_counts.py, intake_instructions.py and analysis_instructions.py.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path


def toggle(on: bool) -> None:
    """Count this process's instructions from now on (or stop counting)."""
    subprocess.run(["callgrind_control", "-i", "on" if on else "off", str(os.getpid())], check=True, capture_output=True)


def dump() -> None:
    """Write the counts so far to a file of their own and start again from zero."""
    subprocess.run(["callgrind_control", "-d", str(os.getpid())], check=True, capture_output=True)


def section_counts(script: Path, args: Sequence[str], out: Path, *, sections: int,
                   env: Mapping[str, str] | None = None) -> list[int]:
    """Run ``python script --child *args`` under callgrind, writing dumps beside ``out``; the total instructions
    of each dump, in the order the child wrote them. A failed run, or a number of dumps other than ``sections``,
    stops the benchmark with the child's error output."""
    command = [
        "valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}",
        sys.executable, str(script), "--child", *args,
    ]  # fmt: skip
    done = subprocess.run(command, env={**os.environ, "PYTHONHASHSEED": "0", **(env or {})},
                          capture_output=True, text=True)
    dumps = sorted(out.parent.glob(f"{out.name}.*"), key=lambda p: int(p.suffix[1:]))
    counts = [_total(path) for path in dumps]
    for path in [*dumps, out]:
        path.unlink(missing_ok=True)
    if done.returncode != 0 or len(counts) != sections:
        raise SystemExit(f"callgrind run failed:\n{done.stderr[-2000:]}")
    return counts


def _total(dump: Path) -> int:
    found = re.search(r"^totals: (\d+)", dump.read_text(), re.MULTILINE)
    if found is None:
        raise SystemExit(f"no total in {dump}")
    return int(found.group(1))
