"""The 7-day window for a private answer to a Facebook or Instagram comment, said on the
conversation page in the workspace's zone, in English and German.

The window is Meta's: Messenger Platform "Private Replies"
(developers.facebook.com/docs/messenger-platform/discovery/private-replies) and Instagram
Messaging "Private Replies" (developers.facebook.com/docs/instagram-platform/
instagram-api-with-facebook-login/private-replies): one private message, within 7 days.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from townsquare.inbox.private_reply_window import private_reply_line, private_reply_until
from townsquare.inbox.tests.inbox_world import make_conversation
from townsquare.networks.models import SocialAccount

COMMENT_AT = datetime(2026, 12, 1, 22, 30, tzinfo=UTC)  # 23:30 in Berlin


def test_a_comment_on_facebook_may_be_answered_privately_for_seven_days():
    until = private_reply_until("facebook_page", "comment", COMMENT_AT)
    assert until == COMMENT_AT + timedelta(days=7)
    assert private_reply_until("instagram", "reply", COMMENT_AT) == until


@pytest.mark.parametrize(
    ("network", "kind"),
    [("mastodon", "comment"), ("facebook_page", "direct"), ("instagram", "outbound")],
)
def test_other_networks_and_other_kinds_have_no_window(network, kind):
    assert private_reply_until(network, kind, COMMENT_AT) is None
    assert private_reply_line(network, kind, COMMENT_AT, COMMENT_AT, "UTC") == ""


def test_within_the_window_the_line_names_the_deadline_in_the_workspace_zone():
    with translation.override("en"):
        line = private_reply_line(
            "facebook_page", "comment", COMMENT_AT, COMMENT_AT + timedelta(days=6), "Europe/Berlin"
        )
    # 1 Dec 22:30 UTC + 7 days is 8 Dec 23:30 in Berlin.
    assert line == (
        "A private answer in Messenger is possible until 8 Dec 2026, 23:30 (Europe/Berlin)."
    )


def test_instagram_names_direct_and_speaks_german():
    with translation.override("de"):
        line = private_reply_line(
            "instagram", "comment", COMMENT_AT, COMMENT_AT + timedelta(days=1), "Europe/Berlin"
        )
    assert line == (
        "Eine private Antwort in Instagram Direct ist bis "
        "08.12.2026, 23:30 (Europe/Berlin) möglich."
    )


def test_without_the_messaging_permission_the_line_says_where_to_answer_privately():
    later = COMMENT_AT + timedelta(days=1)
    with translation.override("en"):
        line = private_reply_line(
            "facebook_page", "comment", COMMENT_AT, later, "UTC", permitted=False
        )
    assert line == (
        "A private answer in Messenger is possible until 8 Dec 2026, 22:30 (UTC). Private "
        "answers are sent from Facebook's own inbox: this Townsquare's Meta app is not allowed "
        "to send them."
    )
    with translation.override("de"):
        german = private_reply_line(
            "instagram", "comment", COMMENT_AT, later, "UTC", permitted=False
        )
    assert german.startswith("Eine private Antwort in Instagram Direct ist bis")
    assert "Private Antworten werden in Facebooks eigenem Posteingang gesendet" in german
    # Over is over, whether permitted or not.
    with translation.override("en"):
        over = private_reply_line(
            "facebook_page",
            "comment",
            COMMENT_AT,
            COMMENT_AT + timedelta(days=8),
            "UTC",
            permitted=False,
        )
    assert over.startswith("The 7 days for a private answer are over")


def test_after_seven_days_only_a_public_answer_is_left():
    after = COMMENT_AT + timedelta(days=7, seconds=1)
    with translation.override("en"):
        line = private_reply_line("facebook_page", "comment", COMMENT_AT, after, "UTC")
    assert line == "The 7 days for a private answer are over; only a public answer is possible."
    on_the_last_second = COMMENT_AT + timedelta(days=7)
    with translation.override("en"):
        still = private_reply_line("instagram", "comment", COMMENT_AT, on_the_last_second, "UTC")
    assert still.startswith("A private answer in Instagram Direct is possible until")


# --- on the page ------------------------------------------------------------------------------


def _comment_on(workspace, network, *, age):
    account = SocialAccount.objects.create(
        workspace=workspace, network=network, handle="Kaffee Alpha"
    )
    conversation = make_conversation(account, at=timezone.now() - age)
    conversation.messages.update(kind="comment")
    return conversation


def _page(client, conversation, language):
    client.cookies["django_language"] = language
    url = reverse(
        "inbox_conversation",
        kwargs={"workspace": conversation.workspace.slug, "conversation_id": conversation.pk},
    )
    return client.get(url).content.decode()


@pytest.mark.django_db
def test_the_page_says_until_when_a_facebook_comment_may_be_answered_privately(
    alice_client, workspace_a
):
    conversation = _comment_on(workspace_a, "facebook_page", age=timedelta(days=2))
    until = conversation.messages.get().created_at + timedelta(days=7)
    local = timezone.localtime(until, ZoneInfo(workspace_a.time_zone))
    text = _page(alice_client, conversation, "en")
    assert "A private answer in Messenger is possible until" in text
    assert local.strftime("%H:%M") in text and f"({workspace_a.time_zone})" in text
    german = _page(alice_client, conversation, "de")
    assert "Eine private Antwort im Messenger ist bis" in german


@pytest.mark.django_db
def test_the_page_says_the_window_is_over_for_an_old_instagram_comment(alice_client, workspace_a):
    conversation = _comment_on(workspace_a, "instagram", age=timedelta(days=8))
    text = _page(alice_client, conversation, "en")
    assert "The 7 days for a private answer are over" in text
    assert "is possible until" not in text
    german = _page(alice_client, conversation, "de")
    assert "Die 7 Tage für eine private Antwort sind vorbei" in german


@pytest.mark.django_db
def test_the_page_says_nothing_of_it_on_other_networks(alice_client, workspace_a):
    conversation = _comment_on(workspace_a, "mastodon", age=timedelta(days=2))
    text = _page(alice_client, conversation, "en")
    assert "private answer" not in text


@pytest.mark.django_db
def test_a_conversation_whose_account_login_cannot_be_read_still_opens(alice_client, workspace_a):
    conversation = _comment_on(workspace_a, "facebook_page", age=timedelta(days=2))
    # Written with a key this installation no longer has.
    SocialAccount.objects.filter(pk=conversation.account_id).update(
        credentials_encrypted="gAAAAABnot-a-token-of-any-configured-key"
    )
    text = _page(alice_client, conversation, "en")
    assert "A private answer in Messenger is possible until" in text
    assert "Private answers are sent from Facebook" in text  # nothing private offered
