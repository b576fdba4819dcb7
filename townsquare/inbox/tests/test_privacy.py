"""Privacy: retention anonymises only old messages (counts kept, contacts anonymised when
nothing identifies them any more), the export of one contact is complete, deletion on
request removes their messages and keeps anonymous counts; each audited, each needing the
triage permission; the contact page and its downloads."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from townsquare.audit.models import AuditEvent
from townsquare.inbox.models import (
    Contact,
    FeedbackItem,
    FeedbackTopic,
    InboxSettings,
    InternalNote,
    Message,
    Reply,
)
from townsquare.inbox.privacy import ANONYMISED, apply_retention
from townsquare.inbox.privacy_actions import do_delete_contact, do_export_contact, run_retention
from townsquare.inbox.register import record_new
from townsquare.inbox.tests import inbox_world
from townsquare.inbox.tests.inbox_world import add_message, make_conversation
from townsquare.inbox.tests.register_world import DARK_MODE, feedback

pytestmark = pytest.mark.django_db

account = inbox_world.account
viewer = inbox_world.viewer


def test_retention_anonymises_only_old_messages_and_keeps_counts(account, membership):
    old = feedback(account, DARK_MODE[:1], days_ago=40)
    recent = feedback(account, DARK_MODE[1:2], days_ago=2)
    record_new(old + recent)
    settings, _ = InboxSettings.objects.update_or_create(
        workspace=account.workspace, defaults={"retention_days": 30}
    )
    assert apply_retention(settings) == {"messages": 1, "contacts": 1}
    gone, kept = Message.objects.get(pk=old[0].pk), Message.objects.get(pk=recent[0].pk)
    assert gone.text == ANONYMISED and gone.author_handle == "" and gone.author_name == ""
    assert gone.category == "question"  # the labels stay for the counts
    assert kept.text == DARK_MODE[1][0] and kept.author_name == "Sam Miller"
    lena = Contact.objects.get(pk=old[0].contact_id)
    assert lena.anonymised_at and lena.display_name == "" and "lena" not in lena.handle
    assert Contact.objects.get(pk=recent[0].contact_id).anonymised_at is None
    item = FeedbackItem.objects.get(message=gone)
    assert item.anonymised_at and item.embedding is None and item.topic_id
    assert FeedbackItem.objects.count() == 2
    assert apply_retention(settings) == {"messages": 0, "contacts": 0}  # once


def test_a_contact_with_a_recent_message_is_not_anonymised(account):
    conversation = make_conversation(account, at=timezone.now() - timedelta(days=50))
    add_message(conversation, "Noch da?", at=timezone.now() - timedelta(days=1))
    settings, _ = InboxSettings.objects.update_or_create(
        workspace=account.workspace, defaults={"retention_days": 30}
    )
    assert apply_retention(settings) == {"messages": 1, "contacts": 0}
    assert Contact.objects.get().anonymised_at is None


def test_the_retention_job_audits_and_skips_workspaces_that_keep_everything(account):
    feedback(account, DARK_MODE[:1], days_ago=400)
    InboxSettings.objects.update_or_create(
        workspace=account.workspace, defaults={"retention_days": None}
    )
    assert run_retention() == 0
    InboxSettings.objects.filter(workspace=account.workspace).update(retention_days=365)
    assert run_retention() == 1
    assert AuditEvent.objects.filter(action="inbox.retention").count() == 1


def _contact_with_everything(account, membership):
    messages = feedback(account, DARK_MODE[:1])
    record_new(messages)
    message = messages[0]
    conversation = message.conversation
    InternalNote.objects.create(
        workspace=account.workspace,
        conversation=conversation,
        author=membership.user,
        text="Lena fragt nach",
    )
    other = make_conversation(account, "Anderes Thema", handle="@max@example.social", name="Max")
    InternalNote.objects.create(
        workspace=account.workspace,
        conversation=other,
        author=membership.user,
        text="Wie bei @lena@example.social",
    )
    Reply.objects.create(
        workspace=account.workspace,
        conversation=conversation,
        in_reply_to=message,
        text="Hallo Lena, bald!",
        status="draft",
    )
    return message.contact


def test_the_export_holds_everything_about_the_contact(account, membership):
    contact = _contact_with_everything(account, membership)
    data = do_export_contact(membership, contact)
    assert data["contact"]["handle"] == "@lena@example.social"
    assert data["contact"]["name"] == "Lena Vogel"
    assert [c["id"] for c in data["conversations"]] == [contact.conversations.get().pk]
    assert [m["text"] for m in data["messages"]] == [DARK_MODE[0][0]]
    assert sorted(n["text"] for n in data["notes"]) == [
        "Lena fragt nach",
        "Wie bei @lena@example.social",
    ]
    assert data["register_items"][0]["topic"] == FeedbackTopic.objects.get().title
    json.dumps(data)  # serialisable as it is
    assert AuditEvent.objects.filter(action="inbox.contact_export").count() == 1


def test_deletion_removes_the_messages_and_keeps_anonymous_counts(account, membership):
    contact = _contact_with_everything(account, membership)
    counts = do_delete_contact(membership, contact)
    assert counts["deleted_messages"] == 1 and counts["notes"] == 2
    assert not Message.objects.filter(contact=contact).exists()
    assert not Reply.objects.exists()  # the draft answered a deleted message
    item = FeedbackItem.objects.get()
    assert item.message_id is None and item.anonymised_at and item.topic_id
    assert FeedbackTopic.objects.get().items.count() == 1
    contact.refresh_from_db()
    assert contact.anonymised_at and contact.display_name == ""
    assert set(InternalNote.objects.values_list("text", flat=True)) == {ANONYMISED}
    assert Message.objects.filter(author_name="Max").exists()  # others stay
    assert AuditEvent.objects.filter(action="inbox.contact_delete").count() == 1


def test_privacy_needs_the_triage_permission(account, membership, viewer):
    contact = _contact_with_everything(account, membership)
    with pytest.raises(PermissionDenied):
        do_export_contact(viewer, contact)
    with pytest.raises(PermissionDenied):
        do_delete_contact(viewer, contact)


def test_the_contact_page_downloads_and_deletes(alice_client, account, membership):
    contact = _contact_with_everything(account, membership)
    kwargs = {"workspace": account.workspace.slug, "contact_id": contact.pk}
    page = alice_client.get(reverse("inbox_contact", kwargs=kwargs), HTTP_ACCEPT_LANGUAGE="de")
    assert page.status_code == 200 and "Lena Vogel" in page.content.decode()
    assert "Auf Wunsch löschen" in page.content.decode()
    download = alice_client.get(reverse("inbox_contact_export", kwargs=kwargs))
    assert download["Content-Disposition"].startswith("attachment")
    assert json.loads(download.content)["contact"]["id"] == contact.pk
    alice_client.post(reverse("inbox_contact_delete", kwargs=kwargs))  # not confirmed
    assert Message.objects.filter(contact=contact).exists()
    alice_client.post(reverse("inbox_contact_delete", kwargs=kwargs), {"confirm": "yes"})
    assert not Message.objects.filter(contact=contact).exists()
