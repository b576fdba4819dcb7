"""The embedded mode: django.tasks on the database, run by a real `townsquare db_worker`."""

from __future__ import annotations

import uuid

import pytest
from django.tasks import TaskResultStatus

from townsquare.runtime.models import Heartbeat
from townsquare.runtime.tasks import ping
from townsquare.runtime.tests.support import process_env, townsquare_command

DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_a_task_enqueued_on_the_database_is_run_by_a_db_worker_process(settings, start_process):
    settings.TASKS_BACKEND = "db"
    settings.TASKS = DB_BACKEND  # setting_changed rebuilds django.tasks' backend cache
    token = uuid.uuid4().hex

    result = ping.enqueue(token)
    assert result.status == TaskResultStatus.READY
    assert not Heartbeat.objects.filter(name=f"ping:{token}").exists()

    worker = start_process(
        townsquare_command("db_worker", "--batch", "--no-reload", "--no-startup-delay"),
        env=process_env(TASKS_BACKEND="db"),
        name="db_worker",
    )
    assert worker.wait(timeout=30) == 0, worker.output()

    beat = Heartbeat.objects.get(name=f"ping:{token}")
    assert beat.pid == worker.pid
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL, result.errors
    assert result.return_value == token
