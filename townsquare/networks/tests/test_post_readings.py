"""What the connectors tell about each post they read counters of: when it was published,
its link and its text, so collection can track posts made outside Townsquare; and that a
reply (an answer in a conversation, a thread's later part) is no post of its own."""

from __future__ import annotations

from datetime import UTC, date, datetime

from townsquare.networks.bluesky import payloads as bluesky
from townsquare.networks.mastodon.tests.captured import FakeInstance, answer, creds, status_json
from townsquare.networks.matrix import events as matrix
from townsquare.networks.matrix.tests.helpers import ROOM

DAY = date(2026, 3, 2)
ME = "14715"  # the id of the captured verify_credentials account


def bluesky_post_view(rkey: str, *, reply: dict | None = None) -> dict:
    """A post view as app.bsky.feed.getPosts answers it (app.bsky.feed.defs#postView)."""
    record: dict = {
        "$type": "app.bsky.feed.post",
        "text": "Frisch geröstet:\nÄthiopien Guji",
        "createdAt": "2026-03-01T07:30:00.000Z",
        "langs": ["de"],
    }
    if reply:
        record["reply"] = reply
    return {
        "uri": f"at://did:plc:kaffee/app.bsky.feed.post/{rkey}",
        "cid": "bafyreid",
        "author": {"did": "did:plc:kaffee", "handle": "kaffee.bsky.social"},
        "record": record,
        "likeCount": 4,
        "repostCount": 1,
        "replyCount": 0,
        "quoteCount": 0,
        "indexedAt": "2026-03-01T07:30:01.000Z",
    }


def test_a_bluesky_post_says_when_it_was_created_its_bsky_app_link_and_its_text():
    reading = bluesky.post_snapshot(bluesky_post_view("3kaffee"), DAY)
    assert reading.published_at == datetime(2026, 3, 1, 7, 30, tzinfo=UTC)
    assert reading.url == "https://bsky.app/profile/kaffee.bsky.social/post/3kaffee"
    assert reading.text == "Frisch geröstet:\nÄthiopien Guji"
    assert dict(reading.metrics) == {"likes": 4, "reposts": 1, "replies": 0, "quotes": 0}


def test_a_bluesky_reply_keeps_its_counters_but_is_no_post_of_its_own():
    parent = {"uri": "at://did:plc:kaffee/app.bsky.feed.post/3root", "cid": "bafyroot"}
    reading = bluesky.post_snapshot(
        bluesky_post_view("3answer", reply={"root": parent, "parent": parent}), DAY
    )
    assert reading.published_at is None and reading.metrics["likes"] == 4


def test_a_bluesky_post_without_a_readable_creation_time_is_not_dated_today():
    view = bluesky_post_view("3kaffee")
    view["record"]["createdAt"] = "gestern"
    assert bluesky.post_snapshot(view, DAY).published_at is None


def mastodon_readings(*statuses: dict):
    fake = FakeInstance(
        {
            "GET /api/v1/accounts/verify_credentials": answer(
                "accounts_verify_credentials__ok_200.json"
            ),
            f"GET /api/v1/accounts/{ME}/statuses": [
                answer("statuses_get__ok_200.json", body=list(statuses))
            ],
        }
    )
    _account, *posts = fake.connector().fetch_metrics(creds(), date(2001, 1, 1))
    return posts


def test_a_mastodon_status_says_when_it_was_created_its_link_and_its_plain_text():
    [reading] = mastodon_readings(
        status_json("31", content="<p>Neue Bohne &amp; neuer Röster</p><p>Heute ab 8 Uhr</p>")
    )
    # The captured status: created 2016-03-16T14:44:31.580Z at mastodon.social/@Gargron/1.
    assert reading.published_at == datetime(2016, 3, 16, 14, 44, 31, 580000, tzinfo=UTC)
    assert reading.url == "https://mastodon.social/@Gargron/1"
    assert reading.text == "Neue Bohne & neuer Röster\n\nHeute ab 8 Uhr"


def test_mastodon_replies_and_private_mentions_are_no_posts_of_their_own():
    answer_to_someone = status_json("32", in_reply_to_id="7", in_reply_to_account_id="99")
    thread_part = status_json("33", in_reply_to_id="31", in_reply_to_account_id=ME)
    private = status_json("34", visibility="direct")
    readings = mastodon_readings(answer_to_someone, thread_part, private)
    assert [r.network_post_id for r in readings] == ["32", "33", "34"]
    assert all(r.published_at is None for r in readings)


def matrix_event(event_id: str, **content) -> dict:
    return {
        "event_id": event_id,
        "sender": "@townsquare:example.org",
        "type": "m.room.message",
        "origin_server_ts": 1_772_350_200_000,  # 2026-03-01 07:30:00 UTC
        "content": {"msgtype": "m.text", **content},
    }


def test_a_matrix_message_says_when_the_server_received_it_its_matrix_to_link_and_its_body():
    reading = matrix.metric_snapshot(
        matrix_event("$ours", body="Neue Bohne aus Äthiopien"),
        {"reactions": 2, "replies": 1},
        ROOM,
        DAY,
    )
    assert reading.published_at == datetime(2026, 3, 1, 7, 30, tzinfo=UTC)
    assert reading.url == "https://matrix.to/#/!room:example.org/%24ours?via=example.org"
    assert reading.text == "Neue Bohne aus Äthiopien"
    assert dict(reading.metrics) == {"reactions": 2, "replies": 1}


def test_matrix_replies_and_thread_messages_are_no_posts_of_their_own():
    reply = matrix_event(
        "$answer",
        body="> <@jana:example.org> Wann?\n\nMorgen",
        **{"m.relates_to": {"m.in_reply_to": {"event_id": "$question"}}},
    )
    in_thread = matrix_event(
        "$part", body="Teil 2", **{"m.relates_to": {"rel_type": "m.thread", "event_id": "$ours"}}
    )
    for event in (reply, in_thread):
        reading = matrix.metric_snapshot(event, {"reactions": 0, "replies": 0}, ROOM, DAY)
        assert reading.published_at is None
    assert matrix.metric_snapshot(reply, {}, ROOM, DAY).text == "Morgen"
