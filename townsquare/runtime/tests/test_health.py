"""GET /api/v1/health: one stable JSON shape; 200 only when database, task backend and
scheduler heartbeat are all ok. These tests ask as an operator, who sees the details
(what a stranger sees: townsquare/api/tests/test_health_access.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from townsquare.runtime.heartbeat import SCHEDULER
from townsquare.runtime.models import Heartbeat
from townsquare.runtime.tests.support import broker_problem
from townsquare.testing.services import unavailable

URL = "/api/v1/health"
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
CELERY_TASKS = {"default": {"BACKEND": "townsquare.runtime.celery_backend.CeleryBackend"}}


@pytest.fixture
def client(client, django_user_model):
    operator = django_user_model.objects.create_user("ops@example.com", None, is_staff=True)
    client.force_login(operator)
    return client


def assert_shape(body: dict) -> None:
    assert set(body) == {"status", "database", "tasks", "scheduler"}
    assert body["status"] in ("ok", "unavailable")
    for part in ("database", "tasks", "scheduler"):
        assert set(body[part]) == {"ok", "detail"}, part
        assert isinstance(body[part]["ok"], bool)
        assert isinstance(body[part]["detail"], str)
    ok = all(body[part]["ok"] for part in ("database", "tasks", "scheduler"))
    assert (body["status"] == "ok") == ok


@pytest.fixture
def db_tasks(settings):
    settings.TASKS_BACKEND = "db"
    settings.TASKS = DB_TASKS
    settings.SCHEDULER_STALE_AFTER_SECONDS = 120


def beat(seconds_ago: float) -> None:
    Heartbeat.objects.update_or_create(
        name=SCHEDULER, defaults={"beat_at": timezone.now() - timedelta(seconds=seconds_ago)}
    )


@pytest.mark.django_db
def test_health_is_200_and_all_ok_with_a_fresh_scheduler_heartbeat(client, db_tasks):
    beat(seconds_ago=5)

    response = client.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert_shape(body)
    assert body["status"] == "ok"
    assert body["database"]["detail"] in ("sqlite", "postgresql")
    assert body["tasks"] == {"ok": True, "detail": "db, 0 waiting"}
    assert body["scheduler"]["ok"] is True
    # 5 s, or a little more when the machine is slow between the beat and the request.
    ago = int(body["scheduler"]["detail"].rsplit("(", 1)[1].split(" s ago")[0])
    assert 5 <= ago <= 30


@pytest.mark.django_db
def test_health_counts_the_tasks_waiting_in_the_database_queue(client, db_tasks):
    from townsquare.runtime.tasks import ping

    beat(seconds_ago=0)
    ping.enqueue("a")
    ping.enqueue("b")

    assert client.get(URL).json()["tasks"] == {"ok": True, "detail": "db, 2 waiting"}


@pytest.mark.django_db
def test_health_is_503_when_the_scheduler_heartbeat_is_stale(client, db_tasks):
    beat(seconds_ago=121)

    response = client.get(URL)

    assert response.status_code == 503
    body = response.json()
    assert_shape(body)
    assert body["status"] == "unavailable"
    assert body["database"]["ok"] is True
    assert body["tasks"]["ok"] is True
    assert body["scheduler"]["ok"] is False
    assert "older than 120 s" in body["scheduler"]["detail"]


@pytest.mark.django_db
def test_health_is_503_when_no_scheduler_ever_ran(client, db_tasks):
    response = client.get(URL)

    assert response.status_code == 503
    assert_shape(response.json())
    assert response.json()["scheduler"] == {"ok": False, "detail": "no heartbeat yet"}


@pytest.mark.django_db
def test_health_reports_an_unreachable_celery_broker_at_once(client, settings, monkeypatch):
    from kombu import Connection

    settings.TASKS_BACKEND = "celery"
    settings.TASKS = CELERY_TASKS
    settings.CELERY_BROKER_URL = "redis://:secret-password@127.0.0.1:1/0"  # nothing listens
    beat(seconds_ago=0)
    # One connection attempt, no retries (kombu would otherwise retry, with growing pauses,
    # while the health check keeps the caller waiting).
    attempts: list[object] = []
    ensure_connection = Connection.ensure_connection

    def counted(self, *args, **kwargs):
        attempts.append(kwargs.get("max_retries"))
        return ensure_connection(self, *args, **kwargs)

    monkeypatch.setattr(Connection, "ensure_connection", counted)

    response = client.get(URL)

    assert attempts == [0]
    assert response.status_code == 503
    body = response.json()
    assert_shape(body)
    assert body["database"]["ok"] is True
    assert body["scheduler"]["ok"] is True
    assert body["tasks"]["ok"] is False
    assert body["tasks"]["detail"].startswith("celery broker unreachable")
    assert "secret-password" not in response.content.decode()


@pytest.mark.services
@pytest.mark.django_db
@pytest.mark.parametrize(
    "broker_url", ["redis://127.0.0.1:6379/0", "amqp://guest:guest@127.0.0.1:5672//"]
)
def test_health_reports_a_reachable_celery_broker(client, settings, broker_url):
    if problem := broker_problem(broker_url):
        unavailable(f"broker not reachable on loopback ({problem})")
    settings.TASKS_BACKEND = "celery"
    settings.TASKS = CELERY_TASKS
    settings.CELERY_BROKER_URL = broker_url
    beat(seconds_ago=0)

    response = client.get(URL)

    assert response.status_code == 200
    transport = broker_url.split(":", 1)[0]
    assert response.json()["tasks"] == {
        "ok": True,
        "detail": f"celery, {transport} broker reachable",
    }


@pytest.mark.django_db
def test_health_needs_no_login_and_says_so_in_the_api_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/health"]["get"]
    assert not operation.get("security")
    assert {"200", "503"} <= set(operation["responses"])


class UnreachableDatabase:
    vendor = "postgresql"

    def cursor(self):
        from django.db import OperationalError

        raise OperationalError("connection refused")


@pytest.mark.django_db
def test_health_is_503_and_says_why_when_the_database_is_down(client, db_tasks, monkeypatch):
    from townsquare.runtime import health

    monkeypatch.setattr(health, "connection", UnreachableDatabase())

    response = client.get(URL)

    assert response.status_code == 503
    body = response.json()
    assert_shape(body)
    assert body["database"] == {"ok": False, "detail": "unreachable: OperationalError"}
    assert body["tasks"] == {"ok": False, "detail": "database unreachable"}
    assert body["scheduler"] == {"ok": False, "detail": "database unreachable"}
