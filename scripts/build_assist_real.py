"""How eval/assist_real.jsonl was written: the reviewed scenarios for `complaintdesk eval assist`.

The jsonl is the artefact; this script records how each corpus scenario's gold follows from the
corpus's own reviewed labels (company faults -> full apology naming the first one, none -> non-admission;
threats -> escalation) and holds the hand-written seed and chronic-complainer scenarios. The split is a
hash of the id (``assist.evaluate.split_of``), fixed before the engine ran. Run from the repository root.
"""

import hashlib
import json
from collections import Counter
from pathlib import Path

CORPUS = "src/complaintdesk/analysis/data/corpus_tune_b.jsonl"
rows = {
    r["id"]: r
    for c in (CORPUS, CORPUS.replace("tune_b", "tune_a"))
    for r in map(json.loads, Path(c).read_text(encoding="utf-8").splitlines())
}
NOW = "2026-11-23T10:00:00+08:00"
TODAY = "2026-11-23"
FAULT_WORDS = {
    "missed_appointment": ["上门", "约定的时间", "没有按约"],
    "broken_promise": ["承诺", "答应"],
    "staff_misconduct": ["态度", "言行", "说话"],
    "billing_error": ["收费", "扣费", "多收", "费用"],
    "wrongful_suspension": ["停机", "停了"],
    "runaround": ["推来推去", "来回", "转来转去", "一直没有"],
}
TEXT_FAULTS = set(FAULT_WORDS)
THREAT_LEVEL = {"regulator": "manager", "media": "manager", "lawyer": "manager", "social_media": "team_lead", "violence": "team_lead"}
RANK = {None: 0, "team_lead": 1, "manager": 2, "head_office": 3}
TIME = "re:\\d+月\\d+日\\d{1,2}:\\d\\d前"
ADMIT = ["是我们做得不对", "是我们的错", "我们做错了"]

def split(sid):
    return "test" if int(hashlib.sha256(sid.encode()).hexdigest()[:8], 16) % 10 < 4 else "tune"

def esc(threats):
    best = None
    for t in threats:
        lvl = THREAT_LEVEL.get(t)
        if RANK[lvl] > RANK[best]:
            best = lvl
    return best

out = []
def add(sid, source, text, stage, style, escalate, must_say, must_not_say, facts=None, note="", messages=None, channel="phone"):
    rec = {"id": sid, "split": split(sid), "source": source, "text": text, "stage": stage, "now": NOW,
           "channel": channel, "facts": facts or {}, "messages": messages or [],
           "expect": {"apology": style, "escalate": escalate, "must_say": must_say, "must_not_say": must_not_say},
           "note": note}
    out.append(rec)

