"""Raised add thresholds of the learned layer's multi-label heads, kept as data (``data/add_thresholds.yaml``).

The threshold at which the model adds a label no cue found (``Head.add_at``) is chosen in training on
out-of-fold predictions. Where those adds were measured to be wrong more often than right on complaints the
model never trained on (``scripts/adds_report.py``), a label's threshold is raised here — as a floor, never
lowered — so that a rebuild (``train analysis``) and an existing file (``scripts/set_add_thresholds.py``) reach
the same ``add_at``, and nothing else of the model moves.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from complaintdesk.domain.errors import ConfigurationError
from complaintdesk.yamldata import load_yaml, shipped

DATA_FILE = "add_thresholds.yaml"
NEVER = "never"
# head -> label -> threshold (inf: never). Threats and customer types are veto-only in training
# (``training.VETO_ONLY``: their add_at is already inf), so listing them changes nothing.
Thresholds = dict[str, dict[str, float]]


def _labels() -> dict[str, tuple[str, ...]]:
    from complaintdesk.analysis.model import MULTI_LABEL_FIELDS

    return {head: tuple(labels) for head, labels in MULTI_LABEL_FIELDS.items()}


def parse(data: Any, where: str) -> Thresholds:
    """The file's content, checked: known heads and labels, each a probability in (0, 1] or ``never``."""
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise ConfigurationError(f"{where} 应为「头 → 标签 → 阈值」的映射", field=where)
    known = _labels()
    out: Thresholds = {}
    for head, labels in data.items():
        if head not in known:
            raise ConfigurationError(f"{where}：未知的头「{head}」（可用：{'、'.join(known)}）", field=f"{where}:{head}")
        if not isinstance(labels, Mapping):
            raise ConfigurationError(f"{where}：{head} 应为「标签 → 阈值」的映射", field=f"{where}:{head}")
        out[head] = {}
        for label, value in labels.items():
            if label not in known[head]:
                raise ConfigurationError(f"{where}：{head} 没有标签「{label}」", field=f"{where}:{head}.{label}")
            out[head][str(label)] = _value(value, f"{where}:{head}.{label}")
    return out


def _value(value: Any, field: str) -> float:
    if value == NEVER:
        return math.inf
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 < float(value) <= 1.0:
        raise ConfigurationError(f"{field} 应为 (0, 1] 之间的概率或 {NEVER}（实为 {value!r}）", field=field)
    return float(value)


def load(path: Path | None = None) -> Thresholds:
    """The centre's file at ``path``, or the shipped one."""
    source = path if path is not None else shipped("complaintdesk.analysis.data", DATA_FILE)
    where = str(path) if path is not None else f"complaintdesk/analysis/data/{DATA_FILE}"
    return parse(load_yaml(source.read_text("utf-8")), where)


def raised(
    head: str, labels: Sequence[str], add_at: npt.NDArray[np.float32], thresholds: Thresholds
) -> npt.NDArray[np.float32]:
    """``add_at`` with each listed label's threshold raised to the file's (a lower listed value changes nothing)."""
    out = add_at.astype(np.float32).copy()
    for label, value in thresholds.get(head, {}).items():
        k = list(labels).index(label)
        out[k] = max(float(out[k]), value)
    return out


def unmet(add_at_by_head: Mapping[str, Mapping[str, float]], thresholds: Thresholds) -> list[str]:
    """``head.label`` of every listed threshold a model's ``add_at`` is below (a model not rebuilt or rewritten)."""
    return [f"{head}.{label}" for head, labels in thresholds.items() for label, value in labels.items()
            if head in add_at_by_head and add_at_by_head[head].get(label, math.inf) < value]  # fmt: skip


def rewrite(source: Path, out: Path, thresholds: Thresholds) -> dict[str, tuple[float, float]]:
    """Write ``source``'s model to ``out`` with the listed add thresholds raised; every other array is copied as
    read (coefficients, vocabulary and meta bit for bit). Returns ``head.label`` → (before, after) of each change."""
    with np.load(source, allow_pickle=False) as data:
        arrays = {key: data[key] for key in data.files}
    changes: dict[str, tuple[float, float]] = {}
    for head in thresholds:
        key = f"{head}__add_at"
        if key not in arrays:
            continue
        labels = [str(x) for x in arrays[f"{head}__labels"]]
        before = arrays[key]
        after = raised(head, labels, before, thresholds)
        changes.update({f"{head}.{label}": (float(b), float(a))
                        for label, b, a in zip(labels, before, after, strict=True) if b != a})  # fmt: skip
        arrays[key] = after
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as handle:
        np.savez_compressed(handle, **arrays)
    return changes
