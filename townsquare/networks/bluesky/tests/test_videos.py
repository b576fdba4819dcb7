"""Videos on Bluesky: one MP4 uploaded as a blob and embedded as `app.bsky.embed.video`.

The embed's shape follows lexicons/app/bsky/embed/video.json in bluesky-social/atproto
(https://github.com/bluesky-social/atproto/blob/main/lexicons/app/bsky/embed/video.json).
The PDS's answer to an oversized upload is the one its XRPC server sends
(packages/xrpc-server/src/util.ts: `PayloadTooLarge`, "request entity too large", HTTP 413).
"""

from __future__ import annotations

import json

import httpx
import pytest

from townsquare.media.tests.samples import mp4
from townsquare.networks.base import MediaRef, Rejected, RetryLater, VariantToPublish
from townsquare.networks.bluesky import payloads, videos
from townsquare.networks.bluesky.connector import BlueskyPublisher
from townsquare.networks.bluesky.tests.test_errors import DID, Pds, created, creds
from townsquare.networks.rules.loader import load_rules

CLIP = mp4(width=1280, height=720, seconds=4.0, mdat_bytes=4096)
BLOB = {
    "$type": "blob",
    "ref": {"$link": "bafkreibvideo"},
    "mimeType": "video/mp4",
    "size": len(CLIP),
}
TOO_LARGE = {"error": "PayloadTooLarge", "message": "request entity too large"}


def uploaded(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"blob": BLOB})


def video(**fields) -> MediaRef:
    values = {
        "storage_key": "media/clip.mp4",
        "kind": "video",
        "mime_type": "video/mp4",
        "size_bytes": len(CLIP),
        "width": 1280,
        "height": 720,
        "duration_s": 4.0,
        "alt_text": "Die Röstmaschine dreht sich",
    }
    values.update(fields)
    return MediaRef(**values)


def post(*media: MediaRef, link_url: str = "") -> VariantToPublish:
    return VariantToPublish(
        variant_id=1,
        account_id=1,
        network="bluesky",
        parts=("Frisch aus der Trommel.",),
        media=media,
        link_url=link_url,
    )


def no_card(url: str):
    raise AssertionError("a post with a video needs no link card")


def publisher(pds: Pds, files: dict[str, bytes] | None = None) -> BlueskyPublisher:
    stored = {"media/clip.mp4": CLIP} if files is None else files
    return BlueskyPublisher(
        transport=httpx.MockTransport(pds),
        on_session=lambda c, s: None,
        card_fetcher=no_card,
        media_reader=lambda key: stored[key],
    )


def record_of(pds: Pds) -> dict:
    [request] = [r for r in pds.requests if r.url.path.endswith("createRecord")]
    return json.loads(request.content)["record"]


def uploads(pds: Pds) -> list[httpx.Request]:
    return [r for r in pds.requests if r.url.path.endswith("uploadBlob")]


def test_a_video_is_uploaded_as_an_mp4_blob_and_embedded_with_alt_text_and_aspect_ratio():
    pds = Pds(**{"com.atproto.repo.uploadBlob": uploaded, "com.atproto.repo.createRecord": created})
    result = publisher(pds).publish(creds(), post(video()), "key-video")
    [upload] = uploads(pds)
    assert upload.content == CLIP
    assert upload.headers["Content-Type"] == "video/mp4"
    # A video takes longer to store than a picture; the upload waits for it.
    assert upload.extensions["timeout"]["read"] == videos.VIDEO_UPLOAD_TIMEOUT_S
    assert record_of(pds)["embed"] == {
        "$type": "app.bsky.embed.video",
        "video": BLOB,
        "alt": "Die Röstmaschine dreht sich",
        "aspectRatio": {"width": 1280, "height": 720},
    }
    assert result.network_post_id.startswith(f"at://{DID}/app.bsky.feed.post/")


def test_without_alt_text_or_known_size_the_embed_leaves_those_fields_out():
    pds = Pds(**{"com.atproto.repo.uploadBlob": uploaded, "com.atproto.repo.createRecord": created})
    publisher(pds).publish(creds(), post(video(alt_text="", width=None, height=0)), "key-bare")
    assert record_of(pds)["embed"] == {"$type": "app.bsky.embed.video", "video": BLOB}


def test_a_video_wins_over_the_link_card_and_goes_only_with_the_first_part_of_a_thread():
    pds = Pds(**{"com.atproto.repo.uploadBlob": uploaded, "com.atproto.repo.createRecord": created})
    thread = VariantToPublish(
        variant_id=1,
        account_id=1,
        network="bluesky",
        parts=("Teil eins https://example.com/kaffee", "Teil zwei"),
        media=(video(),),
        link_url="https://example.com/kaffee",
    )
    publisher(pds).publish(creds(), thread, "key-thread")  # no_card fails if a card is fetched
    first, second = (
        json.loads(r.content)["record"] for r in pds.requests if r.url.path.endswith("createRecord")
    )
    assert first["embed"]["$type"] == "app.bsky.embed.video"
    assert "embed" not in second
    assert len(uploads(pds)) == 1


