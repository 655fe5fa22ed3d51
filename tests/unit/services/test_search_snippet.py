"""The excerpt a search hit shows: the customer's own text around the match, with the match located."""

from __future__ import annotations

from complaintdesk.services.search import _terms, snippet
from complaintdesk.web.highlight import mark_matches


def _matched(text: str, spans: tuple[tuple[int, int], ...]) -> list[str]:
    return [text[a:b] for a, b in spans]


def test_traditional_text_found_by_a_simplified_query_is_shown_as_written() -> None:
    text, spans = snippet("寬頻速度長期達不到100M,多次報修無果", _terms("宽频 报修"))
    assert text.startswith("寬頻速度")
    assert _matched(text, spans) == ["寬頻", "報修"]


def test_excerpt_is_centred_near_the_first_match_of_a_long_text() -> None:
    original = "前" * 200 + "要求退款" + "后" * 200
    text, spans = snippet(original, _terms("退款"), width=60)
    assert len(text) == 60 and "要求退款" in text
    assert _matched(text, spans) == ["退款"]


def test_adjacent_terms_become_one_marked_run_and_a_cut_term_is_clipped() -> None:
    text, spans = snippet("宽带停机" + "。" * 100, _terms("宽带 停机"))
    assert _matched(text, spans) == ["宽带停机"]
    text, spans = snippet("宽带" + "x" * 9 + "宽带停机", _terms("宽带"), width=12)
    assert text == "宽带xxxxxxxxx宽"
    assert _matched(text, spans) == ["宽带", "宽"]


def test_latin_words_match_whatever_their_width_or_case() -> None:
    text, spans = snippet("ＩＰＨＯＮＥ13 屏幕碎裂", _terms("iphone13"))
    assert _matched(text, spans) == ["ＩＰＨＯＮＥ13"]


def test_a_character_nfkc_would_spell_in_two_keeps_the_excerpt_as_written() -> None:
    # Folding keeps every character in place (㎏ stays ㎏), so the marks fall on the customer's own words.
    text, spans = snippet("重量㎏不對,要求退款", _terms("退款 不对"))
    assert text == "重量㎏不對,要求退款"
    assert _matched(text, spans) == ["不對", "退款"]


def test_no_match_in_the_text_gives_its_opening_and_no_marks() -> None:
    text, spans = snippet("标题\n正文", _terms("退款"))
    assert text == "标题 正文" and spans == ()


def test_marked_excerpt_escapes_customer_text() -> None:
    hostile = "<script>alert(1)</script>退款"
    html = str(mark_matches(hostile, ((len(hostile) - 2, len(hostile)),)))
    assert "<script>" not in html
    assert html.endswith('<mark class="hit">退款</mark>')
    assert "&lt;script&gt;" in html


def test_marks_outside_the_text_or_overlapping_are_ignored() -> None:
    assert str(mark_matches("退款", ((0, 2), (1, 2), (5, 9)))) == '<mark class="hit">退款</mark>'
