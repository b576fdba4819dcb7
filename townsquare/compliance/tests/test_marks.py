from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from townsquare.compliance.figures import Status
from townsquare.compliance.marks import calendar_marks, compliance
from townsquare.compliance.tests import factories as f
from townsquare.planning.models import Campaign, Pillar

pytestmark = pytest.mark.django_db

# Monday 7 December 2026 in Berlin.
MONDAY = date(2026, 12, 7)


def at(day: date, hour: int = 9) -> datetime:
    # 09:00 Berlin in winter is 08:00 UTC.
    return datetime(day.year, day.month, day.day, hour - 1, tzinfo=UTC)


def test_counts_per_network_and_week(workspace_a):
    f.plan(workspace_a, {"linkedin_page": 3, "mastodon": 2})
    li = f.account(workspace_a, "linkedin_page")
    masto = f.account(workspace_a, "mastodon")
    f.publication(li, at(MONDAY), "published")
    f.publication(li, at(MONDAY + timedelta(days=2)))
    f.publication(li, at(MONDAY + timedelta(days=3)), "failed")
    f.publication(li, at(MONDAY + timedelta(days=4)), "cancelled")
    f.publication(masto, at(MONDAY + timedelta(days=7)))
    with translation.override("en"):
        marks = calendar_marks(workspace_a, MONDAY, MONDAY + timedelta(days=13), today=MONDAY)
    week = marks.week(MONDAY + timedelta(days=3))
    assert week is not None
    rows = {row.network: row for row in week.rows}
    assert (rows["linkedin_page"].scheduled, rows["linkedin_page"].published) == (1, 1)
    assert rows["linkedin_page"].status is Status.GAP
    assert rows["linkedin_page"].text == "2 of 3 posts on LinkedIn (page)"
    assert rows["mastodon"].status is Status.GAP
    nxt = marks.week(MONDAY + timedelta(days=7))
    assert nxt is not None
    assert {r.network: r.status for r in nxt.rows} == {
        "linkedin_page": Status.OPEN,
        "mastodon": Status.OPEN,
    }


def test_local_week_boundaries(workspace_a):
    """Sunday 23:30 Berlin is Sunday 22:30 UTC: it belongs to the week before Monday."""
    f.plan(workspace_a, {"mastodon": 1})
    masto = f.account(workspace_a, "mastodon")
    f.publication(masto, datetime(2026, 12, 6, 22, 30, tzinfo=UTC))  # Sun 23:30 Berlin
    f.publication(masto, datetime(2026, 12, 6, 23, 30, tzinfo=UTC))  # Mon 00:30 Berlin
    marks = calendar_marks(workspace_a, MONDAY - timedelta(days=7), MONDAY + timedelta(days=6))
    before = marks.week(MONDAY - timedelta(days=1))
    this = marks.week(MONDAY)
    assert before is not None and this is not None
    assert before.rows[0].count == 1
    assert this.rows[0].count == 1


def test_query_count_does_not_grow(workspace_a, django_assert_max_num_queries):
    f.plan(workspace_a, {"linkedin_page": 3})
    li = f.account(workspace_a, "linkedin_page")
    f.publication(li, at(MONDAY))
    with CaptureQueriesContext(connection) as few:
        calendar_marks(workspace_a, MONDAY, MONDAY + timedelta(days=34))
    for i in range(60):
        f.publication(
            li, at(MONDAY + timedelta(days=i % 30)), "published" if i % 2 else "scheduled"
        )
    with CaptureQueriesContext(connection) as many:
        marks = calendar_marks(workspace_a, MONDAY, MONDAY + timedelta(days=34))
    assert len(many) == len(few) <= 2
    assert sum(r.count for w in marks.week_list for r in w.rows) == 61
    with CaptureQueriesContext(connection) as page:
        compliance(workspace_a, MONDAY, MONDAY + timedelta(days=34))
    assert len(page) <= 3


def test_other_workspace_not_counted(workspace_a, workspace_b):
    f.plan(workspace_a, {"mastodon": 1})
    f.publication(f.account(workspace_b, "mastodon"), at(MONDAY))
    marks = calendar_marks(workspace_a, MONDAY, MONDAY + timedelta(days=6), today=MONDAY)
    week = marks.week(MONDAY)
    assert week is not None
    assert week.rows[0].count == 0


def test_campaign_filter_and_pillars(workspace_a):
    campaign = Campaign.objects.create(
        workspace=workspace_a, name="Winterröstung", starts_on=MONDAY, ends_on=MONDAY
    )
    f.plan(workspace_a, {"mastodon": 2})
    f.plan(workspace_a, {"mastodon": 1}, campaign=campaign)
    edu = Pillar.objects.create(workspace=workspace_a, name="Wissen", target_share=50)
    Pillar.objects.create(workspace=workspace_a, name="Team", target_share=50)
    masto = f.account(workspace_a, "mastodon")
    f.publication(masto, at(MONDAY), campaign=campaign, pillar=edu)
    f.publication(masto, at(MONDAY + timedelta(days=1)), pillar=edu)
    result = compliance(
        workspace_a, MONDAY, MONDAY + timedelta(days=13), campaign=campaign, today=MONDAY
    )
    assert result.weeks[0].rows[0].planned == 1
    assert result.weeks[0].rows[0].count == 1
    assert result.weeks[1].rows == ()  # the campaign has ended
    whole = compliance(workspace_a, MONDAY, MONDAY + timedelta(days=6), today=MONDAY)
    assert whole.weeks[0].rows[0].count == 2
    shares = {row.name: (row.share, row.off) for row in whole.pillars.rows}
    assert shares == {"Wissen": (100.0, True), "Team": (0.0, True)}


