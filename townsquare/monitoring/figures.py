"""What /metrics reports: the figures an operator watches, read from the database and the
task queue in a handful of aggregate queries (no per-row work, whatever the size).

Counts are across all workspaces and name none of them: the operator sees the health of the
installation, not anyone's content.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, DurationField, ExpressionWrapper, F, Max, Q, Sum
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME, task_backends

from townsquare.analytics.models import CollectionState
from townsquare.inbox.models import Conversation, ConversationStatus
from townsquare.monitoring.prometheus import Family, Sample
from townsquare.publishing.models import Publication
from townsquare.publishing.schedule import Status
from townsquare.runtime.heartbeat import SCHEDULER, last_beat

# Seconds between a publication's due time and its appearance on the network.
PUBLISH_LAG_BUCKETS = (1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 900.0, 3600.0)
BROKER_TIMEOUT_SECONDS = 2
NOT_FOUND = 404  # AMQP reply code, also used by kombu's Redis transport


def publications_by_state() -> Family:
    counts = dict(
        Publication.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    samples = [Sample(counts.get(status.value, 0), {"state": status.value}) for status in Status]
    return Family(
        "townsquare_publications", "gauge", "Publications by state, all workspaces.", samples
    )


def publish_lag() -> Family:
    lag = ExpressionWrapper(F("published_at") - F("due_at"), output_field=DurationField())
    published = Publication.objects.filter(
        status=Status.PUBLISHED.value, published_at__isnull=False, due_at__isnull=False
    ).annotate(lag=lag)
    buckets = {
        f"b{i}": Count("id", filter=Q(lag__lte=timedelta(seconds=bound)))
        for i, bound in enumerate(PUBLISH_LAG_BUCKETS)
    }
    # A post published ahead of its time (by hand, "publish now") has no lag: it counts as 0.
    late = Q(lag__gt=timedelta(0))
    row = published.aggregate(count=Count("id"), late_sum=Sum("lag", filter=late), **buckets)
    total = row["count"] or 0
    samples = [
        Sample(row[f"b{i}"] or 0, {"le": _bound(bound)}, "_bucket")
        for i, bound in enumerate(PUBLISH_LAG_BUCKETS)
    ]
    samples.append(Sample(total, {"le": "+Inf"}, "_bucket"))
    late_sum = row["late_sum"]
    samples.append(Sample(late_sum.total_seconds() if late_sum else 0.0, {}, "_sum"))
    samples.append(Sample(total, {}, "_count"))
    return Family(
        "townsquare_publish_lag_seconds",
        "histogram",
        "Seconds from a publication's due time to its publication, all published so far.",
        samples,
    )


def task_queue_depth() -> list[Family]:
    """Tasks waiting for a worker, and whether the queue could be read at all."""
    depth = _queue_depth()
    families = [
        Family(
            "townsquare_task_queue_up",
            "gauge",
            "1 when the task queue could be read, else 0.",
            [Sample(0 if depth is None else 1)],
        )
    ]
    if depth is not None:
        families.append(
            Family(
                "townsquare_task_queue_depth",
                "gauge",
                "Background tasks waiting for a worker.",
                [Sample(depth)],
            )
        )
    return families


def _queue_depth() -> int | None:
    from django_tasks_db.backend import DatabaseBackend

    from townsquare.runtime.celery_backend import CeleryBackend

    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    try:
        if isinstance(backend, DatabaseBackend):
            from django_tasks_db.models import DBTaskResult

            return int(DBTaskResult.objects.ready().count())
        if isinstance(backend, CeleryBackend):
            return _celery_depth()
    except Exception:
        return None
    return 0  # runs tasks inline: nothing ever waits


def _celery_depth() -> int:
    from amqp.exceptions import ChannelError
    from django.conf import settings

    from townsquare.runtime.celery_app import app

    with app.connection_for_write(
        settings.CELERY_BROKER_URL, connect_timeout=BROKER_TIMEOUT_SECONDS
    ) as conn:
        conn.ensure_connection(max_retries=0)
        # A passive declare reads the queue without creating it (Redis and RabbitMQ alike);
        # a queue no worker or producer has declared yet holds nothing.
        try:
            _, waiting, _ = conn.default_channel.queue_declare(
                DEFAULT_TASK_QUEUE_NAME, passive=True
            )
        except ChannelError as error:
            if str(error.reply_code) == str(NOT_FOUND):
                return 0
            raise
    return int(waiting)


def inbox_backlog() -> Family:
    counts = dict(
        Conversation.objects.filter(is_spam=False, waiting_since__isnull=False)
        .exclude(status=ConversationStatus.CLOSED)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    samples = [
        Sample(counts.get(status.value, 0), {"status": status.value})
        for status in ConversationStatus
        if status != ConversationStatus.CLOSED
    ]
    return Family(
        "townsquare_inbox_backlog",
        "gauge",
        "Conversations waiting for an answer (spam and closed left out), all workspaces.",
        samples,
    )


def last_collection() -> Family:
    rows = (
        CollectionState.objects.filter(account__removed_at__isnull=True)
        .values("account__network")
        .annotate(last=Max("last_success_at"))
        .order_by("account__network")
    )
    samples = [
        Sample(row["last"].timestamp(), {"network": row["account__network"]})
        for row in rows
        if row["last"] is not None
    ]
    return Family(
        "townsquare_metrics_collection_last_success_timestamp_seconds",
        "gauge",
        "When counters were last read successfully from a network (Unix time).",
        samples,
    )


def scheduler_heartbeat() -> Family:
    beat_at = last_beat(SCHEDULER)
    return Family(
        "townsquare_scheduler_heartbeat_timestamp_seconds",
        "gauge",
        "The newest scheduler heartbeat (Unix time); absent before the first.",
        [Sample(beat_at.timestamp())] if beat_at else [],
    )


def all_families() -> list[Family]:
    return [
        publications_by_state(),
        publish_lag(),
        *task_queue_depth(),
        inbox_backlog(),
        last_collection(),
        scheduler_heartbeat(),
    ]


def _bound(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)
