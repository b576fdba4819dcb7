"""Which connector publishes for which network: a plain dict of dotted paths, imported lazily.

Domain apps ask `get_publisher(network)` and see only the `Publisher` protocol, never a
concrete connector; importing a connector (and its SDK) waits until a network is first used.
One instance per network and process: connectors hold an HTTP client with its connection pool.
"""

from __future__ import annotations

import threading
from importlib import import_module
from typing import Any

from townsquare.networks.base import Publisher
from townsquare.networks.catalog import HIDDEN_NETWORKS, NETWORK_NAMES

PUBLISHERS: dict[str, str] = {
    # Real networks join as their connectors land, one line each, e.g.
    # "bluesky": "townsquare.networks.bluesky.connector.BlueskyPublisher".
    "bluesky": "townsquare.networks.bluesky.connector.BlueskyPublisher",
    "facebook_page": "townsquare.networks.meta.connector.FacebookPagePublisher",
    "instagram": "townsquare.networks.meta.connector.InstagramPublisher",
    "linkedin_page": "townsquare.networks.linkedin.connector.LinkedInPagePublisher",
    "linkedin_profile": "townsquare.networks.linkedin.connector.LinkedInProfilePublisher",
    "mastodon": "townsquare.networks.mastodon.connector.MastodonPublisher",
    "matrix_room": "townsquare.networks.matrix.connector.MatrixPublisher",
    "testnet": "townsquare.networks.testnet.connector.TestNetPublisher",
    "threads": "townsquare.networks.threads.connector.ThreadsPublisher",
    "x": "townsquare.networks.x.connector.XPublisher",
}

# Networks whose accounts publish automatically only once connected. X accounts were added by
# hand, and posted by reminder, long before X had a connector (the demo has one): such an
# account stays by reminder, with its connect link, instead of failing every post for want
# of a login. Connecting it makes it automatic; its posts still scheduled go out by themselves.
# LinkedIn pages and profiles likewise: added by hand long before their connector; Facebook
# Pages, Instagram accounts and Threads profiles too. Bluesky, Mastodon and Matrix as well:
# an account added without its login has nothing to post with, and is reminded instead.
CONNECT_FIRST: frozenset[str] = frozenset(
    {
        "bluesky",
        "facebook_page",
        "instagram",
        "linkedin_page",
        "linkedin_profile",
        "mastodon",
        "matrix_room",
        "threads",
        "x",
    }
)

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
    """The networks Townsquare publishes to itself, sorted (for SQL parameters). On those of
    CONNECT_FIRST only connected accounts do: see `account_publishes_automatically`."""
    return sorted(network for network in PUBLISHERS if network in _KNOWN_NETWORKS)


def account_publishes_automatically(network: str, *, connected: bool) -> bool:
    """Townsquare posts for an account on `network` itself; `connected`: it holds a login."""
    return publishes_automatically(network) and (connected or network not in CONNECT_FIRST)


def connect_first_networks() -> list[str]:
    """The automatic networks whose accounts without a login are posted by reminder, sorted."""
    return sorted(network for network in CONNECT_FIRST if publishes_automatically(network))


def automatic_accounts_sql(accounts_table: str) -> tuple[str, list[str]]:
    """A condition on `accounts_table` (SocialAccount's table) true for the accounts
    Townsquare posts for itself, with its parameters; the SQL twin of
    `account_publishes_automatically` for the claims' raw statements. No column is NULL."""
    automatic = automatic_networks()
    if not automatic:
        return "1 = 0", []
    marks = ", ".join(["%s"] * len(automatic))
    condition = f"{accounts_table}.network IN ({marks})"
    first = connect_first_networks()
    if not first:
        return f"({condition})", automatic
    first_marks = ", ".join(["%s"] * len(first))
    # Only the table name and placeholders are formatted in; the networks are parameters.
    condition += (
        f" AND ({accounts_table}.network NOT IN ({first_marks})"
        f" OR {accounts_table}.credentials_encrypted <> '')"
    )
    return f"({condition})", [*automatic, *first]


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


def automatic_accounts_q(prefix: str = "") -> Any:
    """The ORM twin of `automatic_accounts_sql`: a Q on SocialAccount, its field names behind
    `prefix` (`"account__"` from a Publication)."""
    from django.db.models import Q

    first = connect_first_networks()
    condition = Q(**{f"{prefix}network__in": automatic_networks()})
    if first:
        condition &= ~Q(**{f"{prefix}network__in": first, f"{prefix}credentials_encrypted": ""})
    return condition
