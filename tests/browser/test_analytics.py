"""The analytics dashboard in the real UI: key figures and charts, the table view, a CSV
download holding the table's numbers, the PDF report of the period, and a phone-wide page
that never scrolls sideways."""

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from townsquare.analytics.tests.dashboard_fixtures import make_history

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}


def test_open_the_dashboard_switch_to_tables_and_download_a_csv_and_the_report(
    page, sign_in, alice, workspace_a, unlabelled_controls, tmp_path
):
    make_history(workspace_a, alice)
    sign_in(page, "alice@example.com", "alice-pass-123")
    page.goto(f"/w/{workspace_a.slug}/")
    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Analytics").click()
    expect(page.get_by_role("heading", name="Analytics", exact=True)).to_be_visible()
    expect(page.locator("[data-kpi=followers] [data-value]")).to_have_text("920")
    expect(page.locator("[data-figure=engagement_trend] svg").first).to_be_visible()
    assert unlabelled_controls(page) == []
    page.screenshot(path=str(tmp_path / "charts.png"), full_page=True)

    page.get_by_role("link", name="Show as tables").click()
    table = page.locator("table[data-table=top_posts]")
    expect(table).to_be_visible()
    expect(table.get_by_role("link", name="Herbstkaffee auf mastodon")).to_be_visible()
    shown = [
        cell.strip() for cell in table.locator("tbody tr").first.locator("th, td").all_inner_texts()
    ]

    with page.expect_download() as waiting:
        page.locator("[data-csv=top_posts]").click()
    download = waiting.value
    assert download.suggested_filename.endswith(".csv")
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "Post"
    assert rows[1][0] == shown[0] == "Herbstkaffee auf mastodon"
    assert rows[1][-1] == shown[-1] == "55", "the same engagements in the file and the table"

    with page.expect_download() as waiting:
        page.locator("[data-report-pdf]").click()
    report = waiting.value
    assert report.suggested_filename.endswith(".pdf")
    assert Path(report.path()).read_bytes().startswith(b"%PDF")

    page.set_viewport_size(PHONE)
    for view in ("", "?view=tables", "posts/?view=tables", "campaigns/", "team/"):
        page.goto(f"/w/{workspace_a.slug}/analytics/{view}")
        page.wait_for_load_state()
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= PHONE["width"], f"the page scrolls sideways on a phone ({wide}px) {view}"
        page.screenshot(path=str(tmp_path / f"phone-{view.replace('/', '_')}.png"), full_page=True)
    page.log.assert_clean()
