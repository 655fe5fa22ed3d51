"""Chinese full-text search: substrings, traditional/simplified, several words, ranking, scope."""

from __future__ import annotations

from sqlalchemy import delete, text

from complaintdesk.services import search
from complaintdesk.storage.orm_api import search_documents

API = "/api/v1"


def _numbers(client, auth, q, user="root"):
    response = client.get(f"{API}/search", params={"q": q}, headers=auth(user))
    assert response.status_code == 200, response.text
    return [item["number"] for item in response.json()["items"]]


def test_two_character_word_inside_a_longer_phrase_is_found(client, auth, open_as):
    n = open_as("root", title="宽带停机", description="欠费不到三十天就被停机,要求退款并赔偿")["number"]
    assert _numbers(client, auth, "退款") == [n]
    assert _numbers(client, auth, "停机") == [n]
    assert _numbers(client, auth, "款并赔") == [n]
    assert _numbers(client, auth, "退货") == []


def test_traditional_query_finds_simplified_text_and_back(client, auth, open_as):
    simplified = open_as("root", title="电视维修", description="电视机修了五次还是坏的")["number"]
    traditional = open_as("root", phone="13900139000", title="寬帶斷網", description="寬帶斷網三天沒人處理")[
        "number"
    ]
    assert _numbers(client, auth, "電視機") == [simplified]
    assert _numbers(client, auth, "宽带断网") == [traditional]


def test_every_word_of_a_multi_word_query_must_match(client, auth, open_as):
    both = open_as("root", title="快递延误", description="快递延误一周,商品也有破损")["number"]
    open_as("root", phone="13900139001", title="快递丢件", description="快递丢了,没人负责")
    assert set(_numbers(client, auth, "快递")) >= {both}
    assert _numbers(client, auth, "快递 破损") == [both]


def test_latin_words_match_as_prefixes(client, auth, open_as):
    n = open_as("root", title="iPhone13 屏幕碎裂", description="ＩＰＨＯＮＥ13 送修后屏幕碎裂")["number"]
    assert _numbers(client, auth, "iphone") == [n]
    assert _numbers(client, auth, "IPHONE13 碎裂") == [n]


def test_message_text_becomes_searchable(client, auth, open_as):
    n = open_as("root")["number"]
    assert _numbers(client, auth, "工信部") == []
    client.post(
        f"{API}/complaints/{n}/messages",
        json={"kind": "inbound", "body": "客户说要投诉到工信部", "version": 1},
        headers=auth("root"),
    )
    assert _numbers(client, auth, "工信部") == [n]


def test_more_mentions_rank_higher(client, auth, open_as):
    once = open_as("root", title="账单疑问", description="这个月话费多扣了,另外网速也慢")["number"]
    often = open_as(
        "root", phone="13900139002", title="话费多扣", description="话费多扣两次,话费账单不清楚,话费要退"
    )["number"]
    assert _numbers(client, auth, "话费") == [often, once]


def test_agents_only_find_complaints_in_their_queue(client, auth, open_as):
    open_as("bob", title="B组的投诉", description="燃气热水器漏水")
    assert _numbers(client, auth, "热水器", user="alice") == []
    assert len(_numbers(client, auth, "热水器", user="bob")) == 1


def test_empty_or_punctuation_only_queries_are_422(client, auth, assert_error):
    assert_error(client.get(f"{API}/search", params={"q": "   "}, headers=auth("root")), 422, field="q")
    assert_error(client.get(f"{API}/search", params={"q": "\"*'"}, headers=auth("root")), 422, field="q")
    assert_error(client.get(f"{API}/search", headers=auth("root")), 422, field="q")


def test_fts_syntax_in_queries_is_treated_as_text(client, auth, open_as):
    open_as("root", description="普通的投诉内容 NEAR OR AND")
    for q in ["NEAR(退款", 'a" OR "b', "OR", "退款 -停机", "^*:"]:
        response = client.get(f"{API}/search", params={"q": q}, headers=auth("root"))
        assert response.status_code in (200, 422), response.text


def test_reindex_restores_a_lost_index(client, auth, open_as, desk):
    n = open_as("root", description="冰箱不制冷,要求上门维修")["number"]
    with desk.engine.begin() as conn:
        conn.execute(delete(search_documents))
        if conn.dialect.name == "sqlite":
            conn.execute(text("DELETE FROM search_fts"))
    assert _numbers(client, auth, "制冷") == []
    assert search.reindex(desk.uow()) == 1
    assert _numbers(client, auth, "制冷") == [n]


def test_hits_show_the_matching_text_as_written_with_where_the_terms_are(client, auth, open_as):
    # A traditional complaint found by a simplified query: the excerpt stays in the customer's script.
    open_as("root", title="寬頻測速", description="晚上八點以後寬頻測速只有不到10M,要求退費")
    response = client.get(f"{API}/search", params={"q": "宽频 退费"}, headers=auth("root"))
    item = response.json()["items"][0]
    assert "寬頻" in item["snippet"]
    assert [item["snippet"][a:b] for a, b in item["snippet_matches"]] == ["寬頻", "寬頻", "退費"]
