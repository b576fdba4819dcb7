"""A fresh test network per test, a publisher for it and an account on it. Loopback only."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from townsquare.networks.base import Credentials
from townsquare.networks.testnet.connector import TestNetPublisher
from townsquare.networks.testnet.server import TestNetwork
from townsquare.networks.testnet.tests.support import AUTH, account_on


@pytest.fixture
def network() -> Iterator[TestNetwork]:
    net = TestNetwork().start()
    try:
        yield net
        # A bug in the network would pass for a fault of the network: none may have happened.
        assert net.stats()["internal_errors"] == 0
    finally:
        net.stop()


@pytest.fixture
def http(network: TestNetwork) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=network.url, headers=AUTH, timeout=5, trust_env=False) as client:
        yield client


@pytest.fixture
def publisher() -> Iterator[TestNetPublisher]:
    pub = TestNetPublisher(read_timeout=2.0)
    yield pub
    pub.close()


@pytest.fixture
def creds(network: TestNetwork) -> Credentials:
    return account_on(network)
