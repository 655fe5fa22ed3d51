"""`complaintdesk eval assist`: the reviewed reply scenarios, their frozen split, and the floors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from complaintdesk.assist.evaluate import parse_scenario, split_of
from complaintdesk.cli import main
from complaintdesk.domain.errors import InvalidInput

SCENARIOS = Path(__file__).resolve().parents[3] / "eval" / "assist_real.jsonl"
# Rounds whose floors are set from their own first run: kept out of every earlier set, so the floors below keep
# measuring the scenarios they were set on (the thirteenth round, issue 20, session 18).
LATER_ROUNDS = ("ar-r13-", "ar-r14-", "ar-r15-")


def _records() -> list[dict[str, Any]]:
    return [json.loads(line) for line in SCENARIOS.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_shipped_scenarios_are_at_least_sixty_each_with_a_source_and_the_split_of_its_hash() -> None:
    records = _records()
    assert len(records) >= 60
    assert len({r["id"] for r in records}) == len(records)
    for i, record in enumerate(records, start=1):
        scenario = parse_scenario(record, f"line {i}")
        assert scenario.source and scenario.text
        assert scenario.split == split_of(scenario.id)
    assert {r["split"] for r in records} == {"tune", "test"}


def test_a_scenario_moved_to_another_split_by_hand_is_refused_naming_the_field() -> None:
    record = _records()[0]
    moved = {**record, "split": "tune" if record["split"] == "test" else "test"}
    with pytest.raises(InvalidInput) as caught:
        parse_scenario(moved, "line 1")
    assert caught.value.field == "line 1.split"


def test_eval_assist_prints_scores_per_split_and_the_failures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sid = next(s for s in (f"probe-{i}" for i in range(50)) if split_of(s) == "test")
    record = {"id": sid, "split": "test", "source": "seed 000", "text": "宽带欠费不到30天就被停了！", "stage": "calming",
              "expect": {"apology": "none", "escalate": None, "must_say": [["绝不会出现的话"]], "must_not_say": []}}
    path = tmp_path / "s.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["eval", "assist", str(path)]) == 0
    out = capsys.readouterr().out
    assert "test" in out and sid in out and "缺：绝不会出现的话" in out
    assert main(["eval", "assist", str(path), "--json"]) == 0
    data = {s["split"]: s for s in json.loads(capsys.readouterr().out)}
    assert data["test"]["n"] == 1 and data["test"]["must_say_rate"] == 0.0
    assert data["test"]["failures"][0]["expected_style"] == "none"
    assert main(["eval", "assist", str(path), "--json", "--show", "0"]) == 0
    figures_only = {s["split"]: s for s in json.loads(capsys.readouterr().out)}
    assert figures_only["test"]["must_say_rate"] == 0.0 and figures_only["test"]["failures"] == []


def test_eval_assist_split_option_scores_one_split_and_never_prints_the_others_failures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def record(split: str) -> dict[str, Any]:
        sid = next(s for s in (f"probe-{split}-{i}" for i in range(50)) if split_of(s) == split)
        return {"id": sid, "split": split, "source": "seed 000", "text": "宽带欠费不到30天就被停了！", "stage": "calming",
                "expect": {"apology": "none", "escalate": None, "must_say": [["绝不会出现的话"]], "must_not_say": []}}
    tune, test = record("tune"), record("test")
    path = tmp_path / "s.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in (tune, test)) + "\n", encoding="utf-8")
    assert main(["eval", "assist", str(path), "--split", "tune"]) == 0
    out = capsys.readouterr().out
    assert tune["id"] in out and test["id"] not in out
    assert main(["eval", "assist", str(path), "--split", "tune", "--json"]) == 0
    assert [s["split"] for s in json.loads(capsys.readouterr().out)] == ["tune"]
    assert main(["eval", "assist", str(path), "--split", "dev"]) == 2
    assert "--split" in capsys.readouterr().err


def test_eval_assist_names_a_bad_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text("{not json\n", encoding="utf-8")
    assert main(["eval", "assist", str(path)]) == 2
    assert "第 1 行" in capsys.readouterr().err


def _test_split(cues_only: bool, *, out_of_sample: bool = False, prefix: str | None = None,
                without: tuple[str, ...] = ()) -> dict[str, Any]:
    """The frozen split's figures (only its out-of-sample ``ar-oos-*`` scenarios when asked, or only the ids
    with ``prefix``, or all but the ids with any prefix in ``without``)."""
    from complaintdesk.analysis import learned
    from complaintdesk.assist.evaluate import run
    from complaintdesk.commands.assist import _advise_scenario, _scenarios
    from complaintdesk.quality import check_text

    scenarios = [s for s in _scenarios(SCENARIOS)
                 if s.split == "test" and (not out_of_sample or s.id.startswith("ar-oos-"))
                 and (prefix is None or s.id.startswith(prefix)) and not s.id.startswith(without)
                 and ((prefix is not None and prefix.startswith(LATER_ROUNDS)) or not s.id.startswith(LATER_ROUNDS))]
    if cues_only:
        learned.disable()
    try:
        return run(scenarios, _advise_scenario, check_text)["test"].to_dict()
    finally:
        if cues_only:
            learned.use(None)


def _figures(split: dict[str, Any]) -> str:
    """The figures only: a frozen split's failures are never printed (nobody tunes on them)."""
    return (f"n={split['n']} style={split['apology_style_accuracy']} must_say={split['must_say_rate']} "
            f"violations={split['must_not_say_violations']}")


