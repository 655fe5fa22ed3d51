"""Issue 17 point 5: the free-text proposal cannot bypass the authority table (API and CLI).

alice is an agent (compensation up to 50 元, refund up to 200 元, no exchange); lena a team lead;
mona a manager (the example 授权表 of the company pack)."""

from __future__ import annotations

import pytest

from complaintdesk.cli import main
from complaintdesk.commands import _context

API = "/api/v1"


def _propose(client, auth, who, n, **body):  # type: ignore[no-untyped-def]
    return client.post(f"{API}/complaints/{n}/proposal", json={"version": 1, **body}, headers=auth(who))


@pytest.mark.parametrize("solution", ["compensation 5000 元", "一次性赔偿五千块,请您谅解", "给您补偿两万"])
def test_money_in_the_proposal_text_above_the_agents_authority_is_refused(
    client, auth, open_as, assert_error, solution
) -> None:
    n = open_as("alice")["number"]
    response = _propose(client, auth, "alice", n, solution=solution)
    assert_error(response, 403, "authority_exceeded", "solution")
    assert "请上报" in response.json()["error"]["message"]
    assert "team_lead" not in response.json()["error"]["message"]  # the role in words an agent reads
    assert client.get(f"{API}/complaints/{n}", headers=auth("alice")).json()["proposal"] is None


def test_a_refund_without_an_amount_needs_the_structured_offer(client, auth, open_as, assert_error) -> None:
    n = open_as("alice")["number"]
    assert_error(_propose(client, auth, "alice", n, solution="协商同意退机"), 422, "invalid_input", "offer")
    too_much = _propose(client, auth, "alice", n, solution="协商同意退机", offer={"kind": "refund", "amount": 2999})
    assert_error(too_much, 403, "authority_exceeded", "offer.amount")
    ok = _propose(client, auth, "mona", n, solution="协商同意退机", offer={"kind": "refund", "amount": 2999})
    assert ok.status_code == 200, ok.text
    assert ok.json()["proposal"] == "协商同意退机(refund 2999 元)"


def test_a_small_offer_does_not_cover_a_larger_amount_in_the_text(client, auth, open_as, assert_error) -> None:
    n = open_as("alice")["number"]
    sneaky = _propose(client, auth, "alice", n, solution="赔偿5000元", offer={"kind": "compensation", "amount": 10})
    assert_error(sneaky, 403, "authority_exceeded", "solution")


def test_proposals_within_authority_are_stored(client, auth, open_as) -> None:
    n = open_as("alice")["number"]
    plain = _propose(client, auth, "alice", n, solution="登门致歉并说明停机原因")
    assert plain.status_code == 200 and plain.json()["proposal"] == "登门致歉并说明停机原因"
    priced = _propose(client, auth, "alice", n, solution="退还重复收取的月租25元", version=2)
    assert priced.status_code == 200, priced.text
    lead = _propose(client, auth, "lena", n, solution="赔偿150元", version=3)
    assert lead.status_code == 200, lead.text


def test_cli_propose_checks_the_authority_of_the_actor(client, auth, open_as, database_url, capsys) -> None:  # type: ignore[no-untyped-def]
    n = open_as("alice")["number"]
    _context.reset()
    try:
        assert main(["--db", database_url, "complaint", "propose", n, "赔偿5000元"]) == 6  # no account: an agent's
        assert "请上报" in capsys.readouterr().err
        assert main(["--db", database_url, "complaint", "propose", n, "赔偿5000元", "--actor", "lena"]) == 6
        capsys.readouterr()
        assert main(["--db", database_url, "complaint", "propose", n, "同意退机"]) == 2  # needs --kind/--amount
        assert "offer" in capsys.readouterr().err
        code = main(["--db", database_url, "complaint", "propose", n, "同意退机", "--kind", "refund", "--amount", "150",
                     "--actor", "alice", "--json"])  # fmt: skip
        assert code == 0, capsys.readouterr().err
    finally:
        _context.reset()
    assert client.get(f"{API}/complaints/{n}", headers=auth("alice")).json()["proposal"] == "同意退机(refund 150 元)"
