"""The whole audit chain's newest events: for auditors and admins, newest first, paged back by sequence."""

from __future__ import annotations

from complaintdesk.cli import main
from complaintdesk.commands import _context

API = "/api/v1"


def test_newest_events_come_first_including_those_of_no_complaint(client, auth, open_as):
    auditor = auth("audrey")  # signing in is an event too: before the ones looked for
    number = open_as("alice")["number"]
    client.put(f"{API}/calendars/days/2026-12-07", json={"kind": "holiday"}, headers=auth("mona"))
    events = client.get(f"{API}/audit/events", params={"limit": 5}, headers=auditor).json()["events"]
    seqs = [e["seq"] for e in events]
    assert seqs == sorted(seqs, reverse=True)
    assert (events[0]["kind"], events[0]["actor"], events[0]["complaint_number"]) == ("calendar_changed", "mona", None)
    assert any(e["complaint_number"] == number and e["kind"] == "opened" for e in events)


def test_paging_back_with_before_walks_the_whole_chain_once(client, auth, open_as):
    for _ in range(3):
        open_as("alice")
    seen: list[int] = []
    before = None
    while True:
        params = {"limit": 4, **({"before": before} if before else {})}
        page = client.get(f"{API}/audit/events", params=params, headers=auth("root")).json()
        seen.extend(e["seq"] for e in page["events"])
        before = page["next_before"]
        if before is None:
            break
    assert seen == list(range(max(seen), 0, -1))


def test_agents_managers_and_team_leads_may_not_read_the_whole_chain(client, auth, assert_error):
    for user in ("alice", "lena", "mona"):
        assert_error(client.get(f"{API}/audit/events", headers=auth(user)), 403)


def test_bad_limits_are_422_naming_the_field(client, auth, assert_error):
    assert_error(client.get(f"{API}/audit/events", params={"limit": 0}, headers=auth("root")), 422, field="limit")
    assert_error(client.get(f"{API}/audit/events", params={"before": 0}, headers=auth("root")), 422, field="before")


def test_cli_lists_the_newest_events(client, auth, open_as, desk, capsys):
    number = open_as("alice")["number"]
    capsys.readouterr()
    _context.reset()
    try:
        url = desk.engine.url.render_as_string(hide_password=False)
        assert main(["--db", url, "audit", "recent", "--limit", "3"]) == 0
        assert number in capsys.readouterr().out
        assert main(["--db", url, "audit", "recent", "--before", "0"]) == 2
    finally:
        _context.reset()
