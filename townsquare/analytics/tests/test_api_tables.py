"""The API's dashboards tables (JSON and CSV, the same rows the pages show), the best time
to post and the PDF report; bad input is a 422 saying what to send; a token only within
its workspace."""

import csv
import io

import pytest
from django.test import Client

from townsquare.analytics.tests import suggest_world
from townsquare.analytics.tests.dashboard_fixtures import make_history
from townsquare.api.actions import do_create_api_token
from townsquare.compliance.tests.factories import account
from townsquare.workspaces.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(workspace_a, alice):
    return make_history(workspace_a, alice)


@pytest.fixture
def token_a(alice, workspace_a):
    _token, raw = do_create_api_token(alice, name="reports", workspace_slugs=[workspace_a.slug])
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def tables_of(client, workspace, dashboard, **query):
    response = client.get(
        f"/api/v1/workspaces/{workspace.slug}/analytics/tables", {"dashboard": dashboard, **query}
    )
    assert response.status_code == 200, response.content
    return {table["key"]: table for table in response.json()["tables"]}


def test_the_overviews_tables_hold_what_the_page_shows(token_a, workspace_a, history):
    tables = tables_of(token_a, workspace_a, "overview")
    assert set(tables) >= {"kpis", "engagement_trend", "networks", "heatmap", "top_posts"}
    top = tables["top_posts"]
    assert top["columns"][0] == "Post"
    assert [row[-1] for row in top["rows"]] == [55, 26], "engagements, most first"
    shares = {row[0]: row for row in tables["networks"]["rows"]}
    assert shares["Mastodon"][2] == 55
    assert len(tables["engagement_trend"]["rows"]) == 28, "one row a day of the period"


def test_every_dashboard_answers_and_the_team_ignores_the_scope(token_a, workspace_a, history):
    for dashboard in ("posts", "campaigns", "variants", "team"):
        assert tables_of(token_a, workspace_a, dashboard, period="90d")
    campaigns = tables_of(token_a, workspace_a, "campaigns")
    assert campaigns["campaigns"]["rows"][0][0] == "Herbstaktion"
    variants = tables_of(token_a, workspace_a, "variants")
    assert variants["variants"]["rows"][0][1:] == [2, 2, 81], "two accounts, two networks"
    narrowed = tables_of(token_a, workspace_a, "posts", network="bluesky")
    assert [row[1] for row in narrowed["posts"]["rows"]] == ["Bluesky"]


def test_one_table_as_csv_in_the_readers_language(token_a, workspace_a, history):
    response = token_a.get(
        f"/api/v1/workspaces/{workspace_a.slug}/analytics/tables",
        {"format": "csv", "table": "top_posts"},
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Beitrag"
    assert rows[1][-1] == "55"


def test_bad_dashboards_tables_and_periods_are_clear_errors(token_a, workspace_a, history):
    base = f"/api/v1/workspaces/{workspace_a.slug}/analytics/tables"
    unknown_table = token_a.get(base, {"format": "csv", "table": "nope"})
    assert unknown_table.status_code == 422
    assert unknown_table.json()["error"]["code"] == "unknown_table"
    assert "top_posts" in unknown_table.json()["error"]["message"], "names the tables"
    assert token_a.get(base, {"period": "yesterday"}).status_code == 422
    assert token_a.get(base, {"account": "999999"}).status_code == 422
    assert token_a.get(base, {"dashboard": "nothing"}).status_code == 422
    assert token_a.get(base, {"format": "xml"}).status_code == 422


def test_the_best_time_per_account_network_and_workspace(token_a, workspace_a):
    masto = account(workspace_a, "mastodon")
    suggest_world.history(masto)
    address = f"/api/v1/workspaces/{workspace_a.slug}/analytics/best-time"
    mine = token_a.get(address, {"account": masto.pk})
    assert mine.status_code == 200, mine.content
    body = mine.json()
    assert body["time_zone"] == workspace_a.time_zone
    (advice,) = body["advice"]
    assert advice["basis"] == "history"
    assert advice["posts"] == 36
    assert (advice["slots"][0]["weekday"], advice["slots"][0]["hour"]) == (1, 18)
    assert body["next_moments"], "concrete times to post"
    network = token_a.get(address, {"network": "mastodon"}).json()
    assert network["advice"][0]["account"] is None
    everything = token_a.get(address).json()
    assert [a["account"] for a in everything["advice"]] == [masto.pk]
    assert token_a.get(address, {"account": "999999"}).status_code == 422
    assert token_a.get(address, {"network": "myspace"}).status_code == 422


def test_thin_history_gives_general_guidance_and_says_so(token_a, workspace_a):
    bsky = account(workspace_a, "bluesky")
    body = token_a.get(
        f"/api/v1/workspaces/{workspace_a.slug}/analytics/best-time",
        {"account": bsky.pk},
        HTTP_ACCEPT_LANGUAGE="de",
    ).json()
    (advice,) = body["advice"]
    assert advice["basis"] == "general"
    assert advice["confidence"] == "low"
    assert "nicht gemessen" in advice["note"]
    assert "Allgemeine Empfehlung" in advice["slots"][0]["reason"]


def test_the_report_as_pdf(token_a, workspace_a, history):
    response = token_a.get(
        f"/api/v1/workspaces/{workspace_a.slug}/analytics/report", {"period": "last_month"}
    )
    assert response.status_code in (200, 503), response.content
    if response.status_code == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
    else:
        assert response.json()["error"]["code"] == "pdf_unavailable"


def test_a_token_of_another_workspace_sees_none_of_it(alice, workspace_a, workspace_b, history):
    Membership.objects.create(workspace=workspace_b, user=alice, role="viewer")
    _token, raw = do_create_api_token(alice, name="B only", workspace_slugs=[workspace_b.slug])
    other = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    base = f"/api/v1/workspaces/{workspace_a.slug}/analytics"
    for address in (f"{base}/tables", f"{base}/best-time", f"{base}/report"):
        assert other.get(address).status_code == 404, address
    theirs = other.get(
        f"/api/v1/workspaces/{workspace_b.slug}/analytics/best-time",
        {"account": history.tracked_masto.account_id},
    )
    assert theirs.status_code == 422, "A's account through B's address"


def test_the_api_offers_exactly_the_dashboards_the_pages_have():
    from typing import get_args

    from townsquare.analytics.api_tables import Dashboard
    from townsquare.analytics.figure_sets import DASHBOARDS

    assert set(get_args(Dashboard)) == set(DASHBOARDS)
