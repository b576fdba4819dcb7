"""The analytics API: the overview's key figures with the previous period, the posts of a
period, one post's counters over time; a token only within its workspace; bad periods and
filters are a 422 that says what to send."""

import pytest
from django.test import Client

from townsquare.analytics.tests.dashboard_fixtures import make_history
from townsquare.api.actions import do_create_api_token
from townsquare.workspaces.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(workspace_a, alice):
    return make_history(workspace_a, alice)


@pytest.fixture
def token_a(alice, workspace_a):
    _token, raw = do_create_api_token(alice, name="reports", workspace_slugs=[workspace_a.slug])
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_the_overview_gives_each_key_figure_beside_the_previous_period(
    token_a, workspace_a, history
):
    response = token_a.get(f"/api/v1/workspaces/{workspace_a.slug}/analytics/overview")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["period"]["key"] == "28d"
    assert body["period"]["time_zone"] == "Europe/Berlin"
    kpis = {kpi["key"]: kpi for kpi in body["kpis"]}
    assert kpis["followers"]["value"] == 920
    assert kpis["followers"]["previous"] == 864
    assert kpis["followers"]["unit"] == "count"
    assert len(kpis["followers"]["series"]) == 28
    assert kpis["headline"]["value"] is None, "unknown, never 0"
    assert kpis["engagements"]["value"] == 81
    assert body["freshness"]["read_at"] is not None


def test_the_overview_narrows_to_one_network(token_a, workspace_a, history):
    response = token_a.get(
        f"/api/v1/workspaces/{workspace_a.slug}/analytics/overview",
        {"network": "bluesky", "period": "7d"},
    )
    kpis = {kpi["key"]: kpi for kpi in response.json()["kpis"]}
    assert kpis["followers"]["value"] == 360
    assert kpis["engagements"]["value"] == 26


def test_the_posts_of_a_period_and_one_posts_counters_over_time(token_a, workspace_a, history):
    listing = token_a.get(f"/api/v1/workspaces/{workspace_a.slug}/analytics/posts")
    assert [row["network_post_id"] for row in listing.json()] == ["m-1", "b-1"]
    first = listing.json()[0]
    assert first["counters"]["likes"] == 40
    assert first["counters"]["impressions"] is None
    assert first["post"] == history.post.pk
    detail = token_a.get(
        f"/api/v1/workspaces/{workspace_a.slug}/analytics/posts/{history.tracked_masto.pk}"
    )
    assert detail.status_code == 200
    likes = [s["counters"]["likes"] for s in detail.json()["snapshots"]]
    assert likes == [10, 30, 40], "oldest first, cumulative"


def test_bad_periods_and_filters_are_422_saying_what_to_send(token_a, workspace_a, history):
    address = f"/api/v1/workspaces/{workspace_a.slug}/analytics/overview"
    cases = (
        ({"period": "yesterday"}, "invalid_period"),
        ({"period": "custom", "start": "2026-01-01"}, "invalid_period"),
        ({"period": "custom", "start": "2026-02-01", "end": "2026-01-01"}, "invalid_period"),
        ({"period": "custom", "start": "2020-01-01", "end": "2026-01-01"}, "invalid_period"),
        ({"network": "myspace"}, "unknown_network"),
        ({"campaign": "999999"}, "unknown_campaign"),
        ({"pillar": "999999"}, "unknown_pillar"),
        ({"account": "999999"}, "unknown_account"),
    )
    for query, code in cases:
        response = token_a.get(address, query)
        assert response.status_code == 422, (query, response.content)
        assert response.json()["error"]["code"] == code, query


def test_a_token_sees_nothing_of_another_workspace(alice, workspace_a, workspace_b, history, carol):
    Membership.objects.create(workspace=workspace_b, user=alice, role="viewer")
    _token, raw = do_create_api_token(alice, name="B only", workspace_slugs=[workspace_b.slug])
    other = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert other.get(f"/api/v1/workspaces/{workspace_a.slug}/analytics/overview").status_code == 404
    post_address = (
        f"/api/v1/workspaces/{workspace_b.slug}/analytics/posts/{history.tracked_masto.pk}"
    )
    assert other.get(post_address).status_code == 404, "A's post at B's address"
    ok = other.get(f"/api/v1/workspaces/{workspace_b.slug}/analytics/overview")
    assert ok.status_code == 200, "a viewer may read analytics"