def test_tune_split_holds_its_figures() -> None:
    """The split the assistant is tuned on (215 scenarios after issue 20's seventh round): 0.991 style, 0.995
    must-say, 0.991 escalation, 1 must-not-say hit (the 189 of the sixth round: 1.000, 1.000, 0.989, no hit;
    the seventh round's 26 new ones: 0.923, 0.962, 1.000 and 1 hit, against 0.500, 0.684, 0.962 and 2 hits
    with the sixth round's engine before its rules). Held at the achieved figures minus a small margin; the
    one hit (a platform that sent the customer to a concert's organiser, which the runaround rule admits
    where the expectation does not) is held, not hidden. After the eighth round (243): 1.000 style, 0.997
    must-say, 0.996 escalation, no hit (the 215 before it: 1.000, 0.998, 1.000, no hit; its 28 new tune
    scenarios: 1.000, 0.988, 0.964 against 0.714, 0.776, 0.786 and 2 hits with the seventh round's engine).
    After the ninth round (262): 0.996 style, 1.000 must-say, 0.996 escalation, no hit (the 243 before it: 1.000,
    1.000, 0.996; its 19 new tune scenarios: 0.947, 1.000, 1.000 against 0.474, 0.627, 0.947 with the eighth
    round's engine; the one style miss is a repeat claimant the analysis engine does not read as chronic).
    After the tenth round (284): 0.975 style, 0.971 must-say, 0.993 escalation, no hit. The 262 before it hold 0.996,
    1.000, 0.996; its 22 new tune scenarios score 0.727, 0.671, 0.955 (0.318, 0.548, 0.909 before the round): the
    round's rules are general shapes chosen on the development corpora, not phrases of its scenarios, so the fresh
    ones it did not fix stay failures here rather than being fitted. After the eleventh round (310): 0.942 style,
    0.948 must-say, 0.981 escalation, 1 hit, all of it the 26 new ``ar-r11-*`` tune scenarios (0.577, 0.686, 0.846 and
    the hit, against 0.577, 0.616, 0.846 with the tenth round's engine): the round named the complained-of thing from
    the text's own nouns and kept no fault shape of its own (none carried to its held-out check half). The hit is in
    that check half, held here rather than read and fitted; the 284 before the round keep every floor and no hit.
    After the twelfth round (332): 0.910 style, 0.932 must-say, 0.976 escalation, 3 hits; the 310 before it unchanged
    (0.942, 0.951, 0.981, 1 hit) and held at their floors; its 22 new ``ar-r12-*`` tune scenarios 0.455, 0.701, 0.909
    and 2 hits (0.409, 0.688, 0.909 and 3 hits with the eleventh round's engine, the one corrected gold counted).
    Session 17 read escalation the customer has already taken (a body that took the case up, officials and petitions,
    a step already taken standing against the model's veto): escalation 0.981 → 0.990 on the 310, the 26
    ``ar-r11-*`` 0.846 → 0.923, every other figure unchanged; with the twelfth round merged, 0.976 → 0.985 on the 332
    (its 22 new ones unchanged). Session 18 read faults told without a fault word (a visit asked for and nobody came, a
    reply promised and never given, a report unanswered, a price above the posted one, a cut with no notice, an
    installer's omission) and set aside a fee the tariff lists: the 332 0.943 style, 0.945 must-say, 0.985
    escalation, 1 hit; its ``ar-r12-*`` 0.864, 0.844, 0.909, no hit; the 310 0.948, 0.954, 0.990, 1 hit; the
    ``ar-r11-*`` 0.615, 0.733 (the gains are in sample: the rules were written from these scenarios)."""
    from complaintdesk.assist.evaluate import run
    from complaintdesk.commands.assist import _advise_scenario, _scenarios
    from complaintdesk.quality import check_text

    everything = [s for s in _scenarios(SCENARIOS) if s.split == "tune" and not s.id.startswith(LATER_ROUNDS)]
    whole = run(everything, _advise_scenario, check_text)["tune"].to_dict()
    assert whole["n"] >= 332
    assert whole["apology_style_accuracy"] >= 0.93, _figures(whole)
    assert whole["must_say_rate"] >= 0.935, _figures(whole)
    assert whole["escalation_accuracy"] >= 0.98, _figures(whole)
    assert whole["must_not_say_violations"] <= 1, _figures(whole)
    r12 = run([s for s in everything if s.id.startswith("ar-r12-")], _advise_scenario, check_text)["tune"].to_dict()
    assert r12["n"] >= 22
    assert r12["apology_style_accuracy"] >= 0.85, _figures(r12)
    assert r12["must_say_rate"] >= 0.83, _figures(r12)
    assert r12["escalation_accuracy"] >= 0.90, _figures(r12)
    assert r12["must_not_say_violations"] == 0, _figures(r12)
    scenarios = [s for s in everything if not s.id.startswith("ar-r12-")]
    tune = run(scenarios, _advise_scenario, check_text)["tune"].to_dict()
    assert tune["n"] >= 310
    assert tune["apology_style_accuracy"] >= 0.938, _figures(tune)
    assert tune["must_say_rate"] >= 0.944, _figures(tune)
    assert tune["escalation_accuracy"] >= 0.985, _figures(tune)
    assert tune["must_not_say_violations"] <= 1, _figures(tune)
    fresh = run([s for s in scenarios if s.id.startswith("ar-r11-")], _advise_scenario, check_text)["tune"].to_dict()
    assert fresh["n"] >= 26
    assert fresh["apology_style_accuracy"] >= 0.605, _figures(fresh)
    assert fresh["must_say_rate"] >= 0.72, _figures(fresh)
    assert fresh["escalation_accuracy"] >= 0.9, _figures(fresh)
    assert fresh["must_not_say_violations"] <= 1, _figures(fresh)
    before_r11 = run([s for s in scenarios if not s.id.startswith("ar-r11-")], _advise_scenario,
                     check_text)["tune"].to_dict()
    assert before_r11["n"] >= 284
    assert before_r11["apology_style_accuracy"] >= 0.97, _figures(before_r11)
    assert before_r11["must_say_rate"] >= 0.97, _figures(before_r11)
    assert before_r11["escalation_accuracy"] >= 0.99, _figures(before_r11)
    assert before_r11["must_not_say_violations"] == 0, _figures(before_r11)
    before = run([s for s in scenarios if not s.id.startswith(("ar-r10-", "ar-r11-"))], _advise_scenario,
                 check_text)["tune"].to_dict()
    assert before["n"] >= 262
    assert before["apology_style_accuracy"] >= 0.99, _figures(before)
    assert before["must_say_rate"] >= 0.99, _figures(before)
    assert before["escalation_accuracy"] >= 0.99, _figures(before)
    assert before["must_not_say_violations"] == 0, _figures(before)


