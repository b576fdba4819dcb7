"""The plan's figures for a span of days, read from the database in a fixed number of
queries (the plan's networks, the publications, the pillars), whatever the number of posts.

`calendar_marks` is what the calendar shows beside its weeks and days; `compliance` is the
whole picture the compliance page, the API and the weekly plan check use.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import pgettext

from townsquare.compliance.day_counts import PUBLISHED_STATES, SCHEDULED_STATES, day_counts
from townsquare.compliance.figures import (
    Counts,
    DayMark,
    PillarInput,
    PillarMix,
    Status,
    WeekRow,
    day_marks,
    pillar_mix,
    week_rows,
    weeks_between,
)
from townsquare.lib.local_time import zone_of
from townsquare.networks.catalog import NETWORK_CHOICES, network_label
from townsquare.planning.models import Campaign, NetworkPlan, Pillar
from townsquare.publishing.models import Publication
from townsquare.workspaces.models import Workspace

# Days outside these hold no publications and would overflow in zone arithmetic; a span
# reaching beyond them is cut to them.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)


@dataclass(frozen=True)
class CalendarMarks:
    """Per ISO week (keyed by its Monday) the plan's figures per network, and per day the
    preferred days of networks short of their plan."""

    weeks: dict[date, WeekRow] = field(default_factory=dict)
    days: dict[date, DayMark] = field(default_factory=dict)
    has_plan: bool = False

    def week(self, day: date) -> WeekRow | None:
        return self.weeks.get(day - timedelta(days=day.weekday()))

    def day(self, day: date) -> DayMark | None:
        return self.days.get(day)

    @property
    def week_list(self) -> list[WeekRow]:
        return [self.weeks[k] for k in sorted(self.weeks)]


@dataclass(frozen=True)
class Compliance:
    weeks: list[WeekRow]
    pillars: PillarMix
    days: dict[date, DayMark]
    has_plan: bool
    zone: str
    campaign: Campaign | None = None


def _language() -> str:
    return (translation.get_language() or "en").lower()


def _labels() -> dict[str, str]:
    # In the order of the networks' English names, as every list of networks is.
    return {key: network_label(key) for key, _name in NETWORK_CHOICES}


def _zone(workspace: Workspace) -> ZoneInfo:
    return ZoneInfo(zone_of(workspace))


def local_today(workspace: Workspace, now: datetime | None = None) -> date:
    return timezone.localtime(now or timezone.now(), _zone(workspace)).date()


def _bounds(workspace: Workspace, first: date, last: date) -> tuple[datetime, datetime]:
    zone = _zone(workspace)
    start = datetime.combine(first, time.min, tzinfo=zone).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone).astimezone(UTC)
    return start, end


Entries = dict[str, tuple[int, list[int]]]


@dataclass(frozen=True)
class _Cadence:
    """The plan's cadence rows: the workspace's, and each running campaign's with its
    dates (a campaign's entry replaces the workspace's for that network while it runs).

    Each plan asks for its cadence only from the week it starts in: before it there was no
    plan to follow, so those weeks show what was published, without gaps."""

    base: Entries
    campaigns: list[tuple[int, date, date, Entries]]
    base_starts: date | None = None

    def for_week(
        self, monday: date, campaign: Campaign | None
    ) -> tuple[dict[str, int], dict[str, list[int]]]:
        sunday = monday + timedelta(days=6)
        entries: Entries = {}
        if campaign is None and _started(self.base_starts, sunday):
            entries.update(self.base)
        overrides: Entries = {}
        for pk, starts, ends, rows in self.campaigns:
            if campaign is not None and pk != campaign.pk:
                continue
            if starts > sunday or ends < monday:
                continue
            for network, (per_week, days) in rows.items():
                # Two campaigns at once: the larger cadence of the two.
                if network not in overrides or per_week > overrides[network][0]:
                    overrides[network] = (per_week, days)
        entries.update(overrides)
        return (
            {network: per_week for network, (per_week, _d) in entries.items()},
            {network: days for network, (_n, days) in entries.items()},
        )


def _started(plan_starts: date | None, sunday: date) -> bool:
    """Whether a plan starting on `plan_starts` applies to the week ending `sunday`: the
    week it starts in counts in full."""
    return plan_starts is None or plan_starts <= sunday


def _plan(workspace: Workspace, campaign: Campaign | None) -> tuple[_Cadence, bool]:
    """The cadence of the workspace's plan and its campaigns' plans (one query); whether
    the plan asked for (the workspace's, or the campaign's) names any network."""
    rows = NetworkPlan.objects.filter(plan__workspace=workspace).filter(
        Q(plan__campaign=None) | Q(plan__campaign__archived_at=None)
    )
    if campaign is not None:
        rows = rows.filter(plan__campaign=campaign)
    base: Entries = {}
    base_starts: date | None = None
    by_campaign: dict[int, tuple[date, date, Entries]] = {}
    for network, per_week, days, pk, starts, ends, plan_starts in rows.values_list(
        "network",
        "posts_per_week",
        "preferred_days",
        "plan__campaign_id",
        "plan__campaign__starts_on",
        "plan__campaign__ends_on",
        "plan__starts_on",
    ):
        entry = (int(per_week or 0), [d for d in (days or []) if isinstance(d, int)])
        if pk is None:
            base[network] = entry
            base_starts = plan_starts
        else:
            # A campaign's plan made after the campaign began: its cadence from its start.
            begins = max(starts, plan_starts - timedelta(days=plan_starts.weekday()))
            by_campaign.setdefault(pk, (begins, ends, {}))[2][network] = entry
    cadence = _Cadence(
        base=base,
        campaigns=[
            (pk, starts, ends, rows)
            for pk, (starts, ends, rows) in by_campaign.items()
            if starts <= ends
        ],
        base_starts=base_starts,
    )
    found = bool(by_campaign) if campaign is not None else bool(base)
    return cadence, found


def _publications(
    workspace: Workspace, first: date, last: date, campaign: Campaign | None
) -> list[tuple[date, str, str, int, int | None]]:
    """(local day, network, status, post id, pillar id) of every counted publication in
    the span (one query)."""
    start, end = _bounds(workspace, first, last)
    rows = Publication.objects.filter(
        workspace=workspace, status__in=SCHEDULED_STATES + PUBLISHED_STATES
    ).filter(
        Q(due_at__gte=start, due_at__lt=end) | Q(published_at__gte=start, published_at__lt=end)
    )
    if campaign is not None:
        rows = rows.filter(post__campaign=campaign)
    zone = _zone(workspace)
    out: list[tuple[date, str, str, int, int | None]] = []
    for status, due_at, published_at, network, post_id, pillar_id in rows.values_list(
        "status", "due_at", "published_at", "account__network", "post_id", "post__pillar_id"
    ):
        when = published_at if status in PUBLISHED_STATES and published_at else due_at
        if when is None or not (start <= when < end):
            continue
        out.append((when.astimezone(zone).date(), network, status, post_id, pillar_id))
    return out


def _figures(
    workspace: Workspace,
    first_day: date,
    last_day: date,
    campaign: Campaign | None,
    today: date | None,
    *,
    with_posts: bool,
) -> tuple[list[WeekRow], dict[date, DayMark], list[tuple[date, str, str, int, int | None]], bool]:
    """The weeks' rows and the days' marks; with_posts also returns every counted
    publication with its post and pillar (the pillar mix needs them; the calendar does not,
    and counting in the database is what keeps a busy month fast)."""
    lang = _language()
    today = today or local_today(workspace)
    weeks = weeks_between(max(first_day, FIRST_DAY), min(last_day, LAST_DAY))
    if not weeks:
        return [], {}, [], False
    first, last = weeks[0], weeks[-1] + timedelta(days=6)
    cadence, has_plan = _plan(workspace, campaign)
    pubs: list[tuple[date, str, str, int, int | None]] = []
    if with_posts:
        pubs = _publications(workspace, first, last, campaign)
        counted = [(day, network, status, 1) for day, network, status, _p, _q in pubs]
    else:
        counted = day_counts(workspace, _bounds, first, last, campaign)
    counts: dict[tuple[date, str], list[int]] = defaultdict(lambda: [0, 0])
    posted: dict[str, set[date]] = defaultdict(set)
    for day, network, status, n in counted:
        monday = day - timedelta(days=day.weekday())
        counts[(monday, network)][1 if status in PUBLISHED_STATES else 0] += n
        posted[network].add(day)
    frozen = {key: Counts(scheduled=s, published=p) for key, (s, p) in counts.items()}
    labels = _labels()
    rows: list[WeekRow] = []
    marks: dict[date, DayMark] = {}
    for monday in weeks:
        # A campaign's cadence applies only while it runs.
        planned, preferred = cadence.for_week(monday, campaign)
        row = week_rows([monday], planned, frozen, labels, today, lang)[0]
        rows.append(row)
        marks.update(day_marks([row], preferred, posted, today, lang))
    return rows, marks, pubs, has_plan


def calendar_marks(
    workspace: Workspace,
    first_day: date,
    last_day: date,
    *,
    campaign: Campaign | None = None,
    today: date | None = None,
) -> CalendarMarks:
    """The plan's figures for every ISO week touching [first_day, last_day], in the
    workspace's zone: two queries whatever the number of posts."""
    if last_day < first_day:
        return CalendarMarks()
    rows, marks, _pubs, has_plan = _figures(
        workspace, first_day, last_day, campaign, today, with_posts=False
    )
    return CalendarMarks(
        weeks={row.start: row for row in rows},
        days={d: m for d, m in marks.items() if first_day <= d <= last_day},
        has_plan=has_plan,
    )


def compliance(
    workspace: Workspace,
    first_day: date,
    last_day: date,
    *,
    campaign: Campaign | None = None,
    today: date | None = None,
) -> Compliance:
    """Weeks, per-day marks and the pillar mix (over the weeks' counted posts) for the page,
    the API and the weekly check: three queries."""
    rows, marks, pubs, has_plan = _figures(
        workspace, first_day, last_day, campaign, today, with_posts=True
    )
    per_post: dict[int, int | None] = {post: pillar for _d, _n, _s, post, pillar in pubs}
    counts: Counter[int | None] = Counter(per_post.values())
    pillars = [
        PillarInput(pk, name, int(target))
        for pk, name, target in Pillar.objects.filter(workspace=workspace).values_list(
            "pk", "name", "target_share"
        )
    ]
    mix = pillar_mix(
        pillars, counts, _language(), no_pillar_name=pgettext("content pillar", "No pillar")
    )
    return Compliance(
        weeks=rows,
        pillars=mix,
        days=marks,
        has_plan=has_plan,
        zone=zone_of(workspace),
        campaign=campaign,
    )


__all__ = ["CalendarMarks", "Compliance", "Status", "calendar_marks", "compliance"]
