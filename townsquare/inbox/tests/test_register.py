"""The feedback register: recording (once, only feedback), merge, split, rename, status steps,
the company's answer drafting replies in each user's language, and informed tracking."""

import pytest
from django.core.exceptions import PermissionDenied

from townsquare.audit.models import AuditEvent
from townsquare.inbox.models import (
    FeedbackItem,
    FeedbackTopic,
    InboxSettings,
    Message,
    Reply,
)
from townsquare.inbox.register import record_new
from townsquare.inbox.register_actions import (
    do_merge_topics,
    do_record_answer,
    do_rename_topic,
    do_send_all_drafts,
    do_set_status,
    do_split_topic,
)
from townsquare.inbox.reply_actions import send_reply
from townsquare.inbox.tests import inbox_world
from townsquare.inbox.tests.inbox_world import make_conversation
from townsquare.inbox.tests.register_world import DARK_MODE, PARCEL, feedback, recorded
from townsquare.lib.errors import ActionError

pytestmark = pytest.mark.django_db

account = inbox_world.account
fake_inbox = inbox_world.fake_inbox
viewer = inbox_world.viewer


def test_feedback_is_grouped_by_concern_across_languages(account):
    dark, parcel = recorded(account)
    assert dark.pk != parcel.pk
    assert dark.items.count() == 3 and parcel.items.count() == 2
    assert dark.category == "question" and parcel.category == "complaint"
    assert dark.title == "Wann kommt endlich der Dark Mode für die App?"
    item = dark.items.get(message__author_name="Sam Miller")
    assert item.language == "en" and item.embedding


def test_recording_is_once_per_message_and_only_for_feedback(account):
    messages = feedback(account, DARK_MODE[:1])
    assert len(record_new(messages)) == 1
    assert record_new(messages) == []
    praise = make_conversation(account, "Toller Kaffee!", category="praise").messages.get()
    spam = make_conversation(account, "Gratis Geld hier", category="question").messages.get()
    Message.objects.filter(pk=spam.pk).update(spam="spam")
    spam.refresh_from_db()
    corrected = make_conversation(account, "Habt ihr am Samstag offen?", category="other")
    asked = corrected.messages.get()
    Message.objects.filter(pk=asked.pk).update(corrected={"category": "question"})
    asked.refresh_from_db()
    assert [i.message_id for i in record_new([praise, spam, asked])] == [asked.pk]
    assert FeedbackItem.objects.count() == 2


def test_a_closed_topic_takes_no_new_items(account, membership):
    first = feedback(account, DARK_MODE[:1])
    record_new(first)
    topic = FeedbackTopic.objects.get()
    FeedbackTopic.objects.filter(pk=topic.pk).update(status="closed")
    record_new(feedback(account, DARK_MODE[1:2]))
    assert FeedbackTopic.objects.count() == 2


def test_rename_merge_and_split_are_audited(account, membership):
    dark, parcel = recorded(account)
    do_rename_topic(membership, dark, "  Dark Mode  ")
    dark.refresh_from_db()
    assert dark.title == "Dark Mode" and dark.edited
    with pytest.raises(ActionError):
        do_rename_topic(membership, dark, " ")
    merged = do_merge_topics(membership, parcel, dark)
    assert merged.pk == dark.pk and dark.items.count() == 5
    assert not FeedbackTopic.objects.filter(pk=parcel.pk).exists()
    parcel_items = list(
        dark.items.filter(message__text__in=[t for t, *_ in PARCEL]).values_list("pk", flat=True)
    )
    new = do_split_topic(membership, dark, parcel_items, "Lieferung")
    assert new.title == "Lieferung" and new.items.count() == 2
    assert new.category == "complaint" and new.centroid
    dark.refresh_from_db()
    assert dark.items.count() == 3 and dark.category == "question"
    with pytest.raises(ActionError):
        do_split_topic(membership, new, list(new.items.values_list("pk", flat=True)), "x")
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"inbox.topic_rename", "inbox.topic_merge", "inbox.topic_split"} <= actions


def test_status_moves_one_step_at_a_time(account, membership):
    dark, _parcel = recorded(account)
    with pytest.raises(ActionError):
        do_set_status(membership, dark, "informed")
    do_set_status(membership, dark, "forwarded")
    with pytest.raises(ActionError):  # answered only with the company's answer
        do_set_status(membership, dark, "answered")
    do_set_status(membership, dark, "closed")
    do_set_status(membership, dark, "new")
    assert AuditEvent.objects.filter(action="inbox.topic_status").count() == 3


