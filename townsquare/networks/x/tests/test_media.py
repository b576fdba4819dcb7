"""Pictures with alt text, GIFs and videos on X, against the fake of X with captured answers
(each fixture names its source); every request is checked against X's OpenAPI description."""

from __future__ import annotations

import base64
import json

import httpx
import pytest

from townsquare.networks.base import MediaRef, Rejected, RetryLater, VariantToPublish
from townsquare.networks.x import media_payloads
from townsquare.networks.x.tests.fake_x import FakeX, answer, creds

MEDIA_ID = "1880028106020515840"
PNG = b"\x89PNG\r\n\x1a\n" + b"p" * 1000
VIDEO = b"\x00\x00\x00\x18ftypmp42" + b"v" * (2 * media_payloads.CHUNK_BYTES + 10)


def picture(key: str = "m/1.png", alt: str = "", mime: str = "image/png") -> MediaRef:
    return MediaRef(storage_key=key, kind="image", mime_type=mime, alt_text=alt)


def video(key: str = "m/v.mp4", alt: str = "") -> MediaRef:
    return MediaRef(storage_key=key, kind="video", mime_type="video/mp4", alt_text=alt)


def variant(*media: MediaRef, parts: tuple[str, ...] = ("Frisch geröstet",)) -> VariantToPublish:
    return VariantToPublish(variant_id=1, account_id=1, network="x", parts=parts, media=media)


class Files:
    """The media library as the connector reads it; a missing key is a missing file."""

    def __init__(self, **files: bytes) -> None:
        self.files = {key.replace("__", "/").replace("_", "."): data for key, data in files.items()}

    def __call__(self, key: str) -> bytes:
        if key not in self.files:
            raise FileNotFoundError(key)
        return self.files[key]


@pytest.fixture
def x():
    fake = FakeX(
        {
            "POST /2/media/upload": lambda request: answer("media_upload__image_ok_200.json"),
            "POST /2/media/metadata": lambda request: answer("media_metadata__ok_200.json"),
            "POST /2/media/upload/initialize": answer("media_initialize__ok_200.json"),
            f"POST /2/media/upload/{MEDIA_ID}/append": lambda request: answer(
                "media_append__ok_200.json"
            ),
            f"POST /2/media/upload/{MEDIA_ID}/finalize": answer("media_finalize__pending_200.json"),
            "GET /2/media/upload": [
                answer("media_status__in_progress_200.json"),
                answer("media_status__succeeded_200.json"),
            ],
            "POST /2/tweets": answer("tweets_create__ok_201.json"),
        }
    )
    yield fake
    assert fake.invalid == []


def connector(x, files: Files, slept: list[float] | None = None):
    return x.connector(media_reader=files, sleep=(slept if slept is not None else []).append)


def sent_json(x, key: str) -> list[dict]:
    return [json.loads(r.content) for r in x.sent(key)]


def test_pictures_are_uploaded_described_and_attached(x):
    files = Files(m__1_png=PNG, m__2_jpg=b"\xff\xd8jpeg")
    pictures = (
        picture("m/1.png", alt="Eine Tasse Kaffee auf einem Holztisch"),
        picture("m/2.jpg", mime="image/jpeg"),
    )
    connector(x, files).publish(creds(), variant(*pictures), "key-1")
    uploads = sent_json(x, "POST /2/media/upload")
    assert [u["media_category"] for u in uploads] == ["tweet_image", "tweet_image"]
    assert base64.b64decode(uploads[0]["media"]) == PNG
    # Only the picture with alt text gets the metadata call.
    assert sent_json(x, "POST /2/media/metadata") == [
        {
            "id": MEDIA_ID,
            "metadata": {"alt_text": {"text": "Eine Tasse Kaffee auf einem Holztisch"}},
        }
    ]
    (post,) = sent_json(x, "POST /2/tweets")
    assert post["media"] == {"media_ids": [MEDIA_ID, MEDIA_ID]}
    # The post goes last, after every file is ready.
    assert f"{x.requests[-1].method} {x.requests[-1].url.path}" == "POST /2/tweets"


def test_a_video_goes_in_chunks_and_waits_while_x_processes_it(x):
    slept: list[float] = []
    x.routes[f"POST /2/media/upload/{MEDIA_ID}/append"] = [
        answer("media_append__ok_200.json"),
        answer("media_append__ok_200.json", body=b""),  # X's older reference: empty 2XX
        answer("media_append__ok_200.json"),
    ]
    connector(x, Files(m__v_mp4=VIDEO), slept).publish(
        creds(), variant(video(alt="Ein Film")), "key-1"
    )
    (started,) = sent_json(x, "POST /2/media/upload/initialize")
    assert started == {
        "media_category": "tweet_video",
        "media_type": "video/mp4",
        "total_bytes": len(VIDEO),
    }
    appends = sent_json(x, f"POST /2/media/upload/{MEDIA_ID}/append")
    assert [a["segment_index"] for a in appends] == [0, 1, 2]
    assert b"".join(base64.b64decode(a["media"]) for a in appends) == VIDEO
    assert len(x.sent(f"POST /2/media/upload/{MEDIA_ID}/finalize")) == 1
    statuses = x.sent("GET /2/media/upload")
    assert [dict(r.url.params) for r in statuses] == [
        {"command": "STATUS", "media_id": MEDIA_ID}
    ] * 2
    assert slept == [1.0, 5.0]  # as X asked: check_after_secs of each answer
    assert x.sent("POST /2/media/metadata") == []  # alt text is for pictures and GIFs
    assert sent_json(x, "POST /2/tweets")[0]["media"] == {"media_ids": [MEDIA_ID]}


