"""Plan compliance in the real UI: the plan asks for three Mastodon posts a week, one is
scheduled for next week; the compliance page says "1 of 3", and after one more post is
scheduled in the composer it says "2 of 3". The calendar feed's address is made once in
Settings and serves an iCalendar file."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from townsquare.compliance.figures import week_start
from townsquare.compliance.marks import local_today
from townsquare.compliance.tests import factories as f
from townsquare.content.actions import PostInput, do_save_post
from townsquare.publishing.actions import do_schedule_post

pytestmark = pytest.mark.browser


def next_week_at(workspace, weekday: int, hour: str) -> str:
    monday = week_start(local_today(workspace)) + timedelta(days=7)
    day: date = monday + timedelta(days=weekday)
    return f"{day.isoformat()}T{hour}"


def test_the_compliance_counter_follows_a_newly_scheduled_post(
    page, sign_in, alice, membership, workspace_a, unlabelled_controls, tmp_path
):
    f.plan(workspace_a, {"mastodon": 3})
    mastodon = f.account(workspace_a, "mastodon")
    first = do_save_post(
        membership,
        PostInput(text="Dienstag: Röstkurs für Einsteiger, noch drei Plätze frei.", language="de"),
        [mastodon.pk],
    )
    do_schedule_post(
        membership, first, datetime.fromisoformat(next_week_at(workspace_a, 1, "09:00"))
    )

    sign_in(page, "alice@example.com", "alice-pass-123")
    page.goto(f"/w/{workspace_a.slug}/plan/compliance/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan compliance")
    monday = week_start(local_today(workspace_a)) + timedelta(days=7)
    row = page.locator(f'tbody[data-week="{monday.isoformat()}"] tr[data-network="mastodon"]')
    expect(row.locator("[data-compliance-text]")).to_have_text("1 of 3 posts on Mastodon")
    expect(row.locator("[data-scheduled]")).to_have_text("1")
    assert unlabelled_controls(page) == []

    page.goto(f"/w/{workspace_a.slug}/compose/")
    page.locator("#master-text").fill("Donnerstag: frische Bohnen aus Kenia im Laden.")
    page.get_by_role("checkbox", name="Mastodon").check()
    expect(page.locator("#previews article.preview")).to_have_count(1)
    page.get_by_label("Publish at").fill(next_week_at(workspace_a, 3, "10:30"))
    page.get_by_role("button", name="Schedule", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Scheduled for")

    page.goto(f"/w/{workspace_a.slug}/plan/compliance/")
    expect(row.locator("[data-compliance-text]")).to_have_text("2 of 3 posts on Mastodon")
    expect(row.locator("[data-scheduled]")).to_have_text("2")
    expect(row).to_have_attribute("data-status", "open")
    page.screenshot(path=tmp_path / "compliance.png", full_page=True)
    page.log.assert_clean()


def test_a_calendar_feed_is_made_once_and_serves_icalendar(page, sign_in, alice, workspace_a):
    sign_in(page, "alice@example.com", "alice-pass-123")
    page.goto(f"/w/{workspace_a.slug}/settings/feeds/")
    page.get_by_label("Name").fill("Kalender im Büro")
    page.get_by_role("button", name="Create feed").click()
    address = page.get_by_label("Feed address")
    url = address.input_value()
    assert "/feeds/tsf_" in url and url.endswith(".ics")
    answer = page.request.get(urlsplit(url).path)
    assert answer.status == 200 and answer.text().startswith("BEGIN:VCALENDAR")
    page.goto(page.url)
    expect(page.get_by_label("Feed address")).to_have_count(0)
    expect(page.get_by_role("cell", name="Kalender im Büro")).to_be_visible()
    page.get_by_role("button", name="Revoke").click()
    expect(page.get_by_text("Calendar feed revoked")).to_be_visible()
    gone = page.request.get(urlsplit(url).path)
    assert gone.status == 404
    page.log.failed.clear()  # the 404 of the revoked feed was asked for on purpose
    page.log.assert_clean()
