"""Validate and append items of the third tune part of the real corpus (issue 19).

Usage: python scripts/check_tune_c.py complaints|reviews [BATCH.json]
BATCH.json is a JSON list written in a short form (src, kind, script, text, e, cat, d, t, f, ct,
chronic, facts, spans, today, valence; reviews: src, script, text, label). Each item is expanded to
the corpus format, checked against the vocabularies of analysis/model.py and the corpus guide (spans
must occur in the text; a customer type needs a span), its source checked against the test split's
and the earlier tune parts' pages, numbered on and appended. With no batch, the files are checked.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from complaintdesk.analysis.model import (
    CATEGORY_LABELS,
    COMPANY_FAULTS,
    CUSTOMER_TYPES,
    DEMAND_KINDS,
    EMOTION_LABELS,
    THREAT_KINDS,
)

DATA = Path(__file__).resolve().parents[1] / "src" / "complaintdesk" / "analysis" / "data"
COMPLAINTS = DATA / "corpus_tune_c.jsonl"
REVIEWS = DATA / "reviews_tune_c.jsonl"
EXCLUDED = [Path("/work/notes/test_urls.txt"), Path("/work/notes/tune_urls.txt")]
SOURCE_KINDS = {"complaint_platform", "consumer_case", "news", "forum", "review", "telecom_appeal", "court"}
SCRIPTS = {"simplified", "traditional", "mixed"}
VALENCES = {"negative", "neutral", "positive"}
FACT_KEYS = {"purchase_date", "repair_count", "amounts_yuan", "product_models"}
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _norm(url: str) -> str:
    return re.sub(r"^https?://(www\.)?", "", url.strip()).rstrip("/")


def excluded_urls() -> set[str]:
    urls: set[str] = set()
    for path in EXCLUDED:
        urls |= {_norm(u) for u in path.read_text(encoding="utf-8").split() if u.strip()}
    for other in (
        "corpus_tune_a.jsonl",
        "corpus_tune_b.jsonl",
        "reviews_tune_a.jsonl",
        "reviews_tune_b.jsonl",
    ):
        urls |= {_norm(it["source"]) for it in load(DATA / other)}
    return urls


def _subset(where: str, values: object, allowed: tuple[str, ...]) -> None:
    if not isinstance(values, list) or not all(v in allowed for v in values):
        raise ValueError(f"{where}: {values!r} not a list from {sorted(allowed)}")
    if len(set(values)) != len(values):
        raise ValueError(f"{where}: duplicates in {values!r}")


def expand_complaint(short: dict, ident: str) -> dict:
    allowed = {
        "src",
        "kind",
        "script",
        "text",
        "e",
        "cat",
        "d",
        "t",
        "f",
        "ct",
        "chronic",
        "facts",
        "spans",
        "today",
        "valence",
    }
    if short.keys() - allowed:
        raise ValueError(f"{ident}: unknown short fields {sorted(short.keys() - allowed)}")
    emotion = short["e"]
    item = {
        "id": ident,
        "split": "tune",
        "source": short["src"],
        "source_kind": short["kind"],
        "script": short["script"],
        "text": short["text"],
    }
    if "today" in short:
        item["today"] = short["today"]
    expect = {
        "emotion": emotion,
        "valence": short.get("valence", "neutral" if emotion == "calm" else "negative"),
        "customer_types": short.get("ct", []),
        "chronic_complainer": short.get("chronic", False),
        "demands": short.get("d", []),
        "threats": short.get("t", []),
        "category": short["cat"],
        "company_faults": short.get("f", []),
    }
    if short.get("facts"):
        expect["facts"] = short["facts"]
    item["expect"] = expect
    if short.get("spans"):
        item["spans"] = short["spans"]
    return item


def check_complaint(item: dict, where: str) -> None:
    if not re.fullmatch(r"tc-\d{4}", item["id"]) or item["split"] != "tune":
        raise ValueError(f"{where}: bad id/split")
    if not item["source"].startswith("http"):
        raise ValueError(f"{where}: source is not a URL")
    if item["source_kind"] not in SOURCE_KINDS or item["script"] not in SCRIPTS:
        raise ValueError(f"{where}: bad source_kind/script {item['source_kind']} {item['script']}")
    if len(item["text"]) < 8:
        raise ValueError(f"{where}: text too short")
    if "today" in item and not DATE.match(item["today"]):
        raise ValueError(f"{where}: today {item['today']!r}")
    e = item["expect"]
    if (
        e["emotion"] not in EMOTION_LABELS
        or e["valence"] not in VALENCES
        or e["category"] not in CATEGORY_LABELS
    ):
        raise ValueError(f"{where}: emotion/valence/category {e['emotion']} {e['valence']} {e['category']}")
    if e["emotion"] == "calm" and e["valence"] != "neutral":
        raise ValueError(f"{where}: a calm text is neutral in valence")
    if not isinstance(e["chronic_complainer"], bool):
        raise ValueError(f"{where}: chronic_complainer must be bool")
    _subset(f"{where} customer_types", e["customer_types"], CUSTOMER_TYPES)
    _subset(f"{where} demands", e["demands"], DEMAND_KINDS)
    _subset(f"{where} threats", e["threats"], THREAT_KINDS)
    _subset(f"{where} company_faults", e["company_faults"], COMPANY_FAULTS)
    facts = e.get("facts", {})
    if facts.keys() - FACT_KEYS:
        raise ValueError(f"{where}: unknown facts {sorted(facts.keys() - FACT_KEYS)}")
    if "purchase_date" in facts and not DATE.match(facts["purchase_date"]):
        raise ValueError(f"{where}: purchase_date {facts['purchase_date']!r}")
    if "repair_count" in facts and not isinstance(facts["repair_count"], int):
        raise ValueError(f"{where}: repair_count must be int")
    if "amounts_yuan" in facts and not all(isinstance(a, (int, float)) for a in facts["amounts_yuan"]):
        raise ValueError(f"{where}: amounts_yuan must be numbers")
    if "product_models" in facts and not all(m in item["text"] for m in facts["product_models"]):
        raise ValueError(f"{where}: a product model is not in the text")
    spans = item.get("spans", {})
    for key, span in spans.items():
        head, _, label = key.partition(".")
        vocab = {
            "demands": DEMAND_KINDS,
            "threats": THREAT_KINDS,
            "customer_types": CUSTOMER_TYPES,
            "company_faults": COMPANY_FAULTS,
            "category": CATEGORY_LABELS,
            "emotion": EMOTION_LABELS,
        }
        if head not in vocab or label not in vocab[head]:
            raise ValueError(f"{where}: span key {key!r}")
        if span not in item["text"]:
            raise ValueError(f"{where}: span {key}={span!r} is not in the text")
    for t in e["customer_types"]:
        if f"customer_types.{t}" not in spans:
            raise ValueError(f"{where}: customer type {t} needs a span")


def check_review(item: dict, where: str) -> None:
    if set(item) != {"id", "split", "source", "script", "text", "label"}:
        raise ValueError(f"{where}: fields {sorted(item)}")
    if not re.fullmatch(r"tcr-\d{4}", item["id"]) or item["split"] != "tune":
        raise ValueError(f"{where}: bad id/split")
    if item["script"] not in SCRIPTS or item["label"] not in {"negative", "positive"}:
        raise ValueError(f"{where}: script/label")
    if not item["source"].startswith("http") or len(item["text"]) < 4:
        raise ValueError(f"{where}: source/text")


def expand_review(short: dict, ident: str) -> dict:
    return {
        "id": ident,
        "split": "tune",
        "source": short["src"],
        "script": short["script"],
        "text": short["text"],
        "label": short["label"],
    }


def load(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> None:
    kind = sys.argv[1]
    if kind == "complaints":
        path, prefix, check, expand = COMPLAINTS, "tc", check_complaint, expand_complaint
    else:
        path, prefix, check, expand = REVIEWS, "tcr", check_review, expand_review
    banned = excluded_urls()
    items = load(path)
    new: list[dict] = []
    if len(sys.argv) > 2:
        batch = json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
        new = [expand(it, f"{prefix}-{i:04d}") for i, it in enumerate(batch, start=len(items) + 1)]
    texts: set[str] = set()
    errors = []
    for it in items + new:
        try:
            check(it, it["id"])
            if _norm(it["source"]) in banned:
                raise ValueError(f"{it['id']}: source {it['source']} is a test or earlier tune page")
            if it["text"] in texts:
                raise ValueError(f"{it['id']}: duplicate text")
        except (ValueError, KeyError) as exc:
            errors.append(str(exc))
        texts.add(it["text"])
    if errors:
        raise SystemExit("\n".join(errors))
    if new:
        with path.open("a", encoding="utf-8") as fh:
            for it in new:
                fh.write(json.dumps(it, ensure_ascii=False) + "\n")
    print(f"{path.name}: {len(items) + len(new)} items ok ({len(new)} new)")


if __name__ == "__main__":
    main()
