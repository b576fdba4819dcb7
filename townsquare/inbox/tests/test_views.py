"""The inbox pages in English and German: the list with its filters and bulk actions, the
conversation with the triage's explanation and one-click corrections."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from townsquare.audit.models import AuditEvent
from townsquare.inbox.models import Conversation, InboxCursor, Message, TriageCorrection
from townsquare.inbox.tests import inbox_world
from townsquare.inbox.tests.inbox_world import make_conversation

pytestmark = pytest.mark.django_db

# Fixtures of the small inbox world, used here by name.
account = inbox_world.account
bob_membership = inbox_world.bob_membership
viewer = inbox_world.viewer


def inbox_url(workspace, **query):
    url = reverse("workspace_inbox", kwargs={"workspace": workspace.slug})
    if query:
        from urllib.parse import urlencode

        url += "?" + urlencode(query)
    return url


def conversation_url(conversation, name="inbox_conversation"):
    return reverse(
        name, kwargs={"workspace": conversation.workspace.slug, "conversation_id": conversation.pk}
    )


def test_an_empty_inbox_says_what_comes_here_and_how(alice_client, workspace_a):
    page = alice_client.get(inbox_url(workspace_a), HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Connect a Bluesky, Mastodon or Matrix account" in text
    assert "Coming" not in text


def test_the_list_shows_each_conversation_with_translated_chips_in_german(
    alice_client, workspace_a, account
):
    make_conversation(account)
    alice_client.cookies["django_language"] = "de"
    page = alice_client.get(inbox_url(workspace_a), HTTP_ACCEPT_LANGUAGE="de")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Lena Vogel" in text
    assert "Die Lieferung ist schon wieder zu spät" in text
    assert "Beschwerde" in text and "Negativ" in text
    assert ">complaint<" not in text and ">negative<" not in text


def test_the_list_in_english_names_the_labels_in_english(alice_client, workspace_a, account):
    make_conversation(account, category="question", sentiment="neutral")
    alice_client.cookies["django_language"] = "en"
    text = alice_client.get(inbox_url(workspace_a)).content.decode()
    assert "Question" in text and "Neutral" in text


def test_filters_narrow_the_list(alice_client, workspace_a, account, alice):
    complaint = make_conversation(account, "Schon wieder kaputt!", handle="@a@x.social")
    question = make_conversation(
        account, "Wann öffnet ihr?", handle="@b@x.social", category="question", sentiment="neutral"
    )
    english = make_conversation(
        account, "Where is my parcel?", handle="@c@x.social", category="question", language="en"
    )
    Conversation.objects.filter(pk=question.pk).update(assignee=alice)
    Conversation.objects.filter(pk=complaint.pk).update(
        first_response_due_at=timezone.now() - timedelta(hours=1)
    )

    def shown(**query):
        text = alice_client.get(inbox_url(workspace_a, **query)).content.decode()
        return {c.pk for c in (complaint, question, english) if conversation_url(c) + '"' in text}

    assert shown() == {complaint.pk, question.pk, english.pk}
    assert shown(category="complaint") == {complaint.pk}
    assert shown(assignee="mine") == {question.pk}
    assert shown(assignee="unassigned") == {complaint.pk, english.pk}
    assert shown(overdue="1") == {complaint.pk}
    assert shown(language="en") == {english.pk}
    assert shown(q="parcel") == {english.pk}
    assert shown(sentiment="neutral") == {question.pk}
    assert shown(network="mastodon") == {complaint.pk, question.pk, english.pk}
    assert shown(category="nonsense") == {complaint.pk, question.pk, english.pk}


def test_an_overdue_conversation_is_highlighted(alice_client, workspace_a, account):
    late = make_conversation(account)
    Conversation.objects.filter(pk=late.pk).update(
        first_response_due_at=timezone.now() - timedelta(minutes=1)
    )
    text = alice_client.get(inbox_url(workspace_a), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "inbox-overdue" in text


def test_the_list_pages_by_fifty_newest_first(alice_client, workspace_a, account):
    now = timezone.now()
    made = [
        make_conversation(
            account, f"Nachricht {i}", handle=f"@p{i}@x.social", at=now - timedelta(minutes=i)
        )
        for i in range(55)
    ]
    first = alice_client.get(inbox_url(workspace_a))
    text = first.content.decode()
    assert conversation_url(made[0]) + '"' in text
    assert conversation_url(made[54]) + '"' not in text
    older = first.context["next_link"]
    assert older
    second = alice_client.get(inbox_url(workspace_a) + older).content.decode()
    assert conversation_url(made[54]) + '"' in second
    assert conversation_url(made[0]) + '"' not in second


def test_polling_problems_are_shown_with_a_retry(alice_client, workspace_a, account):
    InboxCursor.objects.create(account=account, last_error="The network refused the login.")
    text = alice_client.get(inbox_url(workspace_a), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The network refused the login." in text
    assert (
        reverse(
            "inbox_retry_polling", kwargs={"workspace": workspace_a.slug, "account_id": account.pk}
        )
        in text
    )


def test_bulk_actions_assign_label_close_and_mark_spam(alice_client, workspace_a, account, bob):
    one = make_conversation(account, handle="@a@x.social")
    two = make_conversation(account, handle="@b@x.social")
    url = reverse("inbox_bulk", kwargs={"workspace": workspace_a.slug})
    ids = [one.pk, two.pk]
    alice_client.post(url, {"ids": ids, "action": "assign", "assignee": bob.pk})
    assert set(Conversation.objects.values_list("assignee_id", flat=True)) == {bob.pk}
    alice_client.post(url, {"ids": ids, "action": "label", "label": "Lieferung"})
    assert all(c.labels == ["Lieferung"] for c in Conversation.objects.all())
    alice_client.post(url, {"ids": [one.pk], "action": "close"})
    one.refresh_from_db()
    assert one.status == "closed" and one.closed_at is not None
    alice_client.post(url, {"ids": [two.pk], "action": "spam"})
    two.refresh_from_db()
    assert two.is_spam and two.status == "closed"
    assert Message.objects.get(conversation=two).spam == "spam"
    assert TriageCorrection.objects.filter(task="spam", new_value="spam").count() == 1
    assert AuditEvent.objects.filter(action="inbox.assign").count() == 2
    # Spam is hidden from the list unless asked for.
    listed = alice_client.get(inbox_url(workspace_a)).content.decode()
    assert conversation_url(two) + '"' not in listed


def test_a_viewer_sees_the_inbox_but_cannot_act(client, workspace_a, account, viewer):
    conversation = make_conversation(account)
    client.force_login(viewer.user)
    assert client.get(inbox_url(workspace_a)).status_code == 200
    assert client.get(conversation_url(conversation)).status_code == 200
    response = client.post(
        reverse("inbox_bulk", kwargs={"workspace": workspace_a.slug}),
        {"ids": [conversation.pk], "action": "close"},
    )
    assert response.status_code == 403
    conversation.refresh_from_db()
    assert conversation.status == "open"


def test_the_conversation_explains_the_triage_in_words(alice_client, account):
    conversation = make_conversation(account)
    alice_client.cookies["django_language"] = "en"
    text = alice_client.get(conversation_url(conversation)).content.decode()
    assert "Complaint" in text
    assert "sure (91 %)" in text
    assert "likely (70 %)" in text
    assert "schon wieder" in text  # a reason
    assert "Repeated complaint: +25" in text
    assert "Lena Vogel" in text


def test_the_conversation_in_german(alice_client, account):
    conversation = make_conversation(account, private=True)
    alice_client.cookies["django_language"] = "de"
    text = alice_client.get(conversation_url(conversation)).content.decode()
    assert "Beschwerde" in text and "sicher (91 %)" in text
    assert "Privat" in text


def test_one_click_corrects_the_category_and_the_model_learns(alice_client, account, alice):
    conversation = make_conversation(account)
    message = conversation.messages.get()
    response = alice_client.post(
        conversation_url(conversation, "inbox_correct"),
        {"message": message.pk, "task": "category", "value": "question"},
    )
    assert response.status_code == 302
    message.refresh_from_db()
    conversation.refresh_from_db()
    assert message.category == "question" and message.corrected == {"category": "question"}
    assert conversation.category == "question"
    correction = TriageCorrection.objects.get()
    assert (correction.old_value, correction.new_value, correction.user) == (
        "complaint",
        "question",
        alice,
    )
    assert correction.text == message.text
    assert AuditEvent.objects.filter(action="inbox.correct_label").exists()


def test_a_correction_with_an_unknown_label_changes_nothing(alice_client, account):
    conversation = make_conversation(account)
    message = conversation.messages.get()
    alice_client.post(
        conversation_url(conversation, "inbox_correct"),
        {"message": message.pk, "task": "category", "value": "rant"},
    )
    message.refresh_from_db()
    assert message.category == "complaint"
    assert not TriageCorrection.objects.exists()


def test_assign_status_labels_and_priority_on_the_conversation(alice_client, account, bob):
    conversation = make_conversation(account)
    alice_client.post(conversation_url(conversation, "inbox_assign"), {"assignee": bob.pk})
    alice_client.post(conversation_url(conversation, "inbox_status"), {"status": "waiting"})
    alice_client.post(
        conversation_url(conversation, "inbox_details"),
        {"labels": "Lieferung, Rückruf", "priority": "2"},
    )
    conversation.refresh_from_db()
    assert conversation.assignee == bob
    assert conversation.status == "waiting"
    assert conversation.labels == ["Lieferung", "Rückruf"]
    assert conversation.priority == 2


def test_assigning_a_stranger_is_refused(alice_client, account, carol):
    conversation = make_conversation(account)
    alice_client.post(conversation_url(conversation, "inbox_assign"), {"assignee": carol.pk})
    conversation.refresh_from_db()
    assert conversation.assignee is None


def test_the_contact_card_shows_earlier_conversations(alice_client, account):
    earlier = make_conversation(account, "Erste Frage?", at=timezone.now() - timedelta(days=3))
    later = make_conversation(account, "Zweite Frage?")
    text = alice_client.get(conversation_url(later)).content.decode()
    assert conversation_url(earlier) in text


def _queries_for_the_list(client, workspace):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(inbox_url(workspace)).status_code == 200
    return len(captured.captured_queries)


def test_the_list_costs_the_same_queries_for_3_or_30_conversations(
    alice_client, workspace_a, account, alice
):
    for i in range(3):
        make_conversation(account, f"Frage {i}?", handle=f"@q{i}@x.social")
    few = _queries_for_the_list(alice_client, workspace_a)
    for i in range(3, 30):
        conversation = make_conversation(account, f"Frage {i}?", handle=f"@q{i}@x.social")
        Conversation.objects.filter(pk=conversation.pk).update(assignee=alice)
    many = _queries_for_the_list(alice_client, workspace_a)
    assert many == few
