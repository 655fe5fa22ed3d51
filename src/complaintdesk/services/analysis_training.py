"""Retrain the analysis engine's learned layer and install it only when it is no worse.

The shipped real corpus (tune split) plus a centre's corrected complaints; every fifth correction (by a
hash of its text, so a rerun holds out the same ones) is held out and scored with the model in use and
with the new one. The new model is installed in the centre's knowledge directory, where the server
loads it at start (``use_centre_model``).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from complaintdesk.analysis import analyze, corpus, learned, training
from complaintdesk.analysis.evaluate import evaluate
from complaintdesk.analysis.model import Analysis
from complaintdesk.domain.errors import InvalidInput
from complaintdesk.settings import get_settings

MODEL_NAME = "analysis_model.npz"


def centre_model_path() -> Path:
    return get_settings().resolved_knowledge_dir() / MODEL_NAME


def use_centre_model() -> None:
    """Serve the centre's retrained model when there is one (else the shipped one)."""
    path = centre_model_path()
    learned.use(path if path.is_file() else None)


def _held_out(record: Mapping[str, Any]) -> bool:
    return hashlib.sha1(str(record["text"]).encode("utf-8")).digest()[0] % 5 == 0


def _score(records: Sequence[Mapping[str, Any]], read: Any) -> float:
    """One figure for a set: the mean of single-field accuracy and multi-field micro-F1."""
    report = evaluate(records, read)
    figures = [f.accuracy if f.kind == "single" else f.micro.f1 for f in report.fields if f.kind in ("single", "multi")]
    return sum(x for x in figures if x is not None) / len(figures) if figures else 0.0


def _cues_only(text: str, today: date | None) -> Analysis:
    return analyze(text, today)


def _base_model(heads: Sequence[str], base: Path | None) -> learned.LearnedModel:
    """The model whose other heads a retrain of ``heads`` keeps: ``base``, or the model in use."""
    known = (*learned.SINGLE_HEADS, *learned.MULTI_HEADS)
    unknown = [head for head in heads if head not in known]
    if unknown:
        raise InvalidInput(f"没有 {'、'.join(unknown)} 这个头：可选 {'、'.join(known)}", field="heads")
    if base is not None and not base.is_file():
        raise InvalidInput(f"基础模型 {base} 不存在", field="base")
    model = learned.read(base, str(base)) if base is not None else learned.active()
    if model is None:
        raise InvalidInput("没有可作基础的模型：请用 --base 指定", field="base")
    absent = [head for head in heads if head not in model.heads]
    if absent:
        raise InvalidInput(f"基础模型没有 {'、'.join(absent)} 头：只能换掉它已有的头", field="heads")
    return model


def retrain(
    corrections: Sequence[Mapping[str, Any]],
    out: Path | None = None,
    *,
    extra: Sequence[Mapping[str, Any]] = (),
    heads: Sequence[str] | None = None,
    base: Path | None = None,
    tune: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Retrain on the tune split (the files named in ``tune``, else all), ``extra`` and the corrections
    not held out. With ``heads``, only those heads are trained, each on a vocabulary of its own, and put in
    place of theirs in ``base`` (else the model in use), whose other heads are kept bit for bit."""
    kept_model = _base_model(heads, base) if heads is not None else None
    held = [r for r in corrections if _held_out(r)]
    kept = [r for r in corrections if not _held_out(r)]
    tuned = corpus.tune_complaints() if tune is None else corpus.tune_complaints(tune)
    records = [*tuned, *corpus.tune_reviews(), *extra, *kept]
    before = _score(held, analyze) if held else None
    learned.disable()
    try:
        examples = training.examples(records, _cues_only)
    finally:
        use_centre_model()
    vocabulary, trained, report = training.train(examples, heads)
    meta: dict[str, Any] = {"examples": len(examples), "corrections": len(kept), **training.meta_of(report)}
    if kept_model is not None:
        missing = sorted(set(heads or ()) - {head.name for head in trained})
        if missing:
            raise InvalidInput(f"{'、'.join(missing)} 头的标注不足 {training.FOLDS * 2} 条，未能训练", field="heads")
        vocabulary, trained, meta = training.onto(kept_model, vocabulary, trained, report)
    path = out or centre_model_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".analysis_model.", suffix=".npz", dir=path.parent)
    os.close(handle)
    staged = Path(temporary)
    learned.save(staged, vocabulary, trained, meta)
    after = None
    if held:
        learned.use(staged)
        try:
            after = _score(held, analyze)
        finally:
            use_centre_model()
    installed = before is None or after is None or after >= before
    if installed:
        staged.chmod(0o644)  # mkstemp made it private; the server (another user) reads it
        staged.replace(path)
        if path == centre_model_path():
            use_centre_model()
    else:
        staged.unlink(missing_ok=True)
    return {
        "examples": report["examples"],
        "vocabulary": report["vocabulary"],
        "tune": list(tune) if tune is not None else corpus.tune_parts(),
        "retrained": sorted(h.name for h in trained) if heads is None else list(heads),
        "heads": {k: v for k, v in report.items() if k not in ("examples", "vocabulary")},
        "held_out": {"n": len(held), "before": before, "after": after} if held else None,
        "installed": installed,
        "path": str(path),
    }
