"""A django.tasks backend that hands tasks to Celery (Redis or RabbitMQ broker)."""

from __future__ import annotations

from typing import Any

from django.tasks.backends.base import BaseTaskBackend
from django.tasks.base import Task, TaskResult, TaskResultStatus
from django.tasks.signals import task_enqueued
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.json import normalize_json


class CeleryBackend(BaseTaskBackend):
    supports_defer = True
    supports_priority = False
    supports_async_task = False
    supports_get_result = False

    def enqueue(self, task: Task, args: Any, kwargs: Any) -> TaskResult:
        from townsquare.runtime.celery_app import run_task

        self.validate_task(task)
        result_id = get_random_string(32)
        args = normalize_json(list(args))
        kwargs = normalize_json(dict(kwargs))
        run_task.apply_async(
            args=[task.module_path, args, kwargs],
            task_id=result_id,
            eta=task.run_after,
            queue=task.queue_name,
        )
        result = TaskResult(
            task=task,
            id=result_id,
            status=TaskResultStatus.READY,
            enqueued_at=timezone.now(),
            started_at=None,
            finished_at=None,
            last_attempted_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        task_enqueued.send(type(self), task_result=result)
        return result
