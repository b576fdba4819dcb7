"""TestNetPublisher against the real test network: results, threads, lookups, every fault."""

from __future__ import annotations

import socket
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from townsquare.networks.base import (
    Capabilities,
    OutcomeUnknown,
    Publisher,
    Reauth,
    Rejected,
    RetryLater,
    VariantToPublish,
)
from townsquare.networks.testnet.connector import TestNetPublisher, part_key
from townsquare.networks.testnet.faults import RateLimit
from townsquare.networks.testnet.rules import testnet_rules
from townsquare.networks.testnet.server import TEXT_LIMIT
from townsquare.networks.testnet.tests.support import account_on, variant
from townsquare.testing.waiting import GENEROUS_S, wait_until


def test_the_connector_is_a_publisher_with_threads_and_lookups(publisher):
    assert isinstance(publisher, Publisher)
    assert publisher.capabilities == Capabilities(
        publish=True, threads=True, delete=True, find_published=True
    )


def test_a_single_post_is_published_with_the_key_of_its_first_part(network, publisher, creds):
    result = publisher.publish(creds, variant("Hello from Townsquare"), "pub-1")
    (stored,) = network.stats()["posts"]
    assert result.network_post_id == stored["id"]
    assert result.part_ids == (stored["id"],)
    assert result.url == f"{network.url}/posts/{stored['id']}"
    assert abs(result.published_at - datetime.now(UTC)) < timedelta(minutes=1)
    assert stored["idempotency_key"] == "pub-1:0" == part_key("pub-1", 0)
    assert stored["account"] == "alpha"
    assert stored["text"] == "Hello from Townsquare"


def test_a_thread_is_published_as_a_reply_chain(network, publisher, creds):
    result = publisher.publish(creds, variant("One", "Two", "Three"), "thread-1")
    posts = network.stats()["posts"]
    assert [p["text"] for p in posts] == ["One", "Two", "Three"]
    assert [p["idempotency_key"] for p in posts] == ["thread-1:0", "thread-1:1", "thread-1:2"]
    assert [p["reply_to"] for p in posts] == [None, posts[0]["id"], posts[1]["id"]]
    assert result.part_ids == tuple(p["id"] for p in posts)
    assert result.network_post_id == posts[0]["id"]


@pytest.mark.skipif(
    "reply_to_id" not in VariantToPublish.__dataclass_fields__,
    reason="VariantToPublish has no reply_to_id in this version",
)
def test_a_variant_that_answers_a_post_is_published_as_its_reply(network, publisher, creds):
    parent = publisher.publish(creds, variant("Parent"), "parent").network_post_id
    answer = VariantToPublish(
        variant_id=2,
        account_id=1,
        network="testnet",
        parts=("Answer",),
        reply_to_id=parent,  # type: ignore[call-arg]
    )
    publisher.publish(creds, answer, "answer")
    assert network.stats()["posts"][1]["reply_to"] == parent


def test_find_published_returns_what_publish_returned(publisher, creds):
    single = publisher.publish(creds, variant("Solo"), "solo")
    thread = publisher.publish(creds, variant("A", "B"), "thread")
    assert publisher.find_published(creds, "solo") == single
    assert publisher.find_published(creds, "thread") == thread


def test_find_published_says_none_when_the_network_has_no_such_post(publisher, creds):
    assert publisher.find_published(creds, "never-sent") is None


def test_a_post_accepted_then_timed_out_is_unknown_then_found(network, creds):
    # The network keeps its answer far longer than the client waits for it.
    network.set_faults(accept_then_timeout_rate=1.0, accept_then_timeout_s=600)
    with TestNetPublisher(read_timeout=0.3) as impatient, pytest.raises(OutcomeUnknown) as caught:
        impatient.publish(creds, variant("Maybe"), "maybe")
    assert "ReadTimeout" in caught.value.detail
    network.set_faults()  # reconciliation itself meets no fault
    # On a busy machine the client may give up before the network has even stored the post.
    wait_until(lambda: network.stats()["posts"], what="the network to store the post")
    with TestNetPublisher(read_timeout=GENEROUS_S) as patient:
        found = patient.find_published(creds, "maybe")
    assert found is not None
    assert found.part_ids == (network.stats()["posts"][0]["id"],)
    assert network.stats()["requests_by_key"] == {"maybe:0": 1}


