"""The arithmetic of scripts/label_agreement.py (two labellers' agreement, issue 19) on fixtures worked by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.scripts import load_script

ROOT = Path(__file__).resolve().parents[3]


agreement = load_script("label_agreement")


def test_kappa_matches_the_hand_worked_two_by_two_table() -> None:
    # 10 items: both anger 4, both calm 2, A anger / B calm 3, A calm / B anger 1 → observed 0.6;
    # A anger 7 / calm 3, B anger 5 / calm 5 → chance (7·5 + 3·5) / 100 = 0.5; kappa (0.6 − 0.5) / 0.5 = 0.2
    pairs = [("anger", "anger")] * 4 + [("calm", "calm")] * 2 + [("anger", "calm")] * 3 + [("calm", "anger")]
    result = agreement.single_agreement(pairs)
    assert result.same == 6 and result.accuracy == pytest.approx(0.6)
    assert result.kappa == pytest.approx(0.2)


def test_kappa_is_zero_when_agreement_is_only_what_chance_gives() -> None:
    # A says anger throughout, B splits evenly: half agree, and half is exactly what chance predicts
    pairs = [("anger", "anger"), ("anger", "calm")] * 5
    assert agreement.cohen_kappa(pairs) == pytest.approx(0.0)


def test_kappa_is_negative_when_the_labellers_systematically_swap_labels() -> None:
    assert agreement.cohen_kappa([("anger", "calm"), ("calm", "anger")]) == pytest.approx(-1.0)


def test_kappa_of_two_labellers_who_use_one_label_throughout_is_full_agreement() -> None:
    assert agreement.cohen_kappa([("other", "other")] * 3) == 1.0


def test_multi_label_counts_split_into_both_a_only_and_b_only_per_label() -> None:
    pairs = [(["refund", "expedite"], ["refund"]), (["refund"], ["refund", "apology"]), ([], ["apology"])]
    result = agreement.multi_agreement(pairs)
    counts = {c.label: (c.both, c.a_only, c.b_only) for c in result.labels}
    assert counts == {"apology": (0, 0, 2), "expedite": (0, 1, 0), "refund": (2, 0, 0)}
    # micro-F1 = 2·both / (|A| + |B|) = 4 / (4 + 1 + 2)
    assert result.micro_f1 == pytest.approx(4 / 7)


def test_multi_label_f1_is_the_same_whichever_labeller_is_taken_as_gold() -> None:
    pairs = [(["whiner"], ["whiner", "nagger"]), (["friendly"], []), ([], ["intimidating"])]
    swapped = [(b, a) for a, b in pairs]
    assert agreement.multi_agreement(pairs).micro_f1 == pytest.approx(agreement.multi_agreement(swapped).micro_f1)


def test_two_labellers_who_both_give_no_label_anywhere_agree_fully() -> None:
    assert agreement.multi_agreement([([], []), ([], [])]).micro_f1 == 1.0


def test_compare_scores_only_the_ids_both_files_share(tmp_path: Path) -> None:
    def write(name: str, rows: list[tuple[str, str, list[str]]]) -> Path:
        path = tmp_path / name
        path.write_text("".join(json.dumps({"id": i, "text": "文", "expect": {
            "emotion": emotion, "category": "other", "customer_types": [], "demands": demands,
            "threats": [], "company_faults": []}}, ensure_ascii=False) + "\n" for i, emotion, demands in rows), "utf-8")
        return path

    a, texts = agreement.load(write("a.jsonl", [("x-1", "anger", ["refund"]), ("x-2", "calm", []), ("x-3", "anger", [])]))
    b, _ = agreement.load(write("b.jsonl", [("x-1", "anger", ["refund", "apology"]), ("x-2", "anger", [])]))
    result = agreement.compare(a, b)
    assert result["n"] == 2 and texts["x-3"] == "文"
    assert result["emotion"].same == 1
    assert (result["demands"].both, result["demands"].a_only, result["demands"].b_only) == (1, 0, 1)


def test_the_command_refuses_two_files_whose_ids_differ(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    expect = {"emotion": "calm", "category": "other"}
    (tmp_path / "a.jsonl").write_text(json.dumps({"id": "x-1", "expect": expect}) + "\n", "utf-8")
    (tmp_path / "b.jsonl").write_text(json.dumps({"id": "x-2", "expect": expect}) + "\n", "utf-8")
    assert agreement.main([str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl")]) == 2
    assert "ids differ" in capsys.readouterr().err


@pytest.mark.parametrize("tune", ["l", "n", "o", "p"])
def test_the_shipped_second_labelling_covers_every_item_of_its_tune_file_with_spans_from_its_texts(tune: str) -> None:
    second = [json.loads(line) for line in
              (ROOT / "eval" / "analysis_agreement" / f"{tune}_second.jsonl").read_text("utf-8").splitlines()]
    corpus = {r["id"]: r for r in map(json.loads, (ROOT / "src" / "complaintdesk" / "analysis" / "data" /
                                                    f"corpus_tune_{tune}.jsonl").read_text("utf-8").splitlines())}
    assert [r["id"] for r in second] == sorted(corpus) and {r["labeller"] for r in second} == {"second"}
    for record in second:
        for key, words in record["spans"].items():
            group, label = key.split(".")
            assert label in record["expect"][group] and words in corpus[record["id"]]["text"], (record["id"], key)


def test_the_engine_is_not_scored_when_some_ids_have_no_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    expect = {"emotion": "calm", "category": "other"}
    for name in ("a.jsonl", "b.jsonl"):
        (tmp_path / name).write_text(json.dumps({"id": "x-1", "expect": expect}) + "\n", "utf-8")
    assert agreement.main([str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl"), "--engine"]) == 2
    assert "--texts" in capsys.readouterr().err


@pytest.mark.parametrize("tune", ["n", "o", "p"])
def test_the_kept_first_labels_differ_from_the_adjudicated_tune_file_only_in_labels_and_spans(tune: str) -> None:
    # adjudication corrects labels; the first labelling stays as it was, with the same ids in the same order
    first = [json.loads(line) for line in
             (ROOT / "eval" / "analysis_agreement" / f"{tune}_first.jsonl").read_text("utf-8").splitlines()]
    corpus = [json.loads(line) for line in (ROOT / "src" / "complaintdesk" / "analysis" / "data" /
                                            f"corpus_tune_{tune}.jsonl").read_text("utf-8").splitlines()]
    assert [r["id"] for r in first] == [r["id"] for r in corpus]
    assert {r["labeller"] for r in first} == {"first"} and all("text" not in r for r in first)
    assert set(first[0]["expect"]) == set(corpus[0]["expect"])
