"""How the connector classifies what a PDS answers, with answers shaped like the real ones.

The same situations run against the real reference PDS in tests/peers; here each answer is
pinned down exactly (a rate limit's reset header, a timeout after the request left).
"""

from __future__ import annotations

import base64
import json
import time

import httpx
import pytest

from townsquare.networks.base import (
    Credentials,
    OutcomeUnknown,
    Reauth,
    Rejected,
    RetryLater,
    VariantToPublish,
)
from townsquare.networks.bluesky.connector import BlueskyPublisher, part_rkey

DID = "did:plc:ours"
SERVICE = "http://pds.invalid"


def jwt(iat: float, exp: float, sub: str = DID) -> str:
    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'alg': 'HS256'})}.{part({'sub': sub, 'iat': iat, 'exp': exp})}.sig"


def creds(*, access=None, refresh="refresh-1", password="app-pass") -> Credentials:
    now = time.time()
    return Credentials(
        account_id=1,
        network="bluesky",
        handle="ours.test",
        access_token=access or jwt(now, now + 7200),
        refresh_token=refresh,
        instance_url=SERVICE,
        extra={"did": DID, "app_password": password} if password else {"did": DID},
    )


def variant(text="Hallo Welt") -> VariantToPublish:
    return VariantToPublish(variant_id=1, account_id=1, network="bluesky", parts=(text,))


class Pds:
    """Answers by XRPC method name; records every request."""

    def __init__(self, **handlers):
        self.handlers = handlers
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        nsid = request.url.path.removeprefix("/xrpc/")
        handler = self.handlers.get(nsid)
        if handler is None:
            return httpx.Response(404, json={"error": "MethodNotImplemented"})
        return handler(request)

    def called(self, nsid: str) -> int:
        return sum(1 for r in self.requests if r.url.path == f"/xrpc/{nsid}")


def created(request: httpx.Request) -> httpx.Response:
    body = json.loads(request.content)
    uri = f"at://{body['repo']}/{body['collection']}/{body['rkey']}"
    return httpx.Response(200, json={"uri": uri, "cid": "bafycreated"})


def publisher(pds: Pds, stored: list | None = None) -> BlueskyPublisher:
    return BlueskyPublisher(
        transport=httpx.MockTransport(pds),
        on_session=lambda c, s: stored.append(s) if stored is not None else None,
    )


def test_a_post_goes_out_under_the_record_key_of_its_idempotency_key():
    pds = Pds(**{"com.atproto.repo.createRecord": created})
    result = publisher(pds).publish(creds(), variant(), "key-1")
    body = json.loads(pds.requests[-1].content)
    assert body["rkey"] == part_rkey("key-1", 0)
    assert body["record"]["text"] == "Hallo Welt"
    assert result.network_post_id.endswith(part_rkey("key-1", 0))
    assert result.url == f"https://bsky.app/profile/ours.test/post/{part_rkey('key-1', 0)}"


