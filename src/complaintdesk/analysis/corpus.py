"""The real-complaint corpus that ships with the engine: its tune split, which the learned layer is
trained on (``complaintdesk train analysis``). The frozen test split is not shipped here: it lives in the
repository's ``eval/analysis_real/`` and is only ever evaluated on.

Files in ``analysis/data/``: ``corpus_tune_*.jsonl`` (complaints, ``{"text", "expect": {...}}``) and
``reviews_tune_*.jsonl`` (``{"text", "label": "negative"|"positive"}``).
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from complaintdesk.domain.errors import ConfigurationError, InvalidInput
from complaintdesk.yamldata import shipped

_COMPLAINTS = "corpus_tune_"
# Tune files kept as clean held-out checks of the next engine change (issue 19): no development script, report or
# benchmark reads them unless it names them; `train analysis` without `--tune` still reads every shipped file.
HELD_OUT_PARTS = frozenset({"n", "o", "p"})


def _records(prefix: str, parts: Collection[str] | None = None) -> list[dict[str, Any]]:
    folder = shipped("complaintdesk.analysis.data")
    records: list[dict[str, Any]] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not (entry.name.startswith(prefix) and entry.name.endswith(".jsonl")):
            continue
        if parts is not None and entry.name[len(prefix) : -len(".jsonl")] not in parts:
            continue
        for number, line in enumerate(entry.read_text("utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                where = f"complaintdesk/analysis/data/{entry.name}:{number}"
                raise ConfigurationError(f"语料 {where} 不是合法 JSON：{exc.msg}", field=entry.name) from None
            if record.get("split", "tune") != "tune":
                continue  # only the tune split is ever trained on
            records.append(record)
    return records


def tune_complaints(parts: Collection[str] | None = None) -> list[dict[str, Any]]:
    """The tune split's complaints, of every file, or of the files named in ``parts`` (``tune_parts``):
    a file held out for a check is left unread."""
    return _records(_COMPLAINTS, parts)


def development_complaints() -> list[dict[str, Any]]:
    """The tune split's complaints without the held-out files (``HELD_OUT_PARTS``): what development scripts,
    reports and benchmarks read."""
    return tune_complaints([name for name in tune_parts() if name not in HELD_OUT_PARTS])


def tune_parts() -> list[str]:
    """The names of the shipped complaint files: ``a`` for ``corpus_tune_a.jsonl`` …"""
    folder = shipped("complaintdesk.analysis.data")
    return sorted(e.name[len(_COMPLAINTS) : -len(".jsonl")] for e in folder.iterdir()
                  if e.name.startswith(_COMPLAINTS) and e.name.endswith(".jsonl"))  # fmt: skip


def chosen_parts(spec: str) -> list[str]:
    """``a-m``, ``a,b,h`` or ``a-g,k`` → those complaint files' names; a name no shipped file has, or a
    range that holds none, is refused naming it."""
    known = tune_parts()
    chosen: list[str] = []
    for piece in (p.strip() for p in spec.split(",")):
        low, dash, high = piece.partition("-")
        if dash:
            found = [name for name in known if low <= name <= high] if low and high else []
            if not found or low not in known or high not in known:
                raise InvalidInput(f"调参集文件范围「{piece}」无效：现有文件 {'、'.join(known)}", field="tune")
        elif piece in known:
            found = [piece]
        else:
            raise InvalidInput(f"没有调参集文件「{piece}」（corpus_tune_{piece}.jsonl）：现有文件 {'、'.join(known)}",
                               field="tune")  # fmt: skip
        chosen.extend(name for name in found if name not in chosen)
    return sorted(chosen)


def tune_reviews() -> list[dict[str, Any]]:
    return _records("reviews_tune_")
