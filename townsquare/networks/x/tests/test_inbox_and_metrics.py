"""X's inbox (mentions and replies, answered in their thread) and counters, against answers
captured from docs.x.com and X's OpenAPI description; every request is checked against
that description by the fake."""

from __future__ import annotations

import json
from datetime import date

import httpx
import pytest

from townsquare.analytics.metric_maps import translate
from townsquare.networks.base import (
    InboxMessage,
    InboxSource,
    MetricsSource,
    Reauth,
    RetryLater,
)
from townsquare.networks.x import reading
from townsquare.networks.x.tests.fake_x import (
    NOW,
    FakeX,
    answer,
    captured,
    creds,
    openapi,
    validator,
)

MENTIONS = "GET /2/users/2244994945/mentions"
TIMELINE = "GET /2/users/2244994945/tweets"

# Each new captured answer must be one its operation can give.
ANSWERS = {
    "users_mentions__ok_200.json": ("GET", "/2/users/{id}/mentions"),
    "users_me__metrics_200.json": ("GET", "/2/users/me"),
    "users_tweets__metrics_200.json": ("GET", "/2/users/{id}/tweets"),
    "tweets_lookup__private_metrics_200.json": ("GET", "/2/tweets"),
}


@pytest.mark.parametrize(("name", "route"), sorted(ANSWERS.items()))
def test_every_captured_answer_fits_its_operation(name, route):
    method, path = route
    op = openapi()["paths"][path][method.lower()]
    schema = op["responses"]["200"]["content"]["application/json"]["schema"]
    assert list(validator(schema).iter_errors(captured(name)["body"])) == []


def test_x_offers_the_inbox_and_metrics_protocols():
    x = FakeX().connector()
    assert isinstance(x, InboxSource) and isinstance(x, MetricsSource)
    assert x.capabilities.inbox and x.capabilities.reply and x.capabilities.metrics


# --- inbox -----------------------------------------------------------------------------------


def test_a_first_poll_reads_one_page_of_mentions_oldest_first_without_the_accounts_own():
    fake = FakeX(routes={MENTIONS: answer("users_mentions__ok_200.json")})
    messages, cursor = fake.connector().fetch_inbox(creds(), None)

    assert fake.invalid == []
    assert [m.network_message_id for m in messages] == [
        "1301573587187331070",
        "1301573587187331074",
    ]
    reply, mention = messages
    assert reply.kind == "reply"
    assert reply.in_reply_to_id == "1445880548472328192"
    assert reply.conversation_id == "1445880548472328192"
    assert reply.author_handle == "@ana_example" and reply.author_name == "Ana Example"
    assert reply.author_followers == 87
    assert reply.url == "https://x.com/ana_example/status/1301573587187331070"
    assert mention.kind == "mention" and mention.in_reply_to_id == ""
    assert mention.text == "Hey @kaffeehaus, love the new menu & the cake!"
    assert mention.created_at.isoformat() == "2026-12-07T11:30:00+00:00"
    assert cursor == "1301573587187331074"
    sent = fake.sent(MENTIONS)[0].url.params
    assert "since_id" not in sent
    assert sent["expansions"] == "author_id,in_reply_to_user_id,referenced_posts"
    assert "conversation_id" in sent["post.fields"]
    assert fake.sent(MENTIONS)[0].headers["Authorization"] == "Bearer at-1"


def test_a_later_poll_asks_since_the_cursor_and_follows_the_pages():
    first = captured("users_mentions__ok_200.json")["body"]
    page_one = {
        **first,
        "meta": {**first["meta"], "next_token": "7140dibdnow9c7btw3z2vwioavpvutgzrzm"},
    }
    older = {
        "data": [
            {
                "id": "1301573587187331050",
                "text": "@kaffeehaus hello",
                "author_id": "2345678901",
                "conversation_id": "1301573587187331050",
                "created_at": "2026-12-07T10:00:00.000Z",
            }
        ],
        "includes": first["includes"],
        "meta": {"result_count": 1, "newest_id": "1301573587187331050"},
    }
    fake = FakeX(
        routes={
            MENTIONS: [
                answer("users_mentions__ok_200.json", body=page_one),
                answer("users_mentions__ok_200.json", body=older),
            ]
        }
    )
    messages, cursor = fake.connector().fetch_inbox(creds(), "1301573587187331000")

    assert fake.invalid == []
    sent = [r.url.params for r in fake.sent(MENTIONS)]
    assert [p["since_id"] for p in sent] == ["1301573587187331000"] * 2
    assert sent[1]["pagination_token"] == "7140dibdnow9c7btw3z2vwioavpvutgzrzm"
    assert messages[0].network_message_id == "1301573587187331050"
    assert len(messages) == 3
    assert cursor == "1301573587187331074"


