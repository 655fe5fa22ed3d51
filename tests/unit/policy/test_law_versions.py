"""Which version of a law governs a purchase (policy/versions.py): the one in force on the purchase date;
with that date unknown, never one that came into force after the check date, and the reason names the
earlier version a purchase before the current one's start would fall under."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from complaintdesk.domain.errors import ConfigurationError
from complaintdesk.policy import check, load_packs
from complaintdesk.policy.versions import governing

PACKS = load_packs()
FRAUD = PACKS.of_kind("fraud_compensation", "other")


@pytest.mark.parametrize(
    ("sale", "today", "expected"),
    [
        (date(2013, 5, 1), date(2026, 1, 1), ["cpl.1993.art49"]),
        (date(2014, 3, 14), date(2026, 1, 1), ["cpl.1993.art49"]),
        (date(2014, 3, 15), date(2026, 1, 1), ["cpl.art55"]),
        (None, date(2012, 3, 21), ["cpl.1993.art49"]),
        (None, date(2026, 1, 1), ["cpl.art55"]),
    ],
)
def test_fraud_rule_is_the_version_in_force_on_the_purchase_date(
    sale: date | None, today: date, expected: list[str]
) -> None:
    assert [r.id for r in governing(FRAUD, sale, today).rules] == expected


def test_unknown_purchase_date_after_2014_keeps_three_times_and_names_the_older_law() -> None:
    chosen = governing(FRAUD, None, date(2026, 1, 1))
    assert [r.id for r in chosen.earlier] == ["cpl.1993.art49"]
    result = check(
        {
            "product": {"kind": "other"},
            "misrepresented": True,
            "price": 100,
            "today": "2026-01-01",
            "demands": ["compensation"],
        }
    )
    remedy = next(r for r in result.remedies if r.kind == "punitive_compensation")
    assert remedy.amount_yuan == 500
    assert "2014年3月14日或之前购买" in remedy.computation and "第四十九条" in remedy.computation


def test_purchase_older_than_every_food_version_is_judged_by_the_earliest() -> None:
    food = PACKS.of_kind("food_safety_compensation", "food")
    assert [r.id for r in governing(food, date(2014, 6, 12), date(2026, 1, 1)).rules] == ["food.art148"]


def test_undated_centre_promise_applies_whatever_the_date(tmp_path: Path) -> None:
    (tmp_path / "centre.yaml").write_text(
        "pack: centre\nkind: company\nrules:\n"
        "  - {id: centre.fake_ten, kind: fraud_compensation, source: 本中心承诺, article: 第1条, text: 假一赔十,"
        " params: {multiplier: 10, minimum: 0}}\n",
        "utf-8",
    )
    rules = load_packs([tmp_path]).of_kind("fraud_compensation", "other")
    assert "centre.fake_ten" in [r.id for r in governing(rules, date(2013, 1, 1), date(2026, 1, 1)).rules]
    assert "centre.fake_ten" in [r.id for r in governing(rules, None, date(2026, 1, 1)).rules]


def test_a_version_end_that_is_not_a_date_is_refused_naming_the_field(tmp_path: Path) -> None:
    (tmp_path / "centre.yaml").write_text(
        "pack: centre\nkind: company\nrules:\n"
        "  - {id: centre.old, kind: fraud_compensation, source: 旧法, article: 第1条, text: 一倍,"
        " params: {multiplier: 1, minimum: 0, in_force_until: someday}}\n",
        "utf-8",
    )
    with pytest.raises(ConfigurationError) as info:
        load_packs([tmp_path])
    assert "params.in_force_until" in str(info.value)


def test_old_fraud_rule_quotes_the_1993_act_and_names_its_source() -> None:
    rule = PACKS.get("cpl.1993.art49")
    assert (
        rule is not None
        and rule.text_status == "quote"
        and rule.source_url.startswith("https://zh.wikisource.org/")
    )
    assert rule.text == (
        "经营者提供商品或者服务有欺诈行为的，应当按照消费者的要求增加赔偿其受到的损失，"
        "增加赔偿的金额为消费者购买商品的价款或者接受服务的费用的一倍。"
    )
    assert rule.params["in_force_until"] == "2014-03-14"
    assert PACKS.get("cpl.art55").date == date(2014, 3, 15)  # type: ignore[union-attr]
