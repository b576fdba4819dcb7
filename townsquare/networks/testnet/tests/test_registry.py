"""The publisher registry and the hidden test network in the catalog."""

from __future__ import annotations

import subprocess
import sys

import pytest

from townsquare.networks import registry
from townsquare.networks.base import Publisher
from townsquare.networks.catalog import (
    ACCOUNT_NETWORK_CHOICES,
    HIDDEN_NETWORKS,
    NETWORK_CHOICES,
    NETWORK_NAMES,
)
from townsquare.networks.testnet.connector import TestNetPublisher


@pytest.fixture(autouse=True)
def fresh_registry():
    registry.forget_publishers()
    yield
    registry.forget_publishers()


def test_the_test_network_has_a_publisher():
    publisher = registry.get_publisher("testnet")
    assert isinstance(publisher, TestNetPublisher)
    assert isinstance(publisher, Publisher)


def test_a_publisher_is_made_once_and_shared():
    assert registry.get_publisher("testnet") is registry.get_publisher("testnet")
    first = registry.get_publisher("testnet")
    registry.forget_publishers()
    assert registry.get_publisher("testnet") is not first


@pytest.mark.parametrize("network", ["nope", "", "tiktok"])
def test_a_network_without_a_connector_is_unknown(network):
    with pytest.raises(registry.UnknownNetwork):
        registry.get_publisher(network)


def test_every_registered_network_is_in_the_catalog():
    assert set(registry.PUBLISHERS) <= set(NETWORK_NAMES) | set(HIDDEN_NETWORKS)


@pytest.mark.parametrize("network", sorted(registry.PUBLISHERS))
def test_every_connector_can_check_its_login_ahead_of_time(network):
    from townsquare.networks.base import ConnectionCheck, Publisher

    connector = registry.get_publisher(network)
    assert isinstance(connector, Publisher) and isinstance(connector, ConnectionCheck)
    registry.forget_publishers()


def test_the_registry_imports_no_connector_until_one_is_asked_for():
    code = (
        "import sys, townsquare.networks.registry as r;"
        "assert 'townsquare.networks.testnet.connector' not in sys.modules;"
        "r.get_publisher('testnet');"
        "assert 'townsquare.networks.testnet.connector' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_the_server_and_the_error_classifier_import_no_django():
    no_django = (
        "import sys, townsquare.networks.testnet.server, townsquare.networks.http_errors;"
        "assert not [m for m in sys.modules if m.startswith('django')]"
    )
    subprocess.run([sys.executable, "-c", no_django], check=True, timeout=60)


def test_the_server_runs_on_the_standard_library_alone():
    code = "import sys, townsquare.networks.testnet.server; assert 'httpx' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_the_test_network_is_hidden_from_forms():
    assert "testnet" not in NETWORK_NAMES
    assert "testnet" not in dict(NETWORK_CHOICES)
    assert dict(ACCOUNT_NETWORK_CHOICES)["testnet"] == "Test network"

    from townsquare.ui.views.accounts import AccountForm

    assert "testnet" not in dict(AccountForm().fields["network"].choices)


@pytest.mark.django_db
def test_an_account_may_be_on_the_test_network(workspace_a):
    from townsquare.networks.models import SocialAccount

    account = SocialAccount(workspace=workspace_a, network="testnet", handle="engine-test")
    account.full_clean()
    account.save()
    assert account.get_network_display() == "Test network"