def test_a_rate_limit_waits_until_the_reset_bluesky_names():
    reset = int(time.time()) + 120
    pds = Pds(
        **{
            "com.atproto.repo.createRecord": lambda r: httpx.Response(
                429,
                headers={"ratelimit-limit": "5000", "ratelimit-reset": str(reset)},
                json={"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
            )
        }
    )
    with pytest.raises(RetryLater) as caught:
        publisher(pds).publish(creds(), variant(), "key-1")
    assert 100 <= caught.value.after <= 121
    assert pds.called("com.atproto.repo.getRecord") == 0, "a rate limit costs no lookup"


def test_a_validation_error_is_rejected_with_the_pds_message():
    message = "Invalid app.bsky.feed.post record: grapheme too big (maximum 300, got 301)"
    pds = Pds(
        **{
            "com.atproto.repo.createRecord": lambda r: httpx.Response(
                400, json={"error": "InvalidRequest", "message": message}
            ),
            "com.atproto.repo.getRecord": lambda r: httpx.Response(
                400, json={"error": "RecordNotFound", "message": "Could not locate record"}
            ),
        }
    )
    with pytest.raises(Rejected) as caught:
        publisher(pds).publish(creds(), variant("x" * 301), "key-1")
    assert caught.value.message == message


def test_a_timeout_after_sending_is_an_unknown_outcome():
    def timeout(request):
        raise httpx.ReadTimeout("no answer", request=request)

    pds = Pds(
        **{
            "com.atproto.repo.createRecord": timeout,
            "com.atproto.repo.getRecord": lambda r: httpx.Response(
                400, json={"error": "RecordNotFound", "message": "Could not locate record"}
            ),
        }
    )
    with pytest.raises(OutcomeUnknown):
        publisher(pds).publish(creds(), variant(), "key-1")


def test_a_refused_connection_is_retried_later():
    def refused(request):
        raise httpx.ConnectError("refused", request=request)

    pds = Pds(**{"com.atproto.repo.createRecord": refused, "com.atproto.repo.getRecord": refused})
    with pytest.raises(RetryLater):
        publisher(pds).publish(creds(), variant(), "key-1")


def test_a_replay_that_the_pds_refuses_finds_the_post_it_already_has():
    existing = {
        "uri": f"at://{DID}/app.bsky.feed.post/{part_rkey('key-1', 0)}",
        "cid": "bafyexisting",
        "value": {"text": "Hallo Welt"},
    }
    pds = Pds(
        **{
            "com.atproto.repo.createRecord": lambda r: httpx.Response(
                500, json={"error": "InternalServerError", "message": "Internal Server Error"}
            ),
            "com.atproto.repo.getRecord": lambda r: httpx.Response(200, json=existing),
        }
    )
    result = publisher(pds).publish(creds(), variant(), "key-1")
    assert result.network_post_id == existing["uri"]


def test_an_expired_session_is_renewed_stored_and_the_request_sent_again():
    now = time.time()
    fresh_access = jwt(now + 1, now + 7200)
    answers = iter(
        [
            httpx.Response(400, json={"error": "ExpiredToken", "message": "Token has expired"}),
        ]
    )

    def create(request):
        if request.headers["Authorization"] == f"Bearer {fresh_access}":
            return created(request)
        return next(answers)

    pds = Pds(
        **{
            "com.atproto.repo.createRecord": create,
            "com.atproto.server.refreshSession": lambda r: httpx.Response(
                200,
                json={
                    "did": DID,
                    "handle": "ours.test",
                    "accessJwt": fresh_access,
                    "refreshJwt": "refresh-2",
                },
            ),
        }
    )
    stored: list = []
    connector = publisher(pds, stored)
    connector.publish(creds(), variant(), "key-1")
    assert [s.refresh_jwt for s in stored] == ["refresh-2"]
    assert pds.called("com.atproto.repo.createRecord") == 2
    # The next request with the old credentials uses the renewed session directly.
    connector.publish(creds(), variant(), "key-2")
    assert pds.called("com.atproto.server.refreshSession") == 1


def test_a_token_about_to_expire_is_renewed_before_the_request():
    now = time.time()
    pds = Pds(
        **{
            "com.atproto.repo.createRecord": created,
            "com.atproto.server.refreshSession": lambda r: httpx.Response(
                200,
                json={
                    "did": DID,
                    "handle": "ours.test",
                    "accessJwt": jwt(now, now + 7200),
                    "refreshJwt": "refresh-2",
                },
            ),
        }
    )
    publisher(pds).publish(creds(access=jwt(now - 7000, now + 10)), variant(), "key-1")
    assert pds.called("com.atproto.repo.createRecord") == 1
    assert pds.called("com.atproto.server.refreshSession") == 1


def expired(request):
    return httpx.Response(400, json={"error": "ExpiredToken", "message": "Token has expired"})


def test_a_revoked_refresh_token_falls_back_to_the_app_password():
    now = time.time()
    fresh = jwt(now + 1, now + 7200)
    pds = Pds(
        **{
            "com.atproto.repo.createRecord": lambda r: (
                created(r) if r.headers["Authorization"] == f"Bearer {fresh}" else expired(r)
            ),
            "com.atproto.server.refreshSession": expired,
            "com.atproto.server.createSession": lambda r: httpx.Response(
                200,
                json={
                    "did": DID,
                    "handle": "ours.test",
                    "accessJwt": fresh,
                    "refreshJwt": "refresh-3",
                },
            ),
        }
    )
    publisher(pds).publish(creds(), variant(), "key-1")
    login = next(r for r in pds.requests if r.url.path.endswith("createSession"))
    assert json.loads(login.content) == {"identifier": DID, "password": "app-pass"}


def test_an_expired_session_without_any_way_to_renew_it_needs_a_person():
    pds = Pds(
        **{
            "com.atproto.repo.createRecord": expired,
            "com.atproto.server.refreshSession": expired,
            "com.atproto.server.createSession": lambda r: httpx.Response(
                401, json={"error": "AuthenticationRequired", "message": "Invalid password"}
            ),
        }
    )
    with pytest.raises(Reauth):
        publisher(pds).publish(creds(), variant(), "key-1")
    with pytest.raises(Reauth):
        publisher(pds).publish(creds(password=""), variant(), "key-1")


def test_a_taken_down_account_needs_a_person():
    pds = Pds(
        **{
            "com.atproto.repo.createRecord": lambda r: httpx.Response(
                400, json={"error": "AccountTakedown", "message": "Account has been taken down"}
            )
        }
    )
    with pytest.raises(Reauth) as caught:
        publisher(pds).publish(creds(), variant(), "key-1")
    assert "taken down" in caught.value.message


def test_a_server_error_is_retried_later_and_a_gateway_timeout_is_unknown():
    for status, error in ((503, RetryLater), (504, OutcomeUnknown)):
        pds = Pds(
            **{
                "com.atproto.repo.createRecord": lambda r, s=status: httpx.Response(s),
                "com.atproto.repo.getRecord": lambda r: httpx.Response(
                    400, json={"error": "RecordNotFound", "message": "Could not locate record"}
                ),
            }
        )
        with pytest.raises(error):
            publisher(pds).publish(creds(), variant(), "key-1")


def test_documents_are_refused_before_anything_is_sent():
    from townsquare.networks.base import MediaRef

    pds = Pds()
    document = MediaRef(storage_key="d.pdf", kind="document", mime_type="application/pdf")
    with pytest.raises(Rejected) as caught:
        publisher(pds).publish(
            creds(),
            VariantToPublish(
                variant_id=1, account_id=1, network="bluesky", parts=("x",), media=(document,)
            ),
            "key-1",
        )
    assert "documents" in caught.value.message
    assert pds.requests == []


def test_the_connection_check_renews_what_it_can_and_tells_what_it_cannot():
    ok = Pds(**{"com.atproto.server.getSession": lambda r: httpx.Response(200, json={"did": DID})})
    publisher(ok).check_connection(creds())
    assert [r.url.path for r in ok.requests][-1].endswith("getSession")
    revoked = Pds(
        **{
            "com.atproto.server.getSession": expired,
            "com.atproto.server.refreshSession": expired,
            "com.atproto.server.createSession": lambda r: httpx.Response(
                401, json={"error": "AuthenticationRequired", "message": "Invalid password"}
            ),
        }
    )
    with pytest.raises(Reauth):
        publisher(revoked).check_connection(creds())
