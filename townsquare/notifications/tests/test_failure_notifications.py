"""A failed publication is told: in the app, by email in each person's language, and to the
workspace's webhook (a local receiver on loopback, never the internet)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail

from townsquare.notifications.models import Notification, WebhookDelivery
from townsquare.publishing.events import publication_failed, publication_unknown
from townsquare.publishing.models import PublishingSettings
from townsquare.workspaces.models import Membership

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def receiver():
    """An HTTP server on 127.0.0.1 that keeps what it was sent."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            received.append(json.loads(self.rfile.read(length)))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", received
    server.shutdown()
    server.server_close()


def recipients(kind="publication_failed"):
    return set(Notification.objects.filter(kind=kind).values_list("recipient__email", flat=True))


def test_owners_managers_and_the_author_are_told_when_a_publication_fails(
    failed_publication, people, carol
):
    publication_failed(failed_publication.pk)
    assert recipients() == {"alice@example.com", "dave@example.com", "bob@example.com"}
    note = Notification.objects.filter(recipient=people["alice"]).get()
    assert note.body == "Text too long for this instance."
    assert note.url == f"/w/{failed_publication.workspace.slug}/posts/{failed_publication.post_id}/"
    assert note.data["account"] == "@kaffee" and note.data["network"] == "mastodon"


def test_an_author_who_left_the_workspace_is_no_longer_told(failed_publication, people):
    Membership.objects.filter(user=people["bob"]).delete()
    publication_failed(failed_publication.pk)
    assert recipients() == {"alice@example.com", "dave@example.com"}


def test_an_unknown_outcome_is_told_too(failed_publication, people):
    failed_publication.status = "unknown"
    failed_publication.save()
    publication_unknown(failed_publication.pk)
    assert recipients("publication_unknown") == {
        "alice@example.com",
        "dave@example.com",
        "bob@example.com",
    }


def test_everyone_told_gets_an_email_in_their_own_language_once_the_change_is_saved(
    failed_publication, people, django_capture_on_commit_callbacks
):
    people["alice"].language = "en"
    people["alice"].save()
    with django_capture_on_commit_callbacks(execute=True):
        publication_failed(failed_publication.pk)
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"alice@example.com", "bob@example.com", "dave@example.com"}
    assert all(len(m.to) == 1 for m in mail.outbox), "nobody sees the other addresses"
    english = by_address["alice@example.com"]
    assert english.subject == "[Alpha Kaffee] A post to Mastodon @kaffee failed"
    assert "Text too long for this instance." in english.body
    assert f"/posts/{failed_publication.post_id}/" in english.body
    german = by_address["dave@example.com"]
    assert german.subject == "[Alpha Kaffee] Ein Beitrag an Mastodon @kaffee ist fehlgeschlagen"
    # bob chose no language: the workspace's (German) is used
    assert by_address["bob@example.com"].subject == german.subject


def test_no_email_when_the_workspace_turned_it_off(
    failed_publication, workspace_a, django_capture_on_commit_callbacks
):
    PublishingSettings.objects.create(workspace=workspace_a, notify_by_email=False)
    with django_capture_on_commit_callbacks(execute=True):
        publication_failed(failed_publication.pk)
    assert mail.outbox == []
    assert recipients(), "the app still tells them"


def test_the_webhook_receives_the_failure_as_json_and_the_delivery_is_recorded(
    failed_publication, workspace_a, receiver, settings, django_capture_on_commit_callbacks
):
    settings.ALLOW_PRIVATE_NETWORK_TARGETS = True  # the receiver is on loopback
    settings.TASKS = IMMEDIATE
    url, received = receiver
    PublishingSettings.objects.create(workspace=workspace_a, webhook_url=url, notify_by_email=False)
    with django_capture_on_commit_callbacks(execute=True):
        publication_failed(failed_publication.pk)
    assert len(received) == 1
    event = received[0]
    assert event["event"] == "publication_failed"
    assert event["workspace"] == workspace_a.slug
    assert event["publication"] == failed_publication.pk
    assert event["error_code"] == "rejected" and event["account"] == "@kaffee"
    assert event["url"].endswith(f"/posts/{failed_publication.post_id}/")
    delivery = WebhookDelivery.objects.get()
    assert delivery.status_code == 204 and delivery.ok and delivery.workspace == workspace_a


def test_a_webhook_to_loopback_is_refused_unless_private_targets_are_allowed(
    failed_publication, workspace_a, receiver, settings, django_capture_on_commit_callbacks
):
    settings.ALLOW_PRIVATE_NETWORK_TARGETS = False
    settings.TASKS = IMMEDIATE
    url, received = receiver
    PublishingSettings.objects.create(workspace=workspace_a, webhook_url=url, notify_by_email=False)
    with django_capture_on_commit_callbacks(execute=True):
        publication_failed(failed_publication.pk)
    assert received == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.status_code is None and "non-public" in delivery.error and not delivery.ok


def test_a_receiver_that_does_not_answer_never_breaks_the_failure_handling(
    failed_publication, workspace_a, settings, django_capture_on_commit_callbacks
):
    import socket

    settings.ALLOW_PRIVATE_NETWORK_TARGETS = True
    settings.TASKS = IMMEDIATE
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    PublishingSettings.objects.create(
        workspace=workspace_a, webhook_url=f"http://127.0.0.1:{port}/", notify_by_email=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        publication_failed(failed_publication.pk)
    assert recipients()
    assert WebhookDelivery.objects.get().error.startswith("ConnectError")


def test_only_the_latest_webhook_results_are_kept(workspace_a):
    from townsquare.notifications.tasks import KEEP_DELIVERIES, _record

    for n in range(KEEP_DELIVERIES + 5):
        _record(workspace_a.pk, "https://hooks.example.com/", "test", 200 + n, "")
    kept = WebhookDelivery.objects.filter(workspace=workspace_a)
    assert kept.count() == KEEP_DELIVERIES
    assert kept.first().status_code == 200 + KEEP_DELIVERIES + 4
