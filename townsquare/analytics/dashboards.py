"""The dashboards' figures: KPI tiles (visibility, community, care) from the KPI readers,
each beside the previous period with a sparkline, and every chart as a table of plain values
(the table view and the CSV) with its SVG drawn from the same values (analytics.charts).

The definitions live in kpis/ and the reading in readers.py; this module only lays them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from townsquare.analytics import charts, readers
from townsquare.analytics.kpis.care import Care, ResponseTimes
from townsquare.analytics.kpis.community import PER_FOLLOWER, PER_IMPRESSION, Community
from townsquare.analytics.kpis.periods import Comparison, Period
from townsquare.analytics.kpis.series import DailySeries, Shares, weekly
from townsquare.analytics.kpis.visibility import Visibility
from townsquare.analytics.readers_scope import Filters, zone
from townsquare.analytics.tables import Cell, Table
from townsquare.analytics.views_figures import Figure, figure
from townsquare.networks.catalog import network_label
from townsquare.workspaces.models import Membership

# Longer periods are drawn per week: 700 daily points are no trend a person can read.
WEEKLY_AFTER_DAYS = 92
TOP_POSTS = 10


def language() -> str:
    return "de" if (get_language() or "en").startswith("de") else "en"


@dataclass(frozen=True)
class Tile:
    key: str
    group: str  # visibility | community | care
    label: str
    figure: Comparison  # value None: no network in view reports it (never shown as 0)
    unit: str  # count | percent (0-100) | minutes
    series: tuple[float | None, ...]
    definition: str

    @property
    def value(self) -> float | None:
        return self.figure.value

    @property
    def previous(self) -> float | None:
        return self.figure.previous

    @property
    def change(self) -> float | None:
        """The change as a ratio of the previous value (0.25: a quarter more)."""
        found = self.figure.change_percent
        return None if found is None else found / 100.0

    @property
    def sparkline(self) -> str:
        if sum(1 for v in self.series if v is not None) < 2:
            return ""
        return charts.render(
            charts.Sparkline(title=self.label, values=self.series, value_label=self.label),
            language(),
        ).svg


@dataclass(frozen=True)
class Overview:
    tiles: tuple[Tile, ...]
    series: DailySeries
    previous_series: DailySeries
    community: Community


def _visibility_tiles(found: Visibility, series: DailySeries) -> list[Tile]:
    headline = _("Impressions") if found.headline_metric == "impressions" else _("Views")
    rows = (
        (
            "headline",
            headline,
            found.headline,
            found.headline_metric,
            _(
                "Times your posts and profiles were shown (impressions, or views where a network "
                "counts those instead)."
            ),
        ),
        (
            "reach",
            _("Reach"),
            found.reach,
            "reach",
            _("People who saw something of yours, as the networks count them."),
        ),
        (
            "profile_visits",
            _("Profile visits"),
            found.profile_visits,
            "profile_visits",
            _("Visits to your accounts' profiles."),
        ),
        (
            "link_clicks",
            _("Link clicks"),
            found.link_clicks,
            "link_clicks",
            _("Clicks on the links of your posts and profiles."),
        ),
    )
    return [
        Tile(key, "visibility", label, value, "count", series.values.get(name, ()), definition)
        for key, label, value, name, definition in rows
    ]


def _community_tiles(found: Community, series: DailySeries, previous: DailySeries) -> list[Tile]:
    basis = {
        PER_FOLLOWER: _("Engagements per post divided by followers, in percent."),
        PER_IMPRESSION: _("Engagements divided by impressions, in percent."),
    }.get(
        found.engagement_basis,
        _("The networks in view measure it differently: see the rate per network below."),
    )
    return [
        Tile(
            "followers",
            "community",
            _("Followers"),
            found.followers,
            "count",
            series.values.get("followers", ()),
            _("Followers of the accounts on the last day of the period."),
        ),
        Tile(
            "net_growth",
            "community",
            _("Net follower growth"),
            found.net_growth,
            "count",
            (),
            _("Followers gained minus followers lost in the period."),
        ),
        Tile(
            "engagements",
            "community",
            _("Engagements"),
            _engagements(series, previous),
            "count",
            series.values.get("engagements", ()),
            _(
                "Likes, reposts, replies, quotes, saves and link clicks on the posts published "
                "in the period, as they stand now."
            ),
        ),
        Tile(
            "engagement_rate",
            "community",
            _("Engagement rate"),
            found.engagement_rate,
            "percent",
            (),
            basis,
        ),
        Tile(
            "engaged_users",
            "community",
            _("Engaged people"),
            found.engaged_users,
            "count",
            (),
            _(
                "Different people who wrote to you in the period (mentions, comments, replies, "
                "messages)."
            ),
        ),
        Tile(
            "returning_engagers",
            "community",
            _("Returning people"),
            found.returning_engagers,
            "count",
            (),
            _("People who wrote to you in two or more of the last %(weeks)s weeks.")
            % {"weeks": found.returning_weeks},
        ),
        Tile(
            "conversation_depth",
            "community",
            _("Conversation depth"),
            found.conversation_depth,
            "count",
            (),
            _("Replies per conversation begun in the period."),
        ),
    ]


def _engagements(series: DailySeries, previous: DailySeries) -> Comparison:
    def total(found: DailySeries) -> float:
        return float(sum(v for v in found.values.get("engagements", ()) if v is not None))

    return Comparison(total(series), total(previous))


def _care_tiles(found: Care, series: DailySeries) -> list[Tile]:
    times: ResponseTimes = found.first_response
    return [
        Tile(
            "answered_share",
            "care",
            _("Conversations answered"),
            found.answered_share,
            "percent",
            (),
            _("Share of the conversations begun in the period that received an answer."),
        ),
        Tile(
            "first_response_median",
            "care",
            _("First response (median)"),
            times.median,
            "minutes",
            (),
            _("Half of the answered conversations had their first answer within this time."),
        ),
        Tile(
            "first_response_p90",
            "care",
            _("First response (90 %)"),
            times.p90,
            "minutes",
            (),
            _("Nine in ten answered conversations had their first answer within this time."),
        ),
        Tile(
            "sentiment_score",
            "care",
            _("Sentiment score"),
            found.sentiment_score,
            "percent",
            (),
            _("Positive messages divided by positive and negative ones, in percent."),
        ),
        Tile(
            "inbound",
            "care",
            _("Messages received"),
            found.inbound,
            "count",
            series.values.get("messages_in", ()),
            _("Mentions, comments, replies and private messages, without spam."),
        ),
    ]


def overview(membership: Membership, period: Period, filters: Filters) -> Overview:
    series = readers.read_daily_series(membership, period, filters)
    previous_series = readers.read_daily_series(membership, period.previous(), filters)
    community = readers.read_community(membership, period, filters)
    tiles = (
        *_visibility_tiles(readers.read_visibility(membership, period, filters), series),
        *_community_tiles(community, series, previous_series),
        *_care_tiles(readers.read_care(membership, period, filters), series),
    )
    return Overview(tiles, series, previous_series, community)


def _plain(value: float | None, unit: str) -> Cell:
    if value is None:
        return None
    if unit in ("percent", "minutes"):
        return round(value, 2)
    return int(value) if float(value).is_integer() else round(value, 2)


def _with_unit(tile: Tile) -> str:
    if tile.unit == "percent":
        return _("%(figure)s (%%)") % {"figure": tile.label}
    if tile.unit == "minutes":
        return _("%(figure)s, in minutes") % {"figure": tile.label}
    return tile.label


def kpi_figure(tiles: tuple[Tile, ...]) -> Figure:
    table = Table(
        "kpis",
        _("Key figures"),
        (_("Figure"), _("This period"), _("Previous period"), _("Change (%)")),
        tuple(
            (
                _with_unit(tile),
                _plain(tile.value, tile.unit),
                _plain(tile.previous, tile.unit),
                None if tile.change is None else round(tile.change * 100, 1),
            )
            for tile in tiles
        ),
    )
    return figure(table)


def _drawn(series: DailySeries, period: Period) -> tuple[DailySeries, str]:
    if period.days > WEEKLY_AFTER_DAYS:
        return weekly(series), "week"
    return series, "day"


def trend_figure(found: Overview, period: Period, name: str, key: str, title: str) -> Figure:
    """One daily (or weekly) series with its previous period, as a line and a table."""
    current, step = _drawn(found.series, period)
    previous, _step = _drawn(found.previous_series, period.previous())
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
                post.published_at.astimezone(local).isoformat(timespec="minutes"),
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
                _plain(rate.rate.value, "percent"),
                _plain(rate.rate.previous, "percent"),
            )
            for rate in found.rates
        ),
        note=_(
            "Networks that count impressions divide by them; the others divide engagements per "
            "post by followers."
        ),
    )
    return figure(table)


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def day_label(day: date) -> str:
    return day.isoformat()
