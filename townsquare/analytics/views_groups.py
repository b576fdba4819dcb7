"""Analytics by campaign and pillar, variants of one message side by side (the publications
of one post across accounts: an A/B comparison), and the team's replies and response times."""

from __future__ import annotations

from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from townsquare.analytics import charts, dashboards, readers
from townsquare.analytics.dashboard_queries import variants_of
from townsquare.analytics.kpis.periods import ratio
from townsquare.analytics.metric_names import POST_METRICS
from townsquare.analytics.readers import NONE_KEY
from townsquare.analytics.readers_scope import posts_in
from townsquare.analytics.tables import Table
from townsquare.analytics.views import metric_labels
from townsquare.analytics.views_common import PageState, page_state, render_page
from townsquare.analytics.views_figures import Figure, figure
from townsquare.content.access import access_post
from townsquare.content.models import Post
from townsquare.networks.catalog import network_label
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm
from townsquare.workspaces.views import workspace_view

VARIANTS_LIST_LIMIT = 50


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


@workspace_view(Perm.VIEW_ANALYTICS, methods=("GET",))
def campaigns(request: HttpRequest, membership: Membership) -> HttpResponse:
    state = page_state(request, membership)
    figures = [
        _breakdown_figure(state, "campaign", _("By campaign"), _("Campaign")),
        _breakdown_figure(state, "pillar", _("By content pillar"), _("Content pillar")),
    ]
    return render_page(
        request, "analytics/campaigns.html", state, figures, {"section": "campaigns"}
    )


@workspace_view(Perm.VIEW_ANALYTICS, methods=("GET",))
def variant_list(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Messages published on two or more accounts in the period, most engaging first."""
    state = page_state(request, membership)
    rows = list(
        posts_in(membership, state.period, state.filters_chosen)
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
    slug = membership.workspace.slug
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
    return render_page(
        request, "analytics/variants.html", state, [figure(table)], {"section": "variants"}
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
    labels = metric_labels()
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


def _hours(minutes: float | None) -> float | None:
    return None if minutes is None else round(minutes / 60, 2)


@workspace_view(Perm.VIEW_ANALYTICS, methods=("GET",))
def team(request: HttpRequest, membership: Membership) -> HttpResponse:
    state = page_state(request, membership, filters=False)
    rows = readers.read_team(membership, state.period, state.filters_chosen)
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
    return render_page(
        request, "analytics/team.html", state, [figure(table, svg)], {"section": "team"}
    )


def _count(value: float | None) -> int | None:
    return None if value is None else int(value)
