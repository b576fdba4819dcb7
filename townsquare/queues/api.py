"""API of the queues: posting slots per account, adding a post to the queue, recurring
series (create, list occurrences, edit or skip one or all following) and evergreen posts.

Times are wall-clock times in the workspace's zone ("2027-03-01T09:00"), as in publishing's
API. A near-duplicate of a post to the same account within 30 days is refused with 409
`near_duplicate` (the other posts in `details`) until the request says
`confirm_duplicate: true`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field, StrictBool

from townsquare.content.access import access_post
from townsquare.lib.bounds import Id
from townsquare.lib.errors import ActionError
from townsquare.publishing.api import parse_wall_time
from townsquare.publishing.models import Publication
from townsquare.queues import (
    evergreen_actions,
    near_duplicates,
    queue_actions,
    series_actions,
    slot_actions,
)
from townsquare.queues.access import (
    access_evergreen,
    access_occurrence,
    access_queue_account,
    access_series,
    access_slot,
    access_slots,
)
from townsquare.queues.models import Evergreen, Series, SeriesOccurrence, Slot
from townsquare.queues.recurrence import RecurrenceError, Repeat

router = Router(tags=["queues"])


class SlotIn(Schema):
    weekday: int = Field(ge=0, le=6, description="0 = Monday ... 6 = Sunday")
    time: str = Field(
        pattern=r"^([01]\d|2[0-3]):[0-5]\d$", description="HH:MM in the workspace's zone"
    )


class SlotOut(Schema):
    id: int
    account_id: int
    weekday: int
    time: str


class QueueIn(Schema):
    confirm_duplicate: StrictBool = Field(
        False, description="Schedule even when a very similar post went to the same account"
    )


class QueuedOut(Schema):
    post_id: int
    local_due: str = Field(description="The slot taken, as a wall time in time_zone")
    time_zone: str
    due_at: datetime = Field(description="UTC")
    publication_ids: list[int]


class RepeatIn(Schema):
    frequency: Literal["DAILY", "WEEKLY", "MONTHLY"]
    interval: int = Field(1, ge=1, le=365)
    weekdays: list[int] = Field(default_factory=list, max_length=7)
    count: int | None = Field(None, ge=1, le=10_000)
    until: str | None = Field(None, pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD")


class SeriesIn(Schema):
    first: str = Field(max_length=40, description="The first wall time, e.g. 2027-03-01T09:00")
    rrule: str | None = Field(
        None, max_length=500, description="An RFC 5545 RRULE with COUNT or UNTIL"
    )
    repeat: RepeatIn | None = Field(None, description="Or the rule in fields")
    confirm_duplicate: StrictBool = False


class OccurrenceOut(Schema):
    id: int
    index: int
    post_id: int
    local_time: str
    skipped: bool
    edited: bool
    statuses: list[str]


class SeriesOut(Schema):
    id: int
    rrule: str
    first_local: str
    time_zone: str
    occurrences: list[OccurrenceOut]


class OccurrenceEditIn(Schema):
    text: str | None = Field(None, max_length=100_000)
    at: str | None = Field(None, max_length=40, description="A new wall time")
    skip: StrictBool | None = Field(None, description="true: skip; false: take the skip back")
    following: StrictBool = Field(False, description="Also every following occurrence")


class EvergreenIn(Schema):
    enabled: StrictBool = True
    min_gap_days: int = Field(30, ge=1, le=evergreen_actions.MAX_GAP_DAYS)
    max_reposts: int = Field(3, ge=1, le=evergreen_actions.MAX_REPOSTS)


class EvergreenOut(Schema):
    post_id: int
    enabled: StrictBool
    state: str
    min_gap_days: int
    max_reposts: int
    reposts: int
    last_error: str
    repost_ids: list[int]


def _slot_out(slot: Slot) -> SlotOut:
    return SlotOut(
        id=slot.pk,
        account_id=slot.account_id,
        weekday=slot.weekday,
        time=slot.time.strftime("%H:%M"),
    )


def _duplicate_answer(error: near_duplicates.NearDuplicate) -> JsonResponse:
    details = [
        {
            "post_id": d.post_id,
            "account": d.account,
            "at": d.when.isoformat(),
            "published": d.published,
            "similarity": round(d.score, 2),
        }
        for d in error.duplicates[:10]
    ]
    body: dict[str, Any] = {
        "error": {"code": error.code, "message": error.message, "details": details}
    }
    return JsonResponse(body, status=409)


@router.get("/workspaces/{workspace}/accounts/{account_id}/slots", response=list[SlotOut])
def list_slots(request: HttpRequest, workspace: str, account_id: Id) -> list[SlotOut]:
    """The account's weekly posting slots."""
    account = access_queue_account(request.membership, account_id)
    return [_slot_out(s) for s in access_slots(request.membership).filter(account=account)]


