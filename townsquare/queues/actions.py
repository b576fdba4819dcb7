"""Writes of the queues app: slots, adding to the queue, series and evergreen posts.

Every function checks the role, runs in a transaction and records an audit event;
scheduling itself goes through publishing's `do_schedule_post` (the past refused, every
variant checked), so a queued post, an occurrence and a repost are ordinary posts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from townsquare.audit.record import record
from townsquare.content.models import Post, PostMedia, Variant
from townsquare.lib.errors import ActionError
from townsquare.lib.local_time import in_zone
from townsquare.networks.models import SocialAccount
from townsquare.publishing.models import Publication
from townsquare.publishing.schedule import EDITABLE, Status, local_to_utc, utc_to_local
from townsquare.queues.models import (
    Evergreen,
    EvergreenRepost,
    Series,
    SeriesOccurrence,
    Slot,
)
from townsquare.queues.recurrence import (
    MAX_OCCURRENCES,
    MAX_SPAN_DAYS,
    RecurrenceError,
    expand,
    normalise,
    parse_wall,
    wall_key,
    weekly_slot_times,
)
from townsquare.queues.similarity import THRESHOLD, similarity
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm

# How far ahead the queue looks for a free slot.
QUEUE_HORIZON_DAYS = 366
# A slot this close to now is not taken: the post would be late before it is saved.
QUEUE_LEAD = timedelta(minutes=2)
# The window around a post's time in which a similar post to the same account is a
# near-duplicate.
DUPLICATE_WINDOW = timedelta(days=30)
MAX_SLOTS_PER_ACCOUNT = 100
# What a publication of the account at a slot's time means: the slot is taken.
TAKING = (
    Status.SCHEDULED,
    Status.PUBLISHING,
    Status.PUBLISHED,
    Status.BY_HAND,
    Status.UNKNOWN,
)


# --- slots ----------------------------------------------------------------------------------
def _check_account(membership: Membership, account: SocialAccount) -> None:
    if account.workspace_id != membership.workspace_id or account.removed_at is not None:
        raise ActionError(_("Choose an account of this workspace."), code="unknown_account")


@transaction.atomic
def do_add_slot(membership: Membership, account: SocialAccount, weekday: int, at: time) -> Slot:
    require(membership, Perm.SCHEDULE_POSTS)
    _check_account(membership, account)
    if not isinstance(weekday, int) or not 0 <= weekday <= 6:
        raise ActionError(
            _("Choose a weekday (Monday to Sunday)."), code="invalid_weekday", status=422
        )
    at = at.replace(second=0, microsecond=0, tzinfo=None)
    if Slot.objects.filter(account=account, weekday=weekday, time=at).exists():
        raise ActionError(
            _("This account already has a slot at that time."), code="slot_exists", status=409
        )
    if Slot.objects.filter(account=account).count() >= MAX_SLOTS_PER_ACCOUNT:
        raise ActionError(
            _("An account has at most %(max)s slots.") % {"max": MAX_SLOTS_PER_ACCOUNT},
            code="too_many_slots",
            status=422,
        )
    slot = Slot.objects.create(
        workspace=membership.workspace, account=account, weekday=weekday, time=at
    )
    record(
        actor=membership.user,
        action="queue.slot_add",
        target=slot,
        workspace=membership.workspace,
        after={"account": account.pk, "weekday": weekday, "time": at.strftime("%H:%M")},
    )
    return slot


@transaction.atomic
def do_remove_slot(membership: Membership, slot: Slot) -> None:
    require(membership, Perm.SCHEDULE_POSTS)
    if slot.workspace_id != membership.workspace_id:
        raise ActionError(_("Choose a slot of this workspace."), code="unknown_slot")
    record(
        actor=membership.user,
        action="queue.slot_remove",
        target=slot,
        workspace=membership.workspace,
        before={
            "account": slot.account_id,
            "weekday": slot.weekday,
            "time": slot.time.strftime("%H:%M"),
        },
    )
    slot.delete()


def plan_cadence(membership: Membership) -> dict[str, tuple[list[int], list[time]]]:
    """Preferred days and times per network from the workspace's plan (not a campaign's)."""
    from townsquare.planning.models import NetworkPlan

    out: dict[str, tuple[list[int], list[time]]] = {}
    rows = NetworkPlan.objects.filter(
        plan__workspace=membership.workspace, plan__campaign__isnull=True
    )
    for row in rows:
        days = sorted({d for d in row.preferred_days or [] if isinstance(d, int) and 0 <= d <= 6})
        times = []
        for text in row.preferred_times or []:
            try:
                times.append(datetime.strptime(str(text), "%H:%M").time())
            except ValueError:
                continue
        if days and times:
            out[row.network] = (days, sorted(set(times)))
    return out


@transaction.atomic
def do_fill_slots_from_plan(
    membership: Membership, accounts: Iterable[SocialAccount] | None = None
) -> list[Slot]:
    """Add a slot for each preferred day and time of the plan's network, for every account
    (or the ones given); slots already there stay. Nothing in the plan: a clear refusal."""
    require(membership, Perm.SCHEDULE_POSTS)
    cadence = plan_cadence(membership)
    if not cadence:
        raise ActionError(
            _(
                "The plan names no preferred days and times yet. Add them to the plan's "
                "cadence, or add slots by hand."
            ),
            code="plan_without_cadence",
            status=422,
        )
    if accounts is None:
        accounts = SocialAccount.objects.filter(workspace=membership.workspace)
    created = []
    for account in accounts:
        _check_account(membership, account)
        if account.network not in cadence:
            continue
        days, times = cadence[account.network]
        existing = set(Slot.objects.filter(account=account).values_list("weekday", "time"))
        for day in days:
            for at in times:
                if (day, at) in existing:
                    continue
                created.append(
                    Slot.objects.create(
                        workspace=membership.workspace, account=account, weekday=day, time=at
                    )
                )
    record(
        actor=membership.user,
        action="queue.slots_from_plan",
        target=membership.workspace,
        workspace=membership.workspace,
        after={"slots": len(created)},
    )
    return created


# --- near-duplicates ------------------------------------------------------------------------
@dataclass(frozen=True)
class Duplicate:
    post_id: int
    account: str
    when: datetime
    published: bool
    score: float

    def describe(self, workspace: Any) -> str:
        if self.published:
            text = _("post %(id)s to %(account)s, published %(time)s")
        else:
            text = _("post %(id)s to %(account)s, scheduled for %(time)s")
        return text % {
            "id": self.post_id,
            "account": self.account,
            "time": in_zone(self.when, workspace),
        }


class NearDuplicate(ActionError):
    """The post is very like another one to the same account within 30 days."""

    def __init__(self, message: str, duplicates: list[Duplicate]) -> None:
        super().__init__(message, code="near_duplicate", status=409)
        self.duplicates = duplicates


def _family(post: Post) -> set[int]:
    """Posts that are meant to be alike: the occurrences of its series, the reposts of its
    evergreen original."""
    ids = {post.pk}
    occurrence = SeriesOccurrence.objects.filter(post=post).first()
    if occurrence is not None:
        ids.update(
            SeriesOccurrence.objects.filter(series_id=occurrence.series_id).values_list(
                "post_id", flat=True
            )
        )
    copy = EvergreenRepost.objects.filter(post=post).select_related("evergreen").first()
    original = copy.evergreen if copy else Evergreen.objects.filter(post=post).first()
    if original is not None:
        ids.add(original.post_id)
        ids.update(original.copies.values_list("post_id", flat=True))
    return ids


def find_near_duplicates(post: Post, due: datetime) -> list[Duplicate]:
    """Posts to the same accounts, published or scheduled within 30 days either side of
    `due`, whose text scores at least similarity.THRESHOLD against this post's."""
    accounts = list(
        post.variants.filter(account__removed_at=None).values_list("account_id", flat=True)
    )
    if not accounts:
        return []
    lo, hi = due - DUPLICATE_WINDOW, due + DUPLICATE_WINDOW
    pubs = (
        Publication.objects.filter(
            workspace=post.workspace, account_id__in=accounts, status__in=list(TAKING)
        )
        .filter(Q(due_at__range=(lo, hi)) | Q(published_at__range=(lo, hi)))
        .exclude(post_id__in=_family(post))
        .select_related("post", "account")
        .order_by("-due_at")[:500]
    )
    found: list[Duplicate] = []
    scores: dict[int, float] = {}
    for pub in pubs:
        if pub.post_id not in scores:
            scores[pub.post_id] = similarity(post.master_text, pub.post.master_text)
        score = scores[pub.post_id]
        if score >= THRESHOLD:
            published = pub.status == Status.PUBLISHED
            when = (pub.published_at if published else pub.due_at) or pub.due_at or due
            found.append(Duplicate(pub.post_id, str(pub.account), when, published, score))
    found.sort(key=lambda d: -d.score)
    return found


