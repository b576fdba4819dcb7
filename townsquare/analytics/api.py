"""API of analytics: the overview's key figures for a period (each with the previous period),
the posts of a period with their newest counters, and one post's counters over time.

`period` is one of 7d, 28d (the default), 90d, this_month, last_month, this_quarter,
last_quarter or custom (then `start` and `end`, YYYY-MM-DD, at most two years); days are
the workspace's calendar days. A counter the network does not report is null, never 0.
"""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from townsquare.analytics import dashboards
from townsquare.analytics.access import access_post_snapshots, access_tracked_post
from townsquare.analytics.freshness import freshness
from townsquare.analytics.kpis.periods import Period
from townsquare.analytics.metric_names import POST_METRICS
from townsquare.analytics.models import TrackedPost
from townsquare.analytics.periods import PERIOD_KEYS, choose_period
from townsquare.analytics.readers_scope import Filters, posts_in, zone
from townsquare.lib.bounds import Id, Limit500
from townsquare.lib.errors import ActionError
from townsquare.networks.models import SocialAccount
from townsquare.planning.models import Campaign, Pillar
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm

router = Router(tags=["analytics"])

PERIOD_PROBLEMS = {
    "unknown_period": lambda: (
        _("period must be one of: %(keys)s.") % {"keys": ", ".join(PERIOD_KEYS)}
    ),
    "invalid_date": lambda: _(
        "A custom period needs start and end as YYYY-MM-DD, between 2000 and 2100."
    ),
    "end_before_start": lambda: _("end is before start."),
    "too_long": lambda: _("A custom period spans at most two years; ask for a shorter one."),
}


class PeriodOut(Schema):
    key: str
    start: date = Field(description="First local day, included")
    end: date = Field(description="Last local day, included")
    previous_start: date
    previous_end: date
    time_zone: str


class FreshnessOut(Schema):
    read_at: datetime | None = Field(
        description="The oldest last successful reading among the accounts read: every "
        "figure is at least this fresh (null: nothing read yet)"
    )
    newest_read_at: datetime | None
    accounts: int = Field(description="Accounts in view whose figures Townsquare reads")
    never_read: int = Field(description="Of those, not read yet")
    failing: int = Field(description="Of those, whose reading fails")
    not_collected: int = Field(description="Accounts on networks Townsquare does not read")
    problem_code: str
    problem: str


class KpiOut(Schema):
    key: str
    group: str = Field(description="visibility, community or care")
    label: str
    value: float | None = Field(description="null: not reported by the networks in scope")
    previous: float | None
    change_percent: float | None = Field(
        description="(value - previous) / previous in percent; null when either is unknown "
        "or previous is 0"
    )
    unit: str = Field(description="count, percent (0-100) or minutes")
    series: list[float | None] = Field(
        description="One value per day of the period, where the figure has a daily series"
    )
    definition: str


class OverviewOut(Schema):
    period: PeriodOut
    freshness: FreshnessOut
    kpis: list[KpiOut]


class CountersOut(Schema):
    impressions: int | None = None
    views: int | None = None
    reach: int | None = None
    likes: int | None = None
    reposts: int | None = None
    replies: int | None = None
    quotes: int | None = None
    saves: int | None = None
    link_clicks: int | None = None


class TrackedPostOut(Schema):
    id: int
    network: str
    account: int
    network_post_id: str
    post: int | None = Field(description="The Townsquare post it was published from, if any")
    published_at: datetime
    text_excerpt: str
    url: str
    source: str
    engagements: int
    metrics_at: datetime | None = Field(description="When its counters were read last")
    counters: CountersOut


class SnapshotOut(Schema):
    taken_at: datetime
    source: str
    counters: CountersOut


class TrackedPostDetailOut(TrackedPostOut):
    snapshots: list[SnapshotOut]


class AnalyticsScope(Schema):
    """The period and the filters every analytics read takes, as query parameters."""

    period: str = Field(
        "",
        description="A period key (7d, 28d, 90d, this_month, last_month, "
        "this_quarter, last_quarter, custom); empty: the last 28 days",
    )
    start: str = Field("", description="With period=custom: the first day, YYYY-MM-DD")
    end: str = Field("", description="With period=custom: the last day, YYYY-MM-DD")
    network: str = Field("", description="Only this network's accounts")
    account: Id | None = Field(None, description="Only this account")
    campaign: Id | None = Field(None, description="Only this campaign's posts")
    pillar: Id | None = Field(None, description="Only this content pillar's posts")


def scope_from_query(membership: Membership, scope: AnalyticsScope) -> tuple[str, Period, Filters]:
    """The period's key, the period and the filters, each checked (422 with the reason)."""
    key, found = period_from_query(membership, scope.period, scope.start, scope.end)
    filters = filters_from_query(
        membership, scope.network[:32], scope.account, scope.campaign, scope.pillar
    )
    return key, found, filters


