"""Importing the networks' own analytics exports into an account's history.

The files here are written by hand in the layouts the networks document for their exports
(X's "Content" and "Tweet activity" exports, Meta Business Suite's Facebook and Instagram
per-post exports with their byte order mark, LinkedIn's "All posts" sheet saved as CSV):
no real export file can be fetched here, so the layouts, not captured files, are what these
tests hold the reader to. See analytics/imports/formats.py for the columns of each.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from townsquare.analytics.import_actions import do_import_analytics
from townsquare.analytics.models import PostSnapshot, Source, TrackedPost
from townsquare.audit.models import AuditEvent
from townsquare.lib.errors import ActionError
from townsquare.networks.models import SocialAccount
from townsquare.workspaces.models import Membership

X_CONTENT = (
    "Post id,Date,Post text,Post Link,Impressions,Likes,Engagements,Bookmarks,Shares,"
    "New follows,Replies,Reposts,Profile visits,Detail Expands,URL Clicks,Hashtag Clicks,"
    "Permalink Clicks\n"
    '1871000000000000001,"Tue, Jan 14, 2025","Neue Bohnen aus Kolumbien, frisch geröstet",'
    "https://x.com/alphakaffee/status/1871000000000000001,12978,112,300,9,2,1,14,21,29,200,"
    "66,0,0\n"
    '1871000000000000002,"Wed, Jan 15, 2025",Roastery open day on Saturday,'
    'https://x.com/alphakaffee/status/1871000000000000002,"1,234",7,40,0,0,0,2,3,4,20,6,0,0\n'
)
X_TWEET_ACTIVITY = (
    "Tweet id,Tweet permalink,Tweet text,time,impressions,engagements,engagement rate,"
    "retweets,replies,likes,user profile clicks,url clicks,hashtag clicks,detail expands\n"
    "1001,https://twitter.com/alphakaffee/status/1001,Guten Morgen!,2019-08-15 13:12:39 +0000,"
    "500,20,0.04,3,1,12,2,4,0,5\n"
)
FACEBOOK = (
    '\ufeff"Post ID","Page ID","Page name",Title,Description,"Duration (sec)","Publish time",'
    '"Caption type",Permalink,"Is crosspost","Is share","Post type",Languages,"Custom labels",'
    '"Funded content status","Data comment",Date,Views,Reach,"Reactions, Comments and Shares",'
    'Reactions,Comments,Shares,"Total clicks","Link Clicks","Other Clicks"\n'
    '1827720132094663,100045700821521,"Alpha Kaffee","Der Herbst ist da! 🍁\nZeit für '
    '""Kürbis-Latte"".",,0,"09/28/2025 18:12",N/A,https://www.facebook.com/alphakaffee/posts/'
    "pfbid0AAA,0,0,Photos,,,,,Lifetime,2700,2000,44,40,3,1,25,12,13\n"
)
INSTAGRAM = (
    '\ufeff"Post ID","Account ID","Account username","Account name",Description,'
    '"Duration (sec)","Publish time",Permalink,"Post type","Data comment",Date,Views,Reach,'
    "Likes,Shares,Follows,Comments,Saves\n"
    '18182686576415017,17841403398239763,alphakaffee,"Alpha Kaffee","Latte Art am Morgen",0,'
    '"09/24/2025 15:30",https://www.instagram.com/p/Ddr9jGEmLMp/,"IG carousel",,Lifetime,'
    "990,400,44,3,1,6,12\n"
)
LINKEDIN = (
    "Post title,Post link,Post type,Campaign name,Posted by,Created date,Campaign start date,"
    "Campaign end date,Audience,Impressions,Clicks,Click through rate (CTR),Likes,Comments,"
    "Reposts,Follows,Engagement rate,Content Type\n"
    "We are hiring baristas,https://www.linkedin.com/feed/update/urn:li:activity:"
    "7123456789012345678/,Organic,,Alice,10/02/2025,,,All followers,4200,130,0.03,80,6,4,2,"
    "0.05,Text\n"
)


@pytest.fixture
def accounts(workspace_a):
    def make(network: str, handle: str) -> SocialAccount:
        return SocialAccount.objects.create(workspace=workspace_a, network=network, handle=handle)

    return {
        "x": make("x", "@alphakaffee"),
        "facebook_page": make("facebook_page", "Alpha Kaffee"),
        "instagram": make("instagram", "@alphakaffee"),
        "linkedin_page": make("linkedin_page", "alpha-kaffee"),
        "mastodon": make("mastodon", "@alpha@example.social"),
    }


def imported(membership, account, text: str, name: str = "export.csv"):
    return do_import_analytics(membership, account.pk, text.encode("utf-8"), name)


def test_an_x_content_export_becomes_the_accounts_history(membership, accounts):
    outcome = imported(membership, accounts["x"], X_CONTENT)

    assert (outcome.created, outcome.updated, outcome.errors) == (2, 0, ())
    first = TrackedPost.objects.get(network_post_id="1871000000000000001")
    assert first.account == accounts["x"] and first.source == Source.IMPORTED
    assert first.text_excerpt == "Neue Bohnen aus Kolumbien, frisch geröstet"
    assert first.url == "https://x.com/alphakaffee/status/1871000000000000001"
    assert (first.impressions, first.likes, first.replies, first.reposts) == (12978, 112, 14, 21)
    assert (first.saves, first.link_clicks) == (9, 66)
    assert first.views is None and first.reach is None  # X's export has neither
    assert first.engagements == 112 + 21 + 14 + 9 + 66
    # A date without a time is midnight in the workspace's zone (Berlin: 23:00 UTC before).
    assert first.published_at == datetime(2025, 1, 13, 23, 0, tzinfo=UTC)
    second = TrackedPost.objects.get(network_post_id="1871000000000000002")
    assert second.impressions == 1234  # "1,234"
    snapshot = PostSnapshot.objects.get(post=first)
    assert snapshot.source == Source.IMPORTED and snapshot.likes == 112
    assert snapshot.raw["Impressions"] == "12978"
    assert snapshot.metric_map_version == "import:x_content"


def test_the_older_x_tweet_activity_export_is_read_with_its_offset(membership, accounts):
    imported(membership, accounts["x"], X_TWEET_ACTIVITY)

    post = TrackedPost.objects.get(network_post_id="1001")
    assert post.published_at == datetime(2019, 8, 15, 13, 12, 39, tzinfo=UTC)
    assert (post.impressions, post.reposts, post.likes, post.link_clicks) == (500, 3, 12, 4)


def test_a_facebook_export_with_its_byte_order_mark_and_a_caption_over_two_lines(
    membership, accounts
):
    outcome = imported(membership, accounts["facebook_page"], FACEBOOK)

    post = TrackedPost.objects.get(network_post_id="1827720132094663")
    assert post.text_excerpt == 'Der Herbst ist da! 🍁 Zeit für "Kürbis-Latte".'
    assert (post.views, post.reach, post.likes, post.replies, post.reposts) == (
        2700,
        2000,
        40,
        3,
        1,
    )
    assert post.link_clicks == 12
    assert post.impressions is None  # replaced by views: unknown, not 0
    assert "impressions" in outcome.missing_columns
    # "MM/DD/YYYY HH:MM" in the workspace's zone (Berlin, summer time).
    assert post.published_at == datetime(2025, 9, 28, 16, 12, tzinfo=UTC)


def test_an_instagram_export(membership, accounts):
    imported(membership, accounts["instagram"], INSTAGRAM)

    post = TrackedPost.objects.get(network_post_id="18182686576415017")
    assert (post.views, post.reach, post.likes, post.reposts, post.replies, post.saves) == (
        990,
        400,
        44,
        3,
        6,
        12,
    )


def test_a_linkedin_post_is_known_by_the_urn_in_its_link(membership, accounts):
    imported(membership, accounts["linkedin_page"], LINKEDIN)

    post = TrackedPost.objects.get(account=accounts["linkedin_page"])
    assert post.network_post_id == "urn:li:activity:7123456789012345678"
    assert (post.impressions, post.likes, post.replies, post.reposts) == (4200, 80, 6, 4)


def test_rows_that_cannot_be_read_are_reported_by_row_and_column_and_the_rest_is_kept(
    membership, accounts
):
    text = (
        "Post id;Date;Post text;Post Link;Impressions;Likes;Replies;Reposts\n"
        "1;2025-03-01;Gut;https://x.com/a/status/1;1.234;5;0;1\n"
        "2;gestern;Kaputt;https://x.com/a/status/2;10;5;0;1\n"
        ";2025-03-01;Ohne Id;;10;5;0;1\n"
        "4;2025-03-01;Zahl;https://x.com/a/status/4;viele;-3;0;1\n"
        "1;2025-03-02;Doppelt;https://x.com/a/status/1;7;5;0;1\n"
        "6;2025-03-01;Leer;https://x.com/a/status/6;N/A;;0;1\n"
    )
    outcome = imported(membership, accounts["x"], text)

    problems = {(error.row, error.column, error.code) for error in outcome.errors}
    assert problems == {
        (3, "Date", "bad_time"),
        (4, "Post id", "missing_id"),
        (5, "Impressions", "bad_number"),
        (5, "Likes", "bad_number"),
        (6, "Post id", "duplicate_id"),
    }
    assert all(text for text in outcome.error_texts)
    kept = dict(TrackedPost.objects.values_list("network_post_id", "impressions"))
    assert kept == {"1": 1234, "6": None}  # "1.234" is German for 1234; N/A is unknown
    assert TrackedPost.objects.get(network_post_id="6").likes is None


def test_importing_the_same_file_again_adds_nothing_and_new_counts_update(membership, accounts):
    imported(membership, accounts["x"], X_CONTENT)
    again = imported(membership, accounts["x"], X_CONTENT)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert PostSnapshot.objects.count() == 2

    later = imported(membership, accounts["x"], X_CONTENT.replace(",12978,112,", ",13500,120,"))
    assert (later.created, later.updated, later.unchanged) == (0, 1, 1)
    post = TrackedPost.objects.get(network_post_id="1871000000000000001")
    assert (post.impressions, post.likes) == (13500, 120)
    assert PostSnapshot.objects.filter(post=post).count() == 2


def test_an_import_keeps_a_post_townsquare_already_tracks(membership, accounts):
    tracked = TrackedPost.objects.create(
        workspace=membership.workspace,
        account=accounts["x"],
        network="x",
        network_post_id="1001",
        published_at=datetime(2019, 8, 15, 13, 12, tzinfo=UTC),
        text_excerpt="Guten Morgen!",
        source=Source.COLLECTED,
    )
    outcome = imported(membership, accounts["x"], X_TWEET_ACTIVITY)

    assert (outcome.created, outcome.updated) == (0, 1)
    tracked.refresh_from_db()
    assert tracked.source == Source.COLLECTED and tracked.impressions == 500


def test_the_import_is_in_the_audit_log(membership, accounts):
    imported(membership, accounts["x"], X_CONTENT, "account_analytics_content.csv")

    event = AuditEvent.objects.get(action="analytics.import")
    assert event.after["created"] == 2 and event.after["export"] == "x_content"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"\xff\xfe\x00bad", "UTF-8"),
        (b"text,label\nhello,question\n", "not those of an analytics export"),
        (b"Post id,Date\n", "nothing below the header"),
    ],
)
def test_a_file_that_is_not_an_export_is_refused_with_a_clear_reason(
    membership, accounts, data, words
):
    with pytest.raises(ActionError) as raised:
        do_import_analytics(membership, accounts["x"].pk, data, "export.csv")
    assert words.lower() in raised.value.message.lower()
    assert TrackedPost.objects.count() == 0


def test_an_export_of_another_network_is_refused(membership, accounts):
    with pytest.raises(ActionError, match="Facebook"):
        imported(membership, accounts["x"], FACEBOOK)
    with pytest.raises(ActionError):
        imported(membership, accounts["mastodon"], X_CONTENT)
    assert TrackedPost.objects.count() == 0


def test_an_editor_may_not_import_and_another_workspaces_account_is_not_found(
    membership, accounts, bob, workspace_a, workspace_b
):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    editor = Membership.objects.get(user=bob, workspace=workspace_a)
    with pytest.raises(PermissionDenied):
        imported(editor, accounts["x"], X_CONTENT)
    foreign = SocialAccount.objects.create(workspace=workspace_b, network="x", handle="@beta")
    with pytest.raises(Http404):
        imported(membership, foreign, X_CONTENT)
    assert TrackedPost.objects.count() == 0
