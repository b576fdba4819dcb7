"""Answering a Facebook or Instagram comment privately from the inbox: through the Meta
connector against the fake Graph API (fake_meta, whose captured answers name their pages),
once per comment and within Meta's 7 days; refused with the reason before anything is sent
otherwise."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from townsquare.inbox.models import Message, Reply
from townsquare.inbox.reply_actions import do_reply, send_reply
from townsquare.inbox.tests.inbox_world import make_conversation
from townsquare.lib.errors import ActionError
from townsquare.networks import registry
from townsquare.networks.credentials import store_credentials
from townsquare.networks.meta.payloads import PRIVATE_REPLY_EXTRA
from townsquare.networks.meta.tests.fake_meta import PAGE, FakeMeta, answer
from townsquare.networks.models import SocialAccount

pytestmark = pytest.mark.django_db

COMMENT = "845276532001_1203"


@pytest.fixture
def graph(monkeypatch):
    """The fake Graph API, answering a private reply of the Page, as the Page's connector."""
    fake = FakeMeta({f"POST /{PAGE}/messages": answer("private_reply__ok_200.json")})
    monkeypatch.setitem(
        registry._instances, "facebook_page", fake.page(clock=lambda: datetime.now(UTC))
    )
    return fake


def _page_account(workspace, **facts):
    account = SocialAccount.objects.create(
        workspace=workspace, network="facebook_page", handle="Kaffee Alpha"
    )
    store_credentials(
        account,
        {"access_token": "EAApage1", "expires_at": None, "extra": {"page_id": PAGE, **facts}},
    )
    return account


@pytest.fixture
def page_account(workspace_a):
    """A Page connected with pages_messaging granted (META_PRIVATE_REPLIES on)."""
    return _page_account(workspace_a, **{PRIVATE_REPLY_EXTRA: "granted"})


def _comment(account, *, age):
    conversation = make_conversation(account, at=timezone.now() - age)
    conversation.messages.update(kind="comment", network_message_id=COMMENT)
    return conversation


def test_a_six_day_old_comment_is_answered_privately_once(membership, page_account, graph):
    conversation = _comment(page_account, age=timedelta(days=6))
    outcome = do_reply(membership, conversation, "Wir schreiben Ihnen privat.", private=True)
    assert outcome.reply.private
    assert send_reply.call(outcome.reply.pk) == "sent"
    assert graph.bodies(f"POST /{PAGE}/messages") == [
        {"recipient": {"comment_id": COMMENT}, "message": {"text": "Wir schreiben Ihnen privat."}}
    ]
    sent = Message.objects.get(kind="outbound")
    assert sent.network_message_id.startswith("m_") and sent.in_reply_to_id == COMMENT
    with translation.override("en"), pytest.raises(ActionError) as second:
        do_reply(membership, conversation, "Noch etwas.", private=True)
    assert "already answered privately" in second.value.message
    assert Reply.objects.count() == 1 and len(graph.requests) == 1
    # A public answer is still possible.
    assert do_reply(membership, conversation, "Öffentlich: danke!").reply.private is False


def test_after_eight_days_a_private_answer_is_refused_before_anything_is_sent(
    membership, page_account, graph
):
    conversation = _comment(page_account, age=timedelta(days=8))
    with translation.override("de"), pytest.raises(ActionError) as refused:
        do_reply(membership, conversation, "Zu spät?", private=True)
    assert "Die 7 Tage für eine private Antwort sind vorbei" in refused.value.message
    assert Reply.objects.count() == 0 and graph.requests == []


def test_the_window_closing_while_waiting_for_approval_fails_without_a_request(
    membership, page_account, graph
):
    conversation = _comment(page_account, age=timedelta(days=6))
    reply = do_reply(membership, conversation, "Privat.", private=True).reply
    conversation.messages.update(created_at=timezone.now() - timedelta(days=8))
    assert send_reply.call(reply.pk) == "failed"
    reply.refresh_from_db()
    assert "7" in reply.error and graph.requests == []


