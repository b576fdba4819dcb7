"""find_published pages back through the room: found, certainly absent, or unknown."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from townsquare.networks.base import MediaRef, OutcomeUnknown, RetryLater, VariantToPublish
from townsquare.networks.matrix.tests.helpers import OURS, creds, publisher

NOW = datetime.now(UTC)


def event(event_id, minutes_ago, txn=None, sender=OURS):
    unsigned = {"transaction_id": txn} if txn else {}
    return {
        "event_id": event_id,
        "type": "m.room.message",
        "sender": sender,
        "origin_server_ts": int((NOW - timedelta(minutes=minutes_ago)).timestamp() * 1000),
        "content": {"msgtype": "m.text", "body": "x"},
        "unsigned": unsigned,
    }


def paged(pages):
    """A room whose /messages answers the given pages in turn (the last without `end`)."""
    requests = []

    def handler(request):
        requests.append(request)
        index = int(request.url.params.get("from", "0") or 0)
        body = {"chunk": pages[index], "start": str(index)}
        if index + 1 < len(pages):
            body["end"] = str(index + 1)
        return httpx.Response(200, json=body)

    return handler, requests


def test_our_event_with_the_key_is_found():
    handler, requests = paged([[event("$a", 1), event("$b", 2, txn="key:0")]])
    found = publisher(handler).find_published(creds(), "key:0", sent_after=NOW)
    assert found is not None and found.network_post_id == "$b"
    assert found.url == "https://matrix.to/#/!room:example.org/%24b?via=example.org"
    room_filter = json.loads(requests[0].url.params["filter"])
    assert room_filter == {"types": ["m.room.message"], "senders": [OURS]}


def test_someone_elses_event_with_the_same_transaction_id_is_not_ours():
    handler, _ = paged([[event("$b", 2, txn="key:0", sender="@else:example.org")]])
    assert publisher(handler).find_published(creds(), "key:0", sent_after=NOW) is None


def test_none_once_the_pages_reach_back_before_the_send():
    handler, requests = paged([[event("$a", 1)], [event("$old", 60)], [event("$older", 90)]])
    assert publisher(handler).find_published(creds(), "key:0", sent_after=NOW) is None
    assert len(requests) == 2, "stops as soon as it is certain"


def test_none_when_the_rooms_beginning_is_reached_without_a_send_time():
    handler, _ = paged([[event("$a", 1)], [event("$b", 2)]])
    assert publisher(handler).find_published(creds(), "key:0") is None


def test_unknown_when_the_bounded_pages_do_not_reach_the_send():
    pages = [[event(f"${n}", 0)] for n in range(40)]
    handler, requests = paged(pages)
    with pytest.raises(OutcomeUnknown):
        publisher(handler).find_published(creds(), "key:0", sent_after=NOW - timedelta(hours=1))
    assert len(requests) == 20


def test_a_room_that_cannot_be_read_is_asked_again_later_never_answered_none():
    def handler(request):
        return httpx.Response(503, text="down")

    with pytest.raises(RetryLater):
        publisher(handler).find_published(creds(), "key:0", sent_after=NOW)


def test_a_picture_goes_first_with_its_alt_text_and_the_text_carries_the_key():
    sent = []

    def handler(request):
        if request.url.path.endswith("/upload"):
            return httpx.Response(200, json={"content_uri": "mxc://example.org/abc"})
        sent.append((request.url.raw_path.decode().rsplit("/", 1)[-1], json.loads(request.content)))
        return httpx.Response(200, json={"event_id": f"$e{len(sent)}"})

    picture = MediaRef(
        storage_key="media/roestung.png",
        kind="image",
        mime_type="image/png",
        width=640,
        height=480,
        alt_text="Kaffeebohnen im Röster",
    )
    variant = VariantToPublish(
        variant_id=1, account_id=1, network="matrix_room", parts=("Heute!",), media=(picture,)
    )
    result = publisher(handler).publish(creds(), variant, "key:0")
    (image_txn, image), (text_txn, text) = sent
    assert image_txn == "key%3A0%3Amedia%3A0" and text_txn == "key%3A0"
    assert image["msgtype"] == "m.image" and image["body"] == "Kaffeebohnen im Röster"
    assert image["url"] == "mxc://example.org/abc"
    assert image["info"] == {"mimetype": "image/png", "size": 23, "w": 640, "h": 480}
    assert text["body"] == "Heute!"
    assert result.network_post_id == "$e2" and result.part_ids == ("$e2",)


def test_a_video_is_an_m_video_with_its_duration():
    sent = []

    def handler(request):
        if request.url.path.endswith("/upload"):
            return httpx.Response(200, json={"content_uri": "mxc://example.org/v"})
        sent.append(json.loads(request.content))
        return httpx.Response(200, json={"event_id": "$v"})

    clip = MediaRef(
        storage_key="a.mp4",
        kind="video",
        mime_type="video/mp4",
        width=1280,
        height=720,
        duration_s=2.5,
    )
    variant = VariantToPublish(
        variant_id=1, account_id=1, network="matrix_room", parts=("",), media=(clip,)
    )
    result = publisher(handler).publish(creds(), variant, "k")
    [video] = sent
    assert video["msgtype"] == "m.video" and video["info"]["duration"] == 2500
    assert result.network_post_id == "$v", "without words, the video is the post"


def test_a_part_answers_the_previous_one():
    sent = []

    def handler(request):
        sent.append(json.loads(request.content))
        return httpx.Response(200, json={"event_id": "$2"})

    variant = VariantToPublish(
        variant_id=1, account_id=1, network="matrix_room", parts=("Teil 2",), reply_to_id="$1"
    )
    publisher(handler).publish(creds(), variant, "k:1")
    assert sent[0]["m.relates_to"] == {"m.in_reply_to": {"event_id": "$1"}}


def test_deleting_redacts_and_an_event_already_gone_counts_as_deleted():
    paths = []

    def handler(request):
        paths.append(request.url.raw_path.decode())
        if len(paths) == 1:
            return httpx.Response(200, json={"event_id": "$redaction"})
        return httpx.Response(404, json={"errcode": "M_NOT_FOUND", "error": "gone"})

    connector = publisher(handler)
    connector.delete(creds(), "$abc")
    connector.delete(creds(), "$abc")
    assert paths[0].startswith("/_matrix/client/v3/rooms/%21room%3Aexample.org/redact/%24abc/")
