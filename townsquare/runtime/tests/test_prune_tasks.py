"""Finished database task rows are pruned after TASK_RESULTS_KEEP_DAYS; nothing else is."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from townsquare.runtime import jobs

pytestmark = pytest.mark.django_db


def _row(status: str, finished_days_ago: float | None) -> DBTaskResult:
    now = timezone.now()
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="townsquare.publishing.tasks.publish_publication",
        backend_name="default",
        queue_name="default",
        run_after=now,
        finished_at=None if finished_days_ago is None else now - timedelta(days=finished_days_ago),
    )


def test_old_finished_rows_go_and_everything_else_stays(settings, monkeypatch):
    monkeypatch.setattr(jobs, "PRUNE_BATCH", 2)  # several rounds
    old = [_row(TaskResultStatus.SUCCESSFUL, 8) for _ in range(3)] + [
        _row(TaskResultStatus.FAILED, 30)
    ]
    kept = [
        _row(TaskResultStatus.SUCCESSFUL, 6),
        _row(TaskResultStatus.READY, None),
        _row(TaskResultStatus.RUNNING, None),
    ]
    assert jobs.prune_task_results(timedelta(days=7)) == len(old)
    assert set(DBTaskResult.objects.values_list("id", flat=True)) == {row.id for row in kept}


def test_the_job_prunes_once_an_hour(settings, monkeypatch):
    settings.TASK_RESULTS_KEEP_DAYS = 7
    monkeypatch.setattr(jobs, "_last_prune", 0.0)
    _row(TaskResultStatus.SUCCESSFUL, 10)
    assert jobs.prune_finished_tasks(now=1_000.0) == jobs.PRUNE_EVERY_SECONDS
    assert DBTaskResult.objects.count() == 0
    _row(TaskResultStatus.SUCCESSFUL, 10)
    assert jobs.prune_finished_tasks(now=1_600.0) == pytest.approx(3_000.0)
    assert DBTaskResult.objects.count() == 1  # not yet: within the hour
    jobs.prune_finished_tasks(now=1_000.0 + jobs.PRUNE_EVERY_SECONDS)
    assert DBTaskResult.objects.count() == 0