def mentions_page(ids: list[str], next_token: str = "") -> dict:
    """A page of mentions as X lists them (newest first), from the captured answer's shape."""
    first = captured("users_mentions__ok_200.json")["body"]
    author = first["data"][0]["author_id"]  # someone else than the account
    meta = {"result_count": len(ids), "newest_id": ids[0], "oldest_id": ids[-1]}
    if next_token:
        meta["next_token"] = next_token
    return {
        "data": [
            {
                "id": post_id,
                "text": f"@kaffeehaus hallo {post_id}",
                "author_id": author,
                "conversation_id": post_id,
                "created_at": "2026-12-07T10:00:00.000Z",
            }
            for post_id in ids
        ],
        "includes": first["includes"],
        "meta": meta,
    }


def test_a_burst_of_mentions_beyond_one_polls_pages_is_read_by_the_next_poll_not_lost(
    monkeypatch,
):
    from townsquare.networks.x import connector

    monkeypatch.setattr(connector, "INBOX_PAGES", 2)
    since = "1301573587187331000"
    newest_pages = [
        answer("users_mentions__ok_200.json", body=mentions_page(["1301573587187331090"], "t1")),
        answer("users_mentions__ok_200.json", body=mentions_page(["1301573587187331080"], "t2")),
    ]
    fake = FakeX(routes={MENTIONS: newest_pages})
    first_read, cursor = fake.connector().fetch_inbox(creds(), since)

    assert fake.invalid == []
    assert [m.network_message_id for m in first_read] == [
        "1301573587187331080",
        "1301573587187331090",
    ]
    # Two pages read, a third one waiting: the span below the oldest read stays to be read.
    assert cursor == f"1301573587187331090/{since}/1301573587187331080"

    older_pages = [
        answer("users_mentions__ok_200.json", body=mentions_page(["1301573587187331070"], "t3")),
        answer("users_mentions__ok_200.json", body=mentions_page(["1301573587187331060"])),
    ]
    fake = FakeX(routes={MENTIONS: older_pages})
    second_read, cursor = fake.connector().fetch_inbox(creds(), cursor)

    assert fake.invalid == []
    sent = [r.url.params for r in fake.sent(MENTIONS)]
    assert [(p["since_id"], p["until_id"]) for p in sent] == [(since, "1301573587187331080")] * 2
    assert [m.network_message_id for m in second_read] == [
        "1301573587187331060",
        "1301573587187331070",
    ]
    # The span is read: the next poll asks for what is newer than the newest seen.
    assert cursor == "1301573587187331090"
    fake = FakeX(routes={MENTIONS: answer("users_mentions__ok_200.json", body={"meta": {}})})
    fake.connector().fetch_inbox(creds(), cursor)
    params = fake.sent(MENTIONS)[0].url.params
    assert params["since_id"] == "1301573587187331090" and "until_id" not in params


@pytest.mark.parametrize("cursor", ["", "abc", "1/2", "1/2/3/4", "12/ab/34"])
def test_a_cursor_of_no_known_form_is_a_first_poll(cursor):
    assert reading.MentionsCursor.parse(cursor) == reading.MentionsCursor()


def test_an_empty_poll_keeps_the_cursor():
    empty = {"meta": {"result_count": 0}}
    fake = FakeX(routes={MENTIONS: answer("users_mentions__ok_200.json", body=empty)})
    messages, cursor = fake.connector().fetch_inbox(creds(), "1301573587187331074")
    assert messages == [] and cursor == "1301573587187331074"


def test_a_rate_limited_poll_waits_until_xs_reset():
    fake = FakeX(routes={MENTIONS: answer("tweets_create__rate_limited_429.json")})
    with pytest.raises(RetryLater) as caught:
        fake.connector().fetch_inbox(creds(), "1301573587187331074")
    # x-rate-limit-reset 1796645700 is 15 minutes after the fake's clock.
    assert caught.value.after == pytest.approx(1796645700 - NOW.timestamp(), abs=1)


def test_an_account_without_its_user_id_must_be_connected_again():
    with pytest.raises(Reauth):
        FakeX().connector().fetch_inbox(creds(extra={}), None)


def test_a_reply_goes_into_the_thread_of_the_message():
    fake = FakeX(routes={"POST /2/tweets": answer("tweets_create__reply_ok_201.json")})
    message = InboxMessage(
        network_message_id="1301573587187331070",
        conversation_id="1445880548472328192",
        kind="reply",
        author_handle="@ana_example",
        author_name="Ana Example",
        text="Is the terrace open on Sunday?",
        created_at=NOW,
    )
    result = fake.connector().reply(creds(), message, "Yes, from ten!")

    assert fake.invalid == []

    body = json.loads(fake.sent("POST /2/tweets")[0].content)
    assert body == {
        "text": "Yes, from ten!",
        "reply": {"in_reply_to_tweet_id": "1301573587187331070"},
    }
    assert result.network_post_id and result.url.startswith("https://x.com/kaffeehaus/status/")


