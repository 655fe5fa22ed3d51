"""Build the 质检 evaluation sets in eval/ from the hand-written sources in this folder.

    PYTHONPATH=src python scripts/quality_eval/build.py

courteous.txt → eval/quality_courteous.jsonl (one agent line each, "{biz}" lines over several topics);
pairs.txt → eval/quality_real.jsonl (bad/good reply pairs with the bad one's flaws);
paraphrases.tsv → eval/quality_paraphrases.jsonl (our rewordings of the bank's frozen test part).
Splits are decided by a hash of the text, never by hand.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "src"))

from complaintdesk.quality.bank import load_bank  # noqa: E402

TOPICS = ("宽带", "话费", "快递", "电费", "信用卡", "燃气", "水费", "退款", "维修", "会员卡", "订单", "保单")


def split(text: str, test_share: float = 0.5) -> str:
    value = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:4], "big") / 2**32
    return "test" if value < test_share else "tune"


def grouped(path: Path) -> list[tuple[str, str]]:
    """(source, line) for each non-comment line under its "@ URL" header."""
    source = ""
    out = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@ "):
            source = line[2:].strip()
            continue
        out.append((source, line))
    return out


def courteous() -> list[dict[str, str]]:
    rows = []
    for source, line in grouped(HERE / "courteous.txt"):
        for text in ([line.replace("{biz}", t) for t in TOPICS] if "{biz}" in line else [line]):
            rows.append({"text": text, "source": source, "split": split(text)})
    return rows


def pairs() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    customer = good = ""
    for source, line in grouped(HERE / "pairs.txt"):
        tag, _, body = line.partition(": ")
        if tag == "C":
            customer = body
        elif tag == "G":
            good = body
        elif tag == "B":
            flaws, _, bad = body.partition(" | ")
            rows.append({
                "id": f"p{len(rows) + 1:03d}", "customer": customer, "bad": bad.strip(), "good": good,
                "flaws": [f.strip() for f in flaws.split(",")], "source": source, "split": split(bad + good),
            })
    return rows


def paraphrases() -> list[dict[str, str]]:
    bank = {e.phrase: e for e in load_bank().part("test")}
    rows = []
    for raw in (HERE / "paraphrases.tsv").read_text(encoding="utf-8").splitlines():
        if not raw.strip():
            continue
        original, text = raw.split("\t")
        entry = bank[original]  # a paraphrase of anything but the frozen test part is a mistake
        rows.append({"of": original, "text": text, "family": entry.family, "source": entry.source})
    return rows


def write(name: str, rows: list[dict[str, object]] | list[dict[str, str]]) -> None:
    path = ROOT / "eval" / name
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"{path.relative_to(ROOT)}: {len(rows)}")


if __name__ == "__main__":
    write("quality_courteous.jsonl", courteous())
    write("quality_real.jsonl", pairs())
    write("quality_paraphrases.jsonl", paraphrases())
