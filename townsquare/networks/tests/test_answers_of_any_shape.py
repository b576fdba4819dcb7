"""Whatever a server answers -- any JSON shape, any status, no JSON at all -- a connector
raises one of the errors with retry meaning (networks/base.py) or returns; never a TypeError
from a field that held a number where an object was expected. One broken notification must
cost that item, not the whole inbox poll, and an odd answer must never pass for a crash while
a post is being sent (the engine would take it for "may have gone out")."""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, date, datetime

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from townsquare.networks.base import InboxMessage, NetworkError, VariantToPublish
from townsquare.networks.bluesky.connector import BlueskyPublisher
from townsquare.networks.bluesky.tests.test_errors import creds as bluesky_creds
from townsquare.networks.mastodon.connector import MastodonPublisher
from townsquare.networks.mastodon.tests.captured import creds as mastodon_creds
from townsquare.networks.matrix.connector import MatrixPublisher
from townsquare.networks.matrix.tests.helpers import creds as matrix_creds

# Field names the three networks use, so that generated objects often look almost right.
KEYS = [
    "id",
    "uri",
    "cid",
    "cursor",
    "notifications",
    "records",
    "value",
    "post",
    "author",
    "did",
    "handle",
    "reason",
    "record",
    "text",
    "createdAt",
    "indexedAt",
    "feed",
    "posts",
    "likeCount",
    "repostCount",
    "replyCount",
    "quoteCount",
    "followersCount",
    "followsCount",
    "postsCount",
    "accessJwt",
    "refreshJwt",
    "blob",
    "status",
    "account",
    "acct",
    "content",
    "created_at",
    "in_reply_to_id",
    "url",
    "last_status",
    "accounts",
    "favourites_count",
    "reblogs_count",
    "replies_count",
    "followers_count",
    "following_count",
    "statuses_count",
    "type",
    "chunk",
    "end",
    "start",
    "event_id",
    "sender",
    "origin_server_ts",
    "unsigned",
    "transaction_id",
    "body",
    "m.relates_to",
    "joined",
    "user_id",
    "errcode",
    "error",
    "retry_after_ms",
]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False),
    st.sampled_from(["", "x", "at://x/y/z", "!room:x", "@a:b", "2026-13-45", "http://[::1"]),
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(KEYS), inner, max_size=5)
    ),
    max_leaves=12,
)
ANSWER = st.one_of(
    st.tuples(st.sampled_from([200, 200, 200, 201, 202, 206, 400, 401, 404, 429, 500]), JSON),
    st.just((200, "not json")),
)

VARIANT = VariantToPublish(variant_id=1, account_id=1, network="x", parts=("Hallo",))
MESSAGE = InboxMessage("1", "1", "reply", "a", "A", "Hallo", datetime(2026, 1, 1, tzinfo=UTC))
SENT_AFTER = datetime(2026, 1, 1, tzinfo=UTC)


def _connector(network: str, transport: httpx.MockTransport):
    if network == "bluesky":
        return BlueskyPublisher(transport=transport, on_session=lambda *a: None), bluesky_creds()
    if network == "mastodon":
        return MastodonPublisher(transport=transport, sleep=lambda s: None), mastodon_creds()
    return MatrixPublisher(transport=transport, media_reader=lambda k: b"x"), matrix_creds()


CALLS = {
    "inbox": lambda c, cr: c.fetch_inbox(cr, None),
    "inbox_with_a_strange_cursor": lambda c, cr: c.fetch_inbox(cr, '{"a": [1]}'),
    "metrics": lambda c, cr: c.fetch_metrics(cr, date(2026, 1, 1)),
    "find_published": lambda c, cr: c.find_published(
        cr, "k", expected=VARIANT, sent_after=SENT_AFTER
    ),
    "check_connection": lambda c, cr: c.check_connection(cr),
    "publish": lambda c, cr: c.publish(cr, VARIANT, "k"),
    "reply": lambda c, cr: c.reply(cr, MESSAGE, "Danke!"),
    "delete": lambda c, cr: c.delete(cr, "12"),
}


@pytest.mark.parametrize("network", ["bluesky", "mastodon", "matrix"])
@pytest.mark.parametrize("call", sorted(CALLS))
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_answer_is_an_error_with_meaning_or_a_result(network, call, data):
    def server(request: httpx.Request) -> httpx.Response:
        status, body = data.draw(ANSWER)
        if body == "not json":
            return httpx.Response(status, content=b"<html>oops</html>")
        return httpx.Response(status, content=json.dumps(body).encode())

    connector, creds = _connector(network, httpx.MockTransport(server))
    with contextlib.suppress(NetworkError):
        CALLS[call](connector, creds)


# The shapes that the search above once found, kept as plain examples.


def test_a_bluesky_notification_that_is_not_an_object_costs_only_itself():
    def pds(request: httpx.Request) -> httpx.Response:
        notification = {
            "uri": "at://did:plc:them/app.bsky.feed.post/1",
            "reason": "mention",
            "author": {"handle": "them.test"},
            "record": {"text": "Hallo @ours", "createdAt": "2026-11-26T08:00:00Z"},
            "indexedAt": "2026-11-26T08:00:01Z",
        }
        return httpx.Response(200, json={"notifications": ["oops", 7, notification]})

    connector, creds = _connector("bluesky", httpx.MockTransport(pds))
    messages, _cursor = connector.fetch_inbox(creds, None)
    assert [m.text for m in messages] == ["Hallo @ours"]


def test_bluesky_counters_that_are_not_numbers_count_as_zero():
    def pds(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("getProfile"):
            return httpx.Response(200, json={"followersCount": {"a": 1}, "followsCount": "at://x"})
        return httpx.Response(200, json={"feed": 5})

    connector, creds = _connector("bluesky", httpx.MockTransport(pds))
    [account] = connector.fetch_metrics(creds, date(2026, 1, 1))
    assert account.metrics == {"followers": 0, "following": 0, "posts": 0}


def test_a_matrix_page_whose_events_are_not_a_list_is_an_empty_page():
    connector, creds = _connector(
        "matrix", httpx.MockTransport(lambda request: httpx.Response(200, json={"chunk": 3}))
    )
    messages, _cursor = connector.fetch_inbox(creds, None)
    assert list(messages) == []
