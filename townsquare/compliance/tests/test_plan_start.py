"""Weeks before the plan started are no gaps: compliance counts from the plan's start."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from townsquare.compliance.figures import Status, week_start
from townsquare.compliance.marks import calendar_marks, compliance
from townsquare.compliance.tests import factories as f
from townsquare.planning.access import workspace_plan
from townsquare.planning.models import Campaign

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 9)  # a Wednesday
MONDAY = week_start(TODAY)


def _statuses(workspace, first, last, **kwargs):
    found = compliance(workspace, first, last, today=TODAY, **kwargs)
    return {row.start: row.status for row in found.weeks}


def test_weeks_before_the_plan_started_are_no_gaps(workspace_a):
    # The plan starts on Thursday of the week before: that week counts in full, the
    # weeks before it hold no plan.
    f.plan(workspace_a, {"linkedin_page": 2}, starts_on=MONDAY - timedelta(days=4))
    statuses = _statuses(workspace_a, MONDAY - timedelta(weeks=3), TODAY)
    assert statuses == {
        MONDAY - timedelta(weeks=3): Status.OK,
        MONDAY - timedelta(weeks=2): Status.OK,
        MONDAY - timedelta(weeks=1): Status.GAP,
        MONDAY: Status.GAP,
    }


def test_publications_before_the_start_are_shown_but_not_held_against_the_plan(workspace_a):
    account = f.account(workspace_a, "linkedin_page")
    f.plan(workspace_a, {"linkedin_page": 3}, starts_on=MONDAY)
    early = MONDAY - timedelta(weeks=1, days=-1)
    f.publication(
        account, datetime(early.year, early.month, early.day, 10, tzinfo=UTC), "published"
    )
    [before, this] = compliance(workspace_a, MONDAY - timedelta(weeks=1), TODAY, today=TODAY).weeks
    [row] = before.rows
    assert (row.planned, row.published, row.status) == (0, 1, Status.UNPLANNED)
    assert this.rows[0].planned == 3 and this.status is Status.GAP


def test_calendar_marks_no_planned_days_before_the_start(workspace_a):
    f.plan(workspace_a, {"linkedin_page": 1}, days={"linkedin_page": [1]}, starts_on=MONDAY)
    marks = calendar_marks(workspace_a, MONDAY - timedelta(weeks=1), TODAY, today=TODAY)
    assert marks.day(MONDAY - timedelta(days=6)) is None
    assert marks.day(MONDAY + timedelta(days=1)).status is Status.GAP


def test_a_campaign_plan_made_after_the_campaign_began_counts_from_its_start(workspace_a):
    campaign = Campaign.objects.create(
        workspace=workspace_a,
        name="Herbst",
        starts_on=MONDAY - timedelta(weeks=4),
        ends_on=MONDAY + timedelta(weeks=2),
    )
    f.plan(workspace_a, {"mastodon": 2}, campaign=campaign, starts_on=MONDAY - timedelta(days=3))
    statuses = _statuses(workspace_a, MONDAY - timedelta(weeks=3), TODAY, campaign=campaign)
    assert statuses[MONDAY - timedelta(weeks=2)] is Status.OK
    assert statuses[MONDAY - timedelta(weeks=1)] is Status.GAP


def test_a_new_plan_starts_on_the_day_it_is_made(workspace_a):
    assert workspace_plan(workspace_a).starts_on == timezone.localdate()


def test_the_compliance_page_says_when_the_plan_starts(alice_client, workspace_a):
    starts = week_start(date.today()) - timedelta(weeks=2)
    f.plan(workspace_a, {"linkedin_page": 2}, starts_on=starts)
    url = f"/w/{workspace_a.slug}/plan/compliance/"
    german = alice_client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Die Wochen vor seiner Woche werden an keinem Plan gemessen." in german
    english = alice_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "the weeks before its week are measured against no plan" in english
    f.plan(workspace_a, {"linkedin_page": 2})  # long ago: nothing to say
    assert "data-plan-start" not in alice_client.get(url).content.decode()
