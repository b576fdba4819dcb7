"""How Matrix answers become errors with retry meaning. The answers are Synapse's own (or the
spec's rate-limit example): see fixtures/responses.json for their sources."""

from __future__ import annotations

import httpx
import pytest

from townsquare.networks.base import (
    OutcomeUnknown,
    Reauth,
    Rejected,
    RetryLater,
    VariantToPublish,
)
from townsquare.networks.matrix.tests.helpers import ROOM, answer, creds, publisher


def post(handler) -> None:
    variant = VariantToPublish(variant_id=1, account_id=1, network="matrix_room", parts=("Hallo",))
    publisher(handler).publish(creds(), variant, "key-1")


@pytest.mark.parametrize("name", ["unknown_token", "missing_token"])
def test_a_refused_token_needs_a_new_connection(name):
    with pytest.raises(Reauth):
        post(lambda request: answer(name))


def test_the_rate_limit_waits_as_long_as_the_body_says():
    with pytest.raises(RetryLater) as caught:
        post(lambda request: answer("limit_exceeded"))
    assert caught.value.after == 2.0


def test_the_rate_limit_takes_the_longer_of_body_and_retry_after():
    with pytest.raises(RetryLater) as caught:
        post(lambda request: answer("limit_exceeded", headers={"Retry-After": "7"}))
    assert caught.value.after == 7.0


def test_a_429_without_errcode_still_waits_for_retry_after():
    with pytest.raises(RetryLater) as caught:
        post(lambda request: httpx.Response(429, headers={"Retry-After": "3"}, text="slow down"))
    assert caught.value.after == 3.0


def test_not_allowed_to_post_in_the_room_is_a_refusal_with_the_servers_words_not_a_reauth():
    with pytest.raises(Rejected) as caught:
        post(lambda request: answer("forbidden_send"))
    assert not isinstance(caught.value, Reauth)
    assert caught.value.code == "m_forbidden"
    assert caught.value.message.startswith("User @capb:townsquare.test not in room")


@pytest.mark.parametrize("name,code", [("too_large", "m_too_large"), ("not_json", "m_not_json")])
def test_a_bad_or_too_large_event_is_refused(name, code):
    with pytest.raises(Rejected) as caught:
        post(lambda request: answer(name))
    assert caught.value.code == code


def test_a_read_timeout_after_sending_is_an_unknown_outcome():
    def handler(request):
        raise httpx.ReadTimeout("no answer", request=request)

    with pytest.raises(OutcomeUnknown):
        post(handler)


def test_a_refused_connection_is_retried_later():
    def handler(request):
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(RetryLater):
        post(handler)


def test_a_send_answered_with_malformed_json_is_unknown_with_a_clear_message():
    with pytest.raises(OutcomeUnknown) as caught:
        post(lambda request: httpx.Response(200, text="{not json"))
    assert "could not be read" in caught.value.message


def test_a_send_answered_without_an_event_id_is_unknown():
    with pytest.raises(OutcomeUnknown):
        post(lambda request: httpx.Response(200, json={"event": "?"}))


def test_a_read_answered_with_malformed_json_is_retried_later():
    connector = publisher(lambda request: httpx.Response(200, text="<html>oops</html>"))
    with pytest.raises(RetryLater) as caught:
        connector.member_names(creds())
    assert "could not be read" in caught.value.message


def test_a_server_error_is_retried_and_a_gateway_timeout_on_send_is_unknown():
    with pytest.raises(RetryLater):
        post(lambda request: httpx.Response(502, text="bad gateway"))
    with pytest.raises(OutcomeUnknown):
        post(lambda request: httpx.Response(504, text="gateway timeout"))


def test_the_send_carries_the_key_as_transaction_id_and_the_token_as_bearer():
    seen = []

    def handler(request):
        seen.append(request)
        return answer("send")

    post(handler)
    [request] = seen
    assert request.method == "PUT"
    assert request.url.raw_path.decode() == (
        "/_matrix/client/v3/rooms/%21room%3Aexample.org/send/m.room.message/key-1"
    )
    assert request.headers["Authorization"] == "Bearer secret-token"
    assert ROOM == "!room:example.org"


def test_an_account_without_a_room_or_token_must_be_connected_again():
    from dataclasses import replace

    connector = publisher(lambda request: answer("send"))
    variant = VariantToPublish(variant_id=1, account_id=1, network="matrix_room", parts=("x",))
    with pytest.raises(Reauth):
        connector.publish(replace(creds(), extra={"user_id": "@a:b"}), variant, "k")
    with pytest.raises(Reauth):
        connector.publish(replace(creds(), access_token=""), variant, "k")


def test_the_connection_check_asks_who_we_are_and_tells_a_refused_token():
    seen = []

    def homeserver(request):
        seen.append(request.url.path)
        return answer("whoami")

    publisher(homeserver).check_connection(creds())
    assert seen == ["/_matrix/client/v3/account/whoami"]
    with pytest.raises(Reauth):
        publisher(lambda request: answer("unknown_token")).check_connection(creds())
