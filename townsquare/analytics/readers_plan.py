"""Plan vs actual read from the database: each goal's figure over its own dates, and the
compliance's cadence and pillar mix over the period (kpis.plan says how each is measured).

Cadence and pillar mix come from townsquare.compliance.marks.compliance (the plan
compliance page's own reading, three queries), so the two pages always agree. A goal
costs a few queries of its own; a plan has a handful of goals.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from townsquare.analytics import readers, readers_inbox
from townsquare.analytics.kpis.care import response_times
from townsquare.analytics.kpis.community import net_growth, overall_engagement_rate
from townsquare.analytics.kpis.periods import Period
from townsquare.analytics.kpis.plan import (
    GoalInput,
    GoalProgress,
    PlanVsActual,
    cadence,
    goal_progress,
)
from townsquare.analytics.readers_scope import NO_FILTERS, Filters, in_period, zone
from townsquare.compliance.marks import compliance
from townsquare.planning.access import access_campaigns, access_goals
from townsquare.planning.models import Campaign, Goal
from townsquare.publishing.access import access_publications
from townsquare.publishing.schedule import Status as PublicationStatus
from townsquare.workspaces.models import Membership


def _today(membership: Membership) -> date:
    return timezone.localtime(timezone.now(), zone(membership.workspace)).date()


def goal_actual(
    membership: Membership, metric: str, window: Period, filters: Filters
) -> float | None:
    """The goal's figure over its window (kpis.plan's table); None: not reported."""
    if metric == "follower_growth":
        current, _before = readers.read_followers(membership, window, filters)
        found = net_growth(current)
        return None if found is None else float(found)
    if metric in ("reach", "views"):
        seen = readers.read_visibility(membership, window, filters)
        value = seen.reach.value if metric == "reach" else seen.views.value
        if metric == "views" and value is None:
            value = seen.impressions.value
        return None if value is None else float(value)
    if metric == "engagement_rate":
        followers = readers.read_followers(membership, window, filters)
        rows, _before = readers.engagement_inputs(membership, window, filters, followers)
        return overall_engagement_rate(rows)[0]
    if metric == "response_time":
        now, _before = readers_inbox.read_care_inputs(membership, window, filters)
        minutes = response_times(now.responses, ()).median.value
        return None if minutes is None else minutes / 60.0
    if metric == "publications":
        found = access_publications(membership).filter(
            in_period("published_at", membership.workspace, window),
            status=PublicationStatus.PUBLISHED.value,
        )
        if filters.network:
            found = found.filter(account__network=filters.network)
        if filters.campaign_id is not None:
            found = found.filter(post__campaign_id=filters.campaign_id)
        return float(found.count())
    return None


def _goal_input(goal: Goal) -> GoalInput:
    return GoalInput(
        goal_id=goal.pk,
        metric=goal.metric,
        network=goal.network,
        target=float(goal.target),
        baseline=None if goal.baseline is None else float(goal.baseline),
        starts_on=goal.starts_on or goal.plan.starts_on,
        due_on=goal.due_on,
        campaign_id=goal.plan.campaign_id,
    )


def read_goals(
    membership: Membership, period: Period, campaign: Campaign | None, today: date
) -> tuple[GoalProgress, ...]:
    """The goals of the workspace's plan (or of the campaign's) that run during the
    period, each measured from its start to its date, or to today while it runs."""
    goals = access_goals(membership).filter(plan__campaign=campaign, due_on__gte=period.start)
    out: list[GoalProgress] = []
    for goal in goals:
        data = _goal_input(goal)
        if data.starts_on > period.end:
            continue
        last = min(data.due_on, today)
        actual = None
        if last >= data.starts_on:
            window = Period(data.starts_on, last)
            scope = Filters(
                network=data.network, campaign_id=campaign.pk if campaign is not None else None
            )
            actual = goal_actual(membership, data.metric, window, scope)
        out.append(goal_progress(data, actual, today))
    return tuple(out)


def read_plan_vs_actual(
    membership: Membership,
    period: Period,
    filters: Filters = NO_FILTERS,
    *,
    today: date | None = None,
) -> PlanVsActual:
    """Goals, cadence and pillar mix against the plan (of the campaign when the filters
    name one; a campaign of another workspace is none)."""
    today = today or _today(membership)
    campaign = None
    if filters.campaign_id is not None:
        campaign = access_campaigns(membership).filter(pk=filters.campaign_id).first()
    figures = compliance(
        membership.workspace, period.start, period.end, campaign=campaign, today=today
    )
    return PlanVsActual(
        goals=read_goals(membership, period, campaign, today),
        cadence=cadence(figures.weeks),
        pillars=figures.pillars,
        has_plan=figures.has_plan,
    )
