"""HTTP answers and failures become errors with the right retry meaning (networks.http_errors)."""

from __future__ import annotations

import json
import socket

import httpx
import pytest

from townsquare.networks.base import OutcomeUnknown, Reauth, Rejected, RetryLater
from townsquare.networks.http_errors import (
    MESSAGE_MAX_CHARS,
    error_for_exception,
    error_for_status,
    retry_after_seconds,
    server_message,
)

NOW = 1_800_000_000.0  # a fixed clock: 2027-01-15


@pytest.mark.parametrize("status", [200, 201, 202, 204, 299])
def test_a_success_is_no_error(status):
    assert error_for_status(status, {}, b"") is None


@pytest.mark.parametrize("status", [401, 403])
def test_refused_credentials_ask_for_the_account_to_be_connected_again(status):
    error = error_for_status(status, {}, b'{"error": "Token has expired"}')
    assert isinstance(error, Reauth)
    assert error.message == "Token has expired"


def test_refused_credentials_without_a_message_get_a_plain_one():
    error = error_for_status(401, {}, b"")
    assert isinstance(error, Reauth)
    assert "credentials" in error.message


@pytest.mark.parametrize("status", [400, 404, 409, 413, 415, 422])
def test_other_client_errors_are_permanent_rejections_with_the_networks_message(status):
    error = error_for_status(status, {}, json.dumps({"error": "Text is too long"}))
    assert isinstance(error, Rejected)
    assert error.message == "Text is too long"
    assert error.code == f"http_{status}"
    assert f"HTTP {status}" in error.detail


def test_a_rejection_without_a_message_names_the_status():
    error = error_for_status(422, {}, b"")
    assert isinstance(error, Rejected)
    assert "422" in error.message


def test_a_rate_limit_is_retried_after_the_announced_seconds():
    error = error_for_status(429, {"Retry-After": "30"}, b"", now=NOW)
    assert isinstance(error, RetryLater)
    assert error.after == 30


def test_a_rate_limit_is_retried_after_the_reset_time_in_epoch_seconds():
    error = error_for_status(429, {"X-RateLimit-Reset": str(int(NOW) + 42)}, b"", now=NOW)
    assert isinstance(error, RetryLater)
    assert error.after == pytest.approx(42)


def test_of_two_rate_limit_hints_the_longer_wait_wins():
    headers = {"Retry-After": "5", "X-RateLimit-Reset": str(int(NOW) + 60)}
    error = error_for_status(429, headers, b"", now=NOW)
    assert isinstance(error, RetryLater)
    assert error.after == pytest.approx(60)


def test_a_rate_limit_without_hints_is_retried_with_the_callers_backoff():
    error = error_for_status(429, {}, b"", now=NOW)
    assert isinstance(error, RetryLater)
    assert error.after is None
    assert "rate limit" in error.message


def test_a_request_timeout_from_the_server_is_retried():
    assert isinstance(error_for_status(408, {}, b""), RetryLater)


@pytest.mark.parametrize("status", [500, 502, 503, 599])
def test_a_server_error_is_retried_because_the_server_answered(status):
    error = error_for_status(status, {}, b"<html>Oops</html>")
    assert isinstance(error, RetryLater)
    assert str(status) in error.message


def test_a_server_error_with_retry_after_carries_the_wait():
    error = error_for_status(503, {"retry-after": "120"}, b"", now=NOW)
    assert isinstance(error, RetryLater)
    assert error.after == 120


@pytest.mark.parametrize("status", [504, 524])
def test_a_gateway_timeout_on_a_write_may_have_published(status):
    assert isinstance(error_for_status(status, {}, b""), OutcomeUnknown)


@pytest.mark.parametrize("status", [504, 524])
def test_a_gateway_timeout_on_a_read_is_simply_retried(status):
    assert isinstance(error_for_status(status, {}, b"", idempotent=True), RetryLater)


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_an_unexpected_redirect_of_a_write_may_have_published(status):
    assert isinstance(error_for_status(status, {"Location": "/x"}, b""), OutcomeUnknown)
    assert isinstance(error_for_status(status, {}, b"", idempotent=True), RetryLater)


def test_header_names_are_matched_whatever_their_case():
    assert error_for_status(429, {"RETRY-AFTER": "7"}, b"", now=NOW).after == 7
    assert error_for_status(429, httpx.Headers({"Retry-After": "8"}), b"", now=NOW).after == 8


# --- waits -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "0"}, 0.0),
        ({"Retry-After": "1.5"}, 1.5),
        ({"Retry-After": " 12 "}, 12.0),
        ({"Retry-After": "Fri, 15 Jan 2027 08:00:30 GMT"}, 30.0),
        ({"X-RateLimit-Reset": f"{NOW + 0.25:.3f}"}, 0.25),
        ({"x-rate-limit-reset": str(int(NOW) + 900)}, 900.0),  # X
        ({"ratelimit-reset": str(int(NOW) + 300)}, 300.0),  # Bluesky
        ({"RateLimit-Reset": "60"}, 60.0),  # IETF draft: seconds from now
        ({"X-RateLimit-Reset": "2027-01-15T08:01:00.000Z"}, 60.0),  # Mastodon
    ],
)
def test_every_shape_of_reset_header_becomes_seconds_to_wait(headers, expected):
    assert retry_after_seconds(headers, now=NOW) == pytest.approx(expected)


def test_a_reset_in_the_past_means_retry_now():
    assert retry_after_seconds({"X-RateLimit-Reset": str(int(NOW) - 100)}, now=NOW) == 0
    assert retry_after_seconds({"Retry-After": "-5"}, now=NOW) == 0