def test_frozen_test_split_holds_its_figures_with_the_shipped_analysis_engine() -> None:
    """Issue 20's targets: style >= 0.9, must-say >= 0.95, no must-not-say violation. The split holds 79
    scenarios after the fifth round: the 64 of the fourth (0.844 style, 0.885 must-say, 1 hit before the fifth
    round's rules; 0.859, 0.897, 1 hit after) and 15 of the fifth round's real-page scenarios (0.800, 0.786, no
    hit); together 0.848 style, 0.875 must-say, 0.975 escalation and 1 must-not-say hit. The sixth round froze 7
    more (86 in all): 0.837 style, 0.879 must-say, 0.988 escalation and 2 must-not-say hits with its engine
    (the 79 before it: 0.848, 0.880, 0.987 and 1 hit), held here minus a small margin (the hits are held, not
    hidden). The seventh round froze 15 more (101 in all): 0.842 style, 0.870 must-say, 0.990 escalation and 2
    hits (the 86 before it unchanged at 0.837, 0.879, 0.988 and 2). The targets are not met on texts neither
    engine has seen: see the out-of-sample floors. The eighth round froze 14 more (115 in all): 0.817 style,
    0.868 must-say, 0.965 escalation and 2 hits with its engine; the 101 before it hold their floors (0.842,
    0.877, 0.980 and 2), the 14 new ones theirs (see below). The ninth round froze 21 more (136 in all): 0.794
    style, 0.856 must-say, 0.971 escalation and 2 hits with its engine, the whole split's style below the 0.80
    floor it had at 115 because the 21 new scenarios score lower (0.667 style), not because a figure of the earlier
    ones fell: the 115 frozen before the round hold 0.817 style, 0.965 escalation and 2 hits and rise 0.868 → 0.871
    must-say, and keep their floors below. The tenth round froze 18 more (154 in all): 0.753 style, 0.824 must-say,
    0.974 escalation and 3 hits with its engine, read once at its end; the 136 before it keep their floors (0.794,
    0.856 and 0.971 as before), the 18 new ones theirs (see below). Their must-not-say hits rose 2 → 3: one
    out-of-sample scenario (``ar-oos-*``) now earns an admission its gold does not take — a fault one of the round's new
    general shapes reads. The hit floors of the older subsets are lowered by one to record it, not tuned away on the
    frozen split (which scenario it is was not looked at). The eleventh round froze 14 more (168 in all): 0.738 style,
    0.827 must-say, 0.970 escalation and 3 hits with its engine, read once at its end (0.807 must-say with the tenth
    round's engine, the rest the same); the 154 before it rose 0.824 → 0.837 must-say with style, escalation and hits
    as they were, and keep their floors (must-say raised to 0.82); the 14 new ones have theirs (see below). The
    twelfth round froze 18 more (186 in all): 0.710 style, 0.818 must-say, 0.962 escalation and 6 hits with its engine,
    read once at its end; the 168 before it unchanged (0.738, 0.827, 0.970 and 3 hits) and held at their floors, the 18
    new ones at theirs (see below)."""
    everything = _test_split(cues_only=False)
    assert everything["n"] >= 186
    assert everything["must_not_say_violations"] <= 6, _figures(everything)
    assert everything["apology_style_accuracy"] >= 0.70, _figures(everything)
    assert everything["must_say_rate"] >= 0.81, _figures(everything)
    assert everything["escalation_accuracy"] >= 0.95, _figures(everything)
    whole = _test_split(cues_only=False, without=("ar-r12-",))
    assert whole["n"] >= 168
    assert whole["must_not_say_violations"] <= 3, _figures(whole)
    assert whole["apology_style_accuracy"] >= 0.72, _figures(whole)
    assert whole["must_say_rate"] >= 0.81, _figures(whole)
    assert whole["escalation_accuracy"] >= 0.95, _figures(whole)
    test = _test_split(cues_only=False, without=("ar-r11-", "ar-r12-"))
    assert test["n"] >= 154
    assert test["must_not_say_violations"] <= 3, _figures(test)
    assert test["apology_style_accuracy"] >= 0.74, _figures(test)
    assert test["must_say_rate"] >= 0.82, _figures(test)
    assert test["escalation_accuracy"] >= 0.95, _figures(test)
    before_r10 = _test_split(cues_only=False, without=("ar-r10-", "ar-r11-", "ar-r12-"))
    assert before_r10["n"] >= 136
    assert before_r10["must_not_say_violations"] <= 3, _figures(before_r10)
    assert before_r10["apology_style_accuracy"] >= 0.78, _figures(before_r10)
    assert before_r10["must_say_rate"] >= 0.84, _figures(before_r10)
    assert before_r10["escalation_accuracy"] >= 0.95, _figures(before_r10)
    before_r9 = _test_split(cues_only=False, without=("ar-r9-", "ar-r10-", "ar-r11-", "ar-r12-"))
    assert before_r9["n"] >= 115
    assert before_r9["must_not_say_violations"] <= 3, _figures(before_r9)
    assert before_r9["apology_style_accuracy"] >= 0.80, _figures(before_r9)
    assert before_r9["must_say_rate"] >= 0.85, _figures(before_r9)
    assert before_r9["escalation_accuracy"] >= 0.95, _figures(before_r9)
    before = _test_split(cues_only=False, without=("ar-r8-", "ar-r9-", "ar-r10-", "ar-r11-", "ar-r12-"))
    assert before["n"] >= 101
    assert before["must_not_say_violations"] <= 3, _figures(before)
    assert before["apology_style_accuracy"] >= 0.82, _figures(before)
    assert before["must_say_rate"] >= 0.86, _figures(before)
    assert before["escalation_accuracy"] >= 0.97, _figures(before)


