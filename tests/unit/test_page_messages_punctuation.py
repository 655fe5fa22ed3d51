"""The pages' Chinese text uses Chinese punctuation (issue 20, point 4: natural Chinese on every panel)."""

from complaintdesk.assist.wording import halfwidth_marks
from complaintdesk.web.i18n import catalogue


def test_no_page_message_mixes_half_width_punctuation_into_chinese() -> None:
    slips = {
        key: marks for key, languages in catalogue().items() if (marks := halfwidth_marks(languages["zh-CN"]))
    }
    assert slips == {}


def test_english_messages_keep_their_own_punctuation() -> None:
    english = [languages["en"] for languages in catalogue().values()]
    assert any("," in text for text in english) and not any("，" in text for text in english)