def test_viewers_cannot_change_the_register(account, viewer):
    dark, _parcel = recorded(account)
    with pytest.raises(PermissionDenied):
        do_rename_topic(viewer, dark, "Nope")
    with pytest.raises(PermissionDenied):
        do_record_answer(viewer, dark, {"de": "Nein"})


ANSWERS = {
    "de": "Der Dark Mode kommt im März.",
    "en": "Dark mode arrives in March.",
}


def test_the_company_answer_drafts_a_reply_in_each_users_language_by_name(account, membership):
    dark, _parcel = recorded(account)
    outcome = do_record_answer(membership, dark, ANSWERS)
    assert outcome.drafted == 3
    dark.refresh_from_db()
    assert dark.status == "answered" and dark.company_answer == ANSWERS["de"]
    texts = {r.in_reply_to.author_name: r.text for r in Reply.objects.filter(feedback_topic=dark)}
    assert texts["Lena Vogel"] == "Hallo Lena,\n\nDer Dark Mode kommt im März."
    assert texts["Sam Miller"] == "Hi Sam,\n\nDark mode arrives in March."
    assert set(Reply.objects.values_list("status", flat=True)) == {"draft"}
    # Recorded again: the drafts are updated, not doubled.
    do_record_answer(membership, dark, {"de": "Im April.", "en": ""})
    assert Reply.objects.count() == 3
    sam = Reply.objects.get(in_reply_to__author_name="Sam Miller")
    # No English answer: the workspace's language, greeting included.
    assert sam.text == "Hallo Sam,\n\nIm April."


def test_drafts_wait_for_approval_where_the_workspace_wants_it(account, membership):
    InboxSettings.objects.update_or_create(
        workspace=membership.workspace, defaults={"replies_need_approval": True}
    )
    dark, _parcel = recorded(account)
    do_record_answer(membership, dark, ANSWERS)
    assert set(Reply.objects.values_list("status", flat=True)) == {"pending_approval"}


def test_sent_replies_inform_the_users_and_then_the_topic(account, membership, fake_inbox):
    dark, _parcel = recorded(account)
    do_record_answer(membership, dark, ANSWERS)
    first, *rest = Reply.objects.filter(feedback_topic=dark).order_by("id")
    outcome = do_send_all_drafts(membership, dark)
    assert outcome.queued == 3 and not outcome.problems
    assert send_reply.call(first.pk) == "sent"
    informed = FeedbackItem.objects.filter(topic=dark, informed_at__isnull=False)
    assert informed.count() == 1
    assert informed.get().informed_by_reply_id == first.pk
    dark.refresh_from_db()
    assert dark.status == "answered"
    for reply in rest:
        send_reply.call(reply.pk)
    dark.refresh_from_db()
    assert dark.status == "informed"
    assert len(fake_inbox.sent) == 3
    # A second answer drafts for nobody: everyone was told.
    assert do_record_answer(membership, dark, ANSWERS).drafted == 0


def test_a_reply_before_the_answer_informs_no_one(account, membership, fake_inbox):
    from townsquare.inbox.reply_actions import do_reply

    dark, _parcel = recorded(account)
    conversation = dark.items.first().message.conversation
    outcome = do_reply(membership, conversation, "Wir schauen nach.")
    send_reply.call(outcome.reply.pk)
    assert not FeedbackItem.objects.filter(informed_at__isnull=False).exists()


def test_ingest_records_feedback_right_after_routing(account):
    from datetime import timedelta

    from django.utils import timezone

    from townsquare.inbox.ingest_store import store_messages
    from townsquare.networks.base import InboxMessage

    incoming = InboxMessage(
        network_message_id="q-1",
        conversation_id="q-1",
        kind="mention",
        author_handle="@mia@example.social",
        author_name="Mia",
        text="Wann habt ihr am Samstag geöffnet? Ich würde gern vorbeikommen.",
        created_at=timezone.now() - timedelta(minutes=3),
        in_reply_to_id="",
    )
    store_messages(account, [incoming])
    stored = Message.objects.get(network_message_id="q-1")
    assert stored.category == "question"
    assert FeedbackItem.objects.get().message == stored
    store_messages(account, [incoming])  # read again: still one item
    assert FeedbackItem.objects.count() == 1
