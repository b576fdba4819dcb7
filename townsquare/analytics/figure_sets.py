"""The figures of each dashboard for a period and scope (`PageState`): what the pages draw,
the table view shows, the CSV downloads hold and the API's tables endpoint returns, made
in one place so the four never disagree."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from townsquare.analytics import charts, dashboards, readers
from townsquare.analytics.kpi_tiles import Overview
from townsquare.analytics.metric_names import POST_METRICS
from townsquare.analytics.models import TrackedPost
from townsquare.analytics.readers import NONE_KEY
from townsquare.analytics.readers_scope import posts_in, zone
from townsquare.analytics.tables import LOCAL_MINUTE, Table
from townsquare.analytics.views_common import PageState
from townsquare.analytics.views_figures import Figure, figure
from townsquare.networks.catalog import network_label
from townsquare.workspaces.models import Membership

POSTS_LIST_LIMIT = 100
VARIANTS_LIST_LIMIT = 50


def metric_labels() -> dict[str, str]:
    return {
        "impressions": _("Impressions"),
        "views": _("Views"),
        "reach": _("Reach"),
        "likes": _("Likes"),
        "reposts": _("Reposts"),
        "replies": _("Replies"),
        "quotes": _("Quotes"),
        "saves": _("Saves"),
        "link_clicks": _("Link clicks"),
    }


def reported_metrics(rows: Sequence[object]) -> tuple[str, ...]:
    """The counters any of the rows reports: a column no network fills is left out (the
    API and the post's own page still say "not reported")."""
    return tuple(m for m in POST_METRICS if any(getattr(r, m) is not None for r in rows))


# --- the overview ----------------------------------------------------------------------------


def overview_figures(state: PageState, found: Overview | None = None) -> list[Figure]:
    membership, period, filters = state.membership, state.period, state.filters_chosen
    found = found or dashboards.overview(membership, period, filters)
    network_shares = readers.network_breakdown(found.network_days)
    return [
        dashboards.kpi_figure(found.tiles),
        dashboards.trend_figure(found, period, "engagements", "engagement_trend", _("Engagements")),
        dashboards.trend_figure(found, period, "followers", "follower_trend", _("Followers")),
        dashboards.shares_figure(
            network_shares.engagements,
            "networks",
            _("Shares per network"),
            _("Network"),
            posts=network_shares.posts,
        ),
        dashboards.network_weeks_figure(period, found.network_days),
        dashboards.rates_figure(found.community),
        dashboards.heatmap_figure(membership, period, filters),
        dashboards.top_posts_figure(membership, period, filters),
    ]


# --- the posts of the period -----------------------------------------------------------------


def period_posts(state: PageState) -> list[TrackedPost]:
    return list(
        posts_in(state.membership, state.period, state.filters_chosen).order_by(
            "-engagements", "-published_at", "-pk"
        )[:POSTS_LIST_LIMIT]
    )


def posts_figure(membership: Membership, posts: list[TrackedPost]) -> Figure:
    slug = membership.workspace.slug
    local = zone(membership.workspace)
    labels = metric_labels()
    shown = reported_metrics(posts)
    table = Table(
        "posts",
        _("Posts of the period"),
        (
            _("Post"),
            _("Network"),
            _("Published"),
            *(labels[m] for m in shown),
            _("Engagements"),
        ),
        tuple(
            (
                post.text_excerpt or _("(no text)"),
                network_label(post.network),
                post.published_at.astimezone(local).strftime(LOCAL_MINUTE),
                *(getattr(post, m) for m in shown),
                post.engagements,
            )
            for post in posts
        ),
        links=tuple(
            reverse("analytics_post", kwargs={"workspace": slug, "tracked_post_id": p.pk})
            for p in posts
        ),
    )
    return figure(table)


def post_list_figures(state: PageState) -> list[Figure]:
    return [posts_figure(state.membership, period_posts(state))]


# --- campaigns and pillars -------------------------------------------------------------------


def _breakdown_figure(state: PageState, by: str, title: str, heading: str) -> Figure:
    """Engagements of the period's posts by campaign or pillar; each row leads to the
    overview narrowed to it."""
    found = readers.read_breakdown(state.membership, state.period, state.filters_chosen, by=by)
    base = reverse("workspace_analytics", kwargs={"workspace": state.membership.workspace.slug})
    links = {
        row.key: f"{base}?{state.query(**{by: row.key})}"
        for row in found.engagements.rows
        if row.key != NONE_KEY
    }
    return dashboards.shares_figure(
        found.engagements, f"{by}s", title, heading, links=links, posts=found.posts
    )


def campaign_figures(state: PageState) -> list[Figure]:
    return [
        _breakdown_figure(state, "campaign", _("By campaign"), _("Campaign")),
        _breakdown_figure(state, "pillar", _("By content pillar"), _("Content pillar")),
    ]


# --- messages published on several accounts --------------------------------------------------


def variant_list_figures(state: PageState) -> list[Figure]:
    """Messages published on two or more accounts in the period, most engaging first."""
    rows = list(
        posts_in(state.membership, state.period, state.filters_chosen)
        .filter(publication__isnull=False)
        .values("publication__post_id", "publication__post__master_text")
        .annotate(
            accounts=Count("pk"),
            networks=Count("network", distinct=True),
            engagements=Sum("engagements"),
        )
        .filter(accounts__gte=2)
        .order_by("-engagements", "-publication__post_id")[:VARIANTS_LIST_LIMIT]
    )
    slug = state.membership.workspace.slug
    table = Table(
        "variants",
        _("Messages published on several accounts"),
        (_("Message"), _("Accounts"), _("Networks"), _("Engagements")),
        tuple(
            (
                str(row["publication__post__master_text"])[:120],
                row["accounts"],
                row["networks"],
                row["engagements"] or 0,
            )
            for row in rows
        ),
        links=tuple(
            reverse(
                "analytics_variants",
                kwargs={"workspace": slug, "post_id": row["publication__post_id"]},
            )
            for row in rows
        ),
    )
    return [figure(table)]


# --- the team --------------------------------------------------------------------------------


def _hours(minutes: float | None) -> float | None:
    return None if minutes is None else round(minutes / 60, 2)


def _count(value: float | None) -> int | None:
    return None if value is None else int(value)


def team_figures(state: PageState) -> list[Figure]:
    rows = readers.read_team(state.membership, state.period, state.filters_chosen)
    title = _("Replies per person")
    table = Table(
        "team",
        title,
        (
            _("Person"),
            _("Replies sent"),
            _("Previous period"),
            _("First response, median (hours)"),
            _("First response, 90 % (hours)"),
        ),
        tuple(
            (
                row.name or _("Former member"),
                _count(row.replies.value),
                _count(row.replies.previous),
                _hours(row.first_response.median.value),
                _hours(row.first_response.p90.value),
            )
            for row in rows
        ),
        chart="bars",
        note=_(
            "Replies sent from the inbox in the period, and how long after a conversation began "
            "its first answer came, for the conversations each person answered first."
        ),
    )
    svg = ""
    if rows:
        svg = charts.render(
            charts.BarChart(
                title=title,
                bars=tuple(
                    charts.Bar(
                        row.name or _("Former member"), row.replies.value, row.replies.previous
                    )
                    for row in rows
                ),
                value_label=_("Replies sent"),
                label_heading=_("Person"),
            ),
            dashboards.language(),
        ).svg
    return [figure(table, svg)]


# The dashboards the API's tables endpoint offers, by the name it uses, with whether the
# dashboard narrows by network, account, campaign and pillar (the team does not).
DASHBOARDS: dict[str, tuple[Callable[[PageState], list[Figure]], bool]] = {
    "overview": (overview_figures, True),
    "posts": (post_list_figures, True),
    "campaigns": (campaign_figures, True),
    "variants": (variant_list_figures, True),
    "team": (team_figures, False),
}
