"""Routing rules as data: the first matching rule decides, the least-loaded member takes a team's mail,
and a bad rules file is refused naming the field."""

from __future__ import annotations

import pytest

from complaintdesk.domain.errors import ConfigurationError
from complaintdesk.domain.routing import RoutingRule, pick_member, routing_from_mapping, routing_in


def test_the_first_rule_whose_category_matches_decides() -> None:
    routing = routing_from_mapping({"mail": [{"category": "other", "owner": "bob"}, {"team": "一组"}]}, "t")
    assert routing.rule_for("other") == RoutingRule("other", owner="bob")
    assert routing.rule_for("billing") == RoutingRule(None, team="一组")


def test_the_member_with_the_fewest_open_complaints_takes_it_ties_by_name() -> None:
    assert pick_member({"wu": 3, "li": 1, "an": 2}) == "li"
    assert pick_member({"wu": 1, "li": 1}) == "li"
    assert pick_member({}) is None


def test_the_shipped_file_routes_nothing() -> None:
    assert routing_in(None).mail == ()


@pytest.mark.parametrize(
    ("rule", "field"),
    [
        ({"category": "no_such_category", "team": "一组"}, "category"),
        ({"owner": "bob", "team": "一组"}, "owner"),
        ({"category": "other"}, "owner"),
        ({"team": ""}, "team"),
        ({"team": "一组", "priority": "high"}, "mail"),
    ],
)
def test_a_bad_rule_is_refused_naming_its_field(rule: dict[str, object], field: str) -> None:
    with pytest.raises(ConfigurationError) as refused:
        routing_from_mapping({"mail": [rule]}, "routing.yaml")
    assert refused.value.field == field
