"""Churn by kind (issue 19, Session 18 churn): leaving the company — closing the line, taking the money or the
number elsewhere, never buying again — is a churn threat; a contract rescinded for a refund (要求解约全额退费) is
the refund the customer asks for, not a customer leaving. Texts written for the test; the cue scan alone, so that
each reading is the cue lists' own."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from complaintdesk.analysis import analyze, learned


@pytest.fixture(autouse=True)
def _cues_only() -> Iterator[None]:
    learned.disable()
    yield
    learned.use(None)


def _churn(text: str) -> list[str] | None:
    threat = next((t for t in analyze(text).threats if t.kind == "churn"), None)
    return None if threat is None else [span.text for span in threat.evidence]


@pytest.mark.parametrize(
    "text",
    [
        "推销员在展会上围着我签了课程合约，回家想想根本用不上，我要求解约，全额退费。",
        "健身房的私教课上了几节觉得不合适，想解约，店里说解约要再付两万块。",
        "補習班開課前我就申請解約，依規定應該全額退費，請退回剩下的錢。",
    ],
)
def test_a_contract_rescinded_for_a_refund_is_no_churn(text: str) -> None:
    assert _churn(text) is None


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("合约还有一年，你们要我付清剩下的月费才放人。我要求无条件解约。", "无条件解约"),
        ("宽带断了半个月没人修，再不修好我就携号转网。", "携号转网"),
        ("这种服务，以后不会再来了。", "不会再来了"),
    ],
)
def test_leaving_the_company_is_still_churn_with_its_words(text: str, word: str) -> None:
    words = _churn(text)
    assert words is not None and word in words


_RESCISSION = ("申请解约", "申請解約", "要求解约", "要求解約", "取消合约", "取消合約", "终止会籍", "終止會籍", "取消会籍", "取消會籍")


def test_no_tune_file_a_to_m_labels_a_contract_undone_as_the_remedy_churn() -> None:
    """Guide rule H7 (Session 19): a churn label's evidence is the customer leaving, never the one contract
    rescinded or a membership ended as the remedy (申请解约, 取消合约, 终止会籍 — churn_relabel.md)."""
    import json
    from pathlib import Path

    import complaintdesk.analysis.data as data

    spans = []
    for letter in "abcdefghijklm":
        path = Path(data.__file__).parent / f"corpus_tune_{letter}.jsonl"
        for line in path.read_text("utf-8").splitlines():
            record = json.loads(line)
            if "churn" in record["expect"]["threats"]:
                spans.append((record["id"], record.get("spans", {}).get("threats.churn", "")))
    assert spans
    assert [(rid, span) for rid, span in spans if span in _RESCISSION] == []
