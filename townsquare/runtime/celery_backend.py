"""A django.tasks backend that hands tasks to Celery (Redis or RabbitMQ broker).

The message carries the task's module path and its JSON arguments; the worker imports
the task and runs it through `execute`, with the same signals and TaskContext that the
database worker gives it. Results stay with Celery (there is no result store here).
"""

from __future__ import annotations

from functools import partial
from traceback import format_exception
from typing import Any

from django.db import transaction
from django.tasks.backends.base import BaseTaskBackend
from django.tasks.base import Task, TaskContext, TaskError, TaskResult, TaskResultStatus
from django.tasks.signals import task_enqueued, task_finished, task_started
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.json import normalize_json
from django.utils.module_loading import import_string


class CeleryBackend(BaseTaskBackend):
    # run_after becomes Celery's eta. On Redis a message waiting longer than the
    # transport's visibility timeout (one hour by default) is delivered again, so work
    # due far ahead belongs in the database and the scheduler, not in a deferred task.
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
        publish = partial(
            run_task.apply_async,
            args=[task.module_path, args, kwargs],
            task_id=result_id,
            eta=task.run_after,
            queue=task.queue_name,
        )
        # Published when the surrounding transaction commits (at once outside one), as
        # with the database backend, whose task row commits with the caller's work: a
        # worker must not get a task whose rows it cannot see yet or that roll back.
        transaction.on_commit(publish)
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


def execute(
    module_path: str,
    args: list[Any],
    kwargs: dict[str, Any],
    *,
    result_id: str,
    worker_id: str,
) -> Any:
    """Run one task in a Celery worker. Exceptions propagate so that Celery sees them."""
    task = import_string(module_path)
    if not isinstance(task, Task):
        raise TypeError(f"{module_path} is not a django.tasks task")
    started_at = timezone.now()
    result = TaskResult(
        task=task,
        id=result_id,
        status=TaskResultStatus.RUNNING,
        enqueued_at=None,
        started_at=started_at,
        finished_at=None,
        last_attempted_at=started_at,
        args=args,
        kwargs=kwargs,
        backend=task.backend,
        errors=[],
        worker_ids=[worker_id],
    )
    task_started.send(CeleryBackend, task_result=result)
    try:
        if task.takes_context:
            value = task.call(TaskContext(task_result=result), *args, **kwargs)
        else:
            value = task.call(*args, **kwargs)
    except BaseException as error:
        # TaskResult is frozen; Django's own ImmediateBackend updates it the same way.
        object.__setattr__(result, "status", TaskResultStatus.FAILED)
        object.__setattr__(result, "finished_at", timezone.now())
        error_class = type(error)
        result.errors.append(
            TaskError(
                exception_class_path=f"{error_class.__module__}.{error_class.__qualname__}",
                traceback="".join(format_exception(error)),
            )
        )
        task_finished.send(CeleryBackend, task_result=result)
        raise
    value = normalize_json(value)
    object.__setattr__(result, "status", TaskResultStatus.SUCCESSFUL)
    object.__setattr__(result, "finished_at", timezone.now())
    object.__setattr__(result, "_return_value", value)
    task_finished.send(CeleryBackend, task_result=result)
    return value
