"""`COMPLAINTDESK_IMAP_URL` read into a target: scheme, port, login, mailbox, how a mail is marked."""

from __future__ import annotations

import pytest

from complaintdesk.channels.imap import parse_imap_url
from complaintdesk.domain.errors import ConfigurationError


def test_imaps_defaults_to_port_993_and_the_inbox() -> None:
    target = parse_imap_url("imaps://kefu%40example.cn:p%40ss@mail.example.cn")
    assert (target.host, target.port, target.tls, target.starttls) == ("mail.example.cn", 993, True, False)
    assert (target.username, target.password, target.mailbox, target.move_to) == (
        "kefu@example.cn",
        "p@ss",
        "INBOX",
        None,
    )


def test_imap_with_starttls_a_mailbox_and_a_folder_for_mails_taken_in() -> None:
    target = parse_imap_url("imap://kefu:secret@10.0.0.5/Complaints?starttls=1&move_to=Done&timeout=5")
    assert (target.port, target.tls, target.starttls) == (143, False, True)
    assert (target.mailbox, target.move_to, target.timeout) == ("Complaints", "Done", 5.0)


def test_the_description_never_shows_the_password() -> None:
    assert "secret" not in parse_imap_url("imaps://kefu:secret@mail.example.cn:994/INBOX").describe()


@pytest.mark.parametrize(
    "url",
    [
        "smtp://kefu:secret@mail.example.cn",
        "imaps://mail.example.cn",  # no user
        "imap://kefu:secret@mail.example.cn:notaport",
        "imap://kefu:secret@mail.example.cn/INBOX?timeout=soon",
        'imap://kefu:secret@mail.example.cn/%E6%8A%95%E8%AF%89',  # a non-ASCII folder (needs modified UTF-7)
        "imaps://kefu:secret@mail.example.cn?cafile=/nonexistent/ca.pem",
    ],
)
def test_a_url_that_is_not_a_mailbox_names_the_setting(url: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        parse_imap_url(url)
    assert caught.value.field == "COMPLAINTDESK_IMAP_URL"
