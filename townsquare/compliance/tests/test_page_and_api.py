from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from townsquare.compliance.figures import week_start
from townsquare.compliance.marks import local_today
from townsquare.compliance.tests import factories as f
from townsquare.planning.models import Campaign, Pillar
from townsquare.workspaces.models import Membership

pytestmark = pytest.mark.django_db


def this_monday(workspace):
    return week_start(local_today(workspace))


def noon(day):
    return datetime(day.year, day.month, day.day, 11, tzinfo=UTC)


@pytest.fixture
def planned(workspace_a):
    f.plan(workspace_a, {"linkedin_page": 3})
    return f.account(workspace_a, "linkedin_page")


def test_page_shows_weeks_and_counts(alice_client, workspace_a, planned):
    monday = this_monday(workspace_a)
    f.publication(planned, noon(monday + timedelta(days=1)))
    url = f"/w/{workspace_a.slug}/plan/compliance/"
    page = alice_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("data-week=") == 9
    assert "1 von 3 Beiträgen auf LinkedIn (Seite)" in html or "1 of 3 posts on" in html
    assert "data-current-week" in html


def test_page_counts_grow_without_more_queries(alice_client, workspace_a, planned):
    monday = this_monday(workspace_a)
    url = f"/w/{workspace_a.slug}/plan/compliance/"
    with CaptureQueriesContext(connection) as few:
        alice_client.get(url)
    for day in range(20):
        f.publication(planned, noon(monday + timedelta(days=day % 7)))
    with CaptureQueriesContext(connection) as many:
        alice_client.get(url)
    assert len(many) == len(few)


def test_campaign_filter_and_bad_values(alice_client, workspace_a, workspace_b, planned):
    mine = Campaign.objects.create(
        workspace=workspace_a, name="Winterröstung", starts_on="2026-01-01", ends_on="2027-12-31"
    )
    foreign = Campaign.objects.create(
        workspace=workspace_b, name="Trail", starts_on="2026-01-01", ends_on="2027-12-31"
    )
    url = f"/w/{workspace_a.slug}/plan/compliance/"
    assert alice_client.get(url, {"campaign": mine.pk}).status_code == 200
    for bad in (foreign.pk, "x", "\x00", str(2**64)):
        answer = alice_client.get(url, {"campaign": bad})
        assert answer.status_code == 400, bad
        assert "Trail" not in answer.content.decode()


def test_members_only(client, carol, bob, workspace_a):
    url = f"/w/{workspace_a.slug}/plan/compliance/"
    client.force_login(carol)
    assert client.get(url).status_code == 404
    client.force_login(bob)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 405


def test_dashboard_summary_tag(workspace_a, planned):
    f.publication(planned, noon(this_monday(workspace_a)))
    membership = Membership.objects.filter(workspace=workspace_a).first()
    html = Template("{% load compliance %}{% compliance_summary membership %}").render(
        Context({"membership": membership})
    )
    assert 'data-network="linkedin_page"' in html
    assert f"/w/{workspace_a.slug}/plan/compliance/" in html


def test_api_weeks_and_pillars(alice_client, workspace_a, workspace_b, planned):
    monday = this_monday(workspace_a)
    pillar = Pillar.objects.create(workspace=workspace_a, name="Wissen", target_share=60)
    f.publication(planned, noon(monday), "published", pillar=pillar)
    f.publication(f.account(workspace_b, "linkedin_page"), noon(monday))
    url = f"/api/v1/workspaces/{workspace_a.slug}/plan/compliance"
    body = alice_client.get(url, {"start": monday.isoformat(), "end": monday.isoformat()}).json()
    assert body["time_zone"] == "Europe/Berlin" and body["has_plan"]
    [week] = body["weeks"]
    assert week["start"] == monday.isoformat() and week["current"]
    assert week["networks"][0]["planned"] == 3
    assert week["networks"][0]["published"] == 1
    assert week["networks"][0]["scheduled"] == 0
    assert body["pillars"] == [
        {
            "pillar": pillar.pk,
            "name": "Wissen",
            "target": 60,
            "count": 1,
            "share": 100.0,
            "off": True,
        }
    ]
    default = alice_client.get(url).json()
    assert len(default["weeks"]) == 9


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"start": "2026-13-01"}, "invalid_date"),
        ({"end": "07.12.2026"}, "invalid_date"),
        ({"start": "2026-12-01\x00"}, "validation_error"),
        ({"start": "2026-12-10", "end": "2026-12-01"}, "invalid_range"),
        ({"start": "0001-01-01", "end": "0001-01-01"}, "invalid_date"),
        ({"end": "9999-12-31"}, "invalid_date"),
        ({"start": "2026-01-01", "end": "2026-12-31"}, "range_too_long"),
    ],
)
def test_api_bad_ranges(alice_client, workspace_a, params, code):
    answer = alice_client.get(f"/api/v1/workspaces/{workspace_a.slug}/plan/compliance", params)
    assert answer.status_code == 422, answer.content
    assert answer.json()["error"]["code"] == code


def test_api_26_weeks_is_fine_and_foreign_campaign_refused(alice_client, workspace_a, workspace_b):
    url = f"/api/v1/workspaces/{workspace_a.slug}/plan/compliance"
    start = this_monday(workspace_a)
    end = start + timedelta(weeks=26) - timedelta(days=1)
    assert alice_client.get(url, {"start": start, "end": end}).status_code == 200
    foreign = Campaign.objects.create(
        workspace=workspace_b, name="Trail", starts_on="2026-01-01", ends_on="2026-02-01"
    )
    answer = alice_client.get(url, {"campaign": foreign.pk})
    assert answer.status_code == 422 and answer.json()["error"]["code"] == "unknown_campaign"


def test_api_strangers_get_404(client, carol, workspace_a):
    client.force_login(carol)
    assert client.get(f"/api/v1/workspaces/{workspace_a.slug}/plan/compliance").status_code == 404


def test_local_today_is_the_workspace_zone(workspace_a):
    berlin = timezone.localtime(timezone.now(), ZoneInfo("Europe/Berlin"))
    assert local_today(workspace_a) == berlin.date()


def test_dashboard_and_settings_link_here(alice_client, workspace_a, planned):
    dashboard = alice_client.get(f"/w/{workspace_a.slug}/")
    assert dashboard.status_code == 200
    assert "data-compliance-summary" in dashboard.content.decode()
    settings_page = alice_client.get(f"/w/{workspace_a.slug}/settings/feeds/").content.decode()
    assert f'href="/w/{workspace_a.slug}/settings/feeds/" aria-current="page"' in settings_page


def test_calendar_shows_the_marks(alice_client, workspace_a, planned):
    monday = this_monday(workspace_a)
    f.plan(workspace_a, {"linkedin_page": 3}, days={"linkedin_page": [0, 2, 4]})
    f.publication(planned, noon(monday))
    html = alice_client.get(f"/w/{workspace_a.slug}/calendar/").content.decode()
    assert "data-compliance-marks" in html
    assert f'data-week="{monday.isoformat()}"' in html
    assert html.count("townsquare/compliance.css") == 1
