"""The pure readers: what people type as a server, status HTML, the inbox cursor."""

from __future__ import annotations

import pytest

from townsquare.networks.mastodon import payloads
from townsquare.networks.mastodon.tests.captured import captured


@pytest.mark.parametrize(
    ("typed", "url"),
    [
        ("mastodon.social", "https://mastodon.social"),
        ("  Mastodon.Social/ ", "https://mastodon.social"),
        ("https://social.example.org", "https://social.example.org"),
        ("@ana@chaos.social", "https://chaos.social"),
        ("http://127.0.0.1:3000", "http://127.0.0.1:3000"),
    ],
)
def test_a_server_may_be_typed_as_a_name_a_url_or_a_handle(typed, url):
    assert payloads.instance_url(typed) == url


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "not a host",
        "ftp://mastodon.social",
        "https://mastodon.social/about",
        "https://user:pw@mastodon.social",
        "https://mastodon.social?x=1",
        "https://mastodon.social:99999",
        "http://[::1",
        "[::1",
        "https://[mastodon.social]",
    ],
)
def test_anything_else_is_not_a_server(typed):
    with pytest.raises(payloads.BadInstance):
        payloads.instance_url(typed)


def test_status_html_becomes_the_text_as_written():
    content = (
        '<p>Neu: <a href="https://example.com/bohnen/aethiopien" rel="nofollow">'
        '<span class="invisible">https://</span><span class="ellipsis">example.com/bohnen/ae'
        '</span><span class="invisible">thiopien</span></a> &lt;3</p><p>Zweiter<br />Absatz</p>'
    )
    assert payloads.html_to_text(content) == (
        "Neu: https://example.com/bohnen/aethiopien <3\n\nZweiter\nAbsatz"
    )
    documented = captured("statuses_get__ok_200.json")["body"]["content"]
    assert "<" not in payloads.html_to_text(documented)


def test_texts_match_despite_whitespace_and_unicode_composition():
    assert payloads.same_text("Kaffee  aus\nÄthiopien", "Kaffee aus A\u0308thiopien")
    assert not payloads.same_text("Kaffee", "Tee")


def test_the_cursor_round_trips_and_garbage_reads_as_a_fresh_start():
    cursor = payloads.write_cursor("12", None)
    assert payloads.read_cursor(cursor) == ("12", None)
    for garbage in ("", "[]", "{", '{"notifications": "DROP"}', '{"notifications": {}}'):
        assert payloads.read_cursor(garbage)[0] is None


def test_ids_sort_as_numbers_not_as_strings():
    assert payloads.newest_id("99", "100", None) == "100"


def test_a_handle_names_the_instance_for_local_accounts():
    assert payloads.handle_of({"acct": "ana"}, "mastodon.social") == "@ana@mastodon.social"
    assert payloads.handle_of({"acct": "ana@chaos.social"}, "x") == "@ana@chaos.social"


def test_an_inbox_message_carries_how_many_follow_its_author():
    status = captured("statuses_get__ok_200.json")["body"]
    message = payloads.inbox_message(status, own_account_id="14715")
    assert message is not None
    assert message.author_followers == status["account"]["followers_count"] == 320472


@pytest.mark.parametrize("hidden", [None, "many", True, -1])
def test_a_follower_count_the_server_does_not_give_as_a_number_stays_unknown(hidden):
    status = captured("statuses_get__ok_200.json")["body"]
    account = {**status["account"], "followers_count": hidden}
    message = payloads.inbox_message({**status, "account": account}, own_account_id="14715")
    assert message is not None and message.author_followers is None