def check_near_duplicates(post: Post, due: datetime, *, confirmed: bool) -> None:
    """Refuse (NearDuplicate, 409) unless the person said "schedule anyway"."""
    if confirmed:
        return
    duplicates = find_near_duplicates(post, due)
    if duplicates:
        raise NearDuplicate(
            _(
                "This post is very similar to %(other)s. Change it, or confirm that it "
                "should be scheduled anyway."
            )
            % {"other": duplicates[0].describe(post.workspace)},
            duplicates,
        )


# --- the queue ------------------------------------------------------------------------------
def _queue_accounts(post: Post) -> list[SocialAccount]:
    accounts = [
        v.account for v in post.variants.select_related("account").filter(account__removed_at=None)
    ]
    if not accounts:
        raise ActionError(_("Choose at least one account first."), code="accounts_required")
    return accounts


def next_free_slot(post: Post, *, after: datetime | None = None) -> tuple[datetime, datetime]:
    """(wall time, UTC instant) of the next slot free on every account of the post."""
    workspace = post.workspace
    zone = workspace.time_zone
    accounts = _queue_accounts(post)
    per_account: dict[int, set[tuple[int, time]]] = {a.pk: set() for a in accounts}
    for slot in Slot.objects.filter(account__in=accounts):
        per_account[slot.account_id].add((slot.weekday, slot.time))
    bare = [a for a in accounts if not per_account[a.pk]]
    if bare:
        raise ActionError(
            ngettext(
                "%(accounts)s has no posting slots. Add slots under Settings > Queue "
                "(or fill them from the plan's preferred days and times), or choose a time.",
                "%(accounts)s have no posting slots. Add slots under Settings > Queue "
                "(or fill them from the plan's preferred days and times), or choose a time.",
                len(bare),
            )
            % {"accounts": ", ".join(str(a) for a in bare)},
            code="no_slots",
            status=422,
        )
    common = set.intersection(*per_account.values())
    if not common:
        raise ActionError(
            _(
                "The accounts of this post have no posting slot in common. Give them a "
                "common slot under Settings > Queue, or choose a time."
            ),
            code="no_common_slot",
            status=422,
        )
    now = after or timezone.now()
    earliest = now + QUEUE_LEAD
    start = utc_to_local(now, zone).date()
    horizon = now + timedelta(days=QUEUE_HORIZON_DAYS + 1)
    taken = set(
        Publication.objects.filter(
            account__in=accounts,
            status__in=list(TAKING),
            due_at__gte=now,
            due_at__lte=horizon,
        )
        .exclude(post=post)
        .values_list("due_at", flat=True)
    )
    for wall, _index in weekly_slot_times(start, QUEUE_HORIZON_DAYS + 1, sorted(common)):
        local = local_to_utc(wall, zone)
        if local.utc < earliest or local.utc in taken:
            continue
        return local.wall, local.utc
    raise ActionError(
        _("Every posting slot of the next year is taken. Add slots, or choose a time."),
        code="queue_full",
        status=422,
    )