def test_the_read_timeout_can_be_set_per_account(network):
    # The answer comes after 30 s: a publisher waiting its own 60 s would get it, so only the
    # account's 0.2 s makes the outcome unknown.
    network.set_faults(accept_then_timeout_rate=1.0, accept_then_timeout_s=30)
    impatient = account_on(network, read_timeout_s="0.2")
    with TestNetPublisher(read_timeout=2 * 30) as patient, pytest.raises(OutcomeUnknown):
        patient.publish(impatient, variant("Quick"), "quick")


def test_a_server_error_is_retried_later_and_nothing_was_posted(network, publisher, creds):
    network.set_faults(error_rate_5xx=1.0)
    with pytest.raises(RetryLater) as caught:
        publisher.publish(creds, variant("Hi"), "k")
    assert caught.value.after is None
    assert network.stats()["posts"] == []


def test_a_gateway_timeout_is_an_unknown_outcome(network, publisher, creds):
    network.set_faults(error_rate_5xx=1.0, error_status=504)
    with pytest.raises(OutcomeUnknown):
        publisher.publish(creds, variant("Hi"), "k")


def test_a_rate_limit_is_retried_after_the_announced_wait(network, publisher, creds):
    network.set_faults(rate_limit=RateLimit(every_n=1, reset_after_s=2))
    with pytest.raises(RetryLater) as caught:
        publisher.publish(creds, variant("Hi"), "k")
    # Retry-After says 2 s; the reset epoch is rounded up to a whole second.
    assert caught.value.after is not None
    assert 2 <= caught.value.after <= 3


def test_a_rate_limit_with_only_a_reset_time_is_understood(network, publisher, creds):
    network.set_faults(
        rate_limit=RateLimit(every_n=1, reset_after_s=0.5, headers=("x-ratelimit-reset",))
    )
    with pytest.raises(RetryLater) as caught:
        publisher.publish(creds, variant("Hi"), "k")
    assert caught.value.after is not None
    assert 0 <= caught.value.after <= 0.51  # the reset is written to the millisecond


def test_an_account_whose_token_is_refused_must_be_connected_again(network, publisher, creds):
    network.set_faults(reauth_for_accounts=["alpha"])
    with pytest.raises(Reauth) as caught:
        publisher.publish(creds, variant("Hi"), "k")
    assert "expired" in caught.value.message


def test_a_refused_text_is_rejected_with_the_networks_message(network, publisher, creds):
    network.set_faults(reject_texts_containing=["casino"])
    with pytest.raises(Rejected) as caught:
        publisher.publish(creds, variant("Our casino night"), "k")
    assert "casino" in caught.value.message
    assert caught.value.code == "http_422"


def test_a_text_too_long_for_the_network_is_rejected(publisher, creds):
    with pytest.raises(Rejected):
        publisher.publish(creds, variant("x" * (TEXT_LIMIT + 1)), "k")


def test_an_empty_variant_is_rejected_without_asking_the_network(publisher, creds):
    with pytest.raises(Rejected) as caught:
        publisher.publish(creds, variant(), "k")
    assert caught.value.code == "empty"


def test_a_network_that_is_down_means_retry_later(network, publisher):
    creds = account_on(network)
    network.stop()
    with pytest.raises(RetryLater) as caught:
        publisher.publish(creds, variant("Hi"), "k")
    assert "ConnectError" in caught.value.detail


def test_a_port_nobody_listens_on_means_retry_later(publisher, network):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    creds = replace(account_on(network), instance_url=f"http://127.0.0.1:{port}")
    with pytest.raises(RetryLater):
        publisher.publish(creds, variant("Hi"), "k")