def period_from_query(
    membership: Membership, period: str, start: str, end: str
) -> tuple[str, Period]:
    today = timezone.localtime(timezone.now(), zone(membership.workspace)).date()
    if "\x00" in period + start + end:
        raise ActionError(PERIOD_PROBLEMS["unknown_period"](), code="invalid_period", status=422)
    choice = choose_period(period, today, start, end)
    if choice.error:
        raise ActionError(PERIOD_PROBLEMS[choice.error](), code="invalid_period", status=422)
    return choice.key, choice.period


def filters_from_query(
    membership: Membership,
    network: str,
    account: int | None,
    campaign: int | None,
    pillar: int | None,
) -> Filters:
    workspace = membership.workspace
    if network and not SocialAccount.objects.filter(workspace=workspace, network=network).exists():
        raise ActionError(
            _("No account of this workspace is on that network."),
            code="unknown_network",
            status=422,
        )
    checks = (
        (
            account,
            SocialAccount,
            "unknown_account",
            _("There is no such account in this workspace."),
        ),
        (campaign, Campaign, "unknown_campaign", _("There is no such campaign in this workspace.")),
        (pillar, Pillar, "unknown_pillar", _("There is no such content pillar in this workspace.")),
    )
    for number, model, code, message in checks:
        if number is not None and not model.objects.filter(workspace=workspace, pk=number).exists():
            raise ActionError(message, code=code, status=422)
    return Filters(network=network, account_id=account, campaign_id=campaign, pillar_id=pillar)


def period_out(membership: Membership, key: str, found: Period) -> PeriodOut:
    previous = found.previous()
    return PeriodOut(
        key=key,
        start=found.start,
        end=found.end,
        previous_start=previous.start,
        previous_end=previous.end,
        time_zone=membership.workspace.time_zone,
    )


def _counters(row: object) -> CountersOut:
    return CountersOut(**{name: getattr(row, name) for name in POST_METRICS})


def _post_out(post: TrackedPost) -> dict[str, object]:
    return {
        "id": post.pk,
        "network": post.network,
        "account": post.account_id,
        "network_post_id": post.network_post_id,
        "post": post.publication.post_id if post.publication_id and post.publication else None,
        "published_at": post.published_at,
        "text_excerpt": post.text_excerpt,
        "url": post.url,
        "source": post.source,
        "engagements": post.engagements,
        "metrics_at": post.metrics_at,
        "counters": _counters(post),
    }


@router.get("/workspaces/{workspace}/analytics/overview", response=OverviewOut)
def get_overview(request: HttpRequest, workspace: str, scope: Query[AnalyticsScope]) -> OverviewOut:
    """The key figures of visibility, community and care, against the previous period."""
    membership: Membership = request.membership  # type: ignore[attr-defined]
    require(membership, Perm.VIEW_ANALYTICS)
    key, found, filters = scope_from_query(membership, scope)
    account_row = (
        SocialAccount.objects.filter(workspace=membership.workspace, pk=scope.account).first()
        if scope.account
        else None
    )
    fresh = freshness(membership, account=account_row, network=filters.network or None)
    return OverviewOut(
        period=period_out(membership, key, found),
        freshness=FreshnessOut(
            read_at=fresh.read_at,
            newest_read_at=fresh.newest_read_at,
            accounts=fresh.accounts,
            never_read=fresh.never_read,
            failing=fresh.failing,
            not_collected=fresh.not_collected,
            problem_code=fresh.problem_code,
            problem=fresh.problem,
        ),
        kpis=[
            KpiOut(
                key=tile.key,
                group=tile.group,
                label=tile.label,
                value=tile.value,
                previous=tile.previous,
                change_percent=tile.figure.change_percent,
                unit=tile.unit,
                series=list(tile.series),
                definition=tile.definition,
            )
            for tile in dashboards.overview(membership, found, filters).tiles
        ],
    )


@router.get("/workspaces/{workspace}/analytics/posts", response=list[TrackedPostOut])
def list_posts(
    request: HttpRequest,
    workspace: str,
    scope: Query[AnalyticsScope],
    limit: Limit500 = 100,
) -> list[dict[str, object]]:
    """The posts published in the period, most engaging first, with their newest counters."""
    membership: Membership = request.membership  # type: ignore[attr-defined]
    require(membership, Perm.VIEW_ANALYTICS)
    _key, found, filters = scope_from_query(membership, scope)
    posts = (
        posts_in(membership, found, filters)
        .select_related("publication")
        .order_by("-engagements", "-published_at", "-pk")[:limit]
    )
    return [_post_out(post) for post in posts]


@router.get(
    "/workspaces/{workspace}/analytics/posts/{tracked_post_id}", response=TrackedPostDetailOut
)
def get_post(request: HttpRequest, workspace: str, tracked_post_id: Id) -> dict[str, object]:
    """One post's newest counters and every reading of them, oldest first."""
    membership: Membership = request.membership  # type: ignore[attr-defined]
    require(membership, Perm.VIEW_ANALYTICS)
    post = access_tracked_post(membership, tracked_post_id)
    snapshots = access_post_snapshots(membership).filter(post=post).order_by("taken_at", "pk")
    return {
        **_post_out(post),
        "snapshots": [
            {"taken_at": s.taken_at, "source": s.source, "counters": _counters(s)}
            for s in snapshots
        ],
    }
