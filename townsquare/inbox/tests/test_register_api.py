"""The register's API: topics with counts and trend, one topic, rename, merge, split, status,
the company's answer with drafts, sending them, the CSV, a contact's export and deletion;
another workspace's topic and contact are a 404."""

import pytest

from townsquare.inbox.models import FeedbackTopic, Message, Reply
from townsquare.inbox.tests import inbox_world
from townsquare.inbox.tests.register_world import recorded

pytestmark = pytest.mark.django_db

account = inbox_world.account
fake_inbox = inbox_world.fake_inbox


def base(workspace):
    return f"/api/v1/workspaces/{workspace.slug}/inbox"


def test_topics_are_listed_filtered_and_changed(alice_client, workspace_a, account):
    dark, parcel = recorded(account)
    url = f"{base(workspace_a)}/register/topics"
    topics = {t["id"]: t for t in alice_client.get(url).json()}
    assert topics[dark.pk]["items"] == 3 and len(topics[dark.pk]["trend"]) == 8
    assert [t["id"] for t in alice_client.get(url + "?category=complaint").json()] == [parcel.pk]
    renamed = alice_client.patch(
        f"{url}/{dark.pk}", {"title": "Dark Mode"}, content_type="application/json"
    ).json()
    assert renamed["title"] == "Dark Mode" and len(renamed["item_list"]) == 3
    split = alice_client.post(
        f"{url}/{dark.pk}/split",
        {"items": [renamed["item_list"][0]["id"]], "title": "Eins"},
        content_type="application/json",
    )
    assert split.status_code == 201 and split.json()["title"] == "Eins"
    merged = alice_client.post(
        f"{url}/{split.json()['id']}/merge", {"into": dark.pk}, content_type="application/json"
    ).json()
    assert merged["id"] == dark.pk and merged["items"] == 3
    step = alice_client.put(
        f"{url}/{dark.pk}/status", {"status": "informed"}, content_type="application/json"
    )
    assert step.status_code == 400 and step.json()["error"]["code"] == "status_step"
    assert "Dark Mode" in alice_client.get(f"{base(workspace_a)}/register/export").content.decode()


def test_the_answer_drafts_and_sends(alice_client, workspace_a, account, fake_inbox):
    dark, _parcel = recorded(account)
    url = f"{base(workspace_a)}/register/topics/{dark.pk}"
    answered = alice_client.post(
        f"{url}/answer",
        {"answers": {"de": "Im März.", "en": "In March."}},
        content_type="application/json",
    ).json()
    assert answered["drafted"] == 3 and answered["topic"]["status"] == "answered"
    sent = alice_client.post(f"{url}/send-drafts").json()
    assert sent == {"queued": 3, "problems": []}
    assert set(Reply.objects.values_list("status", flat=True)) == {"sending"}


def test_a_contact_is_exported_and_deleted(alice_client, workspace_a, account):
    dark, _parcel = recorded(account)
    contact = dark.items.first().message.contact
    url = f"{base(workspace_a)}/contacts/{contact.pk}"
    export = alice_client.get(f"{url}/export").json()
    assert export["contact"]["id"] == contact.pk and len(export["messages"]) == 1
    deleted = alice_client.delete(url).json()
    assert deleted["deleted_messages"] == 1
    assert not Message.objects.filter(contact=contact).exists()
    again = alice_client.delete(url)
    assert again.status_code == 400 and again.json()["error"]["code"] == "already_deleted"


def test_another_workspace_gets_404(client, carol, workspace_b, account):
    dark, _parcel = recorded(account)
    contact = dark.items.first().message.contact
    client.force_login(carol)
    url = f"{base(workspace_b)}/register/topics/{dark.pk}"
    assert client.get(url).status_code == 404
    assert client.patch(url, {"title": "x"}, content_type="application/json").status_code == 404
    assert client.post(f"{url}/send-drafts").status_code == 404
    assert client.get(f"{base(workspace_b)}/contacts/{contact.pk}/export").status_code == 404
    assert client.delete(f"{base(workspace_b)}/contacts/{contact.pk}").status_code == 404
    assert client.get(f"{base(workspace_b)}/register/topics").json() == []
    assert FeedbackTopic.objects.get(pk=dark.pk).title == dark.title
