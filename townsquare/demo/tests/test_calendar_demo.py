"""The demo's calendar: three months around today, history published and the weeks ahead
scheduled, tagged with the plan's pillars and campaign, notes and holidays; twice is once."""

import pytest
from django.urls import reverse

from townsquare.calendars.models import CalendarNote, CalendarSettings
from townsquare.content.models import Post
from townsquare.demo.accounts import seed_accounts
from townsquare.demo.calendar import seed_calendar
from townsquare.demo.people import seed_people
from townsquare.demo.planning import seed_plan
from townsquare.publishing.models import Publication

pytestmark = pytest.mark.django_db


def test_the_demo_calendar_spans_three_months_and_running_it_twice_adds_nothing(client):
    user, workspaces = seed_people("demo-pass-123456")
    seed_accounts(workspaces)
    seed_plan(workspaces)
    seed_calendar(workspaces)
    counts = (Post.objects.count(), Publication.objects.count(), CalendarNote.objects.count())
    seed_calendar(workspaces)
    assert counts == (
        Post.objects.count(),
        Publication.objects.count(),
        CalendarNote.objects.count(),
    )
    for workspace in workspaces:
        pubs = Publication.objects.filter(workspace=workspace)
        assert pubs.filter(status="published").count() >= 10
        assert pubs.filter(status="scheduled").count() >= 10
        assert Post.objects.filter(workspace=workspace).exclude(pillar=None).count() >= 20
        assert Post.objects.filter(workspace=workspace).exclude(campaign=None).exists()
        assert CalendarNote.objects.filter(workspace=workspace).count() == 3
    regions = set(CalendarSettings.objects.values_list("country", "subdivision"))
    assert regions == {("DE", "BY"), ("GB", "ENG")}
    client.force_login(user)
    for workspace in workspaces:
        page = client.get(reverse("workspace_calendar", kwargs={"workspace": workspace.slug}))
        assert page.status_code == 200 and b"cal-tile" in page.content