@transaction.atomic
def do_add_to_queue(
    membership: Membership, post: Post, *, confirm_duplicate: bool = False
) -> list[Publication]:
    """Schedule the post at the next slot that is free on every account of it (a slot is
    taken when a publication of that account is due at it) and in the future. Returns the
    scheduled publications; their `local_due` is the chosen wall time."""
    from townsquare.publishing.actions import do_schedule_post

    require(membership, Perm.SCHEDULE_POSTS)
    if post.workspace_id != membership.workspace_id:
        raise ActionError(_("Choose a post of this workspace."), code="unknown_post")
    # One queue at a time per workspace: two posts added at once do not take the same slot.
    type(membership.workspace).objects.select_for_update().filter(
        pk=membership.workspace_id
    ).first()
    wall, due = next_free_slot(post)
    check_near_duplicates(post, due, confirmed=confirm_duplicate)
    pubs = do_schedule_post(membership, post, wall, membership.workspace.time_zone)
    record(
        actor=membership.user,
        action="queue.add",
        target=post,
        workspace=membership.workspace,
        after={"local": wall.isoformat(timespec="minutes")},
    )
    return pubs


@transaction.atomic
def do_schedule_checked(
    membership: Membership,
    post: Post,
    wall_time: datetime | None,
    time_zone: str | None = None,
    *,
    confirm_duplicate: bool = False,
) -> list[Publication]:
    """`do_schedule_post` with the near-duplicate check first (composer, API)."""
    from townsquare.publishing.actions import do_schedule_post

    zone = time_zone or membership.workspace.time_zone
    due = timezone.now() if wall_time is None else local_to_utc(wall_time, zone).utc
    check_near_duplicates(post, due, confirmed=confirm_duplicate)
    return do_schedule_post(membership, post, wall_time, zone)


