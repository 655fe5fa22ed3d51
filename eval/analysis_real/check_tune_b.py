"""Validate and append tune-b corpus items (issue 19): JSON shape, vocabularies, required fields.

Usage: python check_tune_b.py [batch.py ...]  -- each batch module defines ITEMS (complaints) and/or REVIEWS;
with no argument it only re-checks the two files already written.
"""

from __future__ import annotations

import json
import re
import runpy
import sys
from pathlib import Path

from complaintdesk.analysis.model import (
    CATEGORY_LABELS,
    CUSTOMER_TYPES,
    DEMAND_KINDS,
    EMOTION_LABELS,
    THREAT_KINDS,
)

HERE = Path(__file__).resolve().parent
ITEMS_FILE = HERE / "tune-b.jsonl"
REVIEWS_FILE = HERE / "reviews-tune-b.jsonl"
SOURCE_KINDS = {"complaint_platform", "consumer_case", "news", "forum", "review", "telecom_appeal", "court"}
SCRIPTS = {"simplified", "traditional", "mixed"}
FAULTS = {
    "missed_appointment",
    "broken_promise",
    "staff_misconduct",
    "billing_error",
    "wrongful_suspension",
    "not_as_described",
    "runaround",
}
VALENCES = {"negative", "neutral", "positive"}
FACT_KEYS = {"purchase_date", "repair_count", "amounts_yuan", "product_models"}
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_item(o: dict, n: int) -> list[str]:
    e: list[str] = []
    if not re.fullmatch(r"tb-\d{4}", o.get("id", "")) or o["id"] != f"tb-{n:04d}":
        e.append(f"id {o.get('id')} should be tb-{n:04d}")
    if o.get("split") != "tune":
        e.append("split")
    if not str(o.get("source", "")).startswith("http"):
        e.append("source")
    if o.get("source_kind") not in SOURCE_KINDS:
        e.append(f"source_kind {o.get('source_kind')}")
    if o.get("script") not in SCRIPTS:
        e.append("script")
    if not o.get("text") or len(o["text"]) < 8:
        e.append("text")
    if "today" in o and not DATE.match(o["today"]):
        e.append("today")
    x = o.get("expect", {})
    if x.get("emotion") not in EMOTION_LABELS:
        e.append(f"emotion {x.get('emotion')}")
    if x.get("valence") not in VALENCES:
        e.append("valence")
    for key, vocab in (
        ("customer_types", CUSTOMER_TYPES),
        ("demands", DEMAND_KINDS),
        ("threats", THREAT_KINDS),
        ("company_faults", FAULTS),
    ):
        vals = x.get(key)
        if not isinstance(vals, list) or any(v not in vocab for v in vals) or len(set(vals)) != len(vals):
            e.append(f"{key} {vals}")
    if not isinstance(x.get("chronic_complainer"), bool):
        e.append("chronic_complainer")
    if x.get("category") not in CATEGORY_LABELS:
        e.append(f"category {x.get('category')}")
    f = x.get("facts", {})
    if set(f) - FACT_KEYS:
        e.append(f"facts keys {set(f) - FACT_KEYS}")
    if "purchase_date" in f and not DATE.match(f["purchase_date"]):
        e.append("purchase_date")
    if "repair_count" in f and not isinstance(f["repair_count"], int):
        e.append("repair_count")
    if not all(isinstance(a, (int, float)) for a in f.get("amounts_yuan", [])):
        e.append("amounts_yuan")
    for label, word in o.get("spans", {}).items():
        kind, _, value = label.partition(".")
        if word not in o["text"]:
            e.append(f"span {label}={word!r} not in text")
        if kind in ("demands", "threats", "customer_types") and value not in x.get(kind, []):
            e.append(f"span {label} not among labels")
    for t in x.get("customer_types", []):
        if f"customer_types.{t}" not in o.get("spans", {}):
            e.append(f"customer type {t} has no span")
    return e


def check_review(o: dict, n: int) -> list[str]:
    e = []
    if o.get("id") != f"tbr-{n:04d}":
        e.append(f"id {o.get('id')} should be tbr-{n:04d}")
    if (
        o.get("split") != "tune"
        or o.get("script") not in SCRIPTS
        or o.get("label") not in ("negative", "positive")
    ):
        e.append("split/script/label")
    if not str(o.get("source", "")).startswith("http") or not o.get("text"):
        e.append("source/text")
    return e


def load(path: Path) -> list[dict]:
    return (
        [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []
    )


def main() -> int:
    items, reviews = load(ITEMS_FILE), load(REVIEWS_FILE)
    new_items: list[dict] = []
    new_reviews: list[dict] = []
    for batch in sys.argv[1:]:
        ns = runpy.run_path(batch)
        for o in ns.get("ITEMS", []):
            o = {"id": f"tb-{len(items) + len(new_items) + 1:04d}", "split": "tune", **o}
            new_items.append(o)
        for o in ns.get("REVIEWS", []):
            new_reviews.append({"id": f"tbr-{len(reviews) + len(new_reviews) + 1:04d}", "split": "tune", **o})
    errors = []
    texts = set()
    for n, o in enumerate(items + new_items, 1):
        errors += [f"{o.get('id')}: {m}" for m in check_item(o, n)]
        if o["text"] in texts:
            errors.append(f"{o['id']}: duplicate text")
        texts.add(o["text"])
    for n, o in enumerate(reviews + new_reviews, 1):
        errors += [f"{o.get('id')}: {m}" for m in check_review(o, n)]
    if errors:
        print("\n".join(errors))
        return 1
    for path, rows in ((ITEMS_FILE, new_items), (REVIEWS_FILE, new_reviews)):
        if rows:
            with path.open("a", encoding="utf-8") as fh:
                for o in rows:
                    fh.write(json.dumps(o, ensure_ascii=False) + "\n")
    print(
        f"ok: {len(items) + len(new_items)} items (+{len(new_items)}), "
        f"{len(reviews) + len(new_reviews)} reviews (+{len(new_reviews)})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
