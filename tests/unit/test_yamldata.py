"""The product's YAML reader: libyaml's speed, safe_load's rules."""

from __future__ import annotations

import pytest
import yaml

from complaintdesk.yamldata import load_yaml


def test_reads_what_safe_load_reads() -> None:
    text = "name: 国庆节\ndays: [2026-10-01, 2026-10-02]\nclosed: true\nhours: {start: '09:00'}\n"
    assert load_yaml(text) == yaml.safe_load(text)


def test_refuses_python_object_tags() -> None:
    with pytest.raises(yaml.YAMLError):
        load_yaml("!!python/object/apply:os.system ['echo owned']")


def test_bad_yaml_raises_the_usual_yaml_error() -> None:
    with pytest.raises(yaml.YAMLError):
        load_yaml("a: [unclosed")


def test_shipped_data_is_found_next_to_the_package_modules() -> None:
    from complaintdesk.yamldata import shipped, shipped_text

    assert shipped("complaintdesk.data", "categories.yaml").is_file()
    assert shipped("complaintdesk.web", "templates").is_dir()
    assert "categories:" in shipped_text("complaintdesk.data", "categories.yaml")


def test_shipped_refuses_a_package_that_is_not_the_products() -> None:
    from complaintdesk.yamldata import shipped

    with pytest.raises(ValueError, match="not a package of complaintdesk"):
        shipped("json", "decoder.py")