def test_thirteenth_round_holds_its_fresh_estimate() -> None:
    """The thirteenth round's 40 real-page scenarios (``ar-r13-*``, expectations committed before the engine ran on
    them, commit dc08b23), scored once with the twelfth round's engine and no change after it: the 25 tune ones 0.640
    style, 0.674 must-say, 0.800 escalation and 1 hit; the 15 frozen ones 0.533, 0.731, 0.933 and no hit (aggregates
    only, their failures never printed). Held at those figures minus a small margin. Session 18's rules, written from the
    older rounds before this one was read and kept by the rule pre-registered in assist.md, take the 25 tune ones to
    0.680 style and 0.698 must-say (escalation and the hit unchanged): one cut with no notice read. Session 19 (a fee
    named whole, two supplies contrasted, a misread only suspected, supply pressures as subjects; the 25 are in its
    development set): 0.680 / 0.698 / 0.880 / 1 hit → 0.720 / 0.733 / 0.880 / no hit, held minus 0.01."""
    from complaintdesk.assist.evaluate import run
    from complaintdesk.commands.assist import _advise_scenario, _scenarios
    from complaintdesk.quality import check_text

    tune = run([s for s in _scenarios(SCENARIOS) if s.split == "tune" and s.id.startswith("ar-r13-")],
               _advise_scenario, check_text)["tune"].to_dict()
    assert tune["n"] == 25
    assert tune["must_not_say_violations"] == 0, _figures(tune)
    assert tune["apology_style_accuracy"] >= 0.71, _figures(tune)
    assert tune["must_say_rate"] >= 0.723, _figures(tune)
    assert tune["escalation_accuracy"] >= 0.87, _figures(tune)
    test = _test_split(cues_only=False, prefix="ar-r13-")
    assert test["n"] == 15
    assert test["must_not_say_violations"] == 0, _figures(test)
    assert test["apology_style_accuracy"] >= 0.53, _figures(test)
    assert test["must_say_rate"] >= 0.72, _figures(test)
    assert test["escalation_accuracy"] >= 0.93, _figures(test)


