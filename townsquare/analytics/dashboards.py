"""The dashboards' figures: the KPI tiles (kpi_tiles.py, `overview`) and the charts, each a
table of plain values (the table view and the CSV) with its SVG drawn from the same values
(analytics.charts): trends with the previous period, shares and the mix per network,
campaign or pillar, weekday x hour, top posts, and the engagement rate per network."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse
from django.utils.translation import gettext as _

from townsquare.analytics import charts, readers
from townsquare.analytics.kpi_tiles import Overview, Tile, kpi_figure, language, overview, plain
from townsquare.analytics.kpis.community import PER_FOLLOWER, PER_IMPRESSION, Community
from townsquare.analytics.kpis.periods import Period
from townsquare.analytics.kpis.series import DailySeries, Shares, weekly
from townsquare.analytics.readers_scope import Filters, zone
from townsquare.analytics.tables import LOCAL_MINUTE, Table
from townsquare.analytics.views_figures import Figure, figure
from townsquare.networks.catalog import network_label
from townsquare.workspaces.models import Membership

# Longer periods are drawn per week: 700 daily points are no trend a person can read.
WEEKLY_AFTER_DAYS = 92
TOP_POSTS = 10

__all__ = [
    "Overview",
    "Tile",
    "heatmap_figure",
    "kpi_figure",
    "language",
    "network_weeks_figure",
    "overview",
    "rates_figure",
    "shares_figure",
    "top_posts_figure",
    "trend_figure",
]


def _drawn(series: DailySeries, period: Period, name: str) -> tuple[DailySeries, str]:
    if period.days > WEEKLY_AFTER_DAYS:
        return weekly(series, (name,)), "week"
    return series, "day"


def trend_figure(found: Overview, period: Period, name: str, key: str, title: str) -> Figure:
    """One daily (or weekly) series with its previous period, as a line and a table."""
    current, step = _drawn(found.series, period, name)
    previous, _step = _drawn(found.previous_series, period.previous(), name)
    values = current.values.get(name, ())
    before = previous.values.get(name, ())
    label = {"followers": _("Followers"), "engagements": _("Engagements")}.get(name, name)
    previous_label = _("%(label)s, previous period") % {"label": label}
    first_column = _("Week of") if step == "week" else _("Day")
    rows = tuple(
        (
            day.isoformat(),
            values[i] if i < len(values) else None,
            before[i] if i < len(before) else None,
        )
        for i, day in enumerate(current.days)
    )
    empty = all(row[1] is None for row in rows) or (
        name != "followers" and not any(row[1] for row in rows)
    )
    table = Table(
        key, title, (first_column, label, previous_label), () if empty else rows, chart="line"
    )
    svg = ""
    if not empty:
        svg = charts.render(
            charts.TrendChart(
                title=title,
                days=current.days,
                series=(charts.Series(label, tuple(values)),),
                previous=(charts.Series(label, tuple(before)),),
                step=step,  # type: ignore[arg-type]
                summable=name != "followers",
            ),
            language(),
        ).svg
    return figure(table, svg)


def shares_figure(
    found: Shares,
    key: str,
    title: str,
    heading: str,
    links: dict[str, str] | None = None,
    posts: Shares | None = None,
) -> Figure:
    """Engagements split by network, campaign or pillar: a 100 % bar and a table with the
    posts beside them."""
    counts = {row.key: row.value for row in posts.rows} if posts else {}
    rows = tuple(
        (
            row.label,
            int(counts[row.key]) if row.key in counts else None,
            int(row.value),
            round(row.share, 1),
            round(row.value / counts[row.key], 1) if counts.get(row.key) else None,
        )
        for row in found.rows
    )
    table = Table(
        key,
        title,
        (
            heading,
            _("Posts"),
            _("Engagements"),
            _("Share of engagements (%)"),
            _("Engagements per post"),
        ),
        rows if found.total else (),
        chart="stacked",
        links=tuple((links or {}).get(row.key, "") for row in found.rows) if links else (),
    )
    svg = ""
    if found.total:
        svg = charts.render(
            charts.ShareBar(
                title=title,
                parts=tuple(charts.Part(row.label, row.value) for row in found.rows),
            ),
            language(),
        ).svg
    return figure(table, svg)


def heatmap_figure(membership: Membership, period: Period, filters: Filters) -> Figure:
    """Hours down, weekdays across (eight columns fit a phone); each cell the engagements
    per post published then, empty where nothing was published."""
    matrix = readers.read_weekday_hour(membership, period, filters)
    names = tuple(charts.weekday_name(day, language(), short=True) for day in range(7))
    rows = tuple(
        (
            f"{hour:02d}:00",
            *(
                None
                if (per_post := matrix.cell(day, hour).per_post) is None
                else round(per_post, 1)
                for day in range(7)
            ),
        )
        for hour in range(24)
    )
    title = _("Weekday and hour")
    table = Table(
        "heatmap",
        title,
        (_("Hour"), *names),
        rows if matrix.posts else (),
        chart="heatmap",
        note=_(
            "Engagements per post by the weekday and hour it was published (the workspace's time "
            "zone); empty: nothing published then."
        ),
    )
    svg = ""
    if matrix.posts:
        svg = charts.render(
            charts.Heatmap(
                title=title,
                values=tuple(
                    tuple(matrix.cell(day, hour).per_post for hour in range(24)) for day in range(7)
                ),
                value_label=_("Engagements per post"),
                counts=tuple(
                    tuple(matrix.cell(day, hour).posts for hour in range(24)) for day in range(7)
                ),
                count_label=_("Posts"),
            ),
            language(),
        ).svg
    return figure(table, svg)


def top_posts_figure(membership: Membership, period: Period, filters: Filters) -> Figure:
    posts = readers.read_top_posts(membership, period, filters, TOP_POSTS)
    local = zone(membership.workspace)
    slug = membership.workspace.slug
    title = _("Top posts")
    table = Table(
        "top_posts",
        title,
        (
            _("Post"),
            _("Network"),
            _("Published"),
            _("Likes"),
            _("Reposts"),
            _("Replies"),
            _("Engagements"),
        ),
        tuple(
            (
                post.text_excerpt or _("(no text)"),
                network_label(post.network),
                post.published_at.astimezone(local).strftime(LOCAL_MINUTE),
                post.likes,
                post.reposts,
                post.replies,
                post.engagements,
            )
            for post in posts
        ),
        chart="bars",
        links=tuple(
            reverse("analytics_post", kwargs={"workspace": slug, "tracked_post_id": post.id})
            for post in posts
        ),
    )
    svg = ""
    if posts:
        svg = charts.render(
            charts.BarChart(
                title=title,
                bars=tuple(
                    charts.Bar(
                        _short(post.text_excerpt or network_label(post.network)), post.engagements
                    )
                    for post in posts
                ),
                value_label=_("Engagements"),
                label_heading=_("Post"),
            ),
            language(),
        ).svg
    return figure(table, svg)


def rates_figure(found: Community) -> Figure:
    """The engagement rate per network, each with the basis its network uses."""
    bases = {PER_FOLLOWER: _("per follower"), PER_IMPRESSION: _("per impression")}
    table = Table(
        "rates",
        _("Engagement rate per network"),
        (_("Network"), _("Basis"), _("Rate (%)"), _("Previous period (%)")),
        tuple(
            (
                network_label(rate.network),
                bases.get(rate.basis, rate.basis),
                plain(rate.rate.value, "percent"),
                plain(rate.rate.previous, "percent"),
            )
            for rate in found.rates
        ),
        note=_(
            "Networks that count impressions divide by them; the others divide engagements per "
            "post by followers."
        ),
    )
    return figure(table)


def _bucket(day: date, step: str) -> date:
    if step == "week":
        return day - timedelta(days=day.weekday())
    if step == "month":
        return day.replace(day=1)
    return day


def network_weeks_figure(period: Period, network_days: readers.NetworkDays) -> Figure:
    """Engagements of the period's posts per day, week or month, stacked by network: how
    the mix moves. The table is long (one row per period and network), so it stays narrow
    on a phone whatever the number of networks."""
    step = "day" if period.days <= 31 else ("week" if period.days <= 183 else "month")
    bucket_of = {day: _bucket(day, step) for day in period.day_list()}
    buckets = sorted(set(bucket_of.values()))
    sums: dict[tuple[date, str], int] = {}
    for (network, day), (_posts, engagements) in network_days.cells.items():
        key = (bucket_of.get(day) or _bucket(day, step), network)
        sums[key] = sums.get(key, 0) + engagements
    networks = sorted({network for _day, network in sums}, key=lambda n: str(network_label(n)))
    title = _("Engagements by network")
    first_column = {"day": _("Day"), "week": _("Week of"), "month": _("Month")}[step]
    table = Table(
        "network_mix",
        title,
        (first_column, _("Network"), _("Engagements")),
        tuple(
            (bucket.isoformat(), network_label(network), sums.get((bucket, network), 0))
            for bucket in buckets
            for network in networks
        ),
        chart="stacked",
    )
    svg = ""
    if any(sums.values()):
        svg = charts.render(
            charts.StackedBars(
                title=title,
                periods=tuple(buckets),
                parts=tuple(
                    charts.Series(
                        network_label(network),
                        tuple(float(sums.get((b, network), 0)) for b in buckets),
                    )
                    for network in networks
                ),
                step=step,  # type: ignore[arg-type]
            ),
            language(),
        ).svg
    return figure(table, svg)


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