# --- metrics ---------------------------------------------------------------------------------


def metrics_fake(private: httpx.Response | None = None) -> FakeX:
    return FakeX(
        routes={
            "GET /2/users/me": answer("users_me__metrics_200.json"),
            TIMELINE: answer("users_tweets__metrics_200.json"),
            "GET /2/tweets": private or answer("tweets_lookup__private_metrics_200.json"),
        }
    )


def test_counters_of_the_account_and_its_posts():
    fake = metrics_fake()
    tiers: list[tuple[int, str]] = []
    snapshots = fake.connector(tier_seen=lambda *seen: tiers.append(seen)).fetch_metrics(
        creds(), date(2026, 10, 1)
    )
    # The subscription read with the figures is handed on, for the account's text limit.
    assert tiers == [(1, "Premium")]

    assert fake.invalid == []
    account = snapshots[0]
    assert account.network_post_id == "" and account.day == NOW.date()
    assert dict(account.metrics) == {
        "followers_count": 583423,
        "following_count": 2048,
        "listed_count": 1672,
        "tweet_count": 14052,
    }
    posts = {s.network_post_id: s for s in snapshots[1:]}
    recent = posts["1445880548472328199"]
    assert dict(recent.metrics) == {
        "impression_count": 1207,
        "like_count": 31,
        "reply_count": 2,
        "quote_count": 1,
        "bookmark_count": 3,
        "retweet_count": 4,
        "url_link_clicks": 19,
        "user_profile_clicks": 6,
    }
    assert recent.text == "Kaffee & Kuchen ab 15 Uhr" and recent.published_at is not None
    # A thread's later part counts only for its thread; old posts have public counters only.
    assert posts["1445880548472328195"].published_at is None
    assert "url_link_clicks" not in posts["1445880548472328192"].metrics
    # Only the post of the last 30 days is asked for the author's own counters.
    assert fake.sent("GET /2/tweets")[0].url.params["ids"] == "1445880548472328199"
    assert fake.sent(TIMELINE)[0].url.params["start_time"] == "2026-10-01T00:00:00Z"


def test_without_the_authors_own_counters_the_public_ones_stand():
    refused = answer("tweets_create__invalid_400.json")
    x = metrics_fake(private=refused).connector(tier_seen=lambda *_: None)
    snapshots = x.fetch_metrics(creds(), date(2026, 12, 1))
    recent = next(s for s in snapshots if s.network_post_id == "1445880548472328199")
    assert recent.metrics["like_count"] == 31 and "url_link_clicks" not in recent.metrics


def test_the_metric_map_names_xs_counters_in_townsquares_words():
    x = metrics_fake().connector(tier_seen=lambda *_: None)
    snapshots = x.fetch_metrics(creds(), date(2026, 10, 1))
    account = translate("x", snapshots[0])
    assert dict(account.counters) == {"followers": 583423, "following": 2048, "posts": 14052}
    assert account.unmapped == ("listed_count",)
    post = translate("x", next(s for s in snapshots if s.network_post_id.endswith("199")))
    assert dict(post.counters) == {
        "impressions": 1207,
        "likes": 31,
        "replies": 2,
        "quotes": 1,
        "saves": 3,
        "reposts": 4,
        "link_clicks": 19,
    }
    assert post.version == "x/1"


def test_the_openapi_spelling_of_reposts_and_posts_counts_once():
    snapshot = reading.post_snapshot(
        {
            "id": "1",
            "public_metrics": {"repost_count": 3, "retweet_count": 3, "like_count": 1},
        },
        NOW.date(),
        handle="@k",
    )
    assert snapshot is not None
    assert translate("x", snapshot).counters["reposts"] == 3
    account = reading.account_snapshot({"public_metrics": {"post_count": 9}}, NOW.date())
    assert translate("x", account).counters == {"posts": 9}


# --- the account's subscription --------------------------------------------------------------


@pytest.mark.parametrize(
    ("subscription", "limits"),
    [
        ("Premium", {"text_max": 25_000}),
        ("PremiumPlus", {"text_max": 25_000}),
        ("Basic", {}),
        ("None", {}),
        ("", {}),
    ],
)
def test_only_premium_accounts_get_long_posts(subscription, limits):
    assert reading.tier_limits(subscription) == limits


def test_the_sign_in_reads_the_subscription():
    fake = FakeX(routes={"GET /2/users/me": answer("users_me__metrics_200.json")})
    user = fake.connector().signed_in_user("at-new")
    assert fake.invalid == []
    assert reading.subscription_of(user) == "Premium"
    assert fake.sent("GET /2/users/me")[0].url.params["user.fields"] == (
        "public_metrics,subscription_type"
    )
