"""The inbox (Page comments and visitor posts, Instagram comments and replies), answers in
the right thread, metrics in Meta's own names translated by the versioned metric map, and
webhooks: the verify-token handshake, X-Hub-Signature-256 and captured deliveries."""

from __future__ import annotations

import hashlib
import hmac
from datetime import date

from townsquare.analytics.metric_maps import series_column, translate
from townsquare.networks.meta import webhooks
from townsquare.networks.meta.tests.fake_meta import (
    IG,
    NOW,
    PAGE,
    FakeMeta,
    answer,
    ig_creds,
    page_creds,
    raw_body,
)

SECRET = "app-secret-123"


def test_page_inbox_has_visitor_posts_and_comments_but_not_the_pages_own_words():
    fake = FakeMeta({f"GET /{PAGE}/feed": answer("feed_inbox__ok_200.json")})
    messages, cursor = fake.page().fetch_inbox(page_creds(), None)
    assert [(m.kind, m.network_message_id) for m in messages] == [
        ("mention", f"{PAGE}_845276531500"),
        ("comment", "845276532001_1203"),
        ("reply", "845276532001_1205"),
    ]
    assert messages[2].in_reply_to_id == "845276532001_1203"
    assert messages[1].author_name == "Ana Silva"
    again, same = fake.page().fetch_inbox(page_creds(), cursor)
    assert list(again) == [] and same == cursor
    assert not fake.invalid


def test_answers_go_into_the_right_thread():
    fake = FakeMeta(
        {
            "POST /845276532001_1203/comments": answer("comment_create__ok_200.json"),
            f"POST /{PAGE}_845276531500/comments": answer("comment_create__ok_200.json"),
        }
    )
    messages, _ = (
        FakeMeta({f"GET /{PAGE}/feed": answer("feed_inbox__ok_200.json")})
        .page()
        .fetch_inbox(page_creds(), None)
    )
    visitor, _comment, reply = messages
    fake.page().reply(page_creds(), reply, "You're welcome")  # under the top-level comment
    fake.page().reply(page_creds(), visitor, "Yes, every Tuesday")
    assert [fake.key(r) for r in fake.requests] == [
        "POST /845276532001_1203/comments",
        f"POST /{PAGE}_845276531500/comments",
    ]
    assert fake.bodies("POST /845276532001_1203/comments") == [{"message": "You're welcome"}]


def test_instagram_inbox_and_replies():
    fake = FakeMeta(
        {
            f"GET /{IG}/media": answer("ig_media_inbox__ok_200.json"),
            "POST /17870913679156914/replies": answer("ig_reply__ok_200.json"),
        }
    )
    connector = fake.instagram()
    messages, cursor = connector.fetch_inbox(ig_creds(), None)
    assert [(m.kind, m.author_handle) for m in messages] == [
        ("comment", "ana.silva"),
        ("reply", "ben.ok"),
    ]
    assert cursor == messages[-1].created_at.isoformat()
    result = connector.reply(ig_creds(), messages[1], "Come try it!")
    assert result.network_post_id == "17870913679157100"
    assert fake.bodies("POST /17870913679156914/replies") == [{"message": "Come try it!"}]
    assert not fake.invalid


def test_page_metrics_use_views_and_the_map_says_so():
    fake = FakeMeta(
        {
            f"GET /{PAGE}": answer("page_followers__ok_200.json"),
            f"GET /{PAGE}/published_posts": answer("post_metrics__ok_200.json"),
        }
    )
    account, post = fake.page().fetch_metrics(page_creds(), date(2026, 12, 1))
    assert account.metrics == {"followers_count": 1840}
    assert post.metrics == {
        "post_media_view": 1520,
        "post_total_media_view_unique": 980,
        "reactions": 42,
        "comments": 7,
        "shares": 3,
    }
    translated = translate("facebook_page", post)
    assert translated.version == "facebook_page/2" and not translated.unmapped
    assert translated.counters == {
        "views": 1520,
        "reach": 980,
        "likes": 42,
        "replies": 7,
        "reposts": 3,
    }
    assert translate("facebook_page", account).counters == {"followers": 1840}
    # The "views" series is read from the impressions column before Meta's change.
    assert series_column("facebook_page", "views", date(2024, 1, 1)) == "impressions"
    assert series_column("facebook_page", "views", NOW.date()) == "views"


