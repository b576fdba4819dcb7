"""GET /api/v1/health tells anyone only whether Townsquare is up; how it is run (database
kind, task backend, queue, scheduler heartbeat) only to operators."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from townsquare.api.actions import do_create_api_token
from townsquare.runtime.heartbeat import SCHEDULER
from townsquare.runtime.models import Heartbeat

pytestmark = pytest.mark.django_db

URL = "/api/v1/health"
DETAILS = {"database", "tasks", "scheduler"}


@pytest.fixture(autouse=True)
def database_tasks(settings):
    settings.TASKS_BACKEND = "db"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.SCHEDULER_STALE_AFTER_SECONDS = 120


def beat(seconds_ago):
    Heartbeat.objects.update_or_create(
        name=SCHEDULER, defaults={"beat_at": timezone.now() - timedelta(seconds=seconds_ago)}
    )


@pytest.fixture
def operator(django_user_model):
    return django_user_model.objects.create_user("ops@example.com", None, is_staff=True)


def test_a_stranger_learns_only_that_townsquare_is_up():
    beat(seconds_ago=1)

    response = Client().get(URL)

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_a_stranger_learns_only_that_townsquare_is_not_up():
    beat(seconds_ago=500)

    response = Client().get(URL)

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}
    assert "heartbeat" not in response.content.decode()


def test_a_signed_in_member_who_is_no_operator_sees_no_details(alice_client, workspace_a):
    beat(seconds_ago=1)

    assert alice_client.get(URL).json() == {"status": "ok"}


def test_a_staff_user_signed_in_sees_the_details(operator):
    beat(seconds_ago=1)
    browser = Client()
    browser.force_login(operator)

    body = browser.get(URL).json()

    assert body["status"] == "ok"
    assert set(body) >= DETAILS
    assert body["database"]["detail"] in ("sqlite", "postgresql")
    assert body["tasks"] == {"ok": True, "detail": "db, 0 waiting"}
    assert body["scheduler"]["ok"] is True


def test_a_token_of_a_staff_user_sees_the_details(operator):
    from townsquare.workspaces.actions import do_create_workspace

    workspace = do_create_workspace(operator, name="Betrieb")
    _token, raw = do_create_api_token(operator, name="monitoring", workspace_slugs=[workspace.slug])
    beat(seconds_ago=500)

    response = Client().get(URL, HTTP_AUTHORIZATION=f"Bearer {raw}")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable" and body["scheduler"]["ok"] is False


def test_a_token_of_someone_else_or_a_wrong_one_sees_no_details(alice, workspace_a):
    _token, raw = do_create_api_token(alice, name="mine", workspace_slugs=[workspace_a.slug])
    beat(seconds_ago=1)

    for header in (f"Bearer {raw}", "Bearer tsq_wrong", "Basic abc"):
        assert Client().get(URL, HTTP_AUTHORIZATION=header).json() == {"status": "ok"}


def test_the_api_description_shows_both_answers(client):
    operation = client.get("/api/v1/openapi.json").json()["paths"][URL]["get"]

    assert not operation.get("security")
    assert {"200", "503"} <= set(operation["responses"])
    assert "staff" in operation["description"]
