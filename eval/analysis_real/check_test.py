"""Validate and append items of the frozen real test split (issue 19).

Usage: python eval/analysis_real/check_test.py complaints|reviews BATCH.json
BATCH.json holds a JSON list of items without ids; they are checked against the
vocabularies of analysis/model.py and the corpus guide, numbered on from the
file's last id and appended. With no batch, the existing files are checked.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from complaintdesk.analysis.evaluate import FACT_KEYS as EVAL_FACT_KEYS
from complaintdesk.analysis.evaluate import _check_labels, _expectations
from complaintdesk.analysis.model import (
    CATEGORY_LABELS,
    COMPANY_FAULTS,
    CUSTOMER_TYPES,
    DEMAND_KINDS,
    EMOTION_LABELS,
    THREAT_KINDS,
)

HERE = Path(__file__).parent
COMPLAINTS = HERE / "test.jsonl"
REVIEWS = HERE / "reviews-test.jsonl"
SOURCE_KINDS = {"complaint_platform", "consumer_case", "news", "forum", "review", "telecom_appeal", "court"}
SCRIPTS = {"simplified", "traditional", "mixed"}
FAULTS = set(COMPANY_FAULTS)
VALENCES = {"negative", "neutral", "positive"}
FACT_KEYS = {"purchase_date", "repair_count", "amounts_yuan", "product_models"}
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _subset(where: str, values: object, allowed: object) -> None:
    if not isinstance(values, list) or not all(v in allowed for v in values):  # type: ignore[operator]
        raise ValueError(f"{where}: {values!r} not a list from {sorted(allowed)}")  # type: ignore[call-overload]
    if len(set(values)) != len(values):
        raise ValueError(f"{where}: duplicates in {values!r}")


def check_complaint(item: dict, where: str) -> None:
    need = {"id", "split", "source", "source_kind", "script", "text", "expect"}
    missing = need - item.keys()
    if missing:
        raise ValueError(f"{where}: missing {sorted(missing)}")
    extra = item.keys() - need - {"today", "spans"}
    if extra:
        raise ValueError(f"{where}: unknown fields {sorted(extra)}")
    if not re.fullmatch(r"tx-\d{4}", item["id"]) or item["split"] != "test":
        raise ValueError(f"{where}: bad id/split {item['id']} {item['split']}")
    if not item["source"].startswith("http"):
        raise ValueError(f"{where}: source is not a URL")
    if item["source_kind"] not in SOURCE_KINDS or item["script"] not in SCRIPTS:
        raise ValueError(f"{where}: bad source_kind/script")
    if len(item["text"]) < 8:
        raise ValueError(f"{where}: text too short")
    if "today" in item and not DATE.match(item["today"]):
        raise ValueError(f"{where}: today {item['today']!r}")
    e = item["expect"]
    need_e = {
        "emotion",
        "valence",
        "customer_types",
        "chronic_complainer",
        "demands",
        "threats",
        "category",
        "company_faults",
    }
    if need_e - e.keys() or e.keys() - need_e - {"facts"}:
        raise ValueError(f"{where}: expect fields {sorted(e.keys())}")
    if (
        e["emotion"] not in EMOTION_LABELS
        or e["valence"] not in VALENCES
        or e["category"] not in CATEGORY_LABELS
    ):
        raise ValueError(f"{where}: emotion/valence/category {e['emotion']} {e['valence']} {e['category']}")
    if not isinstance(e["chronic_complainer"], bool):
        raise ValueError(f"{where}: chronic_complainer must be bool")
    _subset(f"{where} customer_types", e["customer_types"], CUSTOMER_TYPES)
    _subset(f"{where} demands", e["demands"], DEMAND_KINDS)
    _subset(f"{where} threats", e["threats"], THREAT_KINDS)
    _subset(f"{where} company_faults", e["company_faults"], FAULTS)
    facts = e.get("facts", {})
    if facts.keys() - FACT_KEYS:
        raise ValueError(f"{where}: unknown facts {sorted(facts.keys() - FACT_KEYS)}")
    if "purchase_date" in facts and not DATE.match(facts["purchase_date"]):
        raise ValueError(f"{where}: purchase_date {facts['purchase_date']!r}")
    if "repair_count" in facts and not isinstance(facts["repair_count"], int):
        raise ValueError(f"{where}: repair_count must be int")
    if "amounts_yuan" in facts and not all(isinstance(a, (int, float)) for a in facts["amounts_yuan"]):
        raise ValueError(f"{where}: amounts_yuan must be numbers")
    for key, span in item.get("spans", {}).items():
        head = key.split(".")[0]
        if head not in {"demands", "threats", "customer_types", "company_faults", "category", "emotion"}:
            raise ValueError(f"{where}: span key {key!r}")
        if span not in item["text"]:
            raise ValueError(f"{where}: span {key}={span!r} is not in the text")
    # the scorer's own reading of the gold line (labels only; the engine is not run here)
    for key, want in _expectations({k: v for k, v in e.items() if k != "valence"}).items():
        if key.startswith("facts.") and key[6:] not in EVAL_FACT_KEYS:
            raise ValueError(f"{where}: the scorer does not know fact {key}")
        _check_labels(key, want, 0)
    for t in e["customer_types"]:
        if not any(k == f"customer_types.{t}" for k in item.get("spans", {})):
            raise ValueError(f"{where}: customer type {t} needs a span")


def check_review(item: dict, where: str) -> None:
    if set(item) != {"id", "split", "source", "script", "text", "label"}:
        raise ValueError(f"{where}: fields {sorted(item)}")
    if not re.fullmatch(r"rx-\d{4}", item["id"]) or item["split"] != "test":
        raise ValueError(f"{where}: bad id/split")
    if item["script"] not in SCRIPTS or item["label"] not in {"negative", "positive"}:
        raise ValueError(f"{where}: script/label")
    if not item["source"].startswith("http") or len(item["text"]) < 4:
        raise ValueError(f"{where}: source/text")


def load(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> None:
    kind = sys.argv[1]
    path, prefix, check = (
        (COMPLAINTS, "tx", check_complaint) if kind == "complaints" else (REVIEWS, "rx", check_review)
    )
    items = load(path)
    for it in items:
        check(it, it.get("id", "?"))
    if len({it["text"] for it in items}) != len(items):
        raise SystemExit("duplicate texts in the file")
    if len(sys.argv) > 2:
        batch = json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
        n = len(items)
        new = []
        for i, it in enumerate(batch, start=n + 1):
            it = {"id": f"{prefix}-{i:04d}", "split": "test", **it}
            check(it, f"batch item {i - n} ({it['id']})")
            new.append(it)
        texts = {it["text"] for it in items}
        for it in new:
            if it["text"] in texts:
                raise SystemExit(f"{it['id']}: duplicate text")
            texts.add(it["text"])
        with path.open("a", encoding="utf-8") as fh:
            for it in new:
                fh.write(json.dumps(it, ensure_ascii=False) + "\n")
        items += new
    print(f"{path.name}: {len(items)} items ok")


if __name__ == "__main__":
    main()
