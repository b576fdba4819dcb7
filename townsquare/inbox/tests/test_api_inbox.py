"""The inbox API: list with filters, one conversation, reply, assign, status, correction,
notes and saved replies; another workspace's conversation is a 404."""

import pytest

from townsquare.inbox.models import Reply, SavedReply, TriageCorrection
from townsquare.inbox.tests import inbox_world
from townsquare.inbox.tests.inbox_world import make_conversation

pytestmark = pytest.mark.django_db

# Fixtures of the small inbox world, used here by name.
account = inbox_world.account
fake_inbox = inbox_world.fake_inbox


def base(workspace):
    return f"/api/v1/workspaces/{workspace.slug}/inbox"


def test_conversations_are_listed_with_filters(alice_client, workspace_a, account):
    complaint = make_conversation(account, handle="@a@x.social")
    make_conversation(account, handle="@b@x.social", category="question", sentiment="neutral")
    everything = alice_client.get(f"{base(workspace_a)}/conversations").json()
    assert len(everything["items"]) == 2 and everything["next_cursor"] == ""
    only = alice_client.get(f"{base(workspace_a)}/conversations?category=complaint").json()
    assert [c["id"] for c in only["items"]] == [complaint.pk]
    assert only["items"][0]["category_label"] == "Complaint"


def test_one_conversation_with_messages_and_the_triage(alice_client, workspace_a, account):
    conversation = make_conversation(account)
    body = alice_client.get(f"{base(workspace_a)}/conversations/{conversation.pk}").json()
    assert body["messages"][0]["labels"][0]["task"] == "category"
    assert body["messages"][0]["labels"][0]["confidence"] == 0.91
    assert body["messages"][0]["urgency_parts"] == [
        ["Repeated complaint", 25],
        ["Angry complaint", 20],
    ]


def test_reply_assign_status_correct_and_note(alice_client, workspace_a, account, fake_inbox, bob):
    conversation = make_conversation(account)
    url = f"{base(workspace_a)}/conversations/{conversation.pk}"
    answer = alice_client.post(
        f"{url}/replies", {"text": "Danke!"}, content_type="application/json"
    )
    assert answer.status_code == 202 and answer.json()["status"] == "sending"
    bad = alice_client.post(f"{url}/replies", {"text": "x" * 600}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "reply_invalid"
    assert Reply.objects.count() == 1
    assigned = alice_client.put(
        f"{url}/assignment", {"user_id": bob.pk}, content_type="application/json"
    )
    assert assigned.json()["assignee"] == "bob@example.com"
    closed = alice_client.put(
        f"{url}/status", {"status": "closed"}, content_type="application/json"
    )
    assert closed.json()["status"] == "closed"
    message_id = conversation.messages.get().pk
    corrected = alice_client.post(
        f"{url}/corrections",
        {"message_id": message_id, "task": "sentiment", "value": "neutral"},
        content_type="application/json",
    )
    assert corrected.status_code == 200 and corrected.json()["sentiment"] == "neutral"
    assert TriageCorrection.objects.get().new_value == "neutral"
    note = alice_client.post(
        f"{url}/notes", {"text": "@bob bitte ansehen"}, content_type="application/json"
    )
    assert note.status_code == 201 and note.json()["mentioned"] == ["bob@example.com"]
    details = alice_client.patch(
        url, {"labels": ["Lieferung"], "priority": 1}, content_type="application/json"
    )
    assert details.json()["labels"] == ["Lieferung"] and details.json()["priority"] == 1


def test_saved_replies_crud(alice_client, workspace_a):
    url = f"{base(workspace_a)}/saved-replies"
    made = alice_client.post(
        url,
        {"title": "Danke", "language": "de", "text": "Danke {name}!"},
        content_type="application/json",
    )
    assert made.status_code == 201
    pk = made.json()["id"]
    changed = alice_client.put(
        f"{url}/{pk}",
        {"title": "Dank", "language": "de", "text": "Dank!"},
        content_type="application/json",
    )
    assert changed.json()["title"] == "Dank"
    assert [s["id"] for s in alice_client.get(url).json()] == [pk]
    assert alice_client.delete(f"{url}/{pk}").status_code == 204
    assert not SavedReply.objects.exists()


def test_another_workspaces_conversation_is_not_found(
    client, carol, workspace_a, workspace_b, account
):
    conversation = make_conversation(account)
    client.force_login(carol)
    assert client.get(f"{base(workspace_b)}/conversations/{conversation.pk}").status_code == 404
    assert client.get(f"{base(workspace_a)}/conversations").status_code == 404
