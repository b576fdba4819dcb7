"""Analytics > Overview (KPI tiles, trends, shares per network, weekday x hour, top posts,
the engagement rate per network), the list of posts, and one post's counters over time with
its conversations in the inbox."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from townsquare.analytics import charts, dashboards, figure_sets
from townsquare.analytics.access import access_post_snapshots, access_tracked_post
from townsquare.analytics.dashboard_queries import conversations_about
from townsquare.analytics.metric_names import POST_METRICS
from townsquare.analytics.models import TrackedPost
from townsquare.analytics.readers_scope import zone
from townsquare.analytics.tables import LOCAL_MINUTE, Table
from townsquare.analytics.views_common import freshness_of, page_state, render_page
from townsquare.analytics.views_figures import Figure, figure
from townsquare.networks.catalog import network_label
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm
from townsquare.workspaces.views import workspace_view

# The counters drawn on a post's chart (the others are in its table).
POST_CHART_METRICS = ("likes", "reposts", "replies")


@workspace_view(Perm.VIEW_ANALYTICS, methods=("GET",))
def overview(request: HttpRequest, membership: Membership) -> HttpResponse:
    state = page_state(request, membership)
    found = dashboards.overview(membership, state.period, state.filters_chosen)
    figures = figure_sets.overview_figures(state, found)
    groups = [
        (group, label, [t for t in found.tiles if t.group == group])
        for group, label in (
            ("visibility", _("Visibility")),
            ("community", _("Community")),
            ("care", _("Care")),
        )
    ]
    return render_page(
        request,
        "analytics/overview.html",
        state,
        figures,
        {"groups": groups, "fresh": freshness_of(state), "section": "overview"},
    )


@workspace_view(Perm.VIEW_ANALYTICS, methods=("GET",))
def post_list(request: HttpRequest, membership: Membership) -> HttpResponse:
    state = page_state(request, membership)
    return render_page(
        request,
        "analytics/posts.html",
        state,
        figure_sets.post_list_figures(state),
        {"limit": figure_sets.POSTS_LIST_LIMIT, "fresh": freshness_of(state), "section": "posts"},
    )


def snapshots_figure(membership: Membership, post: TrackedPost) -> Figure:
    """Every reading of the post's counters as a table; the chart draws the last reading of
    each day of likes, reposts and replies."""
    local = zone(membership.workspace)
    labels = figure_sets.metric_labels()
    snapshots = list(access_post_snapshots(membership).filter(post=post).order_by("taken_at", "pk"))
    title = _("Counters over time")
    shown = figure_sets.reported_metrics(snapshots)
    table = Table(
        "snapshots",
        title,
        (_("Read at"), *(labels[m] for m in shown)),
        tuple(
            (
                snapshot.taken_at.astimezone(local).strftime(LOCAL_MINUTE),
                *(getattr(snapshot, m) for m in shown),
            )
            for snapshot in snapshots
        ),
        chart="line",
        note=_(
            "Each reading of the post's counters since it was published. A dash: the network "
            "does not report it."
        ),
    )
    last_of_day = {s.taken_at.astimezone(local).date(): s for s in snapshots}
    days = tuple(sorted(last_of_day))
    svg = ""
    if len(days) >= 2:
        svg = charts.render(
            charts.TrendChart(
                title=title,
                days=days,
                series=tuple(
                    charts.Series(labels[m], tuple(getattr(last_of_day[d], m) for d in days))
                    for m in POST_CHART_METRICS
                ),
                summable=False,
            ),
            dashboards.language(),
        ).svg
    return figure(table, svg)


@workspace_view(
    Perm.VIEW_ANALYTICS, methods=("GET",), lookups={"tracked_post_id": access_tracked_post}
)
def post_detail(
    request: HttpRequest, membership: Membership, tracked_post_id: TrackedPost
) -> HttpResponse:
    post = tracked_post_id
    state = page_state(request, membership, filters=False)
    labels = figure_sets.metric_labels()
    return render_page(
        request,
        "analytics/post.html",
        state,
        [snapshots_figure(membership, post)],
        {
            "post": post,
            "counters": [(labels[m], getattr(post, m)) for m in POST_METRICS],
            "network_name": network_label(post.network),
            "conversations": list(conversations_about(membership, post)[:50]),
            "section": "posts",
        },
    )
