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
