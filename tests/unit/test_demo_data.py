"""The demo data set (src/complaintdesk/data/demo/demo.yaml) is internally consistent."""

from __future__ import annotations

import re
from collections import Counter
from importlib import resources
from typing import Any

import pytest
import yaml

from complaintdesk.domain.vocab import (
    MAX_ESCALATION_LEVEL,
    Category,
    Channel,
    Demand,
    MessageKind,
    Priority,
    Role,
    Segment,
    Stage,
)

MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-\d{7,8}$")
TARGET_STAGES = [s for s in Stage if s is not Stage.REOPENED]
ACTING_OR_LATER = {Stage.ACTING, Stage.THANKING, Stage.FOLLOW_UP, Stage.CLOSED}
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def demo() -> dict[str, Any]:
    text = resources.files("complaintdesk.data.demo").joinpath("demo.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert isinstance(data, dict)
    return data


def _values(enum_type: type) -> set[str]:
    return {member.value for member in enum_type}


def test_demo_has_top_level_sections_and_realistic_size(demo: dict[str, Any]) -> None:
    assert set(demo) == {"agents", "customers", "complaints"}
    assert len(demo["complaints"]) >= 20
    assert len(demo["customers"]) >= 15


def test_demo_keys_are_unique(demo: dict[str, Any]) -> None:
    for section in ("agents", "customers", "complaints"):
        keys = Counter(item["key"] for item in demo[section])
        duplicates = [key for key, n in keys.items() if n > 1]
        assert not duplicates, f"{section}: duplicate keys {duplicates}"


def test_demo_customers_have_valid_phone_and_segment(demo: dict[str, Any]) -> None:
    for customer in demo["customers"]:
        phone = customer["phone"]
        assert isinstance(phone, str), customer["key"]
        assert MOBILE.match(phone) or LANDLINE.match(phone), f"{customer['key']}: bad phone {phone}"
        assert customer["segment"] in _values(Segment), customer["key"]
        assert HAN.search(customer["name"]), customer["key"]


def test_demo_agents_have_valid_roles(demo: dict[str, Any]) -> None:
    for agent in demo["agents"]:
        assert agent["role"] in _values(Role), agent["key"]
        assert agent["name"] and agent["team"]


def test_demo_complaint_vocabularies_are_valid(demo: dict[str, Any]) -> None:
    for c in demo["complaints"]:
        key = c["key"]
        assert c["channel"] in _values(Channel), key
        assert c["category"] in _values(Category), key
        assert c["priority"] in _values(Priority), key
        assert c["target_stage"] in {s.value for s in TARGET_STAGES}, key
        assert c["demands"] and set(c["demands"]) <= _values(Demand), key
        assert 0 <= c["escalation_level"] <= MAX_ESCALATION_LEVEL, key
        assert isinstance(c["opened_days_ago"], int) and c["opened_days_ago"] >= 0, key
        assert HAN.search(c["title"]) and len(c["description"]) > 40, key


def test_demo_references_resolve(demo: dict[str, Any]) -> None:
    customers = {c["key"] for c in demo["customers"]}
    agents = {a["key"] for a in demo["agents"]}
    agent_names = {a["name"] for a in demo["agents"]}
    for c in demo["complaints"]:
        assert c["customer"] in customers, c["key"]
        for transfer in c.get("transfers") or []:
            assert transfer["to"] in agents, f"{c['key']}: unknown agent {transfer['to']}"
            assert transfer["reason"]
        for message in c.get("messages") or []:
            assert message["kind"] in _values(MessageKind), c["key"]
            assert message["body"] and message["minutes_after_open"] >= 0, c["key"]
            if message["kind"] != MessageKind.INBOUND:
                assert message["author"] in agent_names, f"{c['key']}: unknown author {message['author']}"


def test_demo_every_customer_has_a_complaint(demo: dict[str, Any]) -> None:
    used = {c["customer"] for c in demo["complaints"]}
    assert used == {c["key"] for c in demo["customers"]}


def test_demo_acting_or_later_has_a_proposal(demo: dict[str, Any]) -> None:
    for c in demo["complaints"]:
        if Stage(c["target_stage"]) in ACTING_OR_LATER:
            assert c.get("proposal"), f"{c['key']} reaches {c['target_stage']} without a proposal"


def test_demo_closed_complaints_have_a_signoff(demo: dict[str, Any]) -> None:
    for c in demo["complaints"]:
        signoff = c.get("signoff")
        if c["target_stage"] == Stage.CLOSED:
            assert signoff and isinstance(signoff["satisfied"], bool) and signoff["reason"], c["key"]
        else:
            assert signoff is None, f"{c['key']} has a sign-off but is not closed"


def test_demo_promises_are_well_formed(demo: dict[str, Any]) -> None:
    for c in demo["complaints"]:
        for promise in c.get("promises") or []:
            assert promise["what"] and promise["due_hours_after_open"] > 0, c["key"]
            assert promise["kept"] in (True, False, None), c["key"]


def test_demo_includes_the_seed_cases(demo: dict[str, Any]) -> None:
    text = yaml.safe_dump(demo, allow_unicode=True)
    for marker in ("这是不可能的", "2元", "5次", "1.5厘米", "缺配件", "48小时", "转了四次"):
        assert marker in text, marker
    # some customer complains more than once (repeat detection has something to find)
    per_customer = Counter(c["customer"] for c in demo["complaints"])
    assert sum(1 for n in per_customer.values() if n > 1) >= 3
    # a traditional-script complaint is present
    assert any("寬頻" in c["description"] for c in demo["complaints"])
    # a key account and a transfer run-around (3+ transfers) are present
    assert any(c["segment"] == Segment.KEY_ACCOUNT for c in demo["customers"])
    assert any(len(c.get("transfers") or []) >= 3 for c in demo["complaints"])
