"""Plan vs actual: each goal of the plan against what happened, the cadence per network,
and the pillar mix (pure).

The cadence and the pillar mix are the plan compliance's own figures
(townsquare/compliance/figures.py: weeks per network, the pillar mix with its tolerance);
here they are only summed over the period, so both pages always agree.

Definitions:

- **Goal progress**: each goal (planning.Goal) measures one figure from its start (the
  goal's `starts_on`, else the plan's start) to its due date, or to today while it runs:

  | goal metric       | actual                                                        |
  |-------------------|---------------------------------------------------------------|
  | follower_growth   | net follower growth (community.net_growth)                    |
  | reach             | reach (visibility)                                            |
  | views             | views, or impressions where the network reports no views      |
  | engagement_rate   | engagement rate in percent (community.engagement_rate)        |
  | response_time     | median first-response time in hours (lower is better)         |
  | publications      | publications published                                        |

  `progress` is how far the actual has come from the baseline (0 when none) towards the
  target, in percent; `expected` is the share of the goal's time that has passed. A goal
  is `reached` when the actual meets the target, `missed` when its date has passed without,
  `on_track` when progress keeps up with time, `behind` otherwise, `unknown` when the
  figure is not reported.
- **Cadence**: per network, publications published plus scheduled in the period's weeks
  against the plan's publications per week, and the weeks on plan (status ok).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from townsquare.compliance.figures import PillarMix, Status, WeekRow

LOWER_IS_BETTER = frozenset({"response_time"})


class GoalStatus(StrEnum):
    REACHED = "reached"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    MISSED = "missed"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class GoalInput:
    goal_id: int
    metric: str
    network: str  # "" = all networks of the plan
    target: float
    baseline: float | None
    starts_on: date
    due_on: date
    campaign_id: int | None = None


@dataclass(frozen=True, slots=True)
class GoalProgress:
    goal: GoalInput
    actual: float | None
    progress: float | None  # percent of the way from baseline to target
    expected: float  # percent of the goal's time passed
    status: GoalStatus


def goal_progress(goal: GoalInput, actual: float | None, today: date) -> GoalProgress:
    total_days = max(1, (goal.due_on - goal.starts_on).days)
    passed = min(max(0, (today - goal.starts_on).days), total_days)
    expected = passed * 100.0 / total_days
    if actual is None:
        return GoalProgress(goal, None, None, expected, GoalStatus.UNKNOWN)
    lower = goal.metric in LOWER_IS_BETTER
    progress: float | None
    if goal.baseline is None and lower:
        # No starting point for a time to bring down: how close the time is to the target.
        progress = 100.0 if actual <= goal.target else goal.target * 100.0 / actual
    else:
        baseline = goal.baseline if goal.baseline is not None else 0.0
        distance = goal.target - baseline
        progress = 100.0 if distance == 0 else (actual - baseline) * 100.0 / distance
    reached = actual <= goal.target if lower else actual >= goal.target
    if reached:
        status = GoalStatus.REACHED
    elif today > goal.due_on:
        status = GoalStatus.MISSED
    elif progress is not None and progress >= expected:
        status = GoalStatus.ON_TRACK
    else:
        status = GoalStatus.BEHIND
    return GoalProgress(goal, actual, progress, expected, status)


@dataclass(frozen=True, slots=True)
class CadenceRow:
    network: str
    label: str
    planned: int  # over the period's weeks
    published: int
    scheduled: int
    weeks: int  # weeks the network appears in
    weeks_on_plan: int  # of them, weeks as planned (status ok)

    @property
    def actual(self) -> int:
        return self.published + self.scheduled

    @property
    def per_week_planned(self) -> float:
        return self.planned / self.weeks if self.weeks else 0.0

    @property
    def per_week_actual(self) -> float:
        return self.actual / self.weeks if self.weeks else 0.0


def cadence(weeks: Sequence[WeekRow]) -> tuple[CadenceRow, ...]:
    """The compliance weeks summed per network, in the order the networks first appear."""
    totals: dict[str, list[int]] = {}
    labels: dict[str, str] = {}
    for week in weeks:
        for row in week.rows:
            t = totals.setdefault(row.network, [0, 0, 0, 0, 0])
            labels[row.network] = row.label
            t[0] += row.planned
            t[1] += row.published
            t[2] += row.scheduled
            t[3] += 1
            t[4] += 1 if row.status is Status.OK else 0
    return tuple(
        CadenceRow(
            network=network,
            label=labels[network],
            planned=planned,
            published=published,
            scheduled=scheduled,
            weeks=count,
            weeks_on_plan=on_plan,
        )
        for network, (planned, published, scheduled, count, on_plan) in totals.items()
    )


@dataclass(frozen=True, slots=True)
class PlanVsActual:
    goals: tuple[GoalProgress, ...]
    cadence: tuple[CadenceRow, ...]
    pillars: PillarMix
    has_plan: bool