def test_a_missing_messaging_permission_is_named(
    alice_client, membership, page_account, monkeypatch
):
    alice_client.cookies["django_language"] = "en"
    fake = FakeMeta({f"POST /{PAGE}/messages": answer("error__permission_10_400.json")})
    monkeypatch.setitem(
        registry._instances, "facebook_page", fake.page(clock=lambda: datetime.now(UTC))
    )
    conversation = _comment(page_account, age=timedelta(days=1))
    reply = do_reply(membership, conversation, "Privat.", private=True).reply
    assert send_reply.call(reply.pk) == "failed"
    reply.refresh_from_db()
    assert "pages_messaging" in reply.error
    # The failed answer is listed as a private one, with its reason.
    page = alice_client.get(
        reverse(
            "inbox_conversation",
            kwargs={"workspace": conversation.workspace.slug, "conversation_id": conversation.pk},
        )
    ).content.decode()
    assert "(privately)" in page and "pages_messaging" in page


def test_the_reply_box_offers_the_private_answer_only_within_the_window(
    alice_client, page_account, graph
):
    fresh = _comment(page_account, age=timedelta(days=2))
    url = reverse(
        "inbox_conversation",
        kwargs={"workspace": fresh.workspace.slug, "conversation_id": fresh.pk},
    )
    alice_client.cookies["django_language"] = "en"
    assert "Answer privately in Messenger" in alice_client.get(url).content.decode()
    fresh.messages.update(created_at=timezone.now() - timedelta(days=8))
    assert "Answer privately in Messenger" not in alice_client.get(url).content.decode()


def test_the_page_says_a_comment_was_answered_privately(
    alice_client, membership, page_account, graph
):
    conversation = _comment(page_account, age=timedelta(days=1))
    reply = do_reply(membership, conversation, "Privat.", private=True).reply
    send_reply.call(reply.pk)
    url = reverse(
        "inbox_conversation",
        kwargs={"workspace": conversation.workspace.slug, "conversation_id": conversation.pk},
    )
    alice_client.cookies["django_language"] = "en"
    text = alice_client.get(url).content.decode()
    assert "This comment was answered privately; Meta allows that once." in text
    assert "Answer privately in Messenger" not in text
    assert "is possible until" not in text


def test_without_the_messaging_permission_nothing_private_is_offered(
    alice_client, workspace_a, graph
):
    # Connected while META_PRIVATE_REPLIES was off: Meta was never asked for pages_messaging.
    conversation = _comment(_page_account(workspace_a), age=timedelta(days=2))
    url = reverse(
        "inbox_conversation",
        kwargs={"workspace": conversation.workspace.slug, "conversation_id": conversation.pk},
    )
    alice_client.cookies["django_language"] = "en"
    text = alice_client.get(url).content.decode()
    assert "Answer privately in Messenger" not in text
    assert "A private answer in Messenger is possible until" in text
    assert "Private answers are sent from Facebook&#x27;s own inbox" in text
    alice_client.cookies["django_language"] = "de"
    german = alice_client.get(url).content.decode()
    assert "Privat im Messenger antworten" not in german
    assert "Private Antworten werden in Facebooks eigenem Posteingang gesendet" in german


def test_without_the_messaging_permission_a_private_answer_is_refused_before_it_is_stored(
    membership, workspace_a, graph
):
    """Through the API too: nothing is stored and nothing goes to Meta."""
    conversation = _comment(_page_account(workspace_a), age=timedelta(days=2))
    with pytest.raises(ActionError) as refused:
        do_reply(membership, conversation, "Privat.", private=True)
    assert refused.value.code == "private_reply_refused"
    assert "not allowed to send them" in refused.value.message
    assert not Reply.objects.filter(conversation=conversation).exists()
    assert graph.requests == []
