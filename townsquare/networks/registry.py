"""Which connector publishes for which network: a plain dict of dotted paths, imported lazily.

Domain apps ask `get_publisher(network)` and see only the `Publisher` protocol, never a
concrete connector; importing a connector (and its SDK) waits until a network is first used.
One instance per network and process: connectors hold an HTTP client with its connection pool.
"""

from __future__ import annotations

import threading
from importlib import import_module

from townsquare.networks.base import Publisher
from townsquare.networks.catalog import HIDDEN_NETWORKS, NETWORK_NAMES

PUBLISHERS: dict[str, str] = {
    # Real networks join as their connectors land, one line each, e.g.
    # "bluesky": "townsquare.networks.bluesky.connector.BlueskyPublisher".
    "bluesky": "townsquare.networks.bluesky.connector.BlueskyPublisher",
    "mastodon": "townsquare.networks.mastodon.connector.MastodonPublisher",
    "matrix_room": "townsquare.networks.matrix.connector.MatrixPublisher",
    "testnet": "townsquare.networks.testnet.connector.TestNetPublisher",
}

# Every key must be a network of the catalog, shown in forms or hidden (tests check this).
_KNOWN_NETWORKS = frozenset(NETWORK_NAMES) | frozenset(HIDDEN_NETWORKS)

_instances: dict[str, Publisher] = {}
_lock = threading.Lock()


def publishes_automatically(network: str) -> bool:
    """Townsquare posts to this network itself; on every other network a person posts by
    hand when reminded. Derived from PUBLISHERS, so a network becomes automatic the day its
    connector lands."""
    return network in PUBLISHERS and network in _KNOWN_NETWORKS


def automatic_networks() -> list[str]:
    """The networks Townsquare publishes to itself, sorted (for SQL parameters)."""
    return sorted(network for network in PUBLISHERS if network in _KNOWN_NETWORKS)


class UnknownNetwork(LookupError):
    """No connector publishes to this network (yet)."""


def publisher_path(network: str) -> str:
    """The dotted path of the publisher class of `network`; UnknownNetwork if there is none."""
    if network not in PUBLISHERS or network not in _KNOWN_NETWORKS:
        raise UnknownNetwork(f"No publisher for the network {network!r}")
    return PUBLISHERS[network]


def get_publisher(network: str) -> Publisher:
    """The publisher of `network`, created on first use and shared afterwards."""
    path = publisher_path(network)
    with _lock:
        publisher = _instances.get(network)
        if publisher is None:
            module_name, _, class_name = path.rpartition(".")
            publisher = getattr(import_module(module_name), class_name)()
            if not isinstance(publisher, Publisher):
                raise TypeError(f"{path} does not implement the Publisher protocol")
            _instances[network] = publisher
        return publisher


def forget_publishers() -> None:
    """Close and drop the shared publishers (tests; a process that changes settings)."""
    with _lock:
        for publisher in _instances.values():
            close = getattr(publisher, "close", None)
            if callable(close):
                close()
        _instances.clear()
