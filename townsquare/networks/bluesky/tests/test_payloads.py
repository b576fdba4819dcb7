"""Bluesky records built without the network: keys, facets, replies, embeds, readings."""

from __future__ import annotations

from datetime import date

import pytest

from townsquare.networks.bluesky import payloads
from townsquare.networks.bluesky.connector import part_rkey
from townsquare.networks.bluesky.payloads import StrongRef

ROOT = StrongRef("at://did:plc:root/app.bsky.feed.post/3aaaaaaaaaaaa", "bafyroot")
PARENT = StrongRef("at://did:plc:me/app.bsky.feed.post/3bbbbbbbbbbbb", "bafyparent")


def test_a_record_key_is_a_valid_tid_and_the_same_for_the_same_idempotency_key():
    key = "4f1c0e0e6c2a4c7f9f6c1b9a0d7e5b21:0"
    rkey = payloads.rkey_for(key)
    assert payloads.is_tid(rkey)
    assert rkey == payloads.rkey_for(key)
    assert rkey != payloads.rkey_for("4f1c0e0e6c2a4c7f9f6c1b9a0d7e5b21:1")


def test_record_keys_of_many_keys_never_collide_and_claim_no_future_time():
    keys = {payloads.rkey_for(f"key-{n}") for n in range(20_000)}
    assert len(keys) == 20_000
    assert all(payloads.is_tid(key) for key in keys)
    # The timestamp bits stay between 2000 and 2018.
    for key in list(keys)[:500]:
        value = 0
        for char in key:
            value = value * 32 + "234567abcdefghijklmnopqrstuvwxyz".index(char)
        seconds = (value >> 10) / 1_000_000
        assert 946_684_800 <= seconds < 1_514_764_800


def test_each_part_of_a_thread_has_its_own_key():
    assert part_rkey("abc", 0) == payloads.rkey_for("abc:0")
    assert len({part_rkey("abc", index) for index in range(10)}) == 10


def test_tid_encoding_matches_the_protocols_alphabet():
    assert payloads.tid_from_int(0) == "2222222222222"
    assert payloads.tid_from_int((1 << 63) - 1) == "bzzzzzzzzzzzz"
    with pytest.raises(ValueError):
        payloads.tid_from_int(1 << 63)
    assert not payloads.is_tid("kzzzzzzzzzzzz")  # beyond what the syntax allows
    assert not payloads.is_tid("not-a-tid")


def test_facets_carry_utf8_byte_offsets_after_emoji_and_umlauts():
    text = "Grüße 👩‍👩‍👧 an @alice.test: https://example.com/ä #Kaffee!"
    facets = payloads.facets_for(text, {"alice.test": "did:plc:alice"})
    encoded = text.encode()
    found = {
        facet["features"][0]["$type"].split("#")[1]: encoded[
            facet["index"]["byteStart"] : facet["index"]["byteEnd"]
        ].decode()
        for facet in facets
    }
    assert found == {
        "mention": "@alice.test",
        "link": "https://example.com/ä",
        "tag": "#Kaffee",
    }
    mention = next(f for f in facets if f["features"][0]["$type"].endswith("#mention"))
    assert mention["features"][0]["did"] == "did:plc:alice"
    tag = next(f for f in facets if f["features"][0]["$type"].endswith("#tag"))
    assert tag["features"][0]["tag"] == "Kaffee"


def test_a_mention_that_did_not_resolve_stays_plain_text():
    assert payloads.facets_for("Hallo @nobody.test", {}) == []
    assert payloads.mentioned_handles("@A.test und @a.test und @b.test") == ("a.test", "b.test")


def test_a_bare_domain_links_to_https():
    [facet] = payloads.facets_for("Mehr auf townsquare.example.com", {})
    assert facet["features"][0]["uri"] == "https://townsquare.example.com"


def test_an_answer_to_a_thread_start_has_the_parent_as_root():
    refs = payloads.reply_refs(PARENT, {"text": "start"})
    assert refs == {"root": PARENT.as_json(), "parent": PARENT.as_json()}


def test_an_answer_deeper_in_a_thread_keeps_the_threads_root():
    parent_record = {"text": "2/3", "reply": {"root": ROOT.as_json(), "parent": ROOT.as_json()}}
    refs = payloads.reply_refs(PARENT, parent_record)
    assert refs == {"root": ROOT.as_json(), "parent": PARENT.as_json()}


def test_a_post_record_holds_only_what_it_needs():
    record = payloads.build_post("Hallo", created_at="2026-01-02T03:04:05.000Z")
    assert record == {
        "$type": "app.bsky.feed.post",
        "text": "Hallo",
        "createdAt": "2026-01-02T03:04:05.000Z",
    }
    full = payloads.build_post(
        "Hallo",
        created_at="2026-01-02T03:04:05.000Z",
        facets=[{"index": {"byteStart": 0, "byteEnd": 1}, "features": []}],
        reply={"root": ROOT.as_json(), "parent": ROOT.as_json()},
        embed={"$type": "app.bsky.embed.external"},
        languages=("de", "", "en", "fr", "it"),
    )
    assert full["langs"] == ["de", "en", "fr"]
    assert {"facets", "reply", "embed"} <= set(full)


