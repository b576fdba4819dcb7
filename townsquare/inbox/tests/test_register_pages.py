"""The register's pages in English and German, their forms, the CSV, and another workspace's
topics and contacts answering 404 on every route and method."""

import csv
import io

import pytest
from django.urls import reverse

from townsquare.inbox.models import FeedbackTopic, Reply
from townsquare.inbox.tests import inbox_world
from townsquare.inbox.tests.register_world import recorded

pytestmark = pytest.mark.django_db

account = inbox_world.account


def _url(name, workspace, **kwargs):
    return reverse(name, kwargs={"workspace": workspace.slug, **kwargs})


def test_the_register_lists_topics_with_counts_and_trend_in_german(alice_client, account):
    dark, parcel = recorded(account)
    page = alice_client.get(_url("inbox_register", account.workspace), HTTP_ACCEPT_LANGUAGE="de")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Feedback-Register" in html
    assert dark.title in html and parcel.title in html
    assert "<polyline" in html and "Beschwerde" in html
    filtered = alice_client.get(
        _url("inbox_register", account.workspace) + "?category=complaint"
    ).content.decode()
    assert parcel.title in filtered and dark.title not in filtered


def test_the_topic_page_records_an_answer_and_shows_the_drafts(alice_client, account):
    dark, _parcel = recorded(account)
    workspace = account.workspace
    page = alice_client.get(_url("inbox_register_topic", workspace, topic_id=dark.pk))
    assert page.status_code == 200
    assert 'name="answer_de"' in page.content.decode()
    answered = alice_client.post(
        _url("inbox_register_answer", workspace, topic_id=dark.pk),
        {"answer_de": "Kommt im März.", "answer_en": "Coming in March."},
        follow=True,
    )
    html = answered.content.decode()
    assert "Hi Sam," in html and "Hallo Lena," in html
    assert Reply.objects.filter(feedback_topic=dark, status="draft").count() == 3


def test_the_topic_forms_rename_split_merge_and_step(alice_client, account):
    dark, parcel = recorded(account)
    workspace = account.workspace
    alice_client.post(
        _url("inbox_register_rename", workspace, topic_id=dark.pk), {"title": "Dark Mode"}
    )
    dark.refresh_from_db()
    assert dark.title == "Dark Mode"
    alice_client.post(
        _url("inbox_register_status", workspace, topic_id=dark.pk), {"status": "forwarded"}
    )
    dark.refresh_from_db()
    assert dark.status == "forwarded"
    item = dark.items.first()
    alice_client.post(
        _url("inbox_register_split", workspace, topic_id=dark.pk),
        {"items": [item.pk], "title": "Eins"},
    )
    assert FeedbackTopic.objects.get(title="Eins").items.get() == item
    alice_client.post(
        _url("inbox_register_merge", workspace, topic_id=parcel.pk), {"into": dark.pk}
    )
    assert not FeedbackTopic.objects.filter(pk=parcel.pk).exists()


def test_the_register_as_csv(alice_client, account):
    dark, parcel = recorded(account)
    response = alice_client.get(_url("inbox_register_export", account.workspace))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_title = {row["topic"]: row for row in rows}
    assert by_title[dark.title]["items"] == "3"
    assert by_title[parcel.title]["category"] == "complaint"
    assert by_title[dark.title]["informed"] == "0"


def test_another_workspaces_topic_and_contact_are_not_found(client, carol, workspace_b, account):
    dark, _parcel = recorded(account)
    contact = dark.items.first().message.contact
    client.force_login(carol)
    topic_routes = [
        "inbox_register_topic",
        "inbox_register_rename",
        "inbox_register_merge",
        "inbox_register_split",
        "inbox_register_status",
        "inbox_register_answer",
        "inbox_register_send",
    ]
    for name in topic_routes:
        url = _url(name, workspace_b, topic_id=dark.pk)
        for method in ("get", "post", "put", "delete"):
            assert getattr(client, method)(url).status_code == 404, (name, method)
    for name in ("inbox_contact", "inbox_contact_export", "inbox_contact_delete"):
        url = _url(name, workspace_b, contact_id=contact.pk)
        for method in ("get", "post", "put", "delete"):
            assert getattr(client, method)(url).status_code == 404, (name, method)
    # And in the other workspace's own URLs: not a member there.
    assert client.get(_url("inbox_register", account.workspace)).status_code == 404
    assert dark.title not in client.get(_url("inbox_register", workspace_b)).content.decode()