def test_fourteenth_round_holds_its_fresh_estimate() -> None:
    """The fourteenth round's 40 real-page scenarios (``ar-r14-*``, expectations committed before the engine ran on
    them, commit 0dacda0), scored once with the thirteenth round's engine and no change after it: the 18 tune ones
    0.667 style, 0.726 must-say, 0.944 escalation and 2 hits (0.889 escalation before one tune gold was corrected
    against the shipped authority table); the 22 frozen ones 0.409, 0.662, 0.909 and 3 hits (aggregates only, their
    failures never printed). Held at those figures minus 0.02. Session 19 (its check, aggregates only): the tune half
    0.944 → 1.000 escalation (a representative already following the case) and 0.726 → 0.742 must-say, held minus
    0.01."""
    from complaintdesk.assist.evaluate import run
    from complaintdesk.commands.assist import _advise_scenario, _scenarios
    from complaintdesk.quality import check_text

    tune = run([s for s in _scenarios(SCENARIOS) if s.split == "tune" and s.id.startswith("ar-r14-")],
               _advise_scenario, check_text)["tune"].to_dict()
    assert tune["n"] == 18
    assert tune["must_not_say_violations"] <= 2, _figures(tune)
    assert tune["apology_style_accuracy"] >= 0.647, _figures(tune)
    assert tune["must_say_rate"] >= 0.732, _figures(tune)
    assert tune["escalation_accuracy"] >= 0.99, _figures(tune)
    test = _test_split(cues_only=False, prefix="ar-r14-")
    assert test["n"] == 22
    assert test["must_not_say_violations"] <= 3, _figures(test)
    assert test["apology_style_accuracy"] >= 0.389, _figures(test)
    assert test["must_say_rate"] >= 0.642, _figures(test)
    assert test["escalation_accuracy"] >= 0.889, _figures(test)


