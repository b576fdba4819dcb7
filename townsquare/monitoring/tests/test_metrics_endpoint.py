"""GET /metrics: behind a bearer token, in the Prometheus format, with the operator's figures
(publications by state, publish lag, task queue, inbox backlog, last collection, scheduler)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from townsquare.analytics.models import CollectionState
from townsquare.content.models import Post
from townsquare.inbox.models import Conversation
from townsquare.networks.models import SocialAccount
from townsquare.publishing.models import Publication
from townsquare.runtime.heartbeat import SCHEDULER, beat

TOKEN = "metrics-test-token"
AUTH = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}


@pytest.fixture
def world(workspace_a, workspace_b, alice):
    now = timezone.now()
    account = SocialAccount.objects.create(workspace=workspace_a, network="mastodon", handle="@a")
    other = SocialAccount.objects.create(workspace=workspace_b, network="bluesky", handle="b.test")
    post = Post.objects.create(workspace=workspace_a, master_text="Hallo", language="de")
    due = now - timedelta(hours=1)
    for lag_seconds in (2, 40, 4000):
        Publication.objects.create(
            workspace=workspace_a,
            post=post,
            account=account,
            status="published",
            due_at=due,
            published_at=due + timedelta(seconds=lag_seconds),
        )
    Publication.objects.create(workspace=workspace_a, post=post, account=account, status="failed")
    for waiting, status in ((now, "open"), (now, "waiting"), (None, "open"), (now, "closed")):
        Conversation.objects.create(
            workspace=workspace_a,
            account=account,
            network_conversation_id=f"c-{status}-{waiting is None}",
            status=status,
            waiting_since=waiting,
            first_message_at=now,
            last_message_at=now,
        )
    CollectionState.objects.create(account=account, last_success_at=now - timedelta(minutes=5))
    CollectionState.objects.create(account=other, last_success_at=None)
    beat(SCHEDULER)
    return now


def test_without_a_configured_token_the_endpoint_does_not_exist(client, db):
    with override_settings(METRICS_TOKEN=""):
        assert client.get("/metrics", **AUTH).status_code == 404


@pytest.mark.parametrize(
    "header", [None, "Bearer wrong", f"Basic {TOKEN}", f"Bearer {TOKEN}x", "Bearer"]
)
def test_a_missing_or_wrong_token_is_refused(client, db, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    with override_settings(METRICS_TOKEN=TOKEN):
        response = client.get("/metrics", **extra)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_only_get_is_allowed(client, db, method):
    with override_settings(METRICS_TOKEN=TOKEN):
        assert getattr(client, method)("/metrics", **AUTH).status_code == 405


def test_the_figures_are_reported_in_the_prometheus_format(client, world):
    with override_settings(METRICS_TOKEN=TOKEN):
        response = client.get("/metrics", **AUTH)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    text = response.content.decode()
    assert 'townsquare_publications{state="published"} 3' in text
    assert 'townsquare_publications{state="failed"} 1' in text
    assert 'townsquare_publications{state="scheduled"} 0' in text
    assert "# TYPE townsquare_publish_lag_seconds histogram" in text
    assert 'townsquare_publish_lag_seconds_bucket{le="5"} 1' in text
    assert 'townsquare_publish_lag_seconds_bucket{le="60"} 2' in text
    assert 'townsquare_publish_lag_seconds_bucket{le="3600"} 2' in text
    assert 'townsquare_publish_lag_seconds_bucket{le="+Inf"} 3' in text
    assert "townsquare_publish_lag_seconds_sum 4042" in text
    assert "townsquare_publish_lag_seconds_count 3" in text
    assert "townsquare_task_queue_up 1" in text
    assert "townsquare_task_queue_depth " in text
    assert 'townsquare_inbox_backlog{status="open"} 1' in text
    assert 'townsquare_inbox_backlog{status="waiting"} 1' in text
    assert 'status="closed"' not in text
    expected = (world - timedelta(minutes=5)).timestamp()
    line = next(
        line
        for line in text.splitlines()
        if line.startswith(
            'townsquare_metrics_collection_last_success_timestamp_seconds{network="mastodon"}'
        )
    )
    assert float(line.split()[-1]) == pytest.approx(expected, abs=1)
    assert 'network="bluesky"' not in text  # never collected: no timestamp to report
    assert "townsquare_scheduler_heartbeat_timestamp_seconds " in text


def test_the_report_names_no_workspace_and_no_content(client, world, workspace_a):
    with override_settings(METRICS_TOKEN=TOKEN):
        text = client.get("/metrics", **AUTH).content.decode()
    assert workspace_a.slug not in text and "Hallo" not in text and "@a" not in text


CELERY_TASKS = {"default": {"BACKEND": "townsquare.runtime.celery_backend.CeleryBackend"}}


def test_an_unreachable_broker_is_reported_as_a_queue_that_is_down(client, db, settings):
    settings.METRICS_TOKEN = TOKEN
    settings.TASKS = CELERY_TASKS
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens
    text = client.get("/metrics", **AUTH).content.decode()
    assert "townsquare_task_queue_up 0" in text
    assert "townsquare_task_queue_depth" not in text.replace("# HELP", "").split("up 0")[1]


@pytest.mark.services
@pytest.mark.parametrize(
    "broker_url", ["redis://127.0.0.1:6379/0", "amqp://guest:guest@127.0.0.1:5672//"]
)
def test_the_celery_queue_depth_is_read_from_the_broker(
    client, db, settings, monkeypatch, broker_url
):
    from kombu import Connection

    from townsquare.monitoring import figures
    from townsquare.runtime.tests.support import broker_problem
    from townsquare.testing.services import unavailable

    if problem := broker_problem(broker_url):
        unavailable(f"broker not reachable on loopback ({problem})")
    settings.METRICS_TOKEN = TOKEN
    settings.TASKS = CELERY_TASKS
    settings.CELERY_BROKER_URL = broker_url
    queue_name = f"townsquare-metrics-test-{uuid.uuid4().hex[:8]}"
    monkeypatch.setattr(figures, "DEFAULT_TASK_QUEUE_NAME", queue_name)

    def depth() -> int:
        text = client.get("/metrics", **AUTH).content.decode()
        assert "townsquare_task_queue_up 1" in text
        line = next(x for x in text.splitlines() if x.startswith("townsquare_task_queue_depth "))
        return int(line.split()[-1])

    assert depth() == 0  # never declared: nothing waits
    with Connection(broker_url) as conn:
        queue = conn.SimpleQueue(queue_name)
        try:
            queue.put({"n": 1})
            queue.put({"n": 2})
            assert depth() == 2
        finally:
            queue.queue.delete()
            queue.close()
