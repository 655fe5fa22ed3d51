"""Validate (and append to) the tune-a part of the real-complaint corpus (issue 19).

    python eval/analysis_real/check_tune_a.py                 # check tune-a.jsonl and reviews-tune-a.jsonl
    python eval/analysis_real/check_tune_a.py --append B.json  # check a batch (a JSON list) and append it

A batch is appended only when every item in it passes, so the file never holds half a batch.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import opencc

from complaintdesk.analysis.model import (
    CATEGORY_LABELS,
    CUSTOMER_TYPES,
    DEMAND_KINDS,
    EMOTION_LABELS,
    THREAT_KINDS,
)

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "tune-a.jsonl"
REVIEWS = HERE / "reviews-tune-a.jsonl"
SOURCE_KINDS = {"complaint_platform", "consumer_case", "news", "forum", "review", "telecom_appeal", "court"}
SCRIPTS = {"simplified", "traditional", "mixed"}
VALENCES = {"negative", "neutral", "positive"}
COMPANY_FAULTS = {
    "missed_appointment",
    "broken_promise",
    "staff_misconduct",
    "billing_error",
    "wrongful_suspension",
    "not_as_described",
    "runaround",
}
FACT_KEYS = {"purchase_date", "repair_count", "amounts_yuan", "product_models"}
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# OpenCC (a project dependency) tells the scripts apart: a character that t2s changes is traditional-only,
# one that s2t changes is simplified-only -- except these, which Hong Kong and Taiwan also write (台, Cantonese
# 晒/吓, 床, 群 ...), so they prove nothing.
_T2S = opencc.OpenCC("t2s")
_S2T = opencc.OpenCC("s2t")
SHARED = set("台吃晒床群霉几吓准划游才面干里后发松")
ID_RE = {"corpus": re.compile(r"^ta-\d{4}$"), "review": re.compile(r"^tar-\d{4}$")}


def _script_problem(text: str, script: str) -> str | None:
    trad = sum(_T2S.convert(ch) != ch for ch in text)
    simp = sum(_S2T.convert(ch) != ch and ch not in SHARED for ch in text)
    if script == "simplified" and trad:
        return f"declared simplified but has {trad} traditional-only characters"
    if script == "traditional" and (trad < 1 or simp):
        return f"declared traditional but has {trad} traditional / {simp} simplified-only characters"
    if script == "mixed" and not (trad and simp):
        return f"declared mixed but has {trad} traditional / {simp} simplified-only characters"
    return None


def check_item(item: dict[str, Any], where: str) -> list[str]:
    errs: list[str] = []
    need = {"id", "split", "source", "source_kind", "script", "text", "expect"}
    extra = set(item) - need - {"today", "spans"}
    errs += [f"{where}: missing field {k}" for k in sorted(need - set(item))]
    errs += [f"{where}: unknown field {k}" for k in sorted(extra)]
    if errs:
        return errs
    if not ID_RE["corpus"].match(item["id"]):
        errs.append(f"{where}: id {item['id']!r} is not ta-NNNN")
    if item["split"] != "tune":
        errs.append(f"{where}: split must be tune")
    if not str(item["source"]).startswith("http"):
        errs.append(f"{where}: source is not a URL")
    if item["source_kind"] not in SOURCE_KINDS:
        errs.append(f"{where}: source_kind {item['source_kind']!r}")
    if item["script"] not in SCRIPTS:
        errs.append(f"{where}: script {item['script']!r}")
    text = item["text"]
    if not isinstance(text, str) or len(text) < 8:
        errs.append(f"{where}: text too short")
        return errs
    problem = _script_problem(text, item["script"])
    if problem:
        errs.append(f"{where}: {problem}")
    if "today" in item and not DATE.match(item["today"]):
        errs.append(f"{where}: today {item['today']!r} is not YYYY-MM-DD")
    exp = item["expect"]
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
    shape = [f"{where}: expect.{k} missing" for k in sorted(need_e - set(exp))]
    shape += [f"{where}: expect.{k} unknown" for k in sorted(set(exp) - need_e - {"facts"})]
    if shape:  # the label checks below need every field
        return errs + shape
    vocab = {
        "customer_types": CUSTOMER_TYPES,
        "demands": DEMAND_KINDS,
        "threats": THREAT_KINDS,
        "company_faults": COMPANY_FAULTS,
    }
    if exp["emotion"] not in EMOTION_LABELS:
        errs.append(f"{where}: emotion {exp['emotion']!r}")
    if exp["valence"] not in VALENCES:
        errs.append(f"{where}: valence {exp['valence']!r}")
    if exp["category"] not in CATEGORY_LABELS:
        errs.append(f"{where}: category {exp['category']!r}")
    if not isinstance(exp["chronic_complainer"], bool):
        errs.append(f"{where}: chronic_complainer must be a bool")
    for key, allowed in vocab.items():
        vals = exp[key]
        if not isinstance(vals, list) or len(set(vals)) != len(vals):
            errs.append(f"{where}: {key} must be a list without repeats")
            continue
        errs += [f"{where}: {key} has unknown {v!r}" for v in vals if v not in allowed]
    facts = exp.get("facts", {})
    errs += [f"{where}: facts.{k} unknown" for k in facts if k not in FACT_KEYS]
    if "purchase_date" in facts and not DATE.match(str(facts["purchase_date"])):
        errs.append(f"{where}: purchase_date {facts['purchase_date']!r}")
    if "repair_count" in facts and not isinstance(facts["repair_count"], int):
        errs.append(f"{where}: repair_count must be an int")
    if any(not isinstance(a, (int, float)) for a in facts.get("amounts_yuan", [])):
        errs.append(f"{where}: amounts_yuan must be numbers")
    for key, span in item.get("spans", {}).items():
        group, _, label = key.partition(".")
        if group in vocab and label not in exp[group]:
            errs.append(f"{where}: span {key} for a label not in expect")
        if group not in vocab and group not in {"category", "emotion", "chronic"}:
            errs.append(f"{where}: span group {group!r} unknown")
        if span not in text:
            errs.append(f"{where}: span {key}={span!r} is not in the text")
    for t in exp["customer_types"]:
        if f"customer_types.{t}" not in item.get("spans", {}):
            errs.append(f"{where}: customer type {t} without a span")
    return errs


def check_review(item: dict[str, Any], where: str) -> list[str]:
    errs: list[str] = []
    need = {"id", "split", "source", "script", "text", "label"}
    if set(item) != need:
        return [f"{where}: fields {sorted(item)} != {sorted(need)}"]
    if not ID_RE["review"].match(item["id"]):
        errs.append(f"{where}: id {item['id']!r} is not tar-NNNN")
    if item["split"] != "tune" or item["label"] not in {"negative", "positive"}:
        errs.append(f"{where}: split/label")
    if not str(item["source"]).startswith("http") or item["script"] not in SCRIPTS:
        errs.append(f"{where}: source/script")
    problem = _script_problem(item["text"], item["script"])
    if problem:
        errs.append(f"{where}: {problem}")
    return errs


def _load(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def check_file(path: Path, items: list[dict[str, Any]]) -> list[str]:
    review = path == REVIEWS
    errs: list[str] = []
    ids = Counter(i.get("id") for i in items)
    errs += [f"{path.name}: id {k} repeated" for k, n in ids.items() if n > 1]
    for n, item in enumerate(items, 1):
        errs += (check_review if review else check_item)(item, f"{path.name}:{n} {item.get('id')}")
    return errs


def summary(items: list[dict[str, Any]]) -> str:
    def by(key: Callable[[dict[str, Any]], str]) -> dict[str, int]:
        return dict(Counter(key(i) for i in items).most_common())

    lens = sorted(len(i["text"]) for i in items)
    return "\n".join(
        [
            f"items {len(items)}; median length {lens[len(lens) // 2] if lens else 0}; max {lens[-1] if lens else 0}",
            f"script {by(lambda i: i['script'])}",
            f"category {by(lambda i: i['expect']['category'])}",
            f"emotion {by(lambda i: i['expect']['emotion'])}",
            f"types {dict(Counter(t for i in items for t in i['expect']['customer_types']))}",
            f"demands {dict(Counter(t for i in items for t in i['expect']['demands']))}",
            f"threats {dict(Counter(t for i in items for t in i['expect']['threats']))}",
            f"faults {dict(Counter(t for i in items for t in i['expect']['company_faults']))}",
            f"repeated sources {[s for s, n in Counter(i['source'] for i in items).items() if n > 1]}",
        ]
    )


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "--append":
        batch = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
        review = bool(batch) and "label" in batch[0]
        path = REVIEWS if review else CORPUS
        old = _load(path)
        errs = check_file(path, old + batch)
        if errs:
            print("\n".join(errs))
            return 1
        with path.open("a", encoding="utf-8") as fh:
            for item in batch:
                fh.write(json.dumps(item, ensure_ascii=False) + "\n")
        print(f"appended {len(batch)} to {path.name} ({len(old) + len(batch)} now)")
        return 0
    corpus, reviews = _load(CORPUS), _load(REVIEWS)
    errs = check_file(CORPUS, corpus) + check_file(REVIEWS, reviews)
    print("\n".join(errs) if errs else "ok")
    print(summary(corpus))
    print(f"reviews {len(reviews)} {dict(Counter((r['label'], r['script']) for r in reviews))}")
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