def test_fifteenth_round_holds_its_fresh_estimate() -> None:
    """The fifteenth round's 40 real-page scenarios (``ar-r15-*``, expectations committed before the engine ran on
    them, commit 549bddf), scored once with the fourteenth round's engine (session 19's, unchanged): the 21 tune ones
    0.619 style, 0.754 must-say, 0.952 escalation and no hit; the 19 frozen ones 0.632, 0.781, 0.947 and 3 hits
    (aggregates only, their failures never printed). Held at those figures minus 0.02."""
    from complaintdesk.assist.evaluate import run
    from complaintdesk.commands.assist import _advise_scenario, _scenarios
    from complaintdesk.quality import check_text

    tune = run([s for s in _scenarios(SCENARIOS) if s.split == "tune" and s.id.startswith("ar-r15-")],
               _advise_scenario, check_text)["tune"].to_dict()
    assert tune["n"] == 21
    assert tune["must_not_say_violations"] == 0, _figures(tune)
    assert tune["apology_style_accuracy"] >= 0.599, _figures(tune)
    assert tune["must_say_rate"] >= 0.734, _figures(tune)
    assert tune["escalation_accuracy"] >= 0.932, _figures(tune)
    test = _test_split(cues_only=False, prefix="ar-r15-")
    assert test["n"] == 19
    assert test["must_not_say_violations"] <= 3, _figures(test)
    assert test["apology_style_accuracy"] >= 0.612, _figures(test)
    assert test["must_say_rate"] >= 0.761, _figures(test)
    assert test["escalation_accuracy"] >= 0.927, _figures(test)


def test_twelfth_round_frozen_scenarios_hold_their_floors() -> None:
    """The twelfth round's 18 frozen real-page scenarios (``ar-r12-*``, expectations committed before the engine ran on
    them): 0.444 style, 0.742 must-say, 0.889 escalation and 3 hits with the round's engine, read once at its end
    (0.444, 0.710, 0.889 and 3 with the eleventh round's engine, in the round's fresh estimate)."""
    test = _test_split(cues_only=False, prefix="ar-r12-")
    assert test["n"] == 18
    assert test["must_not_say_violations"] <= 3, _figures(test)
    assert test["apology_style_accuracy"] >= 0.44, _figures(test)
    assert test["must_say_rate"] >= 0.73, _figures(test)
    assert test["escalation_accuracy"] >= 0.88, _figures(test)


