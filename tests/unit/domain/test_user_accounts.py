"""Staff accounts: what a new account must satisfy, each refusal naming its field."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from complaintdesk.domain.errors import InvalidInput
from complaintdesk.domain.users import User

NOW = datetime(2026, 12, 3, tzinfo=UTC)


def _refused_field(**overrides: object) -> str | None:
    args: dict[str, object] = {"username": "li_agent", "display_name": "客服小李", "role": "agent", "team": "一组"}
    args.update(overrides)
    with pytest.raises(InvalidInput) as caught:
        User.create(now=NOW, **args)  # type: ignore[arg-type]
    return caught.value.field


def test_a_valid_account_keeps_its_fields_trimmed() -> None:
    user = User.create("li_agent", " 客服小李 ", "agent", " 一组 ", NOW)
    assert (user.display_name, user.team, user.role.value) == ("客服小李", "一组", "agent")


def test_a_blank_team_means_no_team() -> None:
    assert User.create("admin", "管理员", "admin", "  ", NOW).team is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"username": "李"}, "username"),
        ({"username": "a"}, "username"),
        ({"display_name": "  "}, "display_name"),
        ({"display_name": "名" * 101}, "display_name"),  # the column holds 100
        ({"team": "组" * 65}, "team"),  # the column holds 64: PostgreSQL refused it with no field named
        ({"role": "boss"}, "role"),
    ],
)
def test_bad_accounts_are_refused_naming_the_field(overrides: dict[str, object], field: str) -> None:
    assert _refused_field(**overrides) == field