@pytest.mark.parametrize("value", ["", "soon", "nan", "inf", "Thursday", "12abc"])
def test_an_unreadable_reset_header_is_ignored(value):
    assert retry_after_seconds({"Retry-After": value}, now=NOW) is None


def test_an_unreadable_hint_does_not_hide_a_readable_one():
    headers = {"Retry-After": "soon", "X-RateLimit-Reset": str(int(NOW) + 10)}
    assert retry_after_seconds(headers, now=NOW) == pytest.approx(10)


def test_no_headers_mean_no_wait_is_known():
    assert retry_after_seconds(None) is None
    assert retry_after_seconds({}) is None


def test_without_a_clock_the_current_time_is_used():
    wait = retry_after_seconds({"X-RateLimit-Reset": "4102444800"})  # 2100-01-01
    assert wait is not None and wait > 0


# --- messages ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b'{"error": "Bad token"}', "Bad token"),
        (b'{"message": "Post too long"}', "Post too long"),
        (b'{"error": "invalid_grant", "error_description": "Code expired"}', "Code expired"),
        (b'{"error": {"code": 190, "message": "Session expired"}}', "Session expired"),
        (b'{"errors": [{"detail": "Text is required"}]}', "Text is required"),
        (b'{"errors": ["First problem", "Second"]}', "First problem"),
        (b'"A bare JSON string"', "A bare JSON string"),
        (b"Plain text   with\n spaces", "Plain text with spaces"),
        (b"<!doctype html><h1>502 Bad Gateway</h1>", ""),
        (b"", ""),
        (b'{"status": 400}', ""),
        ("Caf\u00e9 ferm\u00e9", "Caf\u00e9 ferm\u00e9"),
        (b"\xff\xfe broken bytes", "\ufffd\ufffd broken bytes"),
    ],
)
def test_the_networks_message_is_found_in_its_error_body(body, expected):
    assert server_message(body) == expected


def test_a_message_already_parsed_is_read_too():
    assert server_message({"detail": "Nope"}) == "Nope"
    assert server_message(None) == ""


def test_a_long_message_is_shortened_for_people():
    message = server_message(json.dumps({"error": "word " * 500}))
    assert len(message) == MESSAGE_MAX_CHARS
    assert message.endswith("…")


def test_a_deeply_nested_body_costs_only_a_glance():
    body: object = "too deep"
    for _ in range(50):
        body = {"error": body}
    assert server_message(json.dumps(body)) == ""


def test_the_detail_keeps_the_body_for_logs():
    error = error_for_status(422, {}, b'{"error": "No", "field": "text"}')
    assert '"field": "text"' in error.detail


# --- failures without an answer ---------------------------------------------------------------

_REQUEST = httpx.Request("POST", "http://127.0.0.1:9/posts")


@pytest.mark.parametrize(
    "exc",
    [
        httpx.ConnectError("refused", request=_REQUEST),
        httpx.ConnectTimeout("slow connect", request=_REQUEST),
        httpx.PoolTimeout("pool full", request=_REQUEST),
        httpx.ProxyError("proxy down", request=_REQUEST),
        ConnectionRefusedError(111, "Connection refused"),
    ],
)
def test_a_request_that_cannot_have_left_is_retried(exc):
    for idempotent in (False, True):
        error = error_for_exception(exc, idempotent=idempotent)
        assert isinstance(error, RetryLater)
        assert type(exc).__name__ in error.detail


@pytest.mark.parametrize(
    "exc",
    [
        httpx.ReadTimeout("no answer", request=_REQUEST),
        httpx.WriteTimeout("stuck sending", request=_REQUEST),
        httpx.ReadError("reset by peer", request=_REQUEST),
        httpx.WriteError("broken pipe", request=_REQUEST),
        httpx.RemoteProtocolError("Server disconnected", request=_REQUEST),
        httpx.DecodingError("bad gzip", request=_REQUEST),
        TimeoutError("timed out"),
        RuntimeError("something nobody foresaw"),
    ],
)
def test_a_write_that_may_have_arrived_has_an_unknown_outcome(exc):
    assert isinstance(error_for_exception(exc), OutcomeUnknown)


@pytest.mark.parametrize(
    "exc",
    [
        httpx.ReadTimeout("no answer", request=_REQUEST),
        httpx.RemoteProtocolError("Server disconnected", request=_REQUEST),
        httpx.ReadError("reset by peer", request=_REQUEST),
    ],
)
def test_a_read_that_may_have_arrived_is_simply_retried(exc):
    assert isinstance(error_for_exception(exc, idempotent=True), RetryLater)


@pytest.mark.parametrize(
    "exc",
    [
        httpx.UnsupportedProtocol("Request URL is missing an 'http://' or 'https://' protocol."),
        httpx.InvalidURL("Invalid port"),
        httpx.LocalProtocolError("Illegal header value b'Bearer x\\n'"),
    ],
)
def test_an_unusable_address_or_token_asks_for_the_account_to_be_connected_again(exc):
    assert isinstance(error_for_exception(exc), Reauth)


def test_an_error_that_already_has_a_meaning_keeps_it():
    original = Rejected("Nope", code="content")
    assert error_for_exception(original) is original


def test_real_failures_on_loopback_are_classified_by_where_they_failed():
    # A port nobody listens on: the connection is refused before anything is sent.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with httpx.Client(timeout=2) as client, pytest.raises(httpx.ConnectError) as caught:
        client.post(f"http://127.0.0.1:{port}/posts", json={})
    assert isinstance(error_for_exception(caught.value), RetryLater)