# --- copies ---------------------------------------------------------------------------------
COPIED_VARIANT_FIELDS = (
    "text",
    "parts",
    "content_warning",
    "edited_by_hand",
    "adapted_from",
    "changes",
    "warnings",
    "problems",
    "link_card_url",
)


def copy_post(membership: Membership | None, post: Post, author: Any = None) -> Post:
    """A new draft with the post's text, plan fields, variants and media."""
    from townsquare.media.actions import do_record_usage

    copy = Post.objects.create(
        workspace=post.workspace,
        master_text=post.master_text,
        language=post.language,
        link_url=post.link_url,
        hashtags=list(post.hashtags),
        hashtag_sets=list(post.hashtag_sets),
        content_warning=post.content_warning,
        campaign_id=post.campaign_id,
        pillar_id=post.pillar_id,
        audience_id=post.audience_id,
        created_by=author if author is not None else post.created_by,
    )
    for variant in post.variants.filter(account__removed_at=None):
        Variant.objects.create(
            post=copy,
            account_id=variant.account_id,
            **{name: getattr(variant, name) for name in COPIED_VARIANT_FIELDS},
        )
    for attachment in post.attachments.select_related("asset"):
        PostMedia.objects.create(post=copy, asset=attachment.asset, position=attachment.position)
        do_record_usage(membership, attachment.asset, delta=1)
    # With approvals on, a copy that says exactly what was approved is approved too;
    # anything else goes through review like any post.
    from townsquare.approvals.review_actions import inherit_approval

    inherit_approval(post, copy)
    return copy


# --- series ---------------------------------------------------------------------------------
def recurrence_message(error: RecurrenceError) -> str:
    facts = error.facts
    if error.code == "no_end":
        return _(
            "A repeating post needs an end: after a number of times (COUNT) or on a date (UNTIL)."
        )
    if error.code == "too_many":
        return _(
            "This rule makes %(count)s posts; a series has at most %(max)s. End it sooner."
        ) % {"count": facts.get("count", "?"), "max": MAX_OCCURRENCES}
    if error.code == "too_long":
        return _("A series may span at most two years (%(days)s days). End it sooner.") % {
            "days": MAX_SPAN_DAYS
        }
    if error.code == "frequency":
        return _("Repeat daily, weekly, monthly or yearly; %(frequency)s is not offered.") % {
            "frequency": facts.get("frequency", "")
        }
    if error.code == "none":
        return _("This rule makes no posts at all. Check the days and the end.")
    if error.code == "too_long_text":
        return _("A repeat rule has at most %(max)s characters.") % {"max": facts.get("max")}
    return _(
        "The repeat rule could not be read (%(detail)s). Write it as in RFC 5545, "
        "for example FREQ=WEEKLY;BYDAY=MO;COUNT=8."
    ) % {"detail": facts.get("detail", "")}


