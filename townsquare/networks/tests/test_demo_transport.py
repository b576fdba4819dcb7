"""Demo connections (networks/demo_transport.py): a demo account's requests go to the demo
network and never to the connector's own transport (the internet); a real account's never
go to the demo network. The answers the demo network gives are shaped after the networks'
own documentation (docs.x.com, learn.microsoft.com/linkedin/marketing,
developers.facebook.com/docs/graph-api and /docs/threads) as the connectors read them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from townsquare.networks import demo_transport
from townsquare.networks.base import Credentials, MediaRef, VariantToPublish
from townsquare.networks.linkedin.connector import LinkedInPagePublisher
from townsquare.networks.meta.connector import FacebookPagePublisher, InstagramPublisher
from townsquare.networks.threads.connector import ThreadsPublisher
from townsquare.networks.x.connector import XPublisher
from townsquare.networks.x.tests.fake_x import FakeX, answer

NOW = datetime(2026, 12, 7, 12, 5, tzinfo=UTC)
PICTURE = MediaRef(
    storage_key="demo/bohnen.jpg", kind="image", mime_type="image/jpeg", size_bytes=10
)


class Internet:
    """The connector's own transport: in these tests, the internet. Keeps what reaches it."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(599, text="the internet was reached")


def _connector(network: str, internet: Internet) -> Any:
    transport = httpx.MockTransport(internet)
    kwargs: dict[str, Any] = {"transport": transport, "clock": lambda: NOW}
    if network == "x":
        return XPublisher(
            **kwargs, media_reader=lambda key: b"\xff\xd8 picture", tier_seen=lambda *a: None
        )
    if network == "linkedin_page":
        return LinkedInPagePublisher(
            **kwargs, media_reader=lambda key: b"\xff\xd8 picture", sleep=lambda s: None
        )
    picture_url = {"media_url": lambda ref: f"https://townsquare.example.org/m/{ref.storage_key}"}
    if network == "facebook_page":
        return FacebookPagePublisher(**kwargs, **picture_url, sleep=lambda s: None)
    if network == "instagram":
        return InstagramPublisher(**kwargs, **picture_url, sleep=lambda s: None)
    return ThreadsPublisher(**kwargs, **picture_url, sleep=lambda s: None)


EXTRA = {
    "x": {"user_id": "100000000123456789"},
    "linkedin_page": {"author_urn": "urn:li:organization:123456789"},
    "facebook_page": {"page_id": "100000000123456789"},
    "instagram": {"ig_user_id": "100000000123456789", "page_id": "100000000123456790"},
    "threads": {"user_id": "100000000123456789"},
}
NETWORKS = list(EXTRA)


def _creds(network: str, *, demo: bool) -> Credentials:
    extra = dict(EXTRA[network])
    if demo:
        extra["demo"] = "True"  # as credentials_for reads a stored JSON true
    return Credentials(
        account_id=7,
        network=network,
        handle="@northwind.trails",
        access_token="demo-connection-no-network-token",
        expires_at=NOW + timedelta(days=60),
        extra=extra,
    )


def _variant(network: str, *, media: tuple[MediaRef, ...] = ()) -> VariantToPublish:
    return VariantToPublish(
        variant_id=1,
        account_id=7,
        network=network,
        parts=("Weekend forecast: dry on Saturday.",),
        media=media,
    )


@pytest.mark.parametrize("network", NETWORKS)
def test_a_demo_account_publishes_polls_and_counts_without_reaching_the_internet(network):
    internet = Internet()
    connector = _connector(network, internet)
    creds = _creds(network, demo=True)
    media = (PICTURE,) if network == "instagram" else ()

    first = connector.publish(creds, _variant(network, media=media), "key-1")
    second = connector.publish(creds, _variant(network, media=media), "key-2")
    connector.check_connection(creds)
    messages, _cursor = connector.fetch_inbox(creds, None)
    snapshots = connector.fetch_metrics(creds, NOW.date() - timedelta(days=7))

    assert internet.requests == []
    assert first.network_post_id and first.network_post_id != second.network_post_id
    assert list(messages) == []
    account_totals = [s for s in snapshots if s.network_post_id == ""]
    assert account_totals and any(v > 0 for v in account_totals[0].metrics.values())


def test_a_demo_x_account_uploads_its_picture_to_the_demo_network():
    internet = Internet()
    result = _connector("x", internet).publish(
        _creds("x", demo=True), _variant("x", media=(PICTURE,)), "key"
    )
    assert internet.requests == [] and result.network_post_id.isdigit()


def test_a_demo_linkedin_page_uploads_its_picture_to_the_demo_network():
    internet = Internet()
    result = _connector("linkedin_page", internet).publish(
        _creds("linkedin_page", demo=True), _variant("linkedin_page", media=(PICTURE,)), "key"
    )
    assert internet.requests == [] and result.network_post_id.startswith("urn:li:share:")


def test_a_real_account_goes_to_its_network_and_never_to_the_demo_network(monkeypatch):
    def refuse(self, request):
        raise AssertionError("a real account's request reached the demo network")

    monkeypatch.setattr(demo_transport.DemoNetwork, "__call__", refuse)
    fake = FakeX(routes={"POST /2/tweets": answer("tweets_create__ok_201.json")})
    connector = fake.connector()

    result = connector.publish(_creds("x", demo=False), _variant("x"), "key")

    assert [r.url.host for r in fake.requests] == ["api.x.com"]
    assert result.network_post_id == "1445880548472328192"
    assert not demo_transport.is_demo_address(result.url)


@pytest.mark.parametrize("network", NETWORKS)
def test_without_the_mark_every_network_request_goes_to_the_connector(network):
    internet = Internet()
    connector = _connector(network, internet)
    with pytest.raises(Exception):  # noqa: B017 (the internet's 599, read however)
        connector.check_connection(_creds(network, demo=False))
    assert internet.requests, "the connector's own transport was asked"


@pytest.mark.parametrize("value", ["", "False", "0", "no"])
def test_only_a_true_mark_makes_a_demo_connection(value):
    creds = _creds("x", demo=False)
    creds.extra["demo"] = value
    plain = httpx.Client()
    assert not demo_transport.is_demo(creds)
    assert demo_transport.http_for(creds, plain) is plain
    assert demo_transport.http_for(None, plain) is plain
    plain.close()


def test_a_demo_post_keeps_a_demo_address():
    address = demo_transport.published_address(
        _creds("x", demo=True), "123", "https://x.com/northwind/status/123"
    )
    assert demo_transport.is_demo_address(address) and address.endswith("/x/123")
    real = demo_transport.published_address(
        _creds("x", demo=False), "123", "https://x.com/northwind/status/123"
    )
    assert real == "https://x.com/northwind/status/123"


def test_no_demo_answer_leaves_for_a_host_it_does_not_know():
    plain = httpx.Client(transport=httpx.MockTransport(Internet()))
    client = demo_transport.http_for(_creds("x", demo=True), plain)
    assert client is not plain
    assert client.get("https://example.org/anything").status_code == 404
    client.close()
    plain.close()
