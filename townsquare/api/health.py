"""GET /api/v1/health: database, task backend and scheduler heartbeat, for load balancers
and monitoring. 200 when all three are ok, 503 otherwise; the body has the same shape
either way."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema, Status

from townsquare.runtime.health import (
    CheckResult,
    check_database,
    check_scheduler,
    check_tasks_backend,
)

router = Router(tags=["health"])


class Check(Schema):
    ok: bool
    detail: str


class Health(Schema):
    ok: bool
    database: Check
    tasks: Check
    scheduler: Check


def _check(result: CheckResult) -> Check:
    return Check(ok=result.ok, detail=result.detail)


@router.get("/health", response={200: Health, 503: Health}, auth=None)
def health(request: HttpRequest) -> Status[Health]:
    database = check_database()
    tasks = check_tasks_backend(database_ok=database.ok)
    scheduler = check_scheduler(database_ok=database.ok)
    body = Health(
        ok=database.ok and tasks.ok and scheduler.ok,
        database=_check(database),
        tasks=_check(tasks),
        scheduler=_check(scheduler),
    )
    return Status(200 if body.ok else 503, body)
