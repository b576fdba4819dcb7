"""Comments on a LinkedIn page's posts as inbox messages, answers in their thread, and the
page's statistics, through the fake of LinkedIn with captured answers."""

from __future__ import annotations

import json
from datetime import date

import pytest

from townsquare.analytics.metric_maps import translate
from townsquare.networks.base import InboxMessage, OutcomeUnknown, Rejected, UnreadableAnswer
from townsquare.networks.linkedin.tests.fake_linkedin import (
    NOW,
    PAGE,
    POST,
    FakeLinkedIn,
    answer,
    captured,
    creds,
)

UGC = "urn:li:ugcPost:6844785523593134081"
COMMENTS_OF_POST = f"GET /rest/socialActions/{POST}/comments"
COMMENTS_OF_UGC = f"GET /rest/socialActions/{UGC}/comments"
FIRST = "urn:li:comment:(urn:li:activity:6844785523593134080,6844786146019201024)"


@pytest.fixture
def li():
    fake = FakeLinkedIn(
        {
            "GET /rest/posts": answer("posts_list__ok_200.json"),
            COMMENTS_OF_POST: answer("comments_list__ok_200.json"),
            COMMENTS_OF_UGC: answer("comments_list__ok_200.json", body={"elements": []}),
        }
    )
    yield fake
    assert fake.invalid == []


def test_comments_of_other_people_arrive_oldest_first_without_the_page_s_own(li):
    messages, cursor = li.connector().fetch_inbox(creds(), None)
    assert [m.text for m in messages] == ["Gibt es auch Hafermilch?", "Danke!"]
    first, second = messages
    assert first.kind == "comment" and first.conversation_id == POST
    assert first.network_message_id == FIRST and first.in_reply_to_id == POST
    assert first.author_handle == "urn:li:person:ljMgc0ELzM"
    assert second.kind == "reply" and second.in_reply_to_id == FIRST
    assert cursor == str(int(second.created_at.timestamp() * 1000))
    params = li.sent("GET /rest/posts")[0].url.params
    assert params["sortBy"] == "LAST_MODIFIED"


def test_a_second_poll_brings_only_what_is_newer_than_the_cursor(li):
    connector = li.connector()
    _, cursor = connector.fetch_inbox(creds(), None)
    li.routes["GET /rest/posts"] = answer("posts_list__ok_200.json")
    li.routes[COMMENTS_OF_POST] = answer("comments_list__ok_200.json")
    li.routes[COMMENTS_OF_UGC] = answer("comments_list__ok_200.json", body={"elements": []})
    again, same = connector.fetch_inbox(creds(), cursor)
    assert again == [] and same == cursor


def test_comments_of_odd_shape_are_skipped_and_a_broken_list_is_unreadable(li):
    odd = captured("comments_list__ok_200.json")["body"]
    odd["elements"][0]["created"] = "yesterday"
    odd["elements"][2]["commentUrn"] = 5
    li.routes[COMMENTS_OF_POST] = answer("comments_list__ok_200.json", body=odd)
    messages, _ = li.connector().fetch_inbox(creds(), None)
    assert messages == []
    li.routes["GET /rest/posts"] = answer("posts_list__ok_200.json", body=b"<html>")
    with pytest.raises(UnreadableAnswer):
        li.connector().fetch_inbox(creds(), None)


def message(kind: str = "comment", in_reply_to: str = POST) -> InboxMessage:
    return InboxMessage(
        network_message_id=FIRST if kind == "comment" else FIRST.replace("024)", "026)"),
        conversation_id=POST,
        kind=kind,  # type: ignore[arg-type]
        author_handle="urn:li:person:ljMgc0ELzM",
        author_name="",
        text="Gibt es auch Hafermilch?",
        created_at=NOW,
        in_reply_to_id=in_reply_to,
    )


