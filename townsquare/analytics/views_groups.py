"""Analytics by campaign and pillar, variants of one message side by side (the publications
of one post across accounts: an A/B comparison), and the team's replies and response times."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from townsquare.analytics import charts, dashboards, figure_sets
from townsquare.analytics.dashboard_queries import variants_of
from townsquare.analytics.kpis.periods import ratio
from townsquare.analytics.metric_names import POST_METRICS
from townsquare.analytics.tables import Table
from townsquare.analytics.views_common import page_state, render_page
from townsquare.analytics.views_figures import figure
from townsquare.content.access import access_post
from townsquare.content.models import Post
from townsquare.networks.catalog import network_label
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm
from townsquare.workspaces.views import workspace_view


@workspace_view(Perm.VIEW_ANALYTICS, methods=("GET",))
def campaigns(request: HttpRequest, membership: Membership) -> HttpResponse:
    state = page_state(request, membership)
    figures = figure_sets.campaign_figures(state)
    return render_page(
        request, "analytics/campaigns.html", state, figures, {"section": "campaigns"}
    )


@workspace_view(Perm.VIEW_ANALYTICS, methods=("GET",))
def variant_list(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Messages published on two or more accounts in the period, most engaging first."""
    state = page_state(request, membership)
    return render_page(
        request,
        "analytics/variants.html",
        state,
        figure_sets.variant_list_figures(state),
        {"section": "variants"},
    )


def _rate(engagements: int, impressions: int | None, views: int | None) -> float | None:
    """Engagements per impression (or view), in percent; unknown where neither is counted."""
    if impressions is None and views is None:
        return None
    found = ratio(engagements, (impressions or 0) + (views or 0))
    return None if found is None else round(found * 100, 2)


@workspace_view(Perm.VIEW_ANALYTICS, methods=("GET",), lookups={"post_id": access_post})
def variants(request: HttpRequest, membership: Membership, post_id: Post) -> HttpResponse:
    """One message's publications side by side: the same counters per account."""
    post = post_id
    state = page_state(request, membership, filters=False)
    tracked = variants_of(membership, post)
    labels = figure_sets.metric_labels()
    slug = membership.workspace.slug
    reported = [m for m in POST_METRICS if any(getattr(t, m) is not None for t in tracked)]
    title = _("Variants side by side")
    table = Table(
        "variants",
        title,
        (
            _("Account"),
            _("Network"),
            *(labels[m] for m in reported),
            _("Engagements"),
            _("Engagement rate (%)"),
        ),
        tuple(
            (
                t.account.handle,
                network_label(t.network),
                *(getattr(t, m) for m in reported),
                t.engagements,
                _rate(t.engagements, t.impressions, t.views),
            )
            for t in tracked
        ),
        chart="bars",
        links=tuple(
            reverse("analytics_post", kwargs={"workspace": slug, "tracked_post_id": t.pk})
            for t in tracked
        ),
        note=_(
            "The engagement rate divides by impressions or views where the network counts them; "
            "a dash where it does not."
        ),
    )
    svg = ""
    if tracked:
        svg = charts.render(
            charts.BarChart(
                title=title,
                bars=tuple(
                    charts.Bar(f"{t.account.handle} ({network_label(t.network)})", t.engagements)
                    for t in tracked
                ),
                value_label=_("Engagements"),
                label_heading=_("Account"),
            ),
            dashboards.language(),
        ).svg
    texts = [(t.account.handle, network_label(t.network), t.text_excerpt) for t in tracked]
    return render_page(
        request,
        "analytics/variant_detail.html",
        state,
        [figure(table, svg)],
        {"post": post, "texts": texts, "section": "variants"},
    )


@workspace_view(Perm.VIEW_ANALYTICS, methods=("GET",))
def team(request: HttpRequest, membership: Membership) -> HttpResponse:
    state = page_state(request, membership, filters=False)
    return render_page(
        request, "analytics/team.html", state, figure_sets.team_figures(state), {"section": "team"}
    )
