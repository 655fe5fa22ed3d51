"""The complaint timeline as people read it: each kind of message with its own icon and label, every
event of the domain as a sentence in both languages, with no payload keys, raw values or English codes."""

from __future__ import annotations

import re

import pytest

from complaintdesk.web import timeline_text
from complaintdesk.web.i18n import catalogue

AT = "2026-12-06T08:30:00+00:00"

# One event of each kind the complaint records, with the payload the domain gives it.
EVENTS = [
    ("opened", "li_agent", {"channel": "phone", "owner": "li_agent"}),
    ("analysed", "system", {"keys": ["category", "emotion"]}),
    ("stage_changed", "li_agent", {"from": "acting", "to": "closed", "waiver_reason": "客户失联"}),
    ("solution_proposed", "li_agent", {"proposal": "退还停机期间月租"}),
    ("transferred", "zhang_lead", {"from": "li_agent", "to": "wu_agent", "reason": "换人", "count": 3, "runaround": True}),
    ("escalated", "sla", {"from": 0, "to": 1, "reason": "超时"}),
    ("promise_made", "li_agent", {"what": "明天上门", "due_at": "2026-12-07T02:00:00+00:00"}),
    ("promise_resolved", "li_agent", {"what": "明天上门", "kept": False}),
    ("signed_off", "li_agent", {"satisfied": True, "reason": None}),
    ("signed_off", "li_agent", {"satisfied": False, "reason": "还是没网"}),
    ("follow_up_scheduled", "li_agent", {"due": "2026-12-09T02:00:00+00:00"}),
    ("follow_up_done", "li_agent", {"outcome": "客户满意"}),
    ("reopened", "li_agent", {"from": "thanking", "reason": "客户不满意"}),
    ("repeat_linked", "system", {"earlier": "TS-20261201-0001", "score": 0.9132, "reason": "同一号码"}),
    ("attachment_added", "li_agent", {"filename": "发票.jpg", "sha256": "ab" * 32, "size": 20480}),
    ("sla_warning", "sla", {"clock": "resolution", "reason": "已用 76%"}),
    ("sla_breach", "sla", {"clock": "first_response", "reason": "超时 2 小时"}),
    ("sla_paused", "li_agent", {"reason": "等待客户", "clocks": 2}),
    ("sla_resumed", "li_agent", {"clocks": 2}),
    ("facts_recorded", "li_agent", {"facts": {"purchase_date": "2026-11-03", "user_damage": False,
                                               "billing": {"monthly_fee": 40, "prepaid": True}, "x_custom": 1}}),
    ("analysis_corrected", "li_agent", {"corrections": {"category": "billing", "emotion": "anger"}}),
]  # fmt: skip

# a snake_case key, a dict's braces, a Python literal (English words are fine in English sentences)
LEAKS = re.compile(r"[a-z]+_[a-z_]+|[{}]|\bTrue\b|\bFalse\b|\bNone\b")


def _event(kind, actor, payload):
    return {"kind": kind, "actor": actor, "at": AT, "payload": payload, "seq": 1}


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
@pytest.mark.parametrize(("kind", "actor", "payload"), EVENTS, ids=[e[0] for e in EVENTS])
def test_every_event_reads_as_a_sentence_without_keys_or_raw_values(lang, kind, actor, payload):
    entry = timeline_text.entry(_event(kind, actor, payload), lang)
    assert entry.kind == "system" and entry.icon == timeline_text.ICONS["system"]
    people = re.sub(r"li_agent|wu_agent|zhang_lead", "", entry.sentence)  # usernames are names, not keys
    assert entry.sentence and not LEAKS.search(people), entry.sentence
    assert not entry.label.startswith("event."), entry.label
    if lang == "zh-CN":  # English words are the keys' own; in Chinese any of them is a leak
        assert not any(key in entry.sentence for key in payload), entry.sentence


def test_each_kind_of_message_has_its_own_icon_label_and_author():
    entries = [
        timeline_text.entry(_event("message_added", "li_agent", {"kind": kind, "body": "您好"}), "zh-CN")
        for kind in ("inbound", "outbound", "note")
    ]
    assert len({e.icon for e in entries}) == len({e.label for e in entries}) == 3
    assert [e.kind for e in entries] == ["inbound", "outbound", "note"]
    assert all(e.author == "li_agent" and e.body == "您好" for e in entries)
    assert "内部备注" in entries[2].label


def test_facts_read_as_named_chinese_facts_with_dates_and_yes_no():
    text = timeline_text.entry(_event(*EVENTS[19]), "zh-CN").sentence
    assert "购买日期" in text and "月租" in text
    assert "2026年11月3日" in text and "否" in text and "预付费" in text
    assert "另记录了 1 项其他情况" in text
    assert "purchase_date" not in text and "x_custom" not in text


def test_a_withdrawn_fact_says_so():
    text = timeline_text.entry(
        _event("facts_recorded", "li_agent", {"facts": {"purchase_date": None}}), "zh-CN"
    )
    assert "撤回" in text.sentence


def test_the_deadline_monitor_is_named_as_the_system_in_both_languages():
    zh = timeline_text.entry(_event("escalated", "sla", {"from": 0, "to": 1, "reason": "超时"}), "zh-CN")
    en = timeline_text.entry(_event("escalated", "sla", {"from": 0, "to": 1, "reason": "超时"}), "en")
    assert "系统" in zh.author and "System" in en.author
    assert "班组长" in zh.sentence and "team lead" in en.sentence


def test_an_event_this_page_does_not_know_shows_its_values_never_its_keys():
    entry = timeline_text.entry(
        _event("approval_requested", "li_agent", {"to_level": 2, "note": "请批准"}), "zh-CN"
    )
    assert entry.label == "系统记录" and "请批准" in entry.sentence and "to_level" not in entry.sentence


def test_every_timeline_label_is_in_both_languages():
    keys = [k for k in catalogue() if k.startswith(("tl.", "event.", "severity."))]
    assert len(keys) > 50
    for key in keys:
        entry = catalogue()[key]
        assert entry.get("zh-CN") and entry.get("en"), key
