"""The Celery application used when TASKS_BACKEND=celery.

Celery only transports: each message names a django.tasks task by its module path, and
the worker runs that same function. So the code of a task is the same in both modes.
"""

import os

from celery import Celery

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
)


@app.task(name="townsquare.run_task", bind=True)
def run_task(self: object, module_path: str, args: list[object], kwargs: dict[str, object]) -> object:
    import django

    django.setup()
    from django.utils.module_loading import import_string

    task = import_string(module_path)
    return task.call(*args, **kwargs)