STAGES = ["accepted", "calming", "clarifying", "proposing", "acting"]
OVERRIDE = {  # per corpus item: facts recorded by the agent, stage, channel, extra points
    "tb-0177": dict(stage="proposing", facts={"today": TODAY, "offer": {"kind": "compensation", "amount": 50}, "role": "agent",
                    "demands": ["repair", "expedite", "compensation"]}, say=[["50元"]], note="recorded offer within the agent's authority"),
    "tb-0148": dict(stage="proposing", facts={"today": TODAY, "offer": {"kind": "compensation", "amount": 30}, "role": "agent",
                    "demands": ["repair", "expedite"]}, say=[["30元"]], note="recorded goodwill offer"),
    "tb-0124": dict(stage="proposing", facts={"today": TODAY, "offer": {"kind": "compensation", "amount": 20}, "role": "agent",
                    "demands": ["apology", "discipline_staff", "compensation"]}, say=[["20元"]], notsay=["处理结果告诉您", "开除"],
                    note="staff discipline is decided internally: never promise an outcome"),
    "tb-0142": dict(stage="proposing", facts={"today": TODAY, "offer": {"kind": "refund", "amount": 100}, "role": "agent",
                    "demands": ["explanation", "refund"]}, say=[["100元"], ["退"]], note="recorded refund offer"),
    "tb-0113": dict(stage="proposing", facts={"today": TODAY, "offer": {"kind": "refund", "amount": 750}, "role": "agent",
                    "demands": ["refund", "compensation", "expedite"]}, escalate="team_lead", notsay=["为您退款750元", "给您退750元"],
                    note="offer above the agent's authority: report first, do not promise the amount"),
    "tb-0099": dict(stage="acting", facts={"today": TODAY, "offer": {"kind": "gift", "amount": 50}, "role": "agent",
                    "demands": ["expedite", "explanation"]}, say=[["50元"]]),
    "tb-0068": dict(stage="proposing", facts={"today": TODAY, "offer": {"kind": "waive_fee", "amount": 100}, "role": "agent",
                    "demands": ["explanation", "waive_fee"]}, say=[["100元"], ["免", "减免", "不收"]]),
    "tb-0100": dict(stage="clarifying", channel="sms"),
    "tb-0070": dict(stage="calming", channel="sms"),
    "tb-0092": dict(stage="accepted", channel="sms"),
    "tb-0146": dict(stage="accepted", channel="letter", note="a complaint sent twice: the reply is a letter"),
    "tb-0180": dict(stage="clarifying", channel="letter"),
    "tb-0178": dict(stage="accepted", channel="letter"),
}
CHOSEN = ["tb-0009", "ta-0001", "ta-0003", "tb-0025", "tb-0027", "tb-0030", "ta-0043", "ta-0056", "tb-0035", "tb-0068", "ta-0082", "tb-0086", "tb-0088", "tb-0092", "tb-0093", "tb-0094", "tb-0096", "tb-0107", "ta-0088", "tb-0111", "tb-0114", "tb-0118", "tb-0119", "tb-0120", "tb-0124", "tb-0125", "tb-0126", "tb-0141", "tb-0142", "tb-0143", "tb-0146", "tb-0147", "tb-0148", "tb-0150", "tb-0151", "tb-0172", "tb-0177", "tb-0179", "tb-0180", "ta-0046", "tb-0022", "tb-0023", "tb-0029", "tb-0033", "tb-0067", "tb-0069", "tb-0070", "tb-0074", "tb-0078", "tb-0080", "tb-0099", "tb-0100", "tb-0113", "tb-0115", "tb-0123", "tb-0144", "ta-0057", "tb-0066", "tb-0072", "tb-0087", "tb-0109", "tb-0178", "ta-0004", "ta-0005", "ta-0024", "ta-0029", "ta-0034", "ta-0039", "ta-0044", "ta-0047", "ta-0049", "ta-0051", "ta-0054", "ta-0085", "ta-0086", "ta-0090"]
for i, rid in enumerate(CHOSEN):
    r = rows[rid]
    e = r["expect"]
    o = OVERRIDE.get(rid, {})
    faults = [f for f in e.get("company_faults", []) if f in TEXT_FAULTS]
    style = "full" if faults else "non_admission"
    stage = o.get("stage", STAGES[i % len(STAGES)])
    say = []
    if style == "full":
        say.append(FAULT_WORDS[faults[0]])
        say.append(["道歉", "对不起"])
    else:
        say.append(["抱歉"])
    say.append([TIME])
    say += o.get("say", [])
    notsay = ([] if style == "full" else list(ADMIT)) + o.get("notsay", [])
    escalate = o.get("escalate", esc(e.get("threats", [])))
    if RANK[esc(e.get("threats", []))] > RANK[escalate]:
        escalate = esc(e.get("threats", []))
    add(f"ar-{rid}", r["source"], r["text"], stage, style, escalate, say, notsay, facts=o.get("facts"),
        note=o.get("note", "company faults in the gold labels: " + (", ".join(faults) or "none")), channel=o.get("channel", "phone"))

S000 = "seed 000 致歉的重要性(宽带欠费不到30天被停机)"
S001 = "seed 001 难缠客户"
S002 = "seed 002 尊重与真诚(充值赠送号码)"
S004 = "seed 004 让投诉成为沟通的桥梁(承诺24小时,实际48小时)"
BB = ("今天上午九点半发现宽带连不上，打10000号才知道是欠费被停了。我只是这个月忘了交，欠费最多不到30天，"
      "客服两次很生硬地说“这是不可能的”。我要求恢复宽带、赔偿停机损失，并且要一个道歉，不然我就向工信部申诉。")
