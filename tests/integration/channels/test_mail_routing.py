"""Routing of mail-opened complaints (data/routing.yaml, or the centre's routing.yaml): to a named
agent, or to the team member with the fewest open complaints; without a usable rule, owned by `mail`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from complaintdesk.services import accounts, mail_intake, notifications
from complaintdesk.services import complaints as svc
from complaintdesk.services.bootstrap import Desk
from complaintdesk.yamldata import use_knowledge_dir
from tests.integration.channels.mail_helpers import customer_mail
from tests.knowledge_dirs import serving, write

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


@pytest.fixture
def staffed(desk: Desk) -> Desk:
    for username, role, team in (
        ("li_agent", "agent", "一组"), ("wu_agent", "agent", "一组"), ("zhang_lead", "team_lead", "一组"),
        ("bob", "agent", "二组"),
    ):  # fmt: skip
        accounts.create_user(desk.uow(), username, username, role, team, None, "test", now=NOW)
    return desk


@pytest.fixture
def rules(tmp_path: Path) -> Iterator[object]:
    folder = tmp_path / "knowledge"

    def use(text: str) -> None:
        write(folder, "routing.yaml", text)
        use_knowledge_dir(folder)  # a new generation: the rules are read again

    with serving(folder):
        yield use


def _mail_owner(desk: Desk, sender: str) -> str:
    intake = mail_intake.take_in(desk.uow, customer_mail(sender=sender).as_bytes())
    assert intake.number is not None
    return str(svc.get_complaint(desk.uow(), intake.number)["owner"])


def test_a_team_rule_gives_the_mail_to_the_member_with_the_fewest_open_complaints(staffed: Desk, rules: object) -> None:
    rules("mail:\n  - team: 一组\n")  # type: ignore[operator]
    busy = svc.OpenComplaint("李先生", "13900000000", "旧单", "旧单内容", actor="li_agent", opened_at=NOW, analyse=False)
    svc.open_complaint(staffed.uow(), busy, now=NOW)
    assert _mail_owner(staffed, "a@example.cn") == "wu_agent"  # li has one open, wu none; the lead is no agent
    assert _mail_owner(staffed, "b@example.cn") == "li_agent"  # one each: the first username
    assert "assigned" in [i["kind"] for i in notifications.inbox(staffed.uow(), "wu_agent")["items"]]


def test_an_owner_rule_names_the_agent_and_a_category_rule_only_matches_its_category(staffed: Desk, rules: object) -> None:
    rules("mail:\n  - category: other\n    owner: bob\n  - owner: li_agent\n")  # type: ignore[operator]
    intake = mail_intake.take_in(staffed.uow, customer_mail(sender="c@example.cn").as_bytes())
    detail = svc.get_complaint(staffed.uow(), str(intake.number))
    assert detail["owner"] == ("bob" if detail["category"] == "other" else "li_agent")


def test_an_unknown_or_inactive_owner_leaves_the_mail_with_the_mail_account(staffed: Desk, rules: object) -> None:
    rules("mail:\n  - owner: ghost\n")  # type: ignore[operator]
    assert _mail_owner(staffed, "d@example.cn") == "mail"
    rules("mail:\n  - team: 三组\n")  # type: ignore[operator]
    assert _mail_owner(staffed, "e@example.cn") == "mail"


def test_without_rules_a_mail_is_owned_by_mail_as_before(staffed: Desk) -> None:
    assert _mail_owner(staffed, "f@example.cn") == "mail"
