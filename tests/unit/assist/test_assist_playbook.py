"""The playbooks are data a centre edits: a bad file is refused naming the file, the entry and the field."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from complaintdesk.assist import advise, load_playbook, parse_playbook
from complaintdesk.assist.playbook import FILES
from complaintdesk.domain.errors import ConfigurationError


def _texts() -> dict[str, str]:
    pkg = resources.files("complaintdesk.assist.data")
    return {name: pkg.joinpath(name).read_text(encoding="utf-8") for name in FILES}


def test_packaged_playbook_loads_and_every_rule_cites_a_seed() -> None:
    pb = load_playbook()
    assert len(pb.types) == 11 and len(pb.techniques) == 6
    for stage in pb.stages.values():
        assert all(a.source.startswith("seed 00") for a in stage.actions)


def test_unknown_placeholder_is_refused_naming_file_and_entry() -> None:
    texts = _texts()
    texts["templates.yaml"] = texts["templates.yaml"].replace("{salutation}您好", "{customer}您好", 1)
    with pytest.raises(ConfigurationError) as err:
        parse_playbook(texts)
    assert "templates.yaml" in err.value.message and "greeting.phone[0]" in err.value.message
    assert "customer" in err.value.message


def test_advice_without_a_seed_source_is_refused() -> None:
    texts = _texts()
    texts["tactics.yaml"] = texts["tactics.yaml"].replace('source: "seed 001 §一.2"', 'source: "经验"', 1)
    with pytest.raises(ConfigurationError) as err:
        parse_playbook(texts)
    assert err.value.field == "tactics.yaml:customer_types.whiner.source"


def test_missing_customer_type_is_refused() -> None:
    texts = _texts()
    texts["tactics.yaml"] = texts["tactics.yaml"].replace("  procrastinator:", "  dawdler:", 1)
    with pytest.raises(ConfigurationError) as err:
        parse_playbook(texts)
    assert "customer_types.procrastinator" in err.value.message


def test_broken_yaml_is_refused_naming_the_file() -> None:
    texts = _texts()
    texts["playbook.yaml"] += "\n  : : [\n"
    with pytest.raises(ConfigurationError) as err:
        parse_playbook(texts)
    assert "playbook.yaml" in err.value.message


def test_a_centre_can_edit_a_template_in_its_own_copy(tmp_path: Path) -> None:
    for name, text in _texts().items():
        if name == "templates.yaml":
            text = text.replace("您别担心，这件事由我负责跟进到底。", "您放心，这件事我跟到底。")
        (tmp_path / name).write_text(text, encoding="utf-8")
    advice = advise(None, stage="clarifying", playbook=tmp_path)
    assert "您放心，这件事我跟到底。" in advice.reply_draft


def test_missing_file_in_a_centre_copy_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError):
        load_playbook(tmp_path)
