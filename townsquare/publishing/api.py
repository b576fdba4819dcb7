"""API for publishing: schedule or publish a post now, cancel, follow each publication and
its attempts, settle an outcome the network did not confirm, and mark a post that was due on
a network without a connector as posted by hand (with its address) or as not posted.

Times: `at` is the wall-clock time the person means ("2026-12-01T09:30") in `time_zone`
(the workspace's zone when left out), so 09:30 stays 09:30 across daylight-saving changes.
A time with an offset ("...T09:30+01:00" or "Z") is read as that instant and shown in the
zone. Seconds are dropped: posts are planned to the minute. A time more than a minute in
the past is refused (the caller probably made a mistake; leaving `at` out publishes now);
within that minute it goes out at once, so a clock that is slightly off is not an error.
Only a missing (or null) `at` publishes now; an empty string is refused like any other
malformed time.
"""

from __future__ import annotations

import re
import zoneinfo
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field, StrictBool

from townsquare.content.access import access_post
from townsquare.lib.bounds import Id, Limit500
from townsquare.lib.errors import ActionError
from townsquare.publishing import actions, reminder_actions
from townsquare.publishing.access import access_publication, access_publications
from townsquare.publishing.models import Attempt, Publication
from townsquare.publishing.schedule import Status, local_to_utc, utc_to_local

router = Router(tags=["publishing"])

WALL_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?", re.IGNORECASE
)


class ScheduleIn(Schema):
    at: str | None = Field(
        None,
        max_length=40,
        description="Wall-clock time in time_zone, e.g. 2026-12-01T09:30. Leave out to "
        "publish now.",
    )
    time_zone: str | None = Field(
        None, max_length=64, description="IANA zone, e.g. Europe/Berlin; the workspace's zone"
    )
    confirm_duplicate: StrictBool = Field(
        False,
        description="Schedule even when a very similar post went (or goes) to the same "
        "account within 30 days; without it such a post is a 409 near_duplicate",
    )


class SettleIn(Schema):
    published: bool = Field(description="true: it is on the network; false: send it again")
    url: str = Field("", max_length=2000, description="Its address on the network, if known")


class MarkPostedIn(Schema):
    url: str = Field(
        max_length=reminder_actions.MAX_URL_LENGTH,
        description="The post's address on the network, a full http(s) address",
    )


STATUS_DESCRIPTION = (
    "draft, scheduled, publishing, published, failed, unknown (the network did not confirm "
    "it: settle it), cancelled, or by_hand: due on a network Townsquare cannot publish to "
    "itself, so a person was reminded to post it by hand; mark it with "
    "POST .../publications/{publication_id}/posted (its address) or .../not-posted."
)


class PublicationAccountOut(Schema):
    id: int
    network: str
    handle: str


class AttemptOut(Schema):
    id: int
    kind: str
    part_index: int
    started_at: datetime
    finished_at: datetime | None
    outcome: str
    error_class: str
    message: str


class PublicationOut(Schema):
    id: int
    post_id: int
    account: PublicationAccountOut
    status: str = Field(description=STATUS_DESCRIPTION)
    due_at: datetime | None = Field(description="UTC")
    local_due: str = Field(description="The wall-clock time in time_zone, as it was chosen")
    time_zone: str
    external_url: str
    published_at: datetime | None
    error_code: str
    error_message: str
    needs_person: bool
    attempt_count: int = Field(description="Attempts to send (parts of a thread count each)")


class PublicationDetailOut(PublicationOut):
    attempts: list[AttemptOut]


class ScheduleOut(Schema):
    post_id: int
    due_at: datetime = Field(description="UTC")
    local_due: str
    time_zone: str
    notes: list[str] = Field(description="Daylight-saving adjustments, in words")
    publications: list[PublicationOut]


class CancelOut(Schema):
    post_id: int
    cancelled: int


