"""The checks behind /api/v1/health: database, task backend, scheduler heartbeat.

Each check answers quickly even when what it checks is down (no retries, short
timeouts) and never puts secrets such as the broker password into its detail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import connection
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend

from townsquare.runtime.celery_backend import CeleryBackend
from townsquare.runtime.heartbeat import SCHEDULER, is_stale, last_beat

BROKER_CONNECT_TIMEOUT_SECONDS = 2
DATABASE_DOWN = "database unreachable"


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    detail: str


def check_database() -> CheckResult:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:
        return CheckResult(False, f"unreachable: {type(error).__name__}")
    return CheckResult(True, connection.vendor)


def check_tasks_backend(database_ok: bool = True) -> CheckResult:
    """Whether the configured task backend can take work right now.

    `database_ok=False` says the database check already failed: the database queue is
    then reported down without waiting for a second connection attempt.
    """
    try:
        # The configured backend object, not the TASKS_BACKEND name: this is what enqueues.
        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    except Exception as error:
        return CheckResult(False, f"task backend misconfigured: {type(error).__name__}")
    if isinstance(backend, CeleryBackend):
        return _check_celery_broker()
    if isinstance(backend, DatabaseBackend):
        return _check_database_queue() if database_ok else CheckResult(False, DATABASE_DOWN)
    return CheckResult(True, type(backend).__name__)


def _check_database_queue() -> CheckResult:
    from django_tasks_db.models import DBTaskResult

    try:
        waiting = DBTaskResult.objects.ready().count()
    except Exception as error:
        return CheckResult(False, f"db queue unreadable: {type(error).__name__}")
    return CheckResult(True, f"db, {waiting} waiting")


def _check_celery_broker() -> CheckResult:
    from townsquare.runtime.celery_app import app

    try:
        # Read from settings on every call (the Celery app caches its configuration),
        # and connect once without retrying: a health check must answer, not wait.
        with app.connection_for_write(
            settings.CELERY_BROKER_URL, connect_timeout=BROKER_CONNECT_TIMEOUT_SECONDS
        ) as conn:
            conn.ensure_connection(max_retries=0)
            transport = conn.transport_cls
    except Exception as error:
        return CheckResult(False, f"celery broker unreachable: {type(error).__name__}")
    return CheckResult(True, f"celery, {transport} broker reachable")


def check_scheduler(database_ok: bool = True, now: datetime | None = None) -> CheckResult:
    if not database_ok:
        return CheckResult(False, DATABASE_DOWN)
    try:
        beat_at = last_beat(SCHEDULER)
    except Exception as error:
        return CheckResult(False, f"heartbeat unreadable: {type(error).__name__}")
    if beat_at is None:
        return CheckResult(False, "no heartbeat yet")
    now = now or timezone.now()
    age = max(0, round((now - beat_at).total_seconds()))
    detail = f"last heartbeat {beat_at.isoformat()} ({age} s ago)"
    if is_stale(beat_at, now):
        limit = settings.SCHEDULER_STALE_AFTER_SECONDS
        return CheckResult(False, f"{detail}, older than {limit} s")
    return CheckResult(True, detail)