def test_eleventh_round_frozen_scenarios_hold_their_floors() -> None:
    """The eleventh round's 14 frozen real-page scenarios (``ar-r11-*``, expectations committed before the engine ran on
    them, commit 65f7693): 0.571 style, 0.721 must-say, 0.929 escalation and no hit with the round's engine, against
    0.571, 0.628, 0.929 with the tenth round's — the thing named from the text's nouns carried out of sample; no fault
    reading changed, so style did not move."""
    test = _test_split(cues_only=False, prefix="ar-r11-")
    assert test["n"] >= 14
    assert test["must_not_say_violations"] == 0, _figures(test)
    assert test["apology_style_accuracy"] >= 0.55, _figures(test)
    assert test["must_say_rate"] >= 0.70, _figures(test)
    assert test["escalation_accuracy"] >= 0.90, _figures(test)


def test_tenth_round_frozen_scenarios_hold_their_floors() -> None:
    """The tenth round's 18 frozen real-page scenarios (``ar-r10-*``, expectations committed before the engine ran on
    them, commit 04c0d6f): 0.444 style, 0.610 must-say, 1.000 escalation and no hit with the round's engine, against
    0.389, 0.593, 1.000 with the ninth round's — its general shapes carried one style decision of eighteen."""
    test = _test_split(cues_only=False, prefix="ar-r10-")
    assert test["n"] >= 18
    assert test["must_not_say_violations"] == 0, _figures(test)
    assert test["apology_style_accuracy"] >= 0.42, _figures(test)
    assert test["must_say_rate"] >= 0.59, _figures(test)
    assert test["escalation_accuracy"] >= 0.95, _figures(test)


def test_ninth_round_frozen_scenarios_hold_their_floors() -> None:
    """The ninth round's 21 frozen real-page scenarios (``ar-r9-*``, expectations committed before the engine
    ran): 0.667 style, 0.781 must-say, 1.000 escalation, no must-not-say hit with the round's engine, measured once
    at its end (0.619, 0.672, 1.000 with the eighth round's engine: the round's rules, found on its 19 tune
    scenarios, carried only partly to them)."""
    test = _test_split(cues_only=False, prefix="ar-r9-")
    assert test["n"] >= 21
    assert test["must_not_say_violations"] == 0, _figures(test)
    assert test["apology_style_accuracy"] >= 0.64, _figures(test)
    assert test["must_say_rate"] >= 0.76, _figures(test)


def test_eighth_round_frozen_scenarios_hold_their_floors() -> None:
    """The eighth round's 14 frozen real-page scenarios (``ar-r8-*``, expectations committed before the engine
    ran): 0.643 style, 0.810 must-say, 0.857 escalation, no must-not-say hit with the round's engine, measured
    once at its end: the held-out truth of the round (its 28 tune scenarios score 1.000 and 0.988 after the
    rules found on them)."""
    test = _test_split(cues_only=False, prefix="ar-r8-")
    assert test["n"] >= 14
    assert test["must_not_say_violations"] == 0, _figures(test)
    assert test["apology_style_accuracy"] >= 0.62, _figures(test)
    assert test["must_say_rate"] >= 0.79, _figures(test)


def test_seventh_round_frozen_scenarios_hold_their_floors() -> None:
    """The seventh round's 15 frozen real-page scenarios (``ar-r7-*``, expectations committed before the
    engine ran): 0.867 style, 0.822 must-say, no must-not-say hit with the round's engine, measured once at
    its end (0.600 and 0.689 with the sixth round's engine: the round's rules, found on its tune part, carried
    to texts they were not written on). After the eighth round: 0.867 style, 0.844 must-say."""
    test = _test_split(cues_only=False, prefix="ar-r7-")
    assert test["n"] >= 15
    assert test["must_not_say_violations"] == 0, _figures(test)
    assert test["apology_style_accuracy"] >= 0.84, _figures(test)
    assert test["must_say_rate"] >= 0.82, _figures(test)