BB_FACTS = {"today": TODAY, "customer_name": "王女士", "product": {"kind": "broadband"},
            "billing": {"prepaid": False, "monthly_fee": 60, "due_date": "2026-11-05", "suspended_on": "2026-11-20",
                        "paid_on": "2026-11-22", "restored_on": "2026-11-22"},
            "demands": ["restore_service", "compensation", "apology"]}
add("ar-seed000-broadband-restored", S000, BB, "proposing", "full", "manager",
    [["停机", "停了"], ["道歉"], ["6元"], ["已经恢复", "已经为您恢复", "已恢复"]],
    ["违约金", "为您办理复机", "为您恢复服务", "恢复服务并回电", "核实停机记录再办理复机", "系统平台比较繁忙"],
    facts=BB_FACTS, note="wrongful suspension, service already restored: refund the days, never promise to restore again, no late fee")
BB_OPEN = {**BB_FACTS, "billing": {k: v for k, v in BB_FACTS["billing"].items() if k != "restored_on"}}
add("ar-seed000-broadband-still-cut", S000, BB, "acting", "full", "manager",
    [["停机", "停了"], ["道歉"], ["复机", "恢复"], [TIME]],
    ["违约金", "马上为您办理复机", "需要先核实停机记录", "系统平台比较繁忙"],
    facts=BB_OPEN, note="still cut: one promise to restore, with one time, no contradiction")
LAWFUL = {"today": TODAY, "customer_name": "赵先生", "product": {"kind": "broadband"},
          "billing": {"prepaid": False, "monthly_fee": 60, "amount_due": 120, "due_date": "2026-09-30",
                      "suspended_on": "2026-11-20"}, "demands": ["restore_service", "waive_fee"]}
add("ar-seed000-lawful-suspension-late-fee", S000,
    "宽带突然断了，打电话才知道是欠费停机。两个月忙忘了交，你们就不能提前打个电话提醒一下吗？赶紧给我开通。",
    "proposing", "non_admission", None, [["抱歉"], [TIME]],
    ["违约金上限", "充值到您的账户", "为您违约金", "是我们做得不对"] ,
    facts=LAWFUL, note="suspension after more than 30 days is lawful: the late fee is owed by the customer, never a credit")
RC = ("我刚充了话费参加充值送活动，一直没收到赠送号码，没法申请优惠。你们客服让我稍后留意，我不同意；又让我自己发短信查，"
      "我也不要，凭什么让我自己查？马上给我把赠送号码发过来！")
add("ar-seed002-recharge-refused-sms", S002, RC, "clarifying", "non_admission", None,
    [["48小时"], [TIME], ["我这边", "我来", "我帮您", "为您查"]],
    ["发短信", "短信查询", "短信核对", "系统平台比较繁忙", "稍后留意", "是我们做得不对"],
    facts={"today": TODAY, "category": "promotion_rules", "promise_hours": 48},
    note="the customer refused the wait and the SMS self-check: neither is offered again; no invented busy-platform excuse")
TV = ("我2002年3月买的你们MT-34F1A电视，高压包打火、彩色偏，前前后后修了5次。每次维修我都得请假在家等。"
      "今天3·15,我专门到你们呼叫中心来要个说法：必须给我换一台新机器。你们不是说保修五年吗？")
TV_FACTS = {"today": "2005-03-15", "customer_name": "陈先生", "purchase_date": "2002-03-10", "invoice": True,
            "fault": {"kind": "performance"},
            "repairs": [{"date": "2003-05-01", "fixed": True}, {"date": "2003-09-01", "fixed": True},
                        {"date": "2004-02-01", "fixed": True}, {"date": "2004-07-01", "fixed": True},
                        {"date": "2005-01-10", "fixed": True}],
            "contract": {"free_repair_card": True}, "demands": ["exchange", "explanation"]}
add("ar-seed001-tv-five-repairs", S001 + " §七 案例一(电视修了五次)", TV, "proposing", "non_admission", None,
    [["三包"], ["五年免费维修"], ["5次"], ["抱歉"]],
    ["是什么产品", "哪个产品", "是我们做得不对", "给您换一台新"], facts=TV_FACTS,
    note="the text says 电视: never ask which product; not entitled to an exchange: explain 三包 and the card")
