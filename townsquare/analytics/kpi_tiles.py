"""The overview's KPI tiles (visibility, community, care) from the KPI readers, each beside
the previous period with a sparkline, and the table of them all (dashboard_figures.py holds
the charts).

The definitions live in kpis/ and the reading in readers.py; this module only lays them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from townsquare.analytics import charts, readers
from townsquare.analytics.kpis.care import Care, ResponseTimes
from townsquare.analytics.kpis.community import PER_FOLLOWER, PER_IMPRESSION, Community
from townsquare.analytics.kpis.periods import Comparison, Period
from townsquare.analytics.kpis.series import DailySeries
from townsquare.analytics.kpis.visibility import Visibility
from townsquare.analytics.readers_scope import Filters
from townsquare.analytics.tables import Cell, Table
from townsquare.analytics.views_figures import Figure, figure
from townsquare.workspaces.models import Membership


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

    @cached_property
    def sparkline(self) -> str:
        """The tile's small line (decorative: the figure is written beside it), drawn once
        per tile and from at most SPARK_POINTS points, so two years cost what a month does."""
        values = thin(self.series, SPARK_POINTS)
        if sum(1 for v in values if v is not None) < 2:
            return ""
        chart = charts.Sparkline(title=self.label, values=values, value_label=self.label)
        return charts.sparkline_svg(chart, language())


# A sparkline is 120 pixels wide: more points than this are no more legible.
SPARK_POINTS = 60


def thin(values: tuple[float | None, ...], most: int) -> tuple[float | None, ...]:
    """At most `most` values: the mean of each run of consecutive values (unknown where a
    run holds none)."""
    if len(values) <= most:
        return values
    size = -(-len(values) // most)
    out: list[float | None] = []
    for start in range(0, len(values), size):
        known = [v for v in values[start : start + size] if v is not None]
        out.append(sum(known) / len(known) if known else None)
    return tuple(out)


@dataclass(frozen=True)
class Overview:
    tiles: tuple[Tile, ...]
    series: DailySeries
    previous_series: DailySeries
    community: Community
    network_days: readers.NetworkDays


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
    network_days = readers.read_network_days(membership, period, filters)
    series = readers.read_daily_series(membership, period, filters, network_days)
    previous_series = readers.read_daily_series(membership, period.previous(), filters)
    post_sums = readers.read_post_sums(membership, period, filters)
    community = readers.read_community(membership, period, filters, post_sums=post_sums)
    tiles = (
        *_visibility_tiles(readers.read_visibility(membership, period, filters, post_sums), series),
        *_community_tiles(community, series, previous_series),
        *_care_tiles(readers.read_care(membership, period, filters), series),
    )
    return Overview(tiles, series, previous_series, community, network_days)


def plain(value: float | None, unit: str) -> Cell:
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
                plain(tile.value, tile.unit),
                plain(tile.previous, tile.unit),
                None if tile.change is None else round(tile.change * 100, 1),
            )
            for tile in tiles
        ),
    )
    return figure(table)
