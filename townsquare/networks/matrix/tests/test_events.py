"""Event contents Townsquare sends and how it reads the room's events. Pure."""

from __future__ import annotations

from townsquare.networks.matrix import events

OURS = "@townsquare:example.org"
ROOM = "!room:example.org"


def message(event_id, sender, body, **content):
    return {
        "event_id": event_id,
        "type": "m.room.message",
        "sender": sender,
        "origin_server_ts": 1_700_000_000_000,
        "content": {"msgtype": "m.text", "body": body, **content},
    }


def read(event, own=frozenset({"$ours"}), name="Rösterei Morgenrot"):
    return events.inbox_message(
        event,
        room_id=ROOM,
        own_user_id=OURS,
        display_name=name,
        own_events=set(own),
        names={"@jana:example.org": "Jana"},
    )


def test_user_text_is_escaped_and_links_line_breaks_and_user_ids_are_kept():
    html = events.formatted_body('a <script>"x"</script> & b\nhttps://example.com/a?b=1&c=2.')
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp; b" in html
    assert (
        '<a href="https://example.com/a?b=1&amp;c=2">https://example.com/a?b=1&amp;c=2</a>.' in html
    )
    assert "<br>" in html
    pill = events.formatted_body("Hallo @jana:example.org!")
    assert pill == 'Hallo <a href="https://matrix.to/#/@jana:example.org">@jana:example.org</a>!'


def test_mentions_name_the_users_in_the_text_but_never_ourselves():
    content = events.text_content(f"Danke @jana:example.org und {OURS}", own_user_id=OURS)
    assert content["m.mentions"] == {"user_ids": ["@jana:example.org"]}
    assert events.text_content("Ohne Erwähnung")["m.mentions"] == {}


def test_a_reply_inside_a_thread_keeps_the_thread():
    assert events.relates_to("$msg", "$root") == {
        "rel_type": "m.thread",
        "event_id": "$root",
        "is_falling_back": False,
        "m.in_reply_to": {"event_id": "$msg"},
    }
    assert events.relates_to("$msg") == {"m.in_reply_to": {"event_id": "$msg"}}


def test_a_reply_to_our_event_is_a_reply_in_its_conversation():
    item = read(
        message(
            "$r",
            "@jana:example.org",
            "Super!",
            **{"m.relates_to": {"m.in_reply_to": {"event_id": "$ours"}}},
        )
    )
    assert item is not None and item.kind == "reply"
    assert (item.conversation_id, item.in_reply_to_id) == ("$ours", "$ours")
    assert item.author_name == "Jana" and item.author_handle == "@jana:example.org"
    assert item.url == "https://matrix.to/#/!room:example.org/%24r?via=example.org"


def test_mentions_by_declaration_by_user_id_or_by_display_name_as_a_word():
    declared = message("$1", "@jana:example.org", "Hallo", **{"m.mentions": {"user_ids": [OURS]}})
    by_id = message("$2", "@jana:example.org", f"Frag mal {OURS}")
    by_name = message("$3", "@jana:example.org", "kennt ihr rösterei morgenrot?")
    part_of_a_word = message("$4", "@jana:example.org", "Rösterei Morgenrotwein")
    assert [read(e).kind for e in (declared, by_id, by_name)] == ["mention"] * 3
    assert read(part_of_a_word) is None


def test_our_own_messages_edits_chat_and_redacted_events_are_not_inbox_items():
    assert read(message("$o", OURS, f"{OURS} hier")) is None
    assert read(message("$c", "@jana:example.org", "Schönes Wetter")) is None
    edit = message(
        "$e",
        "@jana:example.org",
        f"* {OURS}",
        **{"m.relates_to": {"rel_type": "m.replace", "event_id": "$1"}},
    )
    assert read(edit) is None
    redacted = {"event_id": "$x", "type": "m.room.message", "sender": "@j:e", "content": {}}
    assert read(redacted) is None
    assert read({"type": "m.room.message", "content": "not a dict"}) is None


def test_a_quoted_reply_fallback_does_not_count_as_a_mention():
    body = f"> <{OURS}> Unsere neue Bohne\n\nKlingt gut"
    assert read(message("$f", "@jana:example.org", body), own=set()) is None
    assert events.without_reply_fallback(body) == "Klingt gut"


def test_reactions_are_summed_and_thread_messages_count_as_replies_to_the_root():
    post = "$ours"
    timeline = [
        {
            "type": "m.reaction",
            "content": {
                "m.relates_to": {"rel_type": "m.annotation", "event_id": post, "key": "👍"}
            },
        },
        {
            "type": "m.reaction",
            "content": {
                "m.relates_to": {"rel_type": "m.annotation", "event_id": post, "key": "☕"}
            },
        },
        {"type": "m.reaction", "content": {}},
        message("$r", "@j:e", "a", **{"m.relates_to": {"m.in_reply_to": {"event_id": post}}}),
        message(
            "$t",
            "@j:e",
            "b",
            **{
                "m.relates_to": {
                    "rel_type": "m.thread",
                    "event_id": post,
                    "m.in_reply_to": {"event_id": "$r"},
                }
            },
        ),
        message("$e", "@j:e", "c", **{"m.relates_to": {"rel_type": "m.replace", "event_id": post}}),
    ]
    assert events.count_relations(timeline, {post}) == {post: {"reactions": 2, "replies": 2}}
