"""SLA targets from data/sla.yaml: what ships, and how a bad file is refused."""

from __future__ import annotations

import copy
from datetime import timedelta
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from complaintdesk.domain.calendar import default_calendar
from complaintdesk.domain.errors import ConfigurationError, InvalidInput
from complaintdesk.domain.sla import ClockKind, TimeBasis, load_sla_policy, policy_from_mapping

H = timedelta(hours=1)


def shipped() -> dict[str, Any]:
    text = resources.files("complaintdesk.data").joinpath("sla.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def refused(data: Any) -> ConfigurationError:
    with pytest.raises(ConfigurationError) as err:
        policy_from_mapping(data, "centre.yaml")
    assert "centre.yaml" in err.value.message
    return err.value


def test_shipped_policy_warns_at_75_and_escalates_at_100_and_150_percent() -> None:
    policy = load_sla_policy()
    assert policy.thresholds.warn_at == Fraction(3, 4)
    assert policy.thresholds.escalate_at == (Fraction(1), Fraction(3, 2))


def test_shipped_default_targets() -> None:
    policy, cal = load_sla_policy(), default_calendar()
    expected = {
        ClockKind.ACCEPTANCE: (2 * H, TimeBasis.BUSINESS),
        ClockKind.FIRST_RESPONSE: (4 * H, TimeBasis.BUSINESS),
        ClockKind.RESOLUTION: (27 * H, TimeBasis.BUSINESS),  # 3 working days of 9 h
        ClockKind.FOLLOW_UP: (18 * H, TimeBasis.BUSINESS),
        ClockKind.PROMISE: (24 * H, TimeBasis.CALENDAR),
    }
    for kind, (duration, basis) in expected.items():
        target = policy.target_for(kind)
        assert (target.duration(cal), target.basis) == (duration, basis), kind
        assert target.source, f"{kind} has no source"


def test_segments_override_only_what_they_name() -> None:
    policy, cal = load_sla_policy(), default_calendar()
    assert policy.target_for("follow_up", "key_account").duration(cal) == 9 * H
    assert "第二日" in policy.target_for("follow_up", "key_account").source
    assert policy.target_for("resolution", "key_account") == policy.target_for("resolution")
    assert policy.target_for("acceptance", "walk_in").duration(cal) < policy.target_for(
        "acceptance"
    ).duration(cal)


def test_unknown_kind_or_segment_is_invalid_input() -> None:
    with pytest.raises(InvalidInput) as err:
        load_sla_policy().target_for("lunch")
    assert err.value.field == "kind"
    with pytest.raises(InvalidInput) as err:
        load_sla_policy().target_for("acceptance", "vip")
    assert err.value.field == "segment"


def test_policy_dict_is_json_ready() -> None:
    data = load_sla_policy().to_dict()
    assert data["thresholds"] == {"warn_at": 0.75, "escalate_at": [1.0, 1.5]}
    assert data["segments"]["key_account"]["follow_up"]["unit"] == "working_days"


def test_policy_loads_from_a_centre_file(tmp_path: Path) -> None:
    data = shipped()
    data["thresholds"]["escalate_at"] = [1.0, 1.5, 2.0]
    path = tmp_path / "sla.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    assert len(load_sla_policy(path).thresholds.escalate_at) == 3


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d.pop("thresholds"), "thresholds"),
        (lambda d: d["thresholds"].pop("warn_at"), "thresholds.warn_at"),
        (lambda d: d["thresholds"].update(warn_at="soon"), "thresholds.warn_at"),
        (lambda d: d["thresholds"].update(escalate_at=1.0), "thresholds.escalate_at"),
        (lambda d: d["thresholds"].update(escalate_at=[1.5, 1.0]), "thresholds.escalate_at"),
        (lambda d: d["thresholds"].update(warn_at=1.2), "thresholds.escalate_at"),
        (lambda d: d["defaults"].pop("promise"), "defaults.promise"),
        (lambda d: d["defaults"].update(lunch={"hours": 1}), "defaults.lunch"),
        (lambda d: d["defaults"].update(acceptance={"fortnights": 1}), "defaults.acceptance.fortnights"),
        (lambda d: d["defaults"].update(acceptance={"hours": 1, "business_hours": 1}), "defaults.acceptance"),
        (
            lambda d: d["defaults"].update(acceptance={"business_hours": 0}),
            "defaults.acceptance.business_hours",
        ),
        (
            lambda d: d["defaults"].update(acceptance={"business_hours": True}),
            "defaults.acceptance.business_hours",
        ),
        (lambda d: d["defaults"].update(acceptance="2h"), "defaults.acceptance"),
        (lambda d: d["segments"].update(vip={}), "segments.vip"),
        (
            lambda d: d["defaults"].update(resolution={"working_days": 5000}),
            "defaults.resolution.working_days",
        ),
        (
            lambda d: d["segments"]["key_account"].update(follow_up={"days": -1}),
            "segments.key_account.follow_up.days",
        ),
    ],
)
def test_bad_policy_is_refused_naming_the_field(change: Any, field: str) -> None:
    data = copy.deepcopy(shipped())
    change(data)
    assert refused(data).field == field


def test_policy_that_is_not_a_mapping_is_refused() -> None:
    assert refused(["warn_at", 0.75]).field == "sla"


def test_unreadable_or_broken_yaml_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError) as err:
        load_sla_policy(tmp_path / "missing.yaml")
    assert err.value.field == "sla" and "missing.yaml" in err.value.message
    broken = tmp_path / "broken.yaml"
    broken.write_text("thresholds: [unclosed\n", "utf-8")
    with pytest.raises(ConfigurationError) as err:
        load_sla_policy(broken)
    assert "broken.yaml" in err.value.message
