"""How issue 20's sixth-round corpus scenarios were added to eval/assist_real.jsonl (appended; ids already
in the file are left alone).

Each is a real-grounded complaint of the analysis tune corpus, chosen for a failure class the drafts
handled poorly on the tune split (the thing a complaint is about: a meter, a bag, a lift; a chronic
complainer's sweeping claims). The gold follows from the corpus's own reviewed labels exactly as in
``build_assist_real.py`` (company faults -> full apology, none -> non-admission, a chronic complainer with
none -> no apology; threats -> escalation), plus one must-say point: the thing the complaint is about, in
its own word. The split is the hash of the id (``assist.evaluate.split_of``), never chosen. Run from the
repository root.
"""

import glob
import json
import sys
from pathlib import Path

sys.path.insert(0, "src")
from complaintdesk.assist.evaluate import split_of

FILE = Path("eval/assist_real.jsonl")
NOW = "2026-11-23T10:00:00+08:00"
TIME = "re:\\d+月\\d+日\\d{1,2}:\\d\\d前"
ADMIT = ["是我们做得不对", "是我们的错", "我们做错了"]
TEXT_FAULTS = {"missed_appointment", "broken_promise", "staff_misconduct", "billing_error", "wrongful_suspension",
               "runaround"}
THREAT_LEVEL = {"regulator": "manager", "media": "manager", "lawyer": "manager", "social_media": "team_lead",
                "violence": "team_lead"}
RANK = {None: 0, "team_lead": 1, "manager": 2, "head_office": 3}
# corpus id -> the thing the complaint is about, as the draft must name it
CHOSEN = {"ta-0040": ["表"], "ta-0060": ["行李"], "tg-0009": ["行李"], "tg-0170": ["行李"], "tg-0171": ["行李"],
          "tg-0172": ["行李"], "tb-0081": ["电梯"], "tc-0162": ["电梯"], "td-0070": ["电梯"], "td-0073": ["电梯"],
          "ta-0185": []}

corpus = {r["id"]: r for path in sorted(glob.glob("src/complaintdesk/analysis/data/corpus_tune_*.jsonl"))
          for r in map(json.loads, Path(path).read_text(encoding="utf-8").splitlines())}
lines = FILE.read_text(encoding="utf-8").splitlines()
have = {json.loads(line)["id"] for line in lines if line.strip()}
added = []
for rid, subject in CHOSEN.items():
    sid = f"ar-{rid}"
    if sid in have:
        continue
    r = corpus[rid]
    e = r["expect"]
    faults = [f for f in e.get("company_faults", []) if f in TEXT_FAULTS]
    chronic = bool(e.get("chronic_complainer"))
    style = "full" if faults else ("none" if chronic else "non_admission")
    escalate = None
    for t in e.get("threats", []):
        if RANK[THREAT_LEVEL.get(t)] > RANK[escalate]:
            escalate = THREAT_LEVEL.get(t)
    say = {"full": [["道歉", "对不起"]], "non_admission": [["抱歉"]], "none": [["理解", "明白"]]}[style]
    say = say + ([subject] if subject else []) + [[TIME]]
    added.append({"id": sid, "split": split_of(sid), "source": r["source"], "text": r["text"], "stage": "accepted",
                  "now": NOW, "channel": "phone", "facts": {"today": "2026-11-23"}, "messages": [],
                  "expect": {"apology": style, "escalate": escalate, "must_say": say,
                             "must_not_say": [] if style == "full" else ADMIT},
                  "note": "sixth round; gold labels: company faults " + (", ".join(faults) or "none")
                          + ("; chronic complainer" if chronic else "")})
FILE.write_text("\n".join([*lines, *(json.dumps(a, ensure_ascii=False) for a in added)]) + "\n", encoding="utf-8")
print(len(added), "added:", ", ".join(f"{a['id']} ({a['split']})" for a in added))
