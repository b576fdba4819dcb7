"""The fake of X refuses what X's OpenAPI description refuses: otherwise the check that
every request we send is valid would prove nothing."""

from __future__ import annotations

import json

import httpx
import pytest

from townsquare.networks.x import payloads
from townsquare.networks.x.tests.fake_x import problems_of


def post(body) -> httpx.Request:
    return httpx.Request("POST", "https://api.x.com/2/tweets", content=json.dumps(body).encode())


@pytest.mark.parametrize(
    "body",
    [
        {"text": "x", "reply": {"in_reply_to_tweet_id": "not-an-id"}},
        {"text": "x", "reply": {}},
        {"text": "x", "scheduled_at": "tomorrow"},
        {"text": 5},
    ],
)
def test_a_body_outside_the_create_posts_schema_is_found(body):
    assert problems_of(post(body))


def test_every_body_townsquare_builds_is_inside_the_schema():
    assert problems_of(post(payloads.post_body("Hallo"))) == []
    threaded = payloads.post_body("Zwei", reply_to="1445880548472328192")
    assert problems_of(post(threaded)) == []


def test_query_parameters_outside_the_operation_are_found():
    request = httpx.Request(
        "GET",
        "https://api.x.com/2/users/2244994945/tweets",
        params={"max_results": "500", "exclude": "likes", "since": "x"},
    )
    problems = problems_of(request)
    assert any(p.startswith("max_results") for p in problems)
    assert any(p.startswith("exclude") for p in problems)
    assert "unknown query parameter since" in problems


def test_an_operation_x_does_not_have_is_found():
    with pytest.raises(AssertionError):
        problems_of(httpx.Request("POST", "https://api.x.com/2/tweets/schedule"))


# The media fixtures are built from X's documentation and description: each answer must be
# one the operation can give, or the tests that read them would prove nothing.
MEDIA_ANSWERS = {
    "media_upload__image_ok_200.json": ("POST", "/2/media/upload"),
    "media_initialize__ok_200.json": ("POST", "/2/media/upload/initialize"),
    "media_append__ok_200.json": ("POST", "/2/media/upload/{id}/append"),
    "media_finalize__pending_200.json": ("POST", "/2/media/upload/{id}/finalize"),
    "media_status__in_progress_200.json": ("GET", "/2/media/upload"),
    "media_status__succeeded_200.json": ("GET", "/2/media/upload"),
    "media_status__failed_200.json": ("GET", "/2/media/upload"),
    "media_metadata__ok_200.json": ("POST", "/2/media/metadata"),
}


@pytest.mark.parametrize(("name", "route"), sorted(MEDIA_ANSWERS.items()))
def test_every_media_answer_fits_its_operation(name, route):
    from townsquare.networks.x.tests.fake_x import captured, openapi, validator

    method, path = route
    op = openapi()["paths"][path][method.lower()]
    schema = op["responses"]["200"]["content"]["application/json"]["schema"]
    assert list(validator(schema).iter_errors(captured(name)["body"])) == []


def test_every_media_body_townsquare_builds_is_inside_the_schema():
    from townsquare.networks.base import MediaRef
    from townsquare.networks.x import media_payloads as mp

    clip = mp.plan_uploads([MediaRef(storage_key="v", kind="video", mime_type="video/mp4")])[0]
    requests = [
        ("/2/media/upload", mp.upload_body(b"\x89PNG", "tweet_image")),
        ("/2/media/upload/initialize", mp.initialize_body(clip, 12)),
        ("/2/media/upload/1880028106020515840/append", mp.append_body(0, b"chunk")),
        ("/2/media/metadata", mp.metadata_body("1880028106020515840", "Kaffee")),
        ("/2/tweets", payloads.post_body("Bild", media_ids=["1880028106020515840"])),
    ]
    for path, body in requests:
        request = httpx.Request(
            "POST", f"https://api.x.com{path}", content=json.dumps(body).encode()
        )
        assert problems_of(request) == [], path


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/2/media/metadata", {"id": "not-an-id", "metadata": {"alt_text": {"text": "x"}}}),
        ("/2/media/metadata", {"id": "1", "metadata": {"alt_text": {"text": "x" * 1001}}}),
        ("/2/media/upload/initialize", {"media_category": "tweet_video", "media_type": "x/y"}),
        ("/2/media/upload/1/append", {"media": "AAAA", "segment_index": 1000}),
        ("/2/tweets", {"text": "x", "media": {"media_ids": ["1", "2", "3", "4", "5"]}}),
    ],
)
def test_a_media_body_outside_the_schema_is_found(path, body):
    request = httpx.Request("POST", f"https://api.x.com{path}", content=json.dumps(body).encode())
    assert problems_of(request)
