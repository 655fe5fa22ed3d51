"""The real-complaint corpus that ships with the engine: its tune split, which the learned layer is
trained on (``complaintdesk train analysis``). The frozen test split is not shipped here: it lives in the
repository's ``eval/analysis_real/`` and is only ever evaluated on.

Files in ``analysis/data/``: ``corpus_tune_*.jsonl`` (complaints, ``{"text", "expect": {...}}``) and
``reviews_tune_*.jsonl`` (``{"text", "label": "negative"|"positive"}``).
"""

from __future__ import annotations

import json
from typing import Any

from complaintdesk.domain.errors import ConfigurationError
from complaintdesk.yamldata import shipped


def _records(prefix: str) -> list[dict[str, Any]]:
    folder = shipped("complaintdesk.analysis.data")
    records: list[dict[str, Any]] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not (entry.name.startswith(prefix) and entry.name.endswith(".jsonl")):
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


def tune_complaints() -> list[dict[str, Any]]:
    return _records("corpus_tune_")


def tune_reviews() -> list[dict[str, Any]]:
    return _records("reviews_tune_")