def expand_rule(rule: str, first: datetime, zone: str) -> list[Any]:
    try:
        return expand(rule, first, zone)
    except RecurrenceError as error:
        raise ActionError(recurrence_message(error), code="invalid_rrule", status=422) from None


@transaction.atomic
def do_create_series(
    membership: Membership,
    post: Post,
    rule: str,
    first: datetime,
    *,
    confirm_duplicate: bool = False,
) -> Series:
    """Repeat the post: it becomes the first occurrence, and each further occurrence is a
    copy of it (variants, media, campaign, pillar, audience), all scheduled at their wall
    times in the workspace's zone."""
    from townsquare.publishing.actions import do_schedule_post

    require(membership, Perm.SCHEDULE_POSTS)
    if post.workspace_id != membership.workspace_id:
        raise ActionError(_("Choose a post of this workspace."), code="unknown_post")
    if SeriesOccurrence.objects.filter(post=post).exists():
        raise ActionError(
            _("This post already repeats. Change its series instead."),
            code="already_repeating",
            status=409,
        )
    zone = membership.workspace.time_zone
    first = first.replace(second=0, microsecond=0, tzinfo=None)
    try:
        stored = normalise(rule)
    except RecurrenceError as error:
        raise ActionError(recurrence_message(error), code="invalid_rrule", status=422) from None
    times = expand_rule(stored, first, zone)
    check_near_duplicates(post, times[0].utc, confirmed=confirm_duplicate)
    series = Series.objects.create(
        workspace=membership.workspace,
        rrule=stored,
        first_local=wall_key(first),
        time_zone=zone,
        created_by=membership.user,
    )
    for index, local in enumerate(times):
        target = post if index == 0 else copy_post(membership, post, membership.user)
        SeriesOccurrence.objects.create(
            series=series, post=target, index=index, local_time=wall_key(local.wall)
        )
        do_schedule_post(membership, target, local.wall, zone)
    record(
        actor=membership.user,
        action="series.create",
        target=series,
        workspace=membership.workspace,
        after={"rrule": stored, "first": wall_key(first), "occurrences": len(times)},
    )
    return series


def _editable(post: Post) -> bool:
    statuses = set(post.publications.values_list("status", flat=True))
    return all(s in EDITABLE for s in statuses)


@transaction.atomic
def do_edit_occurrence(
    membership: Membership,
    occurrence: SeriesOccurrence,
    *,
    text: str | None = None,
    wall_time: datetime | None = None,
    skip: bool | None = None,
    following: bool = False,
) -> list[SeriesOccurrence]:
    """Change one occurrence, or it and all following: the text, the time (for following
    ones moved by the same wall-clock difference), or skip (its publications cancelled) /
    take back a skip. Occurrences already sent are left as they are."""
    from townsquare.content.actions import PostInput, do_save_post
    from townsquare.publishing.actions import do_cancel_schedule, do_schedule_post

    require(membership, Perm.SCHEDULE_POSTS)
    series = occurrence.series
    if series.workspace_id != membership.workspace_id:
        raise ActionError(_("Choose a post of this workspace."), code="unknown_post")
    if text is None and wall_time is None and skip is None:
        raise ActionError(
            _("Say what to change: the text, the time, or skip."), code="nothing_to_change"
        )
    if not _editable(occurrence.post):
        raise ActionError(
            _("This occurrence has already been sent and cannot be changed."),
            code="not_editable",
            status=409,
        )
    targets = [occurrence]
    if following:
        later = series.occurrences.filter(index__gt=occurrence.index).select_related("post")
        targets += [o for o in later if _editable(o.post)]
    delta = None
    if wall_time is not None:
        delta = wall_time.replace(second=0, microsecond=0, tzinfo=None) - parse_wall(
            occurrence.local_time
        )
    zone = series.time_zone
    for target in targets:
        post = target.post
        if text is not None:
            do_save_post(
                membership,
                PostInput(
                    text=text,
                    language=post.language,
                    link_url=post.link_url,
                    hashtags=tuple(post.hashtags),
                    hashtag_sets=tuple(post.hashtag_sets),
                    content_warning=post.content_warning,
                    media_ids=tuple(post.attachments.values_list("asset_id", flat=True)),
                ),
                list(post.variants.values_list("account_id", flat=True)),
                post=post,
            )
        if delta is not None:
            target.local_time = wall_key(parse_wall(target.local_time) + delta)
        if skip is not None:
            target.skipped = skip
        target.edited = True
        target.save()
        if target.skipped:
            if post.publications.filter(status=Status.SCHEDULED).exists():
                do_cancel_schedule(membership, post)
        elif delta is not None or skip is False or text is not None:
            do_schedule_post(membership, post, parse_wall(target.local_time), zone)
    record(
        actor=membership.user,
        action="series.edit",
        target=series,
        workspace=membership.workspace,
        after={
            "from": occurrence.index,
            "following": following,
            "occurrences": [t.index for t in targets],
            "text": text is not None,
            "time": wall_key(wall_time) if wall_time else None,
            "skip": skip,
        },
    )
    return targets


