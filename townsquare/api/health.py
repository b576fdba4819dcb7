"""GET /api/v1/health, for load balancers and monitoring: 200 `{"status": "ok"}` when the
database, the task backend and the scheduler heartbeat are all ok, 503
`{"status": "unavailable"}` otherwise.

Anyone may ask whether Townsquare is up; only operators (staff users, signed in or with a
token of theirs) see why: the database kind, the task backend and its queue, the age of the
scheduler's heartbeat. A stranger learns nothing about how Townsquare is run.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from townsquare.api.actions import authenticate_api_token
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
    status: Literal["ok", "unavailable"]
    database: Check | None = Field(None, description="Operators only")
    tasks: Check | None = Field(None, description="Operators only")
    scheduler: Check | None = Field(None, description="Operators only")


def _check(result: CheckResult) -> Check:
    return Check(ok=result.ok, detail=result.detail)


def operator(request: HttpRequest) -> Any:
    """The staff user behind the request's token or session, if any."""
    header = request.headers.get("Authorization", "")
    scheme, _, raw = header.partition(" ")
    if scheme.lower() == "bearer" and raw.strip():
        token = authenticate_api_token(raw.strip())
        user = token.user if token is not None else None
    else:
        user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_active and user.is_staff:
        return user
    return None


@router.get(
    "/health",
    response={200: Health, 503: Health},
    auth=None,
    exclude_none=True,
    description="The details (`database`, `tasks`, `scheduler`) only for staff users, "
    "signed in or with an API token of theirs.",
)
def health(request: HttpRequest) -> Status[Health]:
    database = check_database()
    tasks = check_tasks_backend(database_ok=database.ok)
    scheduler = check_scheduler(database_ok=database.ok)
    ok = database.ok and tasks.ok and scheduler.ok
    body = Health(status="ok" if ok else "unavailable")
    if operator(request) is not None:
        body.database, body.tasks, body.scheduler = (
            _check(database),
            _check(tasks),
            _check(scheduler),
        )
    return Status(200 if ok else 503, body)
