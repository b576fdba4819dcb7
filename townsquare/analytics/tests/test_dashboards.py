"""The analytics pages: every page renders for a member with history and without (saying
what to do), for a viewer too, is a 404 for a member of another workspace, answers a bad
period or filter with a sentence, and each CSV holds the numbers of the table beside it."""

import csv
import html
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from townsquare.analytics.models import CollectionState
from townsquare.analytics.tests.dashboard_fixtures import make_history
from townsquare.networks.models import SocialAccount
from townsquare.workspaces.models import Membership

pytestmark = pytest.mark.django_db

PLAIN_PAGES = (
    "workspace_analytics",
    "analytics_posts",
    "analytics_campaigns",
    "analytics_variant_list",
    "analytics_team",
)


def _pages(workspace, history=None):
    found = [reverse(name, kwargs={"workspace": workspace.slug}) for name in PLAIN_PAGES]
    if history is not None:
        found += [
            reverse(
                "analytics_post",
                kwargs={"workspace": workspace.slug, "tracked_post_id": history.tracked_masto.pk},
            ),
            reverse(
                "analytics_variants",
                kwargs={"workspace": workspace.slug, "post_id": history.post.pk},
            ),
        ]
    return found


@pytest.fixture
def history(workspace_a, alice):
    return make_history(workspace_a, alice)


def test_every_page_renders_with_history_as_charts_and_as_tables(
    alice_client, workspace_a, history
):
    for address in _pages(workspace_a, history):
        for query in ({}, {"view": "tables"}):
            response = alice_client.get(address, query)
            assert response.status_code == 200, (address, query)
            assert b"data-figure=" in response.content


def test_the_overview_shows_the_key_figures_against_the_previous_period(
    alice_client, workspace_a, history
):
    page = alice_client.get(reverse("workspace_analytics", args=[workspace_a.slug])).content
    text = page.decode()
    followers = re.search(r'data-kpi="followers".*?data-value>([^<]+)<', text, re.S)
    assert followers and followers.group(1) == "920", "500+60 and 300+60 on the last day"
    assert "against the previous period" in text
    assert "Not reported by the networks shown." in text, "impressions unknown, not 0"
    assert "<svg" in text, "the charts are drawn on the server"
    assert "Figures read" in text


def test_a_post_page_links_to_its_conversation_in_the_inbox(alice_client, workspace_a, history):
    address = reverse(
        "analytics_post",
        kwargs={"workspace": workspace_a.slug, "tracked_post_id": history.tracked_masto.pk},
    )
    page = alice_client.get(address).content.decode()
    conversation = reverse(
        "inbox_conversation",
        kwargs={"workspace": workspace_a.slug, "conversation_id": history.conversation.pk},
    )
    assert conversation in page
    assert "Gast" in page
    other = reverse(
        "analytics_post",
        kwargs={"workspace": workspace_a.slug, "tracked_post_id": history.tracked_bsky.pk},
    )
    assert "No one has replied to this post" in alice_client.get(other).content.decode()


def test_variants_of_one_message_are_side_by_side(alice_client, workspace_a, history):
    listing = alice_client.get(reverse("analytics_variant_list", args=[workspace_a.slug]))
    detail = reverse(
        "analytics_variants", kwargs={"workspace": workspace_a.slug, "post_id": history.post.pk}
    )
    assert detail in listing.content.decode()
    rows = _csv(alice_client, detail, "variants")
    # A cell starting with @ is kept from running as a spreadsheet formula.
    assert [row[0] for row in rows[1:]] == ["kaffee.example.com", "'@kaffee@example.social"]
    assert [row[-2] for row in rows[1:]] == ["26", "55"]


def test_a_workspace_without_accounts_says_to_connect_one(alice_client, workspace_a):
    for address in _pages(workspace_a):
        response = alice_client.get(address)
        assert response.status_code == 200, address
    overview = alice_client.get(reverse("workspace_analytics", args=[workspace_a.slug]))
    text = overview.content.decode()
    assert "No account is connected yet" in text
    assert reverse("workspace_accounts", args=[workspace_a.slug]) in text
    assert "Nothing published in this period yet" in text


def test_an_account_not_collected_yet_says_to_wait_for_the_first_collection(
    alice_client, workspace_a
):
    account = SocialAccount.objects.create(
        workspace=workspace_a, network="mastodon", handle="@neu@example.social"
    )
    CollectionState.objects.create(account=account)
    text = alice_client.get(reverse("workspace_analytics", args=[workspace_a.slug])).content
    assert "Nothing has been collected yet" in text.decode()


def test_a_viewer_sees_every_page(client, workspace_a, history):
    viewer = get_user_model().objects.create_user("vera@example.com", "vera-pass-123")
    Membership.objects.create(workspace=workspace_a, user=viewer, role="viewer")
    client.force_login(viewer)
    for address in _pages(workspace_a, history):
        assert client.get(address).status_code == 200, address


def test_a_member_of_another_workspace_gets_404_everywhere(client, carol, workspace_b, history):
    client.force_login(carol)
    for address in _pages(history.masto.workspace, history):
        assert client.get(address).status_code == 404, address
        assert client.get(address, {"format": "csv", "table": "kpis"}).status_code == 404