def _out(pub: Publication) -> PublicationOut:
    return PublicationOut(
        id=pub.pk,
        post_id=pub.post_id,
        account=PublicationAccountOut(
            id=pub.account.pk, network=pub.account.network, handle=pub.account.handle
        ),
        status=pub.status,
        due_at=pub.due_at,
        local_due=pub.local_due,
        time_zone=pub.time_zone,
        external_url=pub.external_url,
        published_at=pub.published_at,
        error_code=pub.error_code,
        error_message=pub.error_message,
        needs_person=pub.needs_person,
        attempt_count=pub.attempt_count,
    )


def _attempt_out(a: Attempt) -> AttemptOut:
    return AttemptOut(
        id=a.pk,
        kind=a.kind,
        part_index=a.part_index,
        started_at=a.started_at,
        finished_at=a.finished_at,
        outcome=a.outcome,
        error_class=a.error_class,
        message=a.message,
    )


def clean_zone(name: str) -> str:
    if name not in zoneinfo.available_timezones():
        raise ActionError(
            _("Unknown time zone %(zone)s. Use an IANA name such as Europe/Berlin.")
            % {"zone": repr(name)},
            code="unknown_time_zone",
            status=422,
        )
    return name


def parse_wall_time(raw: str, zone: str) -> datetime:
    """The wall-clock time in `zone` meant by `raw` (see the module text)."""
    text = raw.strip()
    parsed = None
    if WALL_TIME.fullmatch(text):
        try:
            parsed = datetime.fromisoformat(text.upper().replace(" ", "T"))
        except ValueError:
            parsed = None  # e.g. 2026-02-30: the shape is right, the date does not exist
    if parsed is None:
        raise ActionError(
            _("Give the time as YYYY-MM-DDTHH:MM, e.g. 2026-12-01T09:30 (%(value)s is not).")
            % {"value": repr(raw[:40])},
            code="invalid_time",
            status=422,
        )
    if parsed.tzinfo is not None:
        parsed = utc_to_local(parsed, zone)
    return parsed


def dst_notes(wall: datetime, zone: str) -> list[str]:
    local = local_to_utc(wall, zone)
    shown = wall.strftime("%Y-%m-%d %H:%M")
    if local.shifted:
        actual = utc_to_local(local.utc, zone).strftime("%H:%M")
        return [
            _(
                "%(time)s does not exist in %(zone)s (the clocks go forward that night); "
                "it goes out at %(actual)s."
            )
            % {"time": shown, "zone": zone, "actual": actual}
        ]
    if local.ambiguous:
        return [
            _(
                "%(time)s happens twice in %(zone)s (the clocks go back that night); "
                "it goes out at the first."
            )
            % {"time": shown, "zone": zone}
        ]
    return []


@router.post("/workspaces/{workspace}/posts/{post_id}/schedule", response=ScheduleOut)
def schedule_post(
    request: HttpRequest, workspace: str, post_id: Id, body: ScheduleIn | None = None
) -> ScheduleOut:
    """Schedule every variant of the post for `at` (wall time in `time_zone`), or publish
    it now when `at` is left out (or there is no body). Scheduling again moves the time."""
    body = body or ScheduleIn()
    membership = request.membership
    post = access_post(membership, post_id)
    zone = clean_zone(body.time_zone or membership.workspace.time_zone)
    wall = None
    notes: list[str] = []
    # Only a missing `at` means now: an empty one is more likely a client's bug than a
    # wish to publish this instant, and a post that went out cannot be taken back.
    if body.at is not None:
        # The action refuses a time in the past (checked with its seconds) and drops them.
        wall = parse_wall_time(body.at, zone)
        notes = dst_notes(wall.replace(second=0, microsecond=0), zone)
    from townsquare.queues.queue_actions import do_schedule_checked  # queues build on publishing

    pubs = do_schedule_checked(
        membership, post, wall, zone, confirm_duplicate=body.confirm_duplicate
    )
    first = pubs[0]
    return ScheduleOut(
        post_id=post.pk,
        due_at=first.due_at,
        local_due=first.local_due,
        time_zone=first.time_zone,
        notes=notes,
        publications=[_out(p) for p in _with_accounts(pubs)],
    )


