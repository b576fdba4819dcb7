"""The scale mode: django.tasks handed to Celery, run by a real Celery worker on the real
Redis and RabbitMQ on loopback. Each run uses its own queue, so that test runs sharing a
broker never take each other's messages."""

from __future__ import annotations

import socket
import sys
import uuid
from collections.abc import Iterator

import pytest
from django.db import transaction
from django.tasks import TaskResultStatus, task
from django.tasks.signals import task_finished, task_started

from townsquare.runtime import celery_backend
from townsquare.runtime.celery_app import app, run_task
from townsquare.runtime.models import Heartbeat
from townsquare.runtime.tasks import ping
from townsquare.runtime.tests.support import broker_problem, hide, process_env, wait_for
from townsquare.testing.services import unavailable

BROKERS = {
    "redis": "redis://127.0.0.1:6379/0",
    "rabbitmq": "amqp://guest:guest@127.0.0.1:5672//",
}
CELERY_BACKEND = "townsquare.runtime.celery_backend.CeleryBackend"


def use_celery(settings, broker_url: str, *queues: str) -> None:
    settings.TASKS_BACKEND = "celery"
    settings.CELERY_BROKER_URL = broker_url
    # setting_changed rebuilds django.tasks' backend cache (django.tasks.signals).
    settings.TASKS = {"default": {"BACKEND": CELERY_BACKEND, "QUEUES": ["default", *queues]}}


def point_celery_app_at(broker_url: str) -> None:
    # The Celery app reads its configuration once and keeps a connection pool; a test
    # that switches brokers has to replace both.
    app.conf.broker_url = broker_url
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture(params=sorted(BROKERS))
def broker_url(request) -> Iterator[str]:
    url = BROKERS[request.param]
    problem = broker_problem(url)
    if problem:
        unavailable(f"{request.param} is not reachable at {hide(url)} ({problem})")
    previous = app.conf.broker_url
    point_celery_app_at(url)
    yield url
    point_celery_app_at(previous)


@pytest.fixture
def queue(broker_url: str) -> Iterator[str]:
    name = f"townsquare-test-{uuid.uuid4().hex[:12]}"
    yield name
    forget_queue(broker_url, name)


def forget_queue(broker_url: str, name: str) -> None:
    """Leave the shared broker as the test found it."""
    if broker_url.startswith("redis://"):
        import redis

        # kombu keeps a Redis transport's bindings in sets of its own, which only the
        # consumer that declared them knows about; remove this queue's entries directly.
        client = redis.Redis.from_url(broker_url)
        client.delete(name, f"_kombu.binding.{name}", f"_kombu.binding_permanent.{name}")
        pidbox = "_kombu.binding.celery.pidbox"
        for member in client.smembers(pidbox):
            if member.endswith(f"{name}@{socket.gethostname()}.celery.pidbox".encode()):
                client.srem(pidbox, member)
        client.close()
    else:
        with app.connection_for_write(broker_url, connect_timeout=2) as conn:
            conn.default_channel.queue_delete(name)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_task_enqueued_on_celery_is_run_by_a_celery_worker(
    settings, broker_url, queue, start_process
):
    use_celery(settings, broker_url, queue)
    worker = start_process(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "townsquare.runtime.celery_app",
            "worker",
            "--queues",
            queue,
            "--hostname",
            f"{queue}@%h",
            "--pool",
            "solo",
            "--concurrency",
            "1",
            "--loglevel",
            "INFO",
            "--without-mingle",
            "--without-gossip",
        ],
        env=process_env(
            TASKS_BACKEND="celery", CELERY_BROKER_URL=broker_url, CELERY_SKIP_CHECKS="1"
        ),
        name="celery_worker",
        # A warm Celery shutdown takes seconds; this worker has nothing left to finish.
        grace=0,
    )

    def worker_ready() -> bool:
        assert worker.process.poll() is None, worker.output()
        return " ready." in worker.output()

    wait_for(worker_ready, timeout=30, what="the Celery worker to be ready")
    token = uuid.uuid4().hex

    result = ping.using(queue_name=queue).enqueue(token)
    assert result.status == TaskResultStatus.READY

    def pinged() -> Heartbeat | None:
        assert worker.process.poll() is None, worker.output()
        return Heartbeat.objects.filter(name=f"ping:{token}").first()

    beat = wait_for(pinged, timeout=20, what="the ping task to run")
    assert beat.pid == worker.pid, worker.output()
    assert "succeeded" in wait_for(
        lambda: "succeeded" in worker.output() and worker.output(), timeout=5, what="the log"
    )


@pytest.mark.django_db
def test_a_celery_task_is_published_only_when_the_transaction_commits(
    settings, monkeypatch, django_capture_on_commit_callbacks
):
    use_celery(settings, "redis://127.0.0.1:1/0")
    published = []
    monkeypatch.setattr(run_task, "apply_async", lambda **kw: published.append(kw))

    # The test runs inside a transaction of its own; the capture commits for it.
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            result = ping.enqueue("after-commit")
            assert published == []
        assert published == []
    assert published == [
        {
            "args": ["townsquare.runtime.tasks.ping", ["after-commit"], {}],
            "task_id": result.id,
            "eta": None,
            "queue": "default",
        }
    ]

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        ping.enqueue("rolled-back")
        transaction.set_rollback(True)
    assert len(published) == 1


@task(takes_context=True)
def attempt_of(context, word: str) -> dict:
    return {"word": word, "attempt": context.attempt, "id": context.task_result.id}


@task
def fail(message: str) -> None:
    raise ValueError(message)


def test_the_celery_worker_side_gives_a_task_its_context_and_the_task_signals():
    seen = []

    def record(sender, task_result, **kwargs):
        seen.append((task_result.status, task_result.worker_ids))

    task_started.connect(record)
    task_finished.connect(record)
    try:
        value = celery_backend.execute(
            f"{__name__}.attempt_of", ["hello"], {}, result_id="r1", worker_id="w1"
        )
        with pytest.raises(ValueError, match="boom"):
            celery_backend.execute(f"{__name__}.fail", ["boom"], {}, result_id="r2", worker_id="w1")
    finally:
        task_started.disconnect(record)
        task_finished.disconnect(record)

    assert value == {"word": "hello", "attempt": 1, "id": "r1"}
    assert seen == [
        (TaskResultStatus.RUNNING, ["w1"]),
        (TaskResultStatus.SUCCESSFUL, ["w1"]),
        (TaskResultStatus.RUNNING, ["w1"]),
        (TaskResultStatus.FAILED, ["w1"]),
    ]


def test_the_celery_worker_side_refuses_a_path_that_is_not_a_task():
    with pytest.raises(TypeError, match=r"not a django\.tasks task"):
        celery_backend.execute("os.getcwd", [], {}, result_id="r", worker_id="w")


def test_a_celery_worker_without_queues_listens_where_django_tasks_sends():
    assert app.conf.task_default_queue == ping.queue_name == "default"
