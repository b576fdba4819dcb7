"""Every connector's client checks each connection it opens and connects to the address it
checked: a server address that answered "public" once is not trusted for the rest of the
process (DNS rebinding), and a refused address becomes a reconnect, not a retry loop."""

from __future__ import annotations

import pytest

from townsquare.lib.tests.outbound_support import PUBLIC, Network, install, loopback_server
from townsquare.networks.base import Reauth
from townsquare.networks.bluesky.connector import BlueskyPublisher
from townsquare.networks.mastodon.connector import MastodonPublisher
from townsquare.networks.matrix.connector import MatrixPublisher


# The clients as the connectors make them, one per worker and used for every request.
def bluesky():
    client = BlueskyPublisher().xrpc
    return client, lambda base: client.call_anonymous(
        base, "GET", "com.atproto.server.describeServer", idempotent=True
    )


def mastodon():
    client = MastodonPublisher().api
    return client, lambda base: client.json(base, "GET", "/api/v2/instance", idempotent=True)


def matrix():
    client = MatrixPublisher().client
    return client, lambda base: client.call(
        base, "", "GET", "/_matrix/client/versions", idempotent=True
    )


CLIENTS = {"bluesky": bluesky, "mastodon": mastodon, "matrix": matrix}


@pytest.mark.parametrize("network", sorted(CLIENTS))
def test_a_server_address_that_turns_private_later_is_refused_on_the_next_connection(
    network, monkeypatch, settings
):
    settings.ALLOW_PRIVATE_NETWORK_TARGETS = False
    client, send = CLIENTS[network]()
    with loopback_server() as public_site:
        port = public_site.server_address[1]
        dns = install(
            monkeypatch,
            Network(
                answers={"social.kaffee-test.de": [PUBLIC, "127.0.0.1"]},
                public_server=public_site.server_address,
            ),
        )
        base = f"http://social.kaffee-test.de:{port}"
        send(base)  # answered by "the public server"
        with pytest.raises(Reauth) as refused:
            send(base)  # a new connection: the name now points at this machine
        client.close()
    assert "127.0.0.1" not in dns.dialled and dns.dialled == [PUBLIC]
    assert "non-public" in refused.value.detail
    assert len(public_site.hits) == 1


@pytest.mark.parametrize("network", sorted(CLIENTS))
def test_a_server_address_inside_the_own_network_is_a_reconnect_not_a_retry(network, settings):
    settings.ALLOW_PRIVATE_NETWORK_TARGETS = False
    client, send = CLIENTS[network]()
    with loopback_server() as server, pytest.raises(Reauth):
        send(f"http://127.0.0.1:{server.server_address[1]}")
    client.close()
    assert server.hits == []
