"""The one category list (complaintdesk/data/categories.yaml): every other list derives from it."""

from __future__ import annotations

from typing import Any

import pytest

from complaintdesk.analysis import judgements, model
from complaintdesk.assist import drafts, load_playbook
from complaintdesk.domain.errors import ConfigurationError, InvalidInput
from complaintdesk.domain.vocab import (
    CATEGORIES,
    CATEGORY_KEYS,
    Category,
    categories_in,
    parse_categories,
    parse_enum,
)
from complaintdesk.services import analytics
from complaintdesk.web.i18n import translate


def test_the_enum_the_analysis_labels_and_the_derived_groups_all_come_from_the_data() -> None:
    assert tuple(c.value for c in Category) == CATEGORY_KEYS == model.CATEGORY_LABELS
    assert CATEGORY_KEYS[-1] == "other"
    assert analytics.SEED_ROOT_CAUSES == (
        "parts_shortage", "product_quality", "repeated_repair", "out_of_warranty_charge", "staff_attitude",
        "late_visit",
    )
    assert {"repeated_repair", "product_quality", "parts_shortage", "out_of_warranty_charge"} == drafts.GOODS_CATEGORIES
    assert set(categories_in("specific")) == judgements.SPECIFIC_CATEGORIES
    assert "product_quality" not in judgements.SPECIFIC_CATEGORIES


def test_pages_and_cli_read_the_category_labels_of_the_vocabulary() -> None:
    for info in CATEGORIES:
        assert translate(f"label.{info.key}", "zh-CN") == info.zh
        assert translate(f"label.{info.key}", "en") == info.en


def test_every_category_the_shipped_knowledge_names_is_in_the_vocabulary() -> None:
    playbook = load_playbook(None)
    named = {*playbook.fault_categories, *playbook.misunderstanding_categories, *playbook.issues}
    named |= set(judgements._CAUSE_OF_DEMAND.values())
    assert named <= set(CATEGORY_KEYS), named - set(CATEGORY_KEYS)


def test_an_unknown_category_is_refused_naming_the_field_and_the_choices() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_enum(Category, "weather", "category")
    assert caught.value.field == "category"
    assert "product_quality" in str(caught.value)


def _data(**entries: Any) -> dict[str, Any]:
    return {"categories": {**entries, "other": {"zh": "其他", "en": "Other"}}}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"categories": []}, "categories"),
        (_data(Bad_Key={"zh": "坏", "en": "Bad"}), "categories.Bad_Key"),
        (_data(delivery={"zh": "配送"}), "categories.delivery.en"),
        (_data(delivery={"zh": "配送", "en": "Delivery", "groups": ["weather"]}), "categories.delivery.groups"),
        ({"categories": {"delivery": {"zh": "配送", "en": "Delivery"}}}, "categories.other"),
    ],
)
def test_a_malformed_category_file_is_a_configuration_error_naming_the_field(data: object, field: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        parse_categories(data, "categories.yaml")
    assert caught.value.field == field


def test_a_new_category_needs_only_its_entry_in_the_data() -> None:
    parsed = parse_categories(_data(warranty_fraud={"zh": "保修欺诈", "en": "Warranty fraud", "groups": ["goods"]}))
    assert [c.key for c in parsed] == ["warranty_fraud", "other"]
    assert parsed[0].groups == {"goods"}