def test_fifth_round_frozen_scenarios_hold_their_floors() -> None:
    """The fifth round's 15 frozen real-page scenarios (``ar-r5-*``, half of them in traditional script,
    expectations fixed before the engine ran): 0.800 style, 0.786 must-say, no must-not-say hit with the
    shipped engine at the end of the round (0.867 and 0.857 after the eighth)."""
    test = _test_split(cues_only=False, prefix="ar-r5-")
    assert test["n"] >= 15
    assert test["must_not_say_violations"] == 0, _figures(test)
    assert test["apology_style_accuracy"] >= 0.78, _figures(test)
    assert test["must_say_rate"] >= 0.83, _figures(test)


def test_frozen_test_split_holds_the_cue_scan_floors() -> None:
    """With the cue scan alone the style follows the cues' and the assistant's own readings' recall of
    company faults: 0.728 style, 0.810 must-say, 2 must-not-say hits over 136 after the ninth round (the 115
    before it: 0.748, 0.822); 0.748 style, 0.819 must-say, 2 must-not-say hits over 115 after the eighth round (the 101
    before it: 0.762, 0.820); 0.762 style, 0.813 must-say, 2 must-not-say hits over 101 after the seventh round (0.744,
    0.812 and 2 over 86 after the sixth; 0.759, 0.810
    and 1 over 79 after the fifth; 0.719, 0.793 and 1 over 64 after the fourth). Held at the achieved figures
    minus a small margin. After the tenth round (154): 0.714 style, 0.793 must-say, 3 hits (the 136 before it: 0.750,
    0.823, against 0.735, 0.818 with the ninth round's engine). After the eleventh (168): 0.708 style, 0.801 must-say,
    3 hits (the 154 before it: 0.714, 0.806; its 14 new: 0.643, 0.744). After the twelfth (186): 0.683 style, 0.792
    must-say, 5 hits (the 168 before it: 0.702, 0.799, 3 hits, against 0.708, 0.801 with the eleventh round's engine —
    one frozen scenario fewer right by the cue scan, which one not looked at; its 18 new: 0.500, 0.742, 2 hits)."""
    everything = _test_split(cues_only=True)
    assert everything["must_not_say_violations"] <= 5, _figures(everything)
    assert everything["apology_style_accuracy"] >= 0.68, _figures(everything)
    assert everything["must_say_rate"] >= 0.78, _figures(everything)
    test = _test_split(cues_only=True, without=("ar-r12-",))
    assert test["must_not_say_violations"] <= 3, _figures(test)
    assert test["apology_style_accuracy"] >= 0.70, _figures(test)
    assert test["must_say_rate"] >= 0.78, _figures(test)
    before_r10 = _test_split(cues_only=True, without=("ar-r10-", "ar-r11-", "ar-r12-"))
    assert before_r10["must_not_say_violations"] <= 3, _figures(before_r10)
    assert before_r10["apology_style_accuracy"] >= 0.73, _figures(before_r10)
    assert before_r10["must_say_rate"] >= 0.80, _figures(before_r10)
    before = _test_split(cues_only=True, without=("ar-r9-", "ar-r10-", "ar-r11-", "ar-r12-"))
    assert before["apology_style_accuracy"] >= 0.74, _figures(before)
    assert before["must_say_rate"] >= 0.80, _figures(before)


def test_out_of_sample_test_scenarios_hold_their_floors() -> None:
    """The held-out scenarios written from pages no corpus uses, expectations fixed before the engine
    ran: 0.765 style and 0.859 must-say with the shipped engine over 34 after the fifth round (0.735 and 0.848
    after the fourth; the 19 of the second round: 0.684 and 0.837, against 0.737 and 0.857 before the third
    round's changes), 1 must-not-say hit."""
    test = _test_split(cues_only=False, out_of_sample=True)
    assert test["n"] >= 34
    assert test["must_not_say_violations"] <= 2, _figures(test)  # 1 until the tenth round (see the frozen test)
    assert test["apology_style_accuracy"] >= 0.73, _figures(test)  # 0.765 until the tenth round, 0.735 after it
    assert test["must_say_rate"] >= 0.84, _figures(test)