@router.post("/workspaces/{workspace}/accounts/{account_id}/slots", response={201: SlotOut})
def add_slot(request: HttpRequest, workspace: str, account_id: Id, body: SlotIn) -> Status:
    """Add a weekly slot (weekday and time in the workspace's zone)."""
    account = access_queue_account(request.membership, account_id)
    at = datetime.strptime(body.time, "%H:%M").time()
    slot = slot_actions.do_add_slot(request.membership, account, body.weekday, at)
    return Status(201, _slot_out(slot))


@router.delete("/workspaces/{workspace}/slots/{slot_id}", response={204: None})
def remove_slot(request: HttpRequest, workspace: str, slot_id: Id) -> Status:
    slot_actions.do_remove_slot(request.membership, access_slot(request.membership, slot_id))
    return Status(204, None)


@router.post("/workspaces/{workspace}/queue/fill-from-plan", response={201: list[SlotOut]})
def fill_slots(request: HttpRequest, workspace: str) -> Status:
    """A slot for each preferred day and time of the plan, for every account of a network
    the plan names; slots already there stay."""
    created = slot_actions.do_fill_slots_from_plan(request.membership)
    return Status(201, [_slot_out(s) for s in created])


@router.post(
    "/workspaces/{workspace}/posts/{post_id}/queue",
    response={200: QueuedOut, 409: Any},
)
def add_to_queue(
    request: HttpRequest, workspace: str, post_id: Id, body: QueueIn | None = None
) -> Any:
    """Schedule the post at the next slot free on every account of it."""
    body = body or QueueIn()
    membership = request.membership
    post = access_post(membership, post_id)
    try:
        pubs = queue_actions.do_add_to_queue(
            membership, post, confirm_duplicate=body.confirm_duplicate
        )
    except near_duplicates.NearDuplicate as error:
        return _duplicate_answer(error)
    first = pubs[0]
    assert first.due_at is not None
    return QueuedOut(
        post_id=post.pk,
        local_due=first.local_due,
        time_zone=first.time_zone,
        due_at=first.due_at,
        publication_ids=[p.pk for p in pubs],
    )


def _series_out(series: Series) -> SeriesOut:
    occurrences = list(series.occurrences.all())
    statuses: dict[int, list[str]] = {}
    for post_id, status in Publication.objects.filter(
        post_id__in=[o.post_id for o in occurrences]
    ).values_list("post_id", "status"):
        statuses.setdefault(post_id, []).append(status)
    return SeriesOut(
        id=series.pk,
        rrule=series.rrule,
        first_local=series.first_local,
        time_zone=series.time_zone,
        occurrences=[_occurrence_out(o, statuses.get(o.post_id, [])) for o in occurrences],
    )


def _occurrence_out(o: SeriesOccurrence, statuses: list[str]) -> OccurrenceOut:
    return OccurrenceOut(
        id=o.pk,
        index=o.index,
        post_id=o.post_id,
        local_time=o.local_time,
        skipped=o.skipped,
        edited=o.edited,
        statuses=sorted(statuses),
    )


def _rule(body: SeriesIn) -> str:
    if (body.rrule is None) == (body.repeat is None):
        raise ActionError(_("Give either rrule or repeat."), code="rule_required", status=422)
    if body.rrule is not None:
        return body.rrule
    assert body.repeat is not None
    until = None
    if body.repeat.until:
        try:
            until = datetime.strptime(body.repeat.until, "%Y-%m-%d").date()
        except ValueError:
            raise ActionError(
                _("The end date %(value)s does not exist.") % {"value": body.repeat.until},
                code="invalid_date",
                status=422,
            ) from None
    try:
        return Repeat(
            frequency=body.repeat.frequency,
            interval=body.repeat.interval,
            weekdays=tuple(body.repeat.weekdays),
            count=body.repeat.count,
            until=until,
        ).rule()
    except RecurrenceError as error:
        raise ActionError(
            series_actions.recurrence_message(error), code="invalid_rrule", status=422
        ) from None