def test_a_gif_goes_in_chunks_and_keeps_its_alt_text(x):
    x.routes[f"POST /2/media/upload/{MEDIA_ID}/finalize"] = answer(
        "media_status__succeeded_200.json"
    )
    gif = picture("m/a.gif", alt="Bohnen fallen", mime="image/gif")
    connector(x, Files(m__a_gif=b"GIF89a" + b"g" * 100)).publish(creds(), variant(gif), "key-1")
    assert sent_json(x, "POST /2/media/upload/initialize")[0]["media_category"] == "tweet_gif"
    assert x.sent("POST /2/media/upload") == [] and x.sent("GET /2/media/upload") == []
    assert sent_json(x, "POST /2/media/metadata")[0]["metadata"]["alt_text"]["text"] == (
        "Bohnen fallen"
    )


def test_a_thread_carries_its_media_on_the_first_part_only(x):
    x.routes["POST /2/tweets"] = [
        answer("tweets_create__ok_201.json"),
        answer("tweets_create__reply_ok_201.json"),
    ]
    connector(x, Files(m__1_png=PNG)).publish(
        creds(), variant(picture(), parts=("Eins", "Zwei")), "key-1"
    )
    first, second = sent_json(x, "POST /2/tweets")
    assert "media" in first and "media" not in second


def test_a_video_x_could_not_process_is_refused_and_nothing_is_posted(x):
    x.routes["GET /2/media/upload"] = answer("media_status__failed_200.json")
    with pytest.raises(Rejected) as refused:
        connector(x, Files(m__v_mp4=VIDEO)).publish(creds(), variant(video()), "key-1")
    assert "could not process" in refused.value.message
    assert x.sent("POST /2/tweets") == []


def test_a_video_still_processing_after_a_minute_waits_for_the_next_attempt(x):
    x.routes["GET /2/media/upload"] = lambda request: answer("media_status__in_progress_200.json")
    slept: list[float] = []
    with pytest.raises(RetryLater) as later:
        connector(x, Files(m__v_mp4=VIDEO), slept).publish(creds(), variant(video()), "key-1")
    assert later.value.after == 60 and 0 < sum(slept) <= 60
    assert x.sent("POST /2/tweets") == []


@pytest.mark.parametrize(
    ("media", "code"),
    [
        (tuple(picture(f"m/{i}.png") for i in range(5)), "rejected"),
        ((video(), picture()), "media_kinds_mixed"),
        ((video(), video("m/w.mp4")), "too_many_videos"),
        (
            (MediaRef(storage_key="m/d.pdf", kind="document", mime_type="application/pdf"),),
            "unsupported_media",
        ),
        ((picture("m/big.png"),), "rejected"),
        ((picture("m/gone.png"),), "media_missing"),
    ],
)
def test_what_x_would_refuse_is_refused_before_anything_is_sent(x, media, code):
    files = Files(m__big_png=b"p" * (media_payloads.PICTURE_MAX_BYTES + 1))
    with pytest.raises(Rejected) as refused:
        connector(x, files).publish(creds(), variant(*media), "key-1")
    assert refused.value.code == code and x.requests == []


@pytest.mark.parametrize(
    "broken",
    [
        httpx.Response(200, headers={"content-type": "text/html"}, content=b"<html>Oops</html>"),
        httpx.Response(200, content=b'{"data": {"id": "18800'),
        httpx.Response(200, json={"data": {"media_key": "3_1"}}),
    ],
)
def test_an_unreadable_upload_answer_is_tried_again_later_and_nothing_is_posted(x, broken):
    x.routes["POST /2/media/upload"] = broken
    with pytest.raises(RetryLater):
        connector(x, Files(m__1_png=PNG)).publish(creds(), variant(picture()), "key-1")
    assert x.sent("POST /2/tweets") == []


def test_a_long_alt_text_is_cut_to_what_x_takes(x):
    long = "Kaffee " * 300
    connector(x, Files(m__1_png=PNG)).publish(creds(), variant(picture(alt=long)), "key-1")
    text = sent_json(x, "POST /2/media/metadata")[0]["metadata"]["alt_text"]["text"]
    assert len(text) == media_payloads.ALT_TEXT_MAX and long.startswith(text)
