"""The PDF report of a period: the dashboards' key figures and charts, plan against actual,
the top feedback topics; made without fetching anything; for those who may see analytics."""

from __future__ import annotations

import html
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from townsquare.analytics.kpis.periods import Period
from townsquare.analytics.report import build_report, top_topics
from townsquare.analytics.report_pdf import FetchRefused, _refuse, report_html
from townsquare.analytics.tests.dashboard_fixtures import make_history
from townsquare.inbox.models import FeedbackItem, FeedbackTopic
from townsquare.lib.local_time import zone_of
from townsquare.workspaces.models import Membership


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def local_day(moment, workspace):
    """The workspace's local day of a moment (periods are local days)."""
    return timezone.localtime(moment, ZoneInfo(zone_of(workspace))).date()


@pytest.fixture
def history(workspace_a, alice):
    return make_history(workspace_a, alice)


def url(workspace, **query: str) -> str:
    base = reverse("analytics_report_pdf", kwargs={"workspace": workspace.slug})
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_report_downloads_as_a_pdf(client, alice, workspace_a, history):
    client.force_login(alice)

    response = client.get(url(workspace_a, period="28d"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="townsquare-')
    body = response.content
    assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF")
    assert len(body) > 5_000  # charts and tables, not an empty page


def test_the_report_holds_the_figures_the_plan_and_the_topics(membership, history):
    topic = FeedbackTopic.objects.create(
        workspace=membership.workspace, title="Lieferzeiten", category="complaint"
    )
    FeedbackItem.objects.create(
        workspace=membership.workspace,
        topic=topic,
        category="complaint",
        created_at=history.tracked_masto.published_at,
    )
    today = local_day(history.tracked_masto.published_at, membership.workspace)
    period = Period(today.replace(day=1), today)
    content = build_report(membership, period)

    page = text_of(report_html(membership.workspace, content, "This month"))

    assert f"Report for {membership.workspace.name}" in page
    for heading in ("Visibility", "Community", "Care", "Engagements", "Top posts"):
        assert heading in page
    assert "Plan against what happened" in page
    assert "Lieferzeiten" in page
    assert page.count("<svg") == 0  # text only here; the charts are inline SVG in the HTML
    assert report_html(membership.workspace, content, "x").count("<svg") >= 2


def test_the_report_speaks_german(membership, history):
    today = local_day(history.tracked_masto.published_at, membership.workspace)
    with translation.override("de"):
        content = build_report(membership, Period(today.replace(day=1), today))
        page = text_of(report_html(membership.workspace, content, "Dieser Monat"))
    assert f"Bericht für {membership.workspace.name}" in page
    assert "Plan und Wirklichkeit" in page
    assert "Report for" not in page


def test_topics_count_only_items_of_the_period_and_of_the_workspace(
    membership, workspace_b, history
):
    mine = FeedbackTopic.objects.create(workspace=membership.workspace, title="Mine")
    theirs = FeedbackTopic.objects.create(workspace=workspace_b, title="Theirs")
    when = history.tracked_masto.published_at
    for topic in (mine, mine, theirs):
        FeedbackItem.objects.create(
            workspace=topic.workspace, topic=topic, category="question", created_at=when
        )
    period = Period(local_day(when, membership.workspace), local_day(when, membership.workspace))
    assert [(row.title, row.items) for row in top_topics(membership, period)] == [("Mine", 2)]
    earlier = Period(
        period.start.replace(year=period.start.year - 1),
        period.start.replace(year=period.start.year - 1),
    )
    assert top_topics(membership, earlier) == ()


def test_making_a_pdf_fetches_nothing():
    with pytest.raises(FetchRefused):
        _refuse("http://169.254.169.254/latest/meta-data/")


def test_a_viewer_may_download_and_a_stranger_gets_404(
    client, bob, carol, workspace_a, workspace_b, history
):
    Membership.objects.filter(user=bob, workspace=workspace_a).update(role="viewer")
    client.force_login(bob)
    assert client.get(url(workspace_a)).status_code == 200
    client.force_login(carol)
    assert client.get(url(workspace_a)).status_code == 404
    assert client.post(url(workspace_a)).status_code in (404, 405)