def _with_accounts(pubs: list[Publication]) -> QuerySet[Publication]:
    return Publication.objects.filter(pk__in=[p.pk for p in pubs]).select_related("account")


@router.post("/workspaces/{workspace}/posts/{post_id}/cancel", response=CancelOut)
def cancel_post(request: HttpRequest, workspace: str, post_id: Id) -> CancelOut:
    """Cancel the post's scheduled (and failed) publications; those already out stay."""
    membership = request.membership
    post = access_post(membership, post_id)
    return CancelOut(post_id=post.pk, cancelled=actions.do_cancel_schedule(membership, post))


@router.get("/workspaces/{workspace}/publications", response=list[PublicationOut])
def list_publications(
    request: HttpRequest,
    workspace: str,
    status: str | None = None,
    post_id: Id | None = None,
    limit: Limit500 = 100,
) -> list[PublicationOut]:
    """By due time, unscheduled last. `status`: one of draft, scheduled, publishing,
    published, failed, unknown, cancelled, by_hand."""
    rows = access_publications(request.membership)
    if status:
        if status not in {s.value for s in Status}:
            raise ActionError(
                _("Unknown status %(status)s; use one of %(choices)s.")
                % {"status": repr(status), "choices": ", ".join(s.value for s in Status)},
                code="invalid_status",
                status=422,
            )
        rows = rows.filter(status=status)
    if post_id is not None:
        rows = rows.filter(post_id=post_id)
    rows = rows.order_by(F("due_at").asc(nulls_last=True), "id")
    return [_out(p) for p in rows[:limit]]


@router.get("/workspaces/{workspace}/publications/{publication_id}", response=PublicationDetailOut)
def get_publication(
    request: HttpRequest, workspace: str, publication_id: Id
) -> PublicationDetailOut:
    pub = access_publication(request.membership, publication_id)
    return PublicationDetailOut(
        **_out(pub).model_dump(),
        attempts=[_attempt_out(a) for a in pub.attempts.all()],
    )


@router.post(
    "/workspaces/{workspace}/publications/{publication_id}/settle", response=PublicationOut
)
def settle_publication(
    request: HttpRequest, workspace: str, publication_id: Id, body: SettleIn
) -> PublicationOut:
    """For a publication of unknown outcome: someone looked on the network. `published`
    true records it as out (with its address if given); false sends it again."""
    membership = request.membership
    pub = access_publication(membership, publication_id)
    url = body.url.strip()
    if body.published and url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise ActionError(
                _("Enter the full address of the post, starting with https://."),
                code="invalid_url",
                status=422,
            ) from None
    settled = actions.do_settle_unknown(
        membership, pub, published=body.published, url=url if body.published else ""
    )
    return _out(_with_accounts([settled]).get())


@router.post(
    "/workspaces/{workspace}/publications/{publication_id}/posted", response=PublicationOut
)
def mark_posted(
    request: HttpRequest, workspace: str, publication_id: Id, body: MarkPostedIn
) -> PublicationOut:
    """For a publication waiting to be posted by hand (`by_hand`): it was posted, at `url`.
    It becomes published, and the reminders about it count as read."""
    membership = request.membership
    pub = access_publication(membership, publication_id)
    posted = reminder_actions.do_mark_posted(membership, pub, body.url)
    return _out(_with_accounts([posted]).get())


@router.post(
    "/workspaces/{workspace}/publications/{publication_id}/not-posted", response=PublicationOut
)
def mark_not_posted(request: HttpRequest, workspace: str, publication_id: Id) -> PublicationOut:
    """For a publication waiting to be posted by hand (`by_hand`): it was not posted and will
    not be. It is cancelled (error_code `not_posted`) and stays in the post's history;
    scheduling the post again brings a new reminder."""
    membership = request.membership
    pub = access_publication(membership, publication_id)
    cancelled = reminder_actions.do_mark_not_posted(membership, pub)
    return _out(_with_accounts([cancelled]).get())
