"""The complaint page's outcome message goes next to the form that acted, once, escaped; else a toast."""

from __future__ import annotations

from complaintdesk.web.feedback import Feedback


def test_the_outcome_shows_at_the_first_slot_of_its_action_only() -> None:
    feedback = Feedback(action="promise", ok="承诺已记录。")
    assert feedback.at("message") == "" and feedback.at("promise") != ""
    assert feedback.at("promise") == "" and feedback.rest() == ""  # once per page


def test_a_refusal_is_an_alert_with_its_text_escaped() -> None:
    shown = str(Feedback(action="message", error='不能为空 <img src=x onerror="alert(1)">').at("message"))
    assert 'role="alert"' in shown and 'data-testid="error"' in shown
    assert "<img" not in shown and "&lt;img src=x" in shown


def test_an_outcome_whose_form_is_gone_becomes_a_toast() -> None:
    feedback = Feedback(action="signoff", ok="签字已记录。")
    assert feedback.at("message", "promise") == ""
    assert "toast" in str(feedback.rest())


def test_the_reply_box_at_the_top_and_the_one_below_are_told_apart() -> None:
    top = Feedback(action="message", ok="已发送。", place="top")
    assert top.at("message") == "" and top.at("message", place="top") != ""
