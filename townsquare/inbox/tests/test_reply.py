"""Answering from Townsquare: checked by the network's rules, private answered privately,
approval, sending once, failure with "try again", collision warning, notes, saved replies."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from townsquare.inbox import reply_actions
from townsquare.inbox.models import InboxSettings, Message, Reply, SavedReply, Viewing
from townsquare.inbox.note_actions import do_add_note
from townsquare.inbox.reply_actions import (
    ReplyInvalid,
    SomeoneElseAnswering,
    do_approve_reply,
    do_reject_reply,
    do_reply,
    do_retry_reply,
    send_reply,
)
from townsquare.inbox.saved_reply_actions import do_save_saved_reply, fill
from townsquare.inbox.tests import inbox_world
from townsquare.inbox.tests.inbox_world import make_conversation
from townsquare.networks.base import Rejected
from townsquare.notifications.models import Notification

pytestmark = pytest.mark.django_db

# Fixtures of the small inbox world, used here by name.
account = inbox_world.account
bob_membership = inbox_world.bob_membership
fake_inbox = inbox_world.fake_inbox


def test_an_answer_is_sent_in_the_thread_and_recorded_once(membership, account, fake_inbox):
    conversation = make_conversation(account)
    outcome = do_reply(membership, conversation, "Das tut uns leid, Lena. Wir kümmern uns.")
    assert outcome.reply.status == "sending"
    assert send_reply.call(outcome.reply.pk) == "sent"
    assert send_reply.call(outcome.reply.pk) == "sent"  # a repeated task sends nothing
    assert len(fake_inbox.sent) == 1
    answered, text = fake_inbox.sent[0]
    assert text == "Das tut uns leid, Lena. Wir kümmern uns."
    assert answered.network_message_id == conversation.messages.first().network_message_id
    assert answered.kind == "mention"
    reply = Reply.objects.get()
    assert reply.status == "sent" and reply.sent_message is not None
    sent = Message.objects.get(kind="outbound")
    assert sent.network_message_id == "answer-1" and sent.sent_by == membership.user
    conversation.refresh_from_db()
    assert conversation.waiting_since is None
    assert conversation.first_responded_at is not None


def test_a_private_conversation_is_answered_privately(membership, account, fake_inbox):
    conversation = make_conversation(account, private=True)
    # Even a message stored as a mention is answered as a direct message when the
    # conversation is private.
    Message.objects.filter(conversation=conversation).update(kind="mention")
    outcome = do_reply(membership, conversation, "Wir schreiben Ihnen privat.")
    send_reply.call(outcome.reply.pk)
    answered, _text = fake_inbox.sent[0]
    assert answered.kind == "direct"


def test_a_text_the_network_would_refuse_is_not_stored_or_sent(membership, account, fake_inbox):
    conversation = make_conversation(account)
    with pytest.raises(ReplyInvalid) as refused:
        do_reply(membership, conversation, "x" * 600)
    assert refused.value.problems
    assert not Reply.objects.exists() and not fake_inbox.sent


def test_the_page_shows_the_problems_and_keeps_the_text(alice_client, account, fake_inbox):
    conversation = make_conversation(account)
    url = reverse(
        "inbox_reply",
        kwargs={"workspace": conversation.workspace.slug, "conversation_id": conversation.pk},
    )
    alice_client.cookies["django_language"] = "en"
    response = alice_client.post(url, {"text": "y" * 600})
    assert response.status_code == 422
    assert "y" * 600 in response.content.decode()
    assert 'class="problem-error"' in response.content.decode()
    assert not Reply.objects.exists()


def test_replies_wait_for_approval_when_the_workspace_wants_it(
    membership, bob_membership, account, fake_inbox, bob, alice
):
    InboxSettings.objects.create(workspace=account.workspace, replies_need_approval=True)
    conversation = make_conversation(account)
    outcome = do_reply(bob_membership, conversation, "Danke für den Hinweis!")
    assert outcome.reply.status == "pending_approval"
    assert Notification.objects.filter(recipient=alice, kind="inbox_reply_approval").exists()
    with pytest.raises(PermissionDenied):
        do_approve_reply(bob_membership, outcome.reply)  # an editor may not approve
    approved = do_approve_reply(membership, outcome.reply)
    assert approved.reply.status == "sending" and approved.reply.approved_by == alice
    assert Notification.objects.filter(recipient=bob, kind="inbox_reply_approved").exists()
    send_reply.call(outcome.reply.pk)
    assert len(fake_inbox.sent) == 1


def test_a_rejected_reply_is_never_sent_and_its_author_is_told(
    membership, bob_membership, account, fake_inbox, bob
):
    InboxSettings.objects.create(workspace=account.workspace, replies_need_approval=True)
    conversation = make_conversation(account)
    outcome = do_reply(bob_membership, conversation, "Kein Kommentar.")
    do_reject_reply(membership, outcome.reply, "Bitte freundlicher.")
    assert send_reply.call(outcome.reply.pk) == "rejected"
    assert not fake_inbox.sent
    assert Notification.objects.filter(recipient=bob, kind="inbox_reply_rejected").exists()


def test_a_failed_reply_shows_the_error_and_can_be_sent_again(membership, account, fake_inbox):
    conversation = make_conversation(account)
    fake_inbox.fail_with = Rejected("The status is too long.", code="http_422")
    outcome = do_reply(membership, conversation, "Hallo!")
    assert send_reply.call(outcome.reply.pk) == "failed"
    reply = Reply.objects.get()
    assert reply.status == "failed" and "too long" in reply.error
    fake_inbox.fail_with = None
    do_retry_reply(membership, reply)
    assert send_reply.call(reply.pk) == "sent"
    assert len(fake_inbox.sent) == 1


def test_someone_else_answering_is_a_collision_until_confirmed(
    membership, bob_membership, account, fake_inbox
):
    conversation = make_conversation(account)
    assert reply_actions.do_mark_answering(bob_membership, conversation) == []
    with pytest.raises(SomeoneElseAnswering) as collision:
        do_reply(membership, conversation, "Wir sind dran.")
    assert collision.value.names == ["Bob"]
    outcome = do_reply(membership, conversation, "Wir sind dran.", confirmed=True)
    assert outcome.reply.status == "sending"


def test_an_old_reply_box_is_no_collision(membership, bob_membership, account, fake_inbox):
    conversation = make_conversation(account)
    reply_actions.do_mark_answering(bob_membership, conversation)
    Viewing.objects.update(seen_at=timezone.now() - timedelta(minutes=3))
    assert do_reply(membership, conversation, "Wir sind dran.").reply.status == "sending"


def test_the_page_asks_to_confirm_a_collision(
    client, bob, bob_membership, membership, account, fake_inbox
):
    conversation = make_conversation(account)
    reply_actions.do_mark_answering(membership, conversation)
    client.force_login(bob)
    client.cookies["django_language"] = "en"
    url = reverse(
        "inbox_reply",
        kwargs={"workspace": conversation.workspace.slug, "conversation_id": conversation.pk},
    )
    response = client.post(url, {"text": "Hallo"})
    assert response.status_code == 409
    assert "Alice is answering this conversation too." in response.content.decode()
    assert not Reply.objects.exists()
    assert client.post(url, {"text": "Hallo", "confirmed": "True"}).status_code == 302
    assert Reply.objects.count() == 1


def test_notes_notify_the_members_they_mention(membership, account, bob):
    conversation = make_conversation(account)
    note = do_add_note(membership, conversation, "@bob kannst du das übernehmen?")
    assert list(note.mentioned.all()) == [bob]
    assert Notification.objects.filter(recipient=bob, kind="inbox_mention").exists()


def test_saved_replies_fill_in_the_variables(membership, account):
    conversation = make_conversation(account)
    saved = do_save_saved_reply(
        membership,
        title="Entschuldigung",
        language="de",
        text="Hallo {name} ({handle}), hier schreibt {account}. {unbekannt}",
    )
    assert fill(saved.text, conversation) == (
        "Hallo Lena Vogel (@lena@example.social), hier schreibt @kaffee@example.social. {unbekannt}"
    )


def test_a_saved_reply_is_offered_in_the_messages_language_first(alice_client, membership, account):
    conversation = make_conversation(account, language="de")
    do_save_saved_reply(membership, title="A thanks", language="en", text="Thanks {name}!")
    do_save_saved_reply(membership, title="Z Danke", language="de", text="Danke {name}!")
    url = reverse(
        "inbox_conversation",
        kwargs={"workspace": conversation.workspace.slug, "conversation_id": conversation.pk},
    )
    text = alice_client.get(url).content.decode()
    assert text.index("Z Danke") < text.index("A thanks")
    assert 'data-text="Danke Lena Vogel!" data-preferred' in text


def test_saved_replies_pages_create_edit_and_delete(alice_client, workspace_a):
    url = reverse("inbox_saved_replies", kwargs={"workspace": workspace_a.slug})
    alice_client.post(url, {"title": "Danke", "language": "de", "text": "Danke, {name}!"})
    saved = SavedReply.objects.get()
    edit = reverse(
        "inbox_saved_reply_edit", kwargs={"workspace": workspace_a.slug, "saved_reply_id": saved.pk}
    )
    alice_client.post(edit, {"title": "Dank", "language": "de", "text": "Vielen Dank, {name}!"})
    saved.refresh_from_db()
    assert saved.title == "Dank"
    alice_client.post(
        reverse(
            "inbox_saved_reply_delete",
            kwargs={"workspace": workspace_a.slug, "saved_reply_id": saved.pk},
        )
    )
    assert not SavedReply.objects.exists()