def test_partial_renders(workspace_a):
    f.plan(workspace_a, {"linkedin_page": 3}, days={"linkedin_page": [0, 2, 4]})
    f.publication(f.account(workspace_a, "linkedin_page"), at(MONDAY))
    with translation.override("de"):
        marks = calendar_marks(workspace_a, MONDAY, MONDAY + timedelta(days=6), today=MONDAY)
        html = render_to_string("compliance/_calendar_marks.html", {"compliance_marks": marks})
        day = render_to_string(
            "compliance/_calendar_marks.html",
            {"compliance_marks": marks, "compliance_day": MONDAY + timedelta(days=2)},
        )
    assert "1 von 3 Beiträgen auf LinkedIn (Seite)" in html or "1 von 3 Beiträgen auf" in html
    assert 'data-status="gap"' in html
    assert "Laut Plan: " in day


def test_days_beyond_any_calendar_give_no_weeks(workspace_a):
    assert calendar_marks(workspace_a, date(1, 1, 1), date(1, 1, 31)).weeks == {}
    far = calendar_marks(workspace_a, date(9999, 12, 1), date(9999, 12, 31))
    assert far.weeks == {} and far.days == {}
    edge = calendar_marks(workspace_a, date(2999, 12, 25), date(9999, 12, 31))
    assert sorted(edge.weeks) == [date(2999, 12, 23), date(2999, 12, 30)]


def test_a_running_campaigns_cadence_replaces_the_workspaces(workspace_a):
    from django.utils import timezone

    launch = Campaign.objects.create(
        workspace=workspace_a,
        name="Jahresauftakt",
        starts_on=MONDAY + timedelta(days=10),
        ends_on=MONDAY + timedelta(days=12),
    )
    old = Campaign.objects.create(
        workspace=workspace_a,
        name="Sommer",
        starts_on=MONDAY,
        ends_on=MONDAY + timedelta(days=30),
        archived_at=timezone.now(),
    )
    f.plan(workspace_a, {"linkedin_page": 2, "mastodon": 3})
    f.plan(workspace_a, {"linkedin_page": 5}, campaign=launch)
    f.plan(workspace_a, {"mastodon": 9}, campaign=old)  # archived: no longer in force
    marks = calendar_marks(workspace_a, MONDAY, MONDAY + timedelta(days=20), today=MONDAY)
    planned = {w.start: {r.network: r.planned for r in w.rows} for w in marks.week_list}
    assert planned[MONDAY] == {"linkedin_page": 2, "mastodon": 3}
    assert planned[MONDAY + timedelta(days=7)] == {"linkedin_page": 5, "mastodon": 3}
    assert planned[MONDAY + timedelta(days=14)] == {"linkedin_page": 2, "mastodon": 3}
    only = calendar_marks(
        workspace_a, MONDAY, MONDAY + timedelta(days=20), campaign=launch, today=MONDAY
    )
    assert {w.start: [r.planned for r in w.rows] for w in only.week_list} == {
        MONDAY: [],
        MONDAY + timedelta(days=7): [5],
        MONDAY + timedelta(days=14): [],
    }
    assert only.has_plan


def test_the_calendar_counted_by_the_database_agrees_with_the_page(workspace_a):
    """The calendar's marks count per day in the database; the page reads every post (it
    needs their pillars). Across the spring change of clocks, late evenings and every
    status, both say the same."""
    f.plan(workspace_a, {"mastodon": 3, "bluesky": 2})
    masto = f.account(workspace_a, "mastodon")
    bsky = f.account(workspace_a, "bluesky")
    first = date(2027, 3, 22)  # the Monday before Berlin's clocks go forward (28 March)
    statuses = ["scheduled", "published", "failed", "by_hand", "cancelled", "unknown"]
    for n in range(40):
        day = first + timedelta(days=n % 14)
        when = datetime(day.year, day.month, day.day, (n * 5) % 24, (n * 7) % 60, tzinfo=UTC)
        f.publication(masto if n % 3 else bsky, when, statuses[n % len(statuses)])
    last = first + timedelta(days=13)
    with translation.override("de"):
        marks = calendar_marks(workspace_a, first, last, today=first)
        page = compliance(workspace_a, first, last, today=first)
    assert [
        (w.start, [(r.network, r.scheduled, r.published) for r in w.rows]) for w in page.weeks
    ] == [
        (w.start, [(r.network, r.scheduled, r.published) for r in w.rows]) for w in marks.week_list
    ]
    assert sum(r.count for w in marks.week_list for r in w.rows) == 27, "40 less failed/cancelled"
    assert {d: m for d, m in page.days.items() if first <= d <= last} == marks.days
