"""Bluesky's inbox, counters and sessions against the reference PDS and AppView on loopback.

A second account answers, mentions, quotes, likes, reposts and follows ours, as a person in
the app would; ours reads it all through the connector and answers in the right thread.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from bsky_peer import expired_copy, wait_for

from townsquare.networks.base import Reauth, VariantToPublish
from townsquare.networks.bluesky import xrpc as xrpc_module
from townsquare.networks.bluesky.connector import BlueskyPublisher
from townsquare.networks.credentials import credentials_for, read_credentials, store_credentials

# The servers never read Townsquare's database, so each test runs in a transaction of its own.
pytestmark = [pytest.mark.peers, pytest.mark.django_db]


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def post(connector, creds, text, key):
    variant = VariantToPublish(
        variant_id=1, account_id=creds.account_id, network="bluesky", parts=(text,)
    )
    return connector.publish(creds, variant, key)


def strong(pds, uri):
    found = pds.record(uri)
    return {"uri": found["uri"], "cid": found["cid"]}


def mention_facet(text, handle, did):
    start = text.encode().index(f"@{handle}".encode())
    return [
        {
            "index": {"byteStart": start, "byteEnd": start + len(handle.encode()) + 1},
            "features": [{"$type": "app.bsky.richtext.facet#mention", "did": did}],
        }
    ]


def test_replies_mentions_and_quotes_reach_the_inbox_and_an_answer_lands_in_the_thread(
    account, pds, ours, them
):
    connector = BlueskyPublisher()
    creds = credentials_for(account)
    ours_post = post(connector, creds, "Was haltet ihr von unserer neuen Bohne?", "inbox-1")
    target = strong(pds, ours_post.network_post_id)
    reply_text = f"@{ours.handle} Schmeckt super, gibt es die auch entkoffeiniert?"
    reply = pds.write(
        them,
        {
            "$type": "app.bsky.feed.post",
            "text": reply_text,
            "createdAt": now(),
            "reply": {"root": target, "parent": target},
            "facets": mention_facet(reply_text, ours.handle, ours.did),
        },
        "app.bsky.feed.post",
    )
    plain_reply = pds.write(
        them,
        {
            "$type": "app.bsky.feed.post",
            "text": "Und wann öffnet ihr?",
            "createdAt": now(),
            "reply": {"root": target, "parent": target},
        },
        "app.bsky.feed.post",
    )
    mention_text = f"Kennt ihr schon @{ours.handle}? Tolle Rösterei."
    mention = pds.write(
        them,
        {
            "$type": "app.bsky.feed.post",
            "text": mention_text,
            "createdAt": now(),
            "facets": mention_facet(mention_text, ours.handle, ours.did),
        },
        "app.bsky.feed.post",
    )
    quote = pds.write(
        them,
        {
            "$type": "app.bsky.feed.post",
            "text": "Unbedingt probieren!",
            "createdAt": now(),
            "embed": {"$type": "app.bsky.embed.record", "record": target},
        },
        "app.bsky.feed.post",
    )
    wanted = {reply["uri"], plain_reply["uri"], mention["uri"], quote["uri"]}

    def inbox():
        messages, cursor = connector.fetch_inbox(creds, None)
        by_id = {m.network_message_id: m for m in messages}
        return (by_id, cursor) if wanted <= set(by_id) else None

    by_id, cursor = wait_for(inbox, what="the four notifications")
    # A reply that also mentions us is one notification, with the reason "mention".
    assert by_id[reply["uri"]].kind == "mention"
    assert by_id[plain_reply["uri"]].kind == "reply"
    assert by_id[mention["uri"]].kind == "mention"
    assert by_id[quote["uri"]].kind == "mention"
    answered = by_id[plain_reply["uri"]]
    assert answered.conversation_id == ours_post.network_post_id
    assert answered.in_reply_to_id == ours_post.network_post_id
    assert answered.author_handle == them.handle and answered.text == "Und wann öffnet ihr?"
    assert answered.url.startswith(f"https://bsky.app/profile/{them.handle}/post/")
    assert by_id[mention["uri"]].conversation_id == mention["uri"]

    result = connector.reply(creds, answered, "Ab 8 Uhr, bis gleich!")
    assert connector.reply(creds, answered, "Ab 8 Uhr, bis gleich!").network_post_id == (
        result.network_post_id
    ), "the same answer twice is one post"
    written = pds.record(result.network_post_id)["value"]
    assert written["reply"] == {"root": target, "parent": strong(pds, plain_reply["uri"])}

    # Nothing new since the cursor, except perhaps the newest item again at its boundary.
    later, cursor2 = connector.fetch_inbox(creds, cursor)
    assert {m.network_message_id for m in later} <= wanted
    another = pds.write(
        them,
        {
            "$type": "app.bsky.feed.post",
            "text": "Noch eine Frage",
            "createdAt": now(),
            "reply": {"root": target, "parent": target},
        },
        "app.bsky.feed.post",
    )
    newer = wait_for(
        lambda: [
            m
            for m in connector.fetch_inbox(creds, cursor2)[0]
            if m.network_message_id == another["uri"]
        ],
        what="the newest reply after the cursor",
    )
    assert newer[0].kind == "reply"


def test_counters_of_the_account_and_its_posts_are_read(account, pds, ours, them):
    connector = BlueskyPublisher()
    creds = credentials_for(account)
    published = post(connector, creds, "Zählt mich!", "metrics-1")
    target = strong(pds, published.network_post_id)
    for collection, record in (
        ("app.bsky.feed.like", {"subject": target}),
        ("app.bsky.feed.repost", {"subject": target}),
        ("app.bsky.graph.follow", {"subject": ours.did}),
        ("app.bsky.feed.post", {"text": "Antwort", "reply": {"root": target, "parent": target}}),
        (
            "app.bsky.feed.post",
            {"text": "Zitat", "embed": {"$type": "app.bsky.embed.record", "record": target}},
        ),
    ):
        pds.write(them, {"$type": collection, "createdAt": now(), **record}, collection)

    def counted():
        snapshots = connector.fetch_metrics(creds, datetime.now(UTC).date())
        posts = {s.network_post_id: dict(s.metrics) for s in snapshots if s.network_post_id}
        account_metrics = next(dict(s.metrics) for s in snapshots if not s.network_post_id)
        mine = posts.get(published.network_post_id)
        if mine == {"likes": 1, "reposts": 1, "replies": 1, "quotes": 1} and (
            account_metrics["followers"] >= 1
        ):
            return account_metrics
        return None

    account_metrics = wait_for(counted, what="likes, reposts, replies and quotes")
    assert account_metrics["posts"] >= 1 and account_metrics["following"] == 0


def test_an_expired_session_is_renewed_with_the_refresh_token_and_stored(
    account, pds, ours, monkeypatch
):
    values = read_credentials(account)
    expired = expired_copy(values["access_token"])
    store_credentials(account, {**values, "access_token": expired})
    # Send the expired token as it is, so that the real PDS answers ExpiredToken.
    monkeypatch.setattr(xrpc_module, "_expiring", lambda session: False)
    connector = BlueskyPublisher()
    result = post(connector, credentials_for(account), "Nach der Pause.", "session-1")
    assert pds.record(result.network_post_id)["value"]["text"] == "Nach der Pause."
    account.refresh_from_db()
    stored = read_credentials(account)
    # (A renewed access token may equal the first one: same claims within the same second.)
    assert stored["access_token"] != expired
    assert stored["refresh_token"] != values["refresh_token"]
    # Proactive renewal: a token that has run out is renewed before the request.
    monkeypatch.undo()
    store_credentials(account, {**stored, "access_token": expired_copy(stored["access_token"])})
    post(BlueskyPublisher(), credentials_for(account), "Gleich erneuert.", "session-2")


def test_a_revoked_app_password_needs_a_person(account, pds, ours):
    values = read_credentials(account)
    pds.revoke_app_passwords(ours)
    store_credentials(account, {**values, "access_token": expired_copy(values["access_token"])})
    with pytest.raises(Reauth):
        post(BlueskyPublisher(), credentials_for(account), "Darf nicht raus.", "revoked-1")
    assert not [r for r in pds.records(ours.did) if r["value"]["text"] == "Darf nicht raus."]


def test_the_connection_check_notices_a_revoked_app_password_before_any_post(
    account, pds, ours, membership
):
    from townsquare.publishing.connection_checks import check_account_connection

    assert check_account_connection.call(account.pk) == "ok"
    account.refresh_from_db()
    assert account.last_success_at is not None and not account.needs_reconnect
    values = read_credentials(account)
    pds.revoke_app_passwords(ours)
    store_credentials(account, {**values, "access_token": expired_copy(values["access_token"])})
    assert check_account_connection.call(account.pk) == "reauth"
    account.refresh_from_db()
    assert account.needs_reconnect
