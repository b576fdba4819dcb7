"""Housekeeping jobs of the scheduler loop (imported by runtime.scheduler.autodiscover)."""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from townsquare.runtime.scheduler import register

logger = logging.getLogger(__name__)

PRUNE_EVERY_SECONDS = 3600.0
# Deleted per statement, so that a long backlog never holds SQLite's write lock for long.
PRUNE_BATCH = 2_000

_last_prune = 0.0


def prune_finished_tasks(now: float | None = None) -> float | None:
    """Delete finished database task rows older than TASK_RESULTS_KEEP_DAYS, once an hour.

    Every publication runs as a task; without pruning the task table grows by every post
    ever published. What a person needs to see (attempts, outcomes, errors) is kept on the
    publication itself, not in the task row.
    """
    global _last_prune
    clock = time.monotonic() if now is None else now
    if _last_prune and clock - _last_prune < PRUNE_EVERY_SECONDS:
        return PRUNE_EVERY_SECONDS - (clock - _last_prune)
    _last_prune = clock
    deleted = prune_task_results(timedelta(days=settings.TASK_RESULTS_KEEP_DAYS))
    if deleted:
        logger.info("pruned %s finished task rows", deleted)
    return PRUNE_EVERY_SECONDS


def prune_task_results(keep: timedelta) -> int:
    cutoff = timezone.now() - keep
    total = 0
    while True:
        ids = list(
            DBTaskResult.objects.finished()
            .filter(finished_at__lt=cutoff)
            .values_list("id", flat=True)[:PRUNE_BATCH]
        )
        if not ids:
            return total
        total += DBTaskResult.objects.filter(id__in=ids).delete()[0]


register(prune_finished_tasks)
