"""What the PDF report for a period holds: the key figures against the previous period, the
trends, shares per network, the weekday x hour heatmap, the top posts, the plan against what
happened (goals, cadence, pillar mix) and the feedback topics users raised most.

The figures are the dashboards' own (one definition of each number), drawn for print.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from townsquare.analytics import dashboards, readers
from townsquare.analytics.kpis.periods import Period
from townsquare.analytics.kpis.plan import GoalStatus, PlanVsActual
from townsquare.analytics.readers_plan import read_plan_vs_actual
from townsquare.analytics.readers_scope import NO_FILTERS, Filters, day_start
from townsquare.analytics.views_figures import Figure
from townsquare.inbox.models import FeedbackItem, TopicStatus
from townsquare.planning.models import GOAL_METRICS
from townsquare.workspaces.models import Membership

TOP_TOPICS = 10


@dataclass(frozen=True)
class TopicRow:
    title: str
    category: str
    status: str
    items: int


@dataclass(frozen=True)
class ReportContent:
    period: Period
    generated_at: datetime
    groups: tuple[tuple[str, tuple[dashboards.Tile, ...]], ...]
    figures: tuple[tuple[str, Figure], ...]
    plan: PlanVsActual
    goal_labels: dict[int, str]
    goal_status: dict[int, str]
    topics: tuple[TopicRow, ...]


def build_report(
    membership: Membership, period: Period, filters: Filters = NO_FILTERS
) -> ReportContent:
    found = dashboards.overview(membership, period, filters)
    shares = readers.network_breakdown(found.network_days)
    figures = (
        (
            _("Engagements"),
            dashboards.trend_figure(found, period, "engagements", "e", _("Engagements")),
        ),
        (_("Followers"), dashboards.trend_figure(found, period, "followers", "f", _("Followers"))),
        (
            _("Shares per network"),
            dashboards.shares_figure(
                shares.engagements,
                "networks",
                _("Shares per network"),
                _("Network"),
                posts=shares.posts,
            ),
        ),
        (
            _("Engagement by weekday and hour"),
            dashboards.heatmap_figure(membership, period, filters),
        ),
        (_("Top posts"), dashboards.top_posts_figure(membership, period, filters)),
    )
    groups = tuple(
        (label, tuple(tile for tile in found.tiles if tile.group == group))
        for group, label in (
            ("visibility", _("Visibility")),
            ("community", _("Community")),
            ("care", _("Care")),
        )
    )
    plan = read_plan_vs_actual(membership, period, filters)
    metric_names = {key: str(label) for key, label in GOAL_METRICS}
    return ReportContent(
        period=period,
        generated_at=timezone.now(),
        groups=groups,
        figures=figures,
        plan=plan,
        goal_labels={
            progress.goal.goal_id: metric_names.get(progress.goal.metric, progress.goal.metric)
            for progress in plan.goals
        },
        goal_status={
            progress.goal.goal_id: _status_text(progress.status) for progress in plan.goals
        },
        topics=top_topics(membership, period),
    )


def top_topics(membership: Membership, period: Period) -> tuple[TopicRow, ...]:
    """The feedback topics with the most new items in the period (local days)."""
    start = day_start(membership.workspace, period.start)
    end = day_start(membership.workspace, period.end + timedelta(days=1))
    rows = (
        FeedbackItem.objects.filter(
            workspace=membership.workspace,
            topic__isnull=False,
            created_at__gte=start,
            created_at__lt=end,
        )
        .values("topic_id", "topic__title", "topic__category", "topic__status")
        .annotate(items=Count("id"))
        .order_by("-items", "topic__title")[:TOP_TOPICS]
    )
    statuses = dict(TopicStatus.choices)
    return tuple(
        TopicRow(
            title=row["topic__title"],
            category=row["topic__category"],
            status=str(statuses.get(row["topic__status"], row["topic__status"])),
            items=row["items"],
        )
        for row in rows
    )


def _status_text(status: GoalStatus) -> str:
    return {
        GoalStatus.REACHED: _("reached"),
        GoalStatus.ON_TRACK: _("on track"),
        GoalStatus.BEHIND: _("behind"),
        GoalStatus.MISSED: _("missed"),
        GoalStatus.UNKNOWN: _("not measurable yet"),
    }[status]