# --- evergreen ------------------------------------------------------------------------------
MAX_GAP_DAYS = 3650
MAX_REPOSTS = 100


@transaction.atomic
def do_set_evergreen(
    membership: Membership,
    post: Post,
    *,
    enabled: bool,
    min_gap_days: int = 30,
    max_reposts: int = 3,
) -> Evergreen | None:
    require(membership, Perm.SCHEDULE_POSTS)
    if post.workspace_id != membership.workspace_id:
        raise ActionError(_("Choose a post of this workspace."), code="unknown_post")
    current = Evergreen.objects.select_for_update().filter(post=post).first()
    if not enabled:
        if current is not None:
            current.state = "stopped"
            current.save()
            record(
                actor=membership.user,
                action="evergreen.stop",
                target=post,
                workspace=membership.workspace,
            )
        return current
    if EvergreenRepost.objects.filter(post=post).exists():
        raise ActionError(
            _("This post is a repost of an evergreen post; change the original instead."),
            code="evergreen_copy",
            status=409,
        )
    if not 1 <= min_gap_days <= MAX_GAP_DAYS:
        raise ActionError(
            _("The gap is 1 to %(max)s days.") % {"max": MAX_GAP_DAYS},
            code="invalid_gap",
            status=422,
        )
    if not 1 <= max_reposts <= MAX_REPOSTS:
        raise ActionError(
            _("Reposts: 1 to %(max)s.") % {"max": MAX_REPOSTS},
            code="invalid_max_reposts",
            status=422,
        )
    evergreen = current or Evergreen(workspace=membership.workspace, post=post)
    evergreen.min_gap_days = min_gap_days
    evergreen.max_reposts = max_reposts
    evergreen.set_by = membership.user
    evergreen.state = "done" if evergreen.reposts >= max_reposts else "active"
    evergreen.last_error = ""
    evergreen.save()
    record(
        actor=membership.user,
        action="evergreen.set",
        target=post,
        workspace=membership.workspace,
        after={"min_gap_days": min_gap_days, "max_reposts": max_reposts},
    )
    return evergreen