def test_image_embeds_carry_alt_text_and_aspect_ratio_and_stop_at_four():
    blob = {"$type": "blob", "ref": {"$link": "bafy"}, "mimeType": "image/png", "size": 10}
    embed = payloads.images_embed([(blob, f"Bild {n}", 800, 600) for n in range(6)])
    assert len(embed["images"]) == 4
    assert embed["images"][0] == {
        "image": blob,
        "alt": "Bild 0",
        "aspectRatio": {"width": 800, "height": 600},
    }
    assert "aspectRatio" not in payloads.images_embed([(blob, "", None, None)])["images"][0]


def test_a_link_card_is_clipped_to_the_lexicon_limits():
    embed = payloads.external_embed("https://example.com", "T" * 400, "D " * 800)
    external = embed["external"]
    assert len(external["title"]) == payloads.CARD_TITLE_MAX
    assert len(external["description"]) <= payloads.CARD_DESCRIPTION_MAX
    assert "thumb" not in external


def test_card_facts_come_from_open_graph_then_twitter_then_the_title():
    html = """<html><head><title> Seite  </title>
    <meta property="og:title" content="Röstfrisch">
    <meta name="description" content="Kaffee aus Leipzig">
    <meta property="og:image" content="/bild.jpg"></head><body><meta property="og:title"
    content="ignored"></body></html>"""
    facts = payloads.parse_card(html, "https://example.com/kaffee")
    assert facts.title == "Röstfrisch"
    assert facts.description == "Kaffee aus Leipzig"
    assert facts.image_url == "https://example.com/bild.jpg"
    bare = payloads.parse_card("<title>Nur Titel</title>", "https://example.com")
    assert (bare.title, bare.description, bare.image_url) == ("Nur Titel", "", "")
    odd = payloads.parse_card('<meta property="og:image" content="javascript:x">', "https://e.x")
    assert odd.image_url == "" and odd.title == "https://e.x"


def notification(reason, *, reply=None, text="Hallo @ours.test"):
    record = {"$type": "app.bsky.feed.post", "text": text, "createdAt": "2026-03-01T10:00:00Z"}
    if reply:
        record["reply"] = reply
    return {
        "uri": "at://did:plc:them/app.bsky.feed.post/3cccccccccccc",
        "cid": "bafythem",
        "reason": reason,
        "author": {"did": "did:plc:them", "handle": "them.test", "displayName": "Die Anderen"},
        "record": record,
        "indexedAt": "2026-03-01T10:00:01.000Z",
    }


def test_a_reply_becomes_an_inbox_message_in_its_thread():
    message = payloads.inbox_message_from(
        notification("reply", reply={"root": ROOT.as_json(), "parent": PARENT.as_json()})
    )
    assert message is not None
    assert message.kind == "reply"
    assert message.conversation_id == ROOT.uri
    assert message.in_reply_to_id == PARENT.uri
    assert message.url == "https://bsky.app/profile/them.test/post/3cccccccccccc"
    assert message.author_name == "Die Anderen"
    assert message.created_at.year == 2026


def test_a_mention_starts_its_own_conversation_and_a_quote_counts_as_one():
    mention = payloads.inbox_message_from(notification("mention"))
    assert mention is not None and mention.conversation_id == mention.network_message_id
    quote = payloads.inbox_message_from(notification("quote"))
    assert quote is not None and quote.kind == "mention"
    for reason in ("like", "repost", "follow"):
        assert payloads.inbox_message_from(notification(reason)) is None


def test_counters_are_read_with_zero_for_what_is_missing():
    day = date(2026, 3, 1)
    post = payloads.post_snapshot({"uri": PARENT.uri, "likeCount": 3, "replyCount": 1}, day)
    assert post.network_post_id == PARENT.uri
    assert dict(post.metrics) == {"likes": 3, "reposts": 0, "replies": 1, "quotes": 0}
    account = payloads.account_snapshot({"followersCount": 7, "postsCount": 2}, day)
    assert dict(account.metrics) == {"followers": 7, "following": 0, "posts": 2}
    assert account.network_post_id == ""


def test_at_uris_are_parsed_and_turned_into_web_addresses():
    uri = payloads.parse_at_uri(PARENT.uri)
    assert (uri.repo, uri.collection, uri.rkey) == (
        "did:plc:me",
        "app.bsky.feed.post",
        "3bbbbbbbbbbbb",
    )
    assert str(uri) == PARENT.uri
    assert payloads.post_url("", PARENT.uri).endswith("/profile/did:plc:me/post/3bbbbbbbbbbbb")
    for bad in ("https://bsky.app", "at://did:plc:me", "at://a//c"):
        with pytest.raises(ValueError):
            payloads.parse_at_uri(bad)