@pytest.mark.parametrize(
    ("media", "code"),
    [
        ((video(mime_type="video/quicktime"),), "video_not_mp4"),
        ((video(mime_type="video/webm"),), "video_not_mp4"),
        ((video(size_bytes=videos.VIDEO_MAX_BYTES + 1),), "video_too_large"),
        ((video(), video(storage_key="media/other.mp4")), "too_many_videos"),
        (
            (video(), MediaRef(storage_key="p.png", kind="image", mime_type="image/png")),
            "media_kinds_mixed",
        ),
        (
            (MediaRef(storage_key="d.pdf", kind="document", mime_type="application/pdf"),),
            "unsupported_media",
        ),
    ],
)
def test_media_bluesky_cannot_take_are_refused_before_any_request(media, code):
    pds = Pds()
    with pytest.raises(Rejected) as caught:
        publisher(pds).publish(creds(), post(*media), "key-refused")
    assert caught.value.code == code
    assert pds.requests == [], "nothing read from or sent to the PDS"


def test_the_messages_tell_people_what_to_do():
    with pytest.raises(Rejected) as not_mp4:
        videos.check_media([video(mime_type="video/webm")])
    assert "convert" in not_mp4.value.message and "MP4" in not_mp4.value.message
    with pytest.raises(Rejected) as too_large:
        videos.check_media([video(size_bytes=450_000_000)])
    assert "450.0 MB" in too_large.value.message and "300 MB" in too_large.value.message


def test_the_file_itself_is_checked_before_uploading(monkeypatch):
    # The library's size may be unknown and a stored file may not be what its type says.
    files = {
        "media/big.mp4": CLIP + b"\0" * 64,
        "media/mov.mp4": mp4(brand=b"qt  "),
        "media/text.mp4": b"not a video at all",
    }
    expectations = {
        "media/big.mp4": "video_too_large",
        "media/mov.mp4": "video_not_mp4",
        "media/text.mp4": "video_not_mp4",
    }
    monkeypatch.setattr(videos, "VIDEO_MAX_BYTES", len(CLIP) + 10)
    for key, expected in expectations.items():
        pds = Pds(**{"com.atproto.repo.uploadBlob": uploaded})
        with pytest.raises(Rejected) as caught:
            publisher(pds, files).publish(
                creds(), post(video(storage_key=key, size_bytes=None)), "key-file"
            )
        assert caught.value.code == expected, key
        assert uploads(pds) == []


def test_a_video_missing_from_the_media_library_is_refused():
    pds = Pds()

    def gone(key):
        raise FileNotFoundError(key)

    connector = BlueskyPublisher(transport=httpx.MockTransport(pds), media_reader=gone)
    with pytest.raises(Rejected) as caught:
        connector.publish(creds(), post(video()), "key-gone")
    assert caught.value.code == "media_missing"
    assert uploads(pds) == []


def test_a_pds_that_refuses_the_size_is_a_rejection_with_its_message():
    pds = Pds(
        **{
            "com.atproto.repo.uploadBlob": lambda r: httpx.Response(413, json=TOO_LARGE),
            "com.atproto.repo.createRecord": created,
        }
    )
    with pytest.raises(Rejected) as caught:
        publisher(pds).publish(creds(), post(video()), "key-413")
    assert caught.value.message == "request entity too large"
    assert pds.called("com.atproto.repo.createRecord") == 0


def timed_out(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadTimeout("no answer after the upload", request=request)


@pytest.mark.parametrize(
    "answer",
    [
        lambda r: httpx.Response(500, json={"error": "InternalServerError"}),
        lambda r: httpx.Response(503),
        lambda r: httpx.Response(504),
        timed_out,
        lambda r: httpx.Response(200, json={"unexpected": True}),
    ],
    ids=["500", "503", "504", "timeout", "no-blob"],
)
def test_a_failed_upload_is_tried_again_later_since_a_lone_blob_shows_nothing(answer):
    # As with pictures: the post record was not sent, and a blob no record uses is dropped.
    pds = Pds(**{"com.atproto.repo.uploadBlob": answer, "com.atproto.repo.createRecord": created})
    with pytest.raises(RetryLater):
        publisher(pds).publish(creds(), post(video()), "key-retry")
    assert pds.called("com.atproto.repo.createRecord") == 0


def test_a_gif_still_goes_as_a_picture():
    # Bluesky wants an animated GIF as an MP4 video with presentation "gif"; converting one
    # needs a video encoder, so it goes as before: a picture (docs/networks/bluesky.md).
    from townsquare.media.tests.samples import animated_gif

    gif = MediaRef(storage_key="media/a.gif", kind="gif", mime_type="image/gif", alt_text="Dampf")
    pds = Pds(
        **{
            "com.atproto.repo.uploadBlob": lambda r: httpx.Response(
                200, json={"blob": {**BLOB, "mimeType": "image/gif"}}
            ),
            "com.atproto.repo.createRecord": created,
        }
    )
    publisher(pds, {"media/a.gif": animated_gif()}).publish(creds(), post(gif), "key-gif")
    [upload] = uploads(pds)
    assert upload.headers["Content-Type"] == "image/gif"
    embed = record_of(pds)["embed"]
    assert embed["$type"] == "app.bsky.embed.images"
    assert embed["images"][0]["alt"] == "Dampf"


def test_the_size_limit_is_the_one_in_the_rules():
    assert load_rules()["bluesky"].video_max_bytes.value == videos.VIDEO_MAX_BYTES
    assert load_rules()["bluesky"].video_types.value == (videos.VIDEO_MIME,)


def test_the_embed_builder_drops_an_aspect_ratio_the_lexicon_would_refuse():
    assert "aspectRatio" not in payloads.video_embed(BLOB, "", 0, 720)
    assert "aspectRatio" not in payloads.video_embed(BLOB, "", -5, 720)
    assert payloads.video_embed(BLOB, "a", 9, 16)["aspectRatio"] == {"width": 9, "height": 16}