def test_a_later_part_that_fails_leaves_a_thread_that_a_retry_completes(network, publisher, creds):
    network.set_faults(rate_limit=RateLimit(every_n=2, reset_after_s=1))
    with pytest.raises(RetryLater):
        publisher.publish(creds, variant("One", "Two"), "t")
    partial = publisher.find_published(creds, "t")
    assert partial is not None and len(partial.part_ids) == 1
    network.set_faults()
    result = publisher.publish(creds, variant("One", "Two"), "t")
    assert result.part_ids[0] == partial.part_ids[0]
    stats = network.stats()
    assert len(stats["posts"]) == 2
    # The first part was sent again and answered from the network's idempotency memory.
    assert stats["outcomes"]["replayed"] == 1


def test_delete_removes_the_post_and_tolerates_one_already_gone(network, publisher, creds):
    result = publisher.publish(creds, variant("Bye"), "bye")
    publisher.delete(creds, result.network_post_id)
    assert network.stats()["posts"][0]["deleted"] is True
    assert publisher.find_published(creds, "bye") is None
    publisher.delete(creds, result.network_post_id)  # gone already: no error


# --- without a live network ----------------------------------------------------------------------


def _refusing_transport() -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"no request may leave: {request.url}")

    return httpx.MockTransport(handler)


@pytest.mark.parametrize(
    "url", ["https://example.com", "http://10.0.0.1:8080", "ftp://127.0.0.1", "", "127.0.0.1"]
)
def test_an_account_that_points_off_this_machine_is_refused_before_any_request(network, url):
    pub = TestNetPublisher(transport=_refusing_transport())
    creds = replace(account_on(network), instance_url=url)
    with pytest.raises(Reauth):
        pub.publish(creds, variant("Hi"), "k")


@pytest.mark.parametrize("url", ["http://localhost:9", "http://[::1]:9", "http://127.0.0.2:9"])
def test_every_loopback_address_is_accepted(network, url):
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(201, json={"id": "tn1", "url": "u", "created_at": "2027-01-01"})

    pub = TestNetPublisher(transport=httpx.MockTransport(handler))
    creds = replace(account_on(network), instance_url=url)
    result = pub.publish(creds, variant("Hi"), "k")
    assert seen == [f"{url}/posts"]
    assert result.published_at == datetime(2027, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("exc", "on_publish", "on_lookup"),
    [
        (httpx.ConnectTimeout("slow"), RetryLater, RetryLater),
        (httpx.ReadTimeout("no answer"), OutcomeUnknown, RetryLater),
        (httpx.RemoteProtocolError("hung up"), OutcomeUnknown, RetryLater),
    ],
)
def test_failures_are_classified_by_whether_the_request_changes_anything(
    creds, exc, on_publish, on_lookup
):
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    pub = TestNetPublisher(transport=httpx.MockTransport(handler))
    with pytest.raises(on_publish):
        pub.publish(creds, variant("Hi"), "k")
    with pytest.raises(on_lookup):
        pub.find_published(creds, "k")


@pytest.mark.parametrize("body", [b"oops", b"{}", b'{"id": 5}', b"[]"])
def test_a_success_that_cannot_be_read_is_an_unknown_outcome(creds, body):
    pub = TestNetPublisher(
        transport=httpx.MockTransport(lambda r: httpx.Response(201, content=body))
    )
    with pytest.raises(OutcomeUnknown):
        pub.publish(creds, variant("Hi"), "k")
    with pytest.raises(RetryLater):
        pub.find_published(creds, "k")


# --- validation --------------------------------------------------------------------------------


def test_validate_uses_the_rules_it_is_given(publisher):
    rules = testnet_rules()
    assert publisher.validate(variant("Fine", "Also fine"), rules) == []
    (problem,) = publisher.validate(variant("x" * (rules.text_max.value + 1)), rules)
    assert problem.code == "text_too_long"
    assert problem.is_error


def test_the_test_networks_rules_match_what_the_server_enforces():
    rules = testnet_rules()
    assert rules.key == "testnet"
    assert rules.display_name == "Test network"
    assert rules.text_max.value == TEXT_LIMIT
    assert rules.text_counting.value == "utf16"
    assert rules.thread_supported.value is True