def test_an_answer_goes_into_the_comment_s_thread_as_the_page(li):
    li.routes[f"POST /rest/socialActions/{POST}/comments"] = answer("comments_create__ok_201.json")
    result = li.connector().reply(creds(), message(), "Ja, natürlich!")
    body = json.loads(li.sent(f"POST /rest/socialActions/{POST}/comments")[0].content)
    assert body == {
        "actor": PAGE,
        "object": POST,
        "message": {"text": "Ja, natürlich!"},
        "parentComment": FIRST,
    }
    assert result.network_post_id.startswith("urn:li:comment:")


def test_an_answer_to_an_answer_stays_under_the_top_level_comment(li):
    li.routes[f"POST /rest/socialActions/{POST}/comments"] = answer("comments_create__ok_201.json")
    li.connector().reply(creds(), message("reply", in_reply_to=FIRST), "Gern!")
    body = json.loads(li.sent(f"POST /rest/socialActions/{POST}/comments")[0].content)
    assert body["parentComment"] == FIRST


def test_an_answer_whose_result_cannot_be_read_is_an_unknown_outcome(li):
    li.routes[f"POST /rest/socialActions/{POST}/comments"] = answer(
        "comments_create__ok_201.json", body=b'{"actor": "urn:li:organiz', headers={}
    )
    with pytest.raises(OutcomeUnknown):
        li.connector().reply(creds(), message(), "Ja")
    with pytest.raises(Rejected):
        li.connector().reply(creds(), message(), "   ")


# --- metrics ----------------------------------------------------------------------------------


@pytest.fixture
def stats(li):
    li.routes[f"GET /rest/networkSizes/{PAGE}"] = answer("network_sizes__ok_200.json")
    li.routes["GET /rest/organizationalEntityShareStatistics"] = answer(
        "share_statistics__ok_200.json"
    )
    return li


def test_followers_and_post_counters_are_read_with_their_posts(stats):
    snapshots = stats.connector().fetch_metrics(creds(), date(2026, 12, 1))
    account = [s for s in snapshots if not s.network_post_id]
    assert account[0].metrics == {"firstDegreeSize": 2523} and account[0].day == NOW.date()
    posts = {s.network_post_id: s for s in snapshots if s.network_post_id}
    assert set(posts) == {POST, UGC}
    assert posts[POST].metrics["impressionCount"] == 2460
    assert posts[POST].text == "Kaffee & Kuchen ab 15 Uhr (heute) #kaffee"
    assert posts[POST].published_at is not None and posts[POST].url.endswith(f"{POST}/")
    request = stats.sent("GET /rest/organizationalEntityShareStatistics")[0]
    query = request.url.query.decode()
    assert "shares=List(urn%3Ali%3Ashare%3A6844785523593134080)" in query
    assert "ugcPosts=List(urn%3Ali%3AugcPost%3A6844785523593134081)" in query
    assert stats.sent(f"GET /rest/networkSizes/{PAGE}")[0].url.params["edgeType"] == (
        "COMPANY_FOLLOWED_BY_MEMBER"
    )


def test_posts_older_than_since_are_not_asked_for(stats):
    snapshots = stats.connector().fetch_metrics(creds(), date(2026, 12, 6))
    asked = stats.sent("GET /rest/organizationalEntityShareStatistics")[0].url.query.decode()
    assert "ugcPost" not in asked
    assert {s.network_post_id for s in snapshots} == {"", POST}


def test_linkedin_s_names_translate_into_townsquare_s_metrics(stats):
    snapshots = stats.connector().fetch_metrics(creds(), date(2026, 12, 1))
    post = next(s for s in snapshots if s.network_post_id == POST)
    counters = translate("linkedin_page", post).counters
    assert counters == {
        "impressions": 2460,
        "reach": 1810,
        "link_clicks": 45,
        "likes": 21,
        "replies": 3,
        "reposts": 12,
    }
    account = next(s for s in snapshots if not s.network_post_id)
    assert translate("linkedin_page", account).counters == {"followers": 2523}