def test_a_bad_period_or_filter_shows_the_default_with_a_sentence(alice_client, workspace_a):
    address = reverse("workspace_analytics", args=[workspace_a.slug])
    cases = (
        ({"period": "yesterday"}, "There is no such period"),
        ({"period": "custom", "start": "2026-13-01", "end": "2026-12-01"}, "needs a first"),
        ({"period": "custom", "start": "2026-12-01", "end": "2026-11-01"}, "before the first"),
        ({"period": "custom", "start": "2020-01-01", "end": "2026-01-01"}, "at most two years"),
        ({"network": "myspace"}, "No account of this workspace is on that network"),
        ({"campaign": "99999"}, "There is no such campaign"),
        ({"pillar": "abc"}, "There is no such content pillar"),
    )
    for query, sentence in cases:
        response = alice_client.get(address, query)
        assert response.status_code == 400, query
        assert sentence in response.content.decode(), query


def test_a_custom_period_is_kept_in_the_links(alice_client, workspace_a, history):
    address = reverse("workspace_analytics", args=[workspace_a.slug])
    query = {"period": "custom", "start": "2026-01-01", "end": "2026-01-31"}
    text = alice_client.get(address, query).content.decode()
    assert "period=custom&amp;start=2026-01-01&amp;end=2026-01-31" in text


def _csv(client, address, table, **query):
    response = client.get(address, {"format": "csv", "table": table, **query})
    assert response.status_code == 200, (address, table)
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _html_table(client, address, table):
    page = client.get(address, {"view": "tables"}).content.decode()
    found = re.search(rf'<table[^>]*data-table="{table}".*?</table>', page, re.S)
    assert found, (address, table)
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", found.group(0), re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells])
    return rows


def _number(text):
    """An English page's cell as the CSV writes it: no grouping commas, "–" is empty."""
    return "" if text == "–" else text.replace(",", "")


def test_each_csv_holds_the_numbers_of_its_table(alice_client, workspace_a, history):
    pages = {
        "workspace_analytics": (
            "kpis",
            "engagement_trend",
            "follower_trend",
            "networks",
            "network_mix",
            "rates",
            "heatmap",
            "top_posts",
        ),
        "analytics_posts": ("posts",),
        "analytics_campaigns": ("campaigns", "pillars"),
        "analytics_team": ("team",),
    }
    for name, tables in pages.items():
        address = reverse(name, args=[workspace_a.slug])
        for table in tables:
            from_csv = _csv(alice_client, address, table)
            shown = _html_table(alice_client, address, table)
            assert len(from_csv) == len(shown) > 1, (name, table)
            assert from_csv[0] == shown[0], "the same headings"
            for file_row, page_row in zip(from_csv[1:], shown[1:], strict=True):
                assert [_number(c) for c in page_row[1:]] == file_row[1:], (table, page_row)


def test_an_unknown_table_is_a_404_naming_the_tables(alice_client, workspace_a):
    response = alice_client.get(
        reverse("workspace_analytics", args=[workspace_a.slug]), {"format": "csv", "table": "x"}
    )
    assert response.status_code == 404
    assert "top_posts" in response.content.decode()


ENGLISH = re.compile(
    r"\b(the|and|with|your|this|that|of|posts?|period|previous|against|figures?|read|"
    r"engagements?|followers|show|every|table|charts?|replies|reach|views)\b",
    re.IGNORECASE,
)


def _visible_words(page):
    page = re.sub(r"<(script|style|svg|select)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r'<a href="/w/[^"]*/analytics/posts/\d+/">.*?</a>', " ", page, flags=re.S)
    page = re.sub(r'<p class="post-text">.*?</p>', " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_the_german_pages_have_no_english_left(alice_client, alice, workspace_a, history):
    alice.language = "de"
    alice.save(update_fields=["language"])
    for address in _pages(workspace_a, history):
        for query in ({}, {"view": "tables"}):
            page = alice_client.get(address, query).content.decode()
            main = page[page.index("<main") :]
            words = _visible_words(main)
            # Handles, networks' names and the sample posts are not ours to translate.
            words = re.sub(r"Herbstkaffee auf \w+|@?kaffee\S*|Gast|Alice", " ", words)
            left = sorted(set(ENGLISH.findall(words)))
            assert not left, (address, query, left)


def test_the_network_mix_adds_up_to_each_networks_engagements(alice_client, workspace_a, history):
    address = reverse("workspace_analytics", args=[workspace_a.slug])
    for query in (
        {},
        {"period": "90d"},
        {"period": "custom", "start": "2025-01-01", "end": "2026-12-31"},
    ):
        rows = _csv(alice_client, address, "network_mix", **query)
        totals: dict[str, int] = {}
        for _day, network, engagements in rows[1:]:
            totals[network] = totals.get(network, 0) + int(engagements)
        # The post of 40 days ago (10 engagements) is in the longer periods only.
        expected = {"Mastodon": 65 if query else 55, "Bluesky": 26}
        assert totals == expected, query
