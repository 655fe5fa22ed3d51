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
