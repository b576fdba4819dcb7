from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from ninja import Router, Schema

from townsquare.runtime.health import check_tasks_backend
from townsquare.runtime.heartbeat import SCHEDULER, last_beat, scheduler_is_stale

router = Router(tags=["health"])


class Check(Schema):
    ok: bool
    detail: str


class Health(Schema):
    ok: bool
    database: Check
    tasks: Check
    scheduler: Check


@router.get("/health", response={200: Health, 503: Health}, auth=None)
def health(request: HttpRequest) -> tuple[int, Health]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = Check(ok=True, detail=connection.vendor)
    except Exception as error:
        database = Check(ok=False, detail=f"{type(error).__name__}")
    tasks_ok, tasks_detail = check_tasks_backend()
    tasks = Check(ok=tasks_ok, detail=tasks_detail)
    beat_at = last_beat(SCHEDULER) if database.ok else None
    stale = scheduler_is_stale() if database.ok else True
    scheduler = Check(
        ok=not stale,
        detail=(
            "no heartbeat yet" if beat_at is None else f"last heartbeat {beat_at.isoformat()}"
        )
        + ("" if not stale or beat_at is None else f" (older than {settings.SCHEDULER_STALE_AFTER_SECONDS} s)"),
    )
    body = Health(ok=database.ok and tasks.ok and scheduler.ok, database=database, tasks=tasks, scheduler=scheduler)
    return (200 if body.ok else 503), body