WALL = ("上周你们的人给我装电视，挂架比我要的位置低了1.5厘米！你们当时答应给我重新装，到现在也没人来。"
        "今天我就在你们中心等着，不给我解决我跟你们没完，我哥在公安局，信不信我动手！")
add("ar-seed001-wallmount-threat", S001 + " §七 案例二(挂架差1.5厘米)", WALL, "calming", "full", "team_lead",
    [["答应", "承诺"], ["道歉"], [TIME]], ["信不信", "报警", "您冷静"],
    note="the centre promised a reinstall and did not come: own that; threat of violence goes to the team lead")
PARTS = ("电视坏了送修，你们说行包要等配件，已经等了半个多月了，给了台周转机我也不要。这么大的公司连个小配件都没有？"
         "到底哪天能修好，给我个准话。")
add("ar-seed001-parts-shortage", S001 + " §七 案例三.1(缺配件半个月)", PARTS, "clarifying", "non_admission", None,
    [["抱歉"], ["配件"], [TIME]], ["是我们做得不对", "周转机"],
    note="the customer refused the loaner set: it is not offered again")
LATE = ("我周一打电话报修热水器，你们客服说24小时内一定有师傅上门，结果我请了假在家等，等到周三下午才来人。"
        "说好的24小时，你们让我白等了两天。")
add("ar-seed004-promised-24h", S004, LATE, "acting", "full", None,
    [["上门", "约定的时间", "没有按约", "承诺", "答应"], ["道歉"], [TIME]], [],
    note="promised 24 hours, delivered 48: a broken promise the company owns")
SRC_CHRONIC = "seed 001 §二 投诉成癖者 (总是/从不/必须, 还有一件事), modelled on "
C1 = ("你们什么事都办不好！你们的人从来没有一次按时来过，每次都是让我等，都是你们的错。"
      "还有一件事，你们的账单我从来就看不懂，你们必须给我一个说法。")
add("ar-chronic-sweeping", SRC_CHRONIC + rows["tb-0177"]["source"], C1, "calming", "none", None,
    [["理解", "明白"], [TIME]], ["是我们做得不对", "我代表公司向您郑重道歉", "什么事都办不好", "我们深感抱歉"],
    note="sweeping accusations, nothing verified: acknowledge the feeling, no apology, a solution question")
add("ar-chronic-verified-appointment", SRC_CHRONIC + rows["tb-0148"]["source"], C1, "proposing", "full", None,
    [["上门", "约定的时间", "没有按约"], ["道歉", "对不起"]], ["什么事都办不好", "都是我们的错", "账单有误", "账单错了"],
    facts={"today": TODAY, "verified_faults": ["missed_appointment"]},
    note="the agent verified one missed appointment: admit that one fault only, not the sweeping ones")
C2 = ("我跟你们说，你们这个物业永远都是这样，从来不把业主当回事，所有人都在糊弄我。上个月电梯坏了三天，"
      "楼道灯也不修。还有一件事，停车费凭什么又涨？我一点责任都没有，全部责任在你们。")
add("ar-chronic-property", SRC_CHRONIC + rows["tb-0180"]["source"], C2, "clarifying", "none", None,
    [["理解", "明白"], [TIME]], ["是我们做得不对", "我代表公司向您郑重道歉", "从来不把业主当回事"],
    note="a chronic complainer with specific claims not yet verified: pin down facts, no admission")
C3 = ("你们这个4S店总是这样，每次保养都出问题，从来没有一个人能说清楚。都怪你们，我的车必须给我换新的。"
      "还有一点，你们的销售根本不接电话。")
add("ar-chronic-car", SRC_CHRONIC + rows["tb-0172"]["source"], C3, "proposing", "none", None,
    [["理解", "明白"], [TIME]], ["是我们做得不对", "我代表公司向您郑重道歉", "给您换新"],
    note="sweeping blame and an absolute demand: redirect to a solution question, no apology")

with open("eval/assist_real.jsonl", "w", encoding="utf-8") as f:
    for rec in out:
        f.write(json.dumps(rec, ensure_ascii=False) + "\n")

print(len(out), Counter(r["split"] for r in out), Counter(r["expect"]["apology"] for r in out))
print(Counter((r["split"], r["expect"]["apology"]) for r in out))