@router.post(
    "/workspaces/{workspace}/posts/{post_id}/series",
    response={201: SeriesOut, 409: Any},
)
def create_series(request: HttpRequest, workspace: str, post_id: Id, body: SeriesIn) -> Any:
    """Repeat the post: it becomes the first occurrence, each further one a copy, all
    scheduled. The rule must end (COUNT or UNTIL), at most 366 occurrences within two
    years."""
    membership = request.membership
    post = access_post(membership, post_id)
    rule = _rule(body)
    first = parse_wall_time(body.first, membership.workspace.time_zone)
    try:
        series = series_actions.do_create_series(
            membership, post, rule, first, confirm_duplicate=body.confirm_duplicate
        )
    except near_duplicates.NearDuplicate as error:
        return _duplicate_answer(error)
    return Status(201, _series_out(series))


@router.get("/workspaces/{workspace}/series/{series_id}", response=SeriesOut)
def get_series(request: HttpRequest, workspace: str, series_id: Id) -> SeriesOut:
    """The series with its occurrences."""
    return _series_out(access_series(request.membership, series_id))


@router.patch("/workspaces/{workspace}/occurrences/{occurrence_id}", response=list[OccurrenceOut])
def edit_occurrence(
    request: HttpRequest, workspace: str, occurrence_id: Id, body: OccurrenceEditIn
) -> list[OccurrenceOut]:
    """Change one occurrence or it and all following: text, time (the following moved by
    the same difference) or skip. Occurrences already sent are left as they are."""
    membership = request.membership
    occurrence = access_occurrence(membership, occurrence_id)
    wall = parse_wall_time(body.at, occurrence.series.time_zone) if body.at is not None else None
    changed = series_actions.do_edit_occurrence(
        membership,
        occurrence,
        text=body.text,
        wall_time=wall,
        skip=body.skip,
        following=body.following,
    )
    statuses: dict[int, list[str]] = {}
    for post_id, status in Publication.objects.filter(
        post_id__in=[o.post_id for o in changed]
    ).values_list("post_id", "status"):
        statuses.setdefault(post_id, []).append(status)
    return [_occurrence_out(o, statuses.get(o.post_id, [])) for o in changed]


def _evergreen_out(post_id: int, evergreen: Evergreen | None) -> EvergreenOut:
    if evergreen is None:
        return EvergreenOut(
            post_id=post_id,
            enabled=False,
            state="off",
            min_gap_days=30,
            max_reposts=3,
            reposts=0,
            last_error="",
            repost_ids=[],
        )
    return EvergreenOut(
        post_id=post_id,
        enabled=evergreen.state != "stopped",
        state=evergreen.state,
        min_gap_days=evergreen.min_gap_days,
        max_reposts=evergreen.max_reposts,
        reposts=evergreen.reposts,
        last_error=evergreen.last_error,
        repost_ids=list(evergreen.copies.values_list("post_id", flat=True)),
    )


@router.get("/workspaces/{workspace}/posts/{post_id}/evergreen", response=EvergreenOut)
def get_evergreen(request: HttpRequest, workspace: str, post_id: Id) -> EvergreenOut:
    post = access_post(request.membership, post_id)
    return _evergreen_out(post.pk, access_evergreen(request.membership, post))


@router.put("/workspaces/{workspace}/posts/{post_id}/evergreen", response=EvergreenOut)
def set_evergreen(
    request: HttpRequest, workspace: str, post_id: Id, body: EvergreenIn
) -> EvergreenOut:
    """Mark the post as evergreen (a copy queued once the last one is older than the gap,
    until the maximum of reposts), or stop it with enabled: false."""
    post = access_post(request.membership, post_id)
    evergreen = evergreen_actions.do_set_evergreen(
        request.membership,
        post,
        enabled=body.enabled,
        min_gap_days=body.min_gap_days,
        max_reposts=body.max_reposts,
    )
    return _evergreen_out(post.pk, evergreen)
