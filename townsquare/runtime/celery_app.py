"""The Celery application used when TASKS_BACKEND=celery.

Celery only transports: each message names a django.tasks task by its module path, and
the worker runs that same function. So the code of a task is the same in both modes.
Celery's Django fixup (active because DJANGO_SETTINGS_MODULE is set before the app is
created) calls django.setup() when the worker starts and closes database connections
around every task.
"""

import os
from typing import Any

from celery import Celery
from django.tasks import DEFAULT_TASK_QUEUE_NAME

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townsquare.settings")

app = Celery("townsquare")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_serializer="json",
    accept_content=["json"],
    broker_connection_retry_on_startup=True,
    # django.tasks sends to the queue "default" unless a task says otherwise; a worker
    # started without -Q must listen there (Celery's own default queue is "celery").
    task_default_queue=DEFAULT_TASK_QUEUE_NAME,
)


@app.task(name="townsquare.run_task", bind=True)
def run_task(self: Any, module_path: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    from townsquare.runtime.celery_backend import execute

    return execute(
        module_path, args, kwargs, result_id=self.request.id, worker_id=self.request.hostname
    )