def test_instagram_metrics_use_views_and_the_map_says_so():
    fake = FakeMeta(
        {
            f"GET /{IG}": answer("ig_account__ok_200.json"),
            f"GET /{IG}/media": answer("ig_media_metrics__ok_200.json"),
        }
    )
    account, post = fake.instagram().fetch_metrics(ig_creds(), date(2026, 12, 1))
    assert translate("instagram", account).counters == {
        "followers": 5230,
        "following": 310,
        "posts": 412,
    }
    translated = translate("instagram", post)
    assert translated.version == "instagram/2" and not translated.unmapped
    assert series_column("instagram", "views", date(2025, 4, 20)) == "impressions"
    assert translated.counters == {
        "likes": 128,
        "replies": 9,
        "views": 2210,
        "reach": 1650,
        "saves": 14,
        "reposts": 5,
    }


# --- webhooks ---------------------------------------------------------------------------------


def sign(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def test_the_handshake_answers_the_challenge_only_for_the_right_token():
    params = {"hub.mode": "subscribe", "hub.verify_token": "tok-1", "hub.challenge": "1158201444"}
    assert webhooks.challenge_answer(params, "tok-1") == "1158201444"
    assert webhooks.challenge_answer(params, "other") is None
    assert webhooks.challenge_answer({**params, "hub.mode": "unsubscribe"}, "tok-1") is None
    assert webhooks.challenge_answer(params, "") is None


def test_signatures_are_checked_on_the_raw_bytes():
    body = raw_body("webhooks/page_feed_comment.json")
    assert b"\\u00e9" in body  # Meta escapes non-ASCII: re-serialising would change the bytes
    assert webhooks.signature_valid(body, sign(body), SECRET)
    assert not webhooks.signature_valid(body + b" ", sign(body), SECRET)
    assert not webhooks.signature_valid(body, sign(body, "wrong"), SECRET)
    assert not webhooks.signature_valid(body, sign(body).replace("sha256", "sha1"), SECRET)
    assert not webhooks.signature_valid(body, None, SECRET)
    assert not webhooks.signature_valid(body, sign(body), "")


def test_a_page_delivery_gives_comments_replies_and_visitor_posts_only():
    found = webhooks.parse_delivery(raw_body("webhooks/page_feed_comment.json"))
    assert [(f.network, f.account_network_id, f.message.kind) for f in found] == [
        ("facebook_page", PAGE, "comment"),
        ("facebook_page", PAGE, "reply"),
        ("facebook_page", PAGE, "mention"),
    ]
    assert found[0].message.text == "Which origin? Café ☕"
    assert found[1].message.in_reply_to_id == "845276532001_1203"
    assert found[0].message.created_at.year == 2026


def test_an_instagram_delivery_gives_comments_and_replies():
    found = webhooks.parse_delivery(raw_body("webhooks/instagram_comment.json"))
    assert [(f.network, f.message.kind, f.message.author_handle) for f in found] == [
        ("instagram", "comment", "ana.silva"),
        ("instagram", "reply", "ben.ok"),
    ]
    assert found[1].message.conversation_id == "17920238422030506"


def test_malformed_deliveries_give_nothing():
    for body in (
        b"",
        b"{",
        b"[]",
        b'{"object":"page","entry":"x"}',
        b'{"object":"user","entry":[]}',
    ):
        assert webhooks.parse_delivery(body) == []
    assert (
        webhooks.parse_delivery(
            b'{"object":"page","entry":[{"id":"1","changes":[{"field":"feed","value":{"item":"comment","verb":"add"}}]}]}'
        )
        == []
    )