def _last_time(post_ids: Sequence[int]) -> tuple[datetime | None, bool]:
    """(when the family last went out, whether one is still waiting to go out)."""
    pubs = Publication.objects.filter(post_id__in=list(post_ids))
    waiting = pubs.filter(
        status__in=[Status.SCHEDULED, Status.PUBLISHING, Status.BY_HAND, Status.UNKNOWN]
    ).exists()
    last = (
        pubs.filter(status=Status.PUBLISHED)
        .exclude(published_at=None)
        .order_by("-published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    return last, waiting


def _evergreen_url(evergreen: Evergreen) -> str:
    from django.urls import reverse

    return reverse(
        "queues_post",
        kwargs={"workspace": evergreen.workspace.slug, "post_id": evergreen.post_id},
    )


def _queue_or_submit(membership: Membership, copy: Post) -> None:
    """Queue an evergreen repost; where the workspace wants approval and the copy has none
    of its own (the original was never approved as it is), it goes to review with its
    slot proposed, so an approver decides instead of the repost failing."""
    from townsquare.approvals.gate import approval_missing
    from townsquare.approvals.review_actions import do_submit_for_review

    if approval_missing(copy) is None:
        do_add_to_queue(membership, copy, confirm_duplicate=True)
        return
    wall, _due = next_free_slot(copy)
    do_submit_for_review(membership, copy, wall, membership.workspace.time_zone)


def requeue_evergreen(now: datetime | None = None) -> int:
    """Queue a copy of every active evergreen post whose last publication is older than
    its gap. A refusal (no slots, a member gone) stops it in the "needs attention" state
    with a notification, never a silent retry. Returns how many copies were queued."""
    now = now or timezone.now()
    language = translation.get_language()
    try:
        return _requeue_each(now)
    finally:
        if language:
            translation.activate(language)
        else:
            translation.deactivate()


def _requeue_each(now: datetime) -> int:
    from townsquare.notifications.notify import notify

    queued = 0
    for evergreen_id in Evergreen.objects.filter(state="active").values_list("pk", flat=True):
        with transaction.atomic():
            evergreen = (
                Evergreen.objects.select_for_update()
                .select_related("post", "workspace")
                .filter(pk=evergreen_id, state="active")
                .first()
            )
            if evergreen is None:
                continue
            # What the job says (refusals, notifications) is in the workspace's language.
            translation.activate(evergreen.workspace.language)
            family = [evergreen.post_id, *evergreen.copies.values_list("post_id", flat=True)]
            last, waiting = _last_time(family)
            if waiting or last is None or now - last < timedelta(days=evergreen.min_gap_days):
                continue
            if evergreen.reposts >= evergreen.max_reposts:
                evergreen.state = "done"
                evergreen.save()
                continue
            membership = Membership.objects.filter(
                workspace=evergreen.workspace, user_id=evergreen.set_by_id
            ).first()
            try:
                with transaction.atomic():
                    if membership is None:
                        raise ActionError(
                            _(
                                "The person who made this post evergreen is no longer a "
                                "member; set it again."
                            ),
                            code="evergreen_owner_gone",
                        )
                    copy = copy_post(membership, evergreen.post, membership.user)
                    _queue_or_submit(membership, copy)
                    EvergreenRepost.objects.create(evergreen=evergreen, post=copy)
            except (ActionError, PermissionError) as error:
                message = getattr(error, "message", str(error))
                evergreen.state = "error"
                evergreen.last_error = message
                evergreen.save()
                notify(
                    evergreen.workspace,
                    kind="evergreen_failed",
                    title=_("An evergreen post could not be queued again"),
                    body=message,
                    url=_evergreen_url(evergreen),
                    also=[evergreen.set_by] if evergreen.set_by else (),
                )
                continue
            except Exception as error:  # a refused role is a PermissionDenied
                from django.core.exceptions import PermissionDenied

                if not isinstance(error, PermissionDenied):
                    raise
                evergreen.state = "error"
                evergreen.last_error = _("The person who set it may no longer schedule posts.")
                evergreen.save()
                notify(
                    evergreen.workspace,
                    kind="evergreen_failed",
                    title=_("An evergreen post could not be queued again"),
                    body=evergreen.last_error,
                    url=_evergreen_url(evergreen),
                )
                continue
            evergreen.reposts += 1
            if evergreen.reposts >= evergreen.max_reposts:
                evergreen.state = "done"
            evergreen.save()
            record(
                actor=None,
                action="evergreen.repost",
                target=copy,
                workspace=evergreen.workspace,
                after={"original": evergreen.post_id, "repost": evergreen.reposts},
            )
            queued += 1
    return queued
