"""A webhook address holds a secret (chat services put their token in it): after saving it
is never shown whole, never logged, and never kept readable outside the settings."""

from __future__ import annotations

import json
import logging
import socket

import pytest
from django.urls import reverse

from townsquare.audit.models import AuditEvent
from townsquare.lib.tests.outbound_support import loopback_server
from townsquare.notifications.models import WebhookDelivery
from townsquare.notifications.webhooks import masked, redact
from townsquare.publishing.events import publication_failed
from townsquare.publishing.models import PublishingSettings

pytestmark = pytest.mark.django_db

SECRET = "T0KEN-b7Qz9xWv3sPq"
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
FORM = {"late_after_minutes": "45", "hold_when_late": "on"}


def settings_url(workspace):
    return reverse("workspace_publishing_settings", args=[workspace.slug])


def hook(port: int, host: str = "127.0.0.1") -> str:
    return f"http://{host}:{port}/services/{SECRET}?token={SECRET}"


def everything_logged(caplog) -> str:
    return "\n".join(record.getMessage() for record in caplog.records)


def test_a_webhook_address_is_shown_masked():
    url = "https://hooks.slack.com/services/T000/B000/XXXXyyyyZZZZ9Qa"
    assert masked(url) == "https://hooks.slack.com/…Z9Qa"
    assert masked("https://user:pw@chat.example.org:8443/x?key=1") == (
        "https://chat.example.org:8443/…"
    )
    assert masked("https://chat.example.org") == "https://chat.example.org/"
    assert masked(masked(url)) == masked(url)
    assert "XXXX" not in redact(f"ConnectError: could not reach {url}", url)


def test_neither_delivering_nor_failing_to_deliver_logs_the_address(
    failed_publication, workspace_a, settings, caplog, django_capture_on_commit_callbacks
):
    settings.ALLOW_PRIVATE_NETWORK_TARGETS = True
    settings.TASKS = IMMEDIATE
    caplog.set_level(logging.DEBUG)
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        nobody = unused.getsockname()[1]
    with loopback_server() as server:
        for url in (hook(server.server_address[1]), hook(nobody)):
            PublishingSettings.objects.update_or_create(
                workspace=workspace_a, defaults={"webhook_url": url, "notify_by_email": False}
            )
            with django_capture_on_commit_callbacks(execute=True):
                publication_failed(failed_publication.pk)
        settings.ALLOW_PRIVATE_NETWORK_TARGETS = False  # refused by the guard now
        with django_capture_on_commit_callbacks(execute=True):
            publication_failed(failed_publication.pk)
    assert len(server.hits) == 1
    results = list(WebhookDelivery.objects.values_list("url", "error", "status_code"))
    assert len(results) == 3 and {status for _u, _e, status in results} == {200, None}
    assert SECRET not in json.dumps(results)
    assert SECRET not in everything_logged(caplog)
    assert "ConnectError" in json.dumps(results), "the reason is still there, without secret"


def test_the_delivery_task_is_given_the_address_encrypted(
    failed_publication, workspace_a, settings, django_capture_on_commit_callbacks
):
    # Task arguments are stored (the database backend's table, a broker's queue).
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    PublishingSettings.objects.create(
        workspace=workspace_a, webhook_url=hook(8443, "hooks.chat.de"), notify_by_email=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        publication_failed(failed_publication.pk)
    stored = [json.dumps(row.args_kwargs) for row in DBTaskResult.objects.all()]
    assert any("deliver_webhook" in row.task_path for row in DBTaskResult.objects.all())
    assert stored and not any(SECRET in row or "hooks.chat.de" in row for row in stored)


def test_after_saving_the_settings_page_shows_only_the_host_and_a_masked_path(
    alice_client, workspace_a
):
    url = "https://hooks.chat.de/services/" + SECRET
    saved = alice_client.post(settings_url(workspace_a), {**FORM, "webhook_url": url})
    assert saved.status_code == 302
    assert PublishingSettings.objects.get(workspace=workspace_a).webhook_url == url
    page = alice_client.get(settings_url(workspace_a)).content.decode()
    assert SECRET not in page
    assert "https://hooks.chat.de/…" in page


def test_saving_other_settings_keeps_the_webhook_and_it_can_be_removed(alice_client, workspace_a):
    url = "https://hooks.chat.de/services/" + SECRET
    alice_client.post(settings_url(workspace_a), {**FORM, "webhook_url": url})
    alice_client.post(settings_url(workspace_a), {**FORM, "late_after_minutes": "30"})
    kept = PublishingSettings.objects.get(workspace=workspace_a)
    assert kept.webhook_url == url and kept.late_after_minutes == 30
    alice_client.post(settings_url(workspace_a), {**FORM, "remove_webhook": "on"})
    assert PublishingSettings.objects.get(workspace=workspace_a).webhook_url == ""


def test_the_audit_log_records_which_webhook_without_its_secret(alice_client, workspace_a):
    first = "https://hooks.chat.de/services/" + SECRET
    second = "https://hooks.other-chat.de/incoming/" + SECRET[::-1]
    alice_client.post(settings_url(workspace_a), {**FORM, "webhook_url": first})
    alice_client.post(settings_url(workspace_a), {**FORM, "webhook_url": second})
    events = AuditEvent.objects.filter(action="publishing_settings.update").order_by("pk")
    stored = json.dumps([[e.before, e.after] for e in events])
    assert SECRET not in stored and SECRET[::-1] not in stored
    assert events.last().before["webhook_url"].startswith("https://hooks.chat.de/")
    assert events.last().after["webhook_url"].startswith("https://hooks.other-chat.de/")
    audit_page = alice_client.get(reverse("workspace_audit", args=[workspace_a.slug]))
    assert SECRET not in audit_page.content.decode()
    api = alice_client.get(f"/api/v1/workspaces/{workspace_a.slug}/audit")
    assert api.status_code == 200 and SECRET not in api.content.decode()


@pytest.mark.parametrize(
    "url",
    ["http://2130706433/hook", "http://0x7f.1/hook", "http://[::7f00:1]/hook", "http://intranet/"],
)
def test_a_webhook_address_into_the_own_network_in_another_spelling_is_refused_on_saving(
    alice_client, workspace_a, settings, url
):
    settings.ALLOW_PRIVATE_NETWORK_TARGETS = False
    response = alice_client.post(settings_url(workspace_a), {**FORM, "webhook_url": url})
    assert response.status_code == 200 and "own network" in response.content.decode()
    assert not PublishingSettings.objects.exists()


def test_addresses_stored_before_are_masked_by_the_migration(workspace_a, alice):
    from importlib import import_module

    from django.apps import apps

    from townsquare.audit.record import record

    migration = import_module(
        "townsquare.notifications.migrations.0003_mask_stored_webhook_addresses"
    )
    url = "https://hooks.chat.de/services/" + SECRET
    WebhookDelivery.objects.create(workspace=workspace_a, url=url, event="test")
    record(
        actor=alice,
        action="publishing_settings.update",
        target=workspace_a,
        workspace=workspace_a,
        before={"webhook_url": ""},
        after={"webhook_url": url, "late_after_minutes": 45},
    )
    migration.mask_stored_addresses(apps, None)
    assert WebhookDelivery.objects.get().url == masked(url)
    event = AuditEvent.objects.get(action="publishing_settings.update")
    assert event.after == {"webhook_url": masked(url), "late_after_minutes": 45}
