"""Corrections of the triage: a person's label wins, the conversation follows, the model's
example is kept, and what cannot be corrected is refused."""

import pytest
from django.core.exceptions import PermissionDenied

from townsquare.inbox.models import Message, MessageKind, TriageCorrection
from townsquare.inbox.tests import inbox_world
from townsquare.inbox.tests.inbox_world import make_conversation
from townsquare.inbox.triage_actions import do_correct_label
from townsquare.lib.errors import ActionError

pytestmark = pytest.mark.django_db

# Fixtures of the small inbox world, used here by name.
account = inbox_world.account
viewer = inbox_world.viewer


def test_a_sentiment_correction_moves_the_conversation(membership, account):
    conversation = make_conversation(account)
    message = conversation.messages.get()
    correction = do_correct_label(membership, message, "sentiment", "neutral")
    conversation.refresh_from_db()
    assert conversation.sentiment == "neutral"
    assert (correction.task, correction.old_value, correction.new_value) == (
        "sentiment",
        "negative",
        "neutral",
    )


def test_marking_abuse_flags_the_conversation_and_ok_clears_it(membership, account):
    conversation = make_conversation(account)
    message = conversation.messages.get()
    do_correct_label(membership, message, "spam", "abuse")
    conversation.refresh_from_db()
    assert conversation.is_spam
    do_correct_label(membership, Message.objects.get(pk=message.pk), "spam", "ok")
    conversation.refresh_from_db()
    assert not conversation.is_spam
    assert Message.objects.get(pk=message.pk).corrected == {"spam": "ok"}


def test_the_same_label_again_changes_nothing(membership, account):
    message = make_conversation(account).messages.get()
    assert do_correct_label(membership, message, "category", "complaint") is None
    assert not TriageCorrection.objects.exists()


def test_our_own_answers_and_unknown_tasks_are_refused(membership, account):
    conversation = make_conversation(account)
    message = conversation.messages.get()
    with pytest.raises(ActionError):
        do_correct_label(membership, message, "language", "en")
    Message.objects.filter(pk=message.pk).update(kind=MessageKind.OUTBOUND)
    with pytest.raises(ActionError):
        do_correct_label(membership, Message.objects.get(pk=message.pk), "category", "question")


def test_a_viewer_cannot_correct(viewer, account):
    message = make_conversation(account).messages.get()
    with pytest.raises(PermissionDenied):
        do_correct_label(viewer, message, "category", "question")
