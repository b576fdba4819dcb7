"""Real servers on loopback for the connectors' tests (`-m peers`).

The AT Protocol network is installed on first use (minutes; cached afterwards) and started
once per test session. Without the npm registry, PostgreSQL or Redis the tests are skipped
with the reason, or fail where the run requires every service (TOWNSQUARE_REQUIRE_SERVICES=1,
as in CI); a network that installs but does not start is always a failure.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest
from peer_runtime import load_by_path, reporter_log

from townsquare.testing.services import unavailable

HERE = Path(__file__).resolve().parent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "peers: runs against a real server started on loopback")


def _harness() -> ModuleType:
    return load_by_path("townsquare_peers_atproto_harness", HERE / "atproto" / "harness.py")


# The browser fixtures (Chromium driving the live server), for the tests that connect an
# account through the real UI against a real server.
_browser = load_by_path("townsquare_browser_fixtures", HERE.parent / "browser" / "conftest.py")
chromium = _browser.chromium
page = _browser.page
sign_in = _browser.sign_in


@pytest.fixture(scope="session")
def atproto_network(request: pytest.FixtureRequest):
    harness = _harness()
    log = reporter_log(request)

    try:
        directory = harness.ensure_installed(log)
        network = harness.start(directory, log)
    except harness.PeerUnavailable as error:
        unavailable(f"AT Protocol network not available here: {error}")
    try:
        yield network
    finally:
        harness.stop(network)


# --- Bluesky: accounts on the local PDS, and ours connected through the real action --------


@pytest.fixture(scope="module")
def pds(atproto_network):
    from bsky_peer import Pds

    return Pds(atproto_network.pds_url)


@pytest.fixture(scope="module")
def ours(pds):
    return pds.create_account("ours")


@pytest.fixture(scope="module")
def them(pds):
    return pds.create_account("them")


@pytest.fixture
def local_targets(settings):
    # The PDS and the page of a link card live on loopback, which the SSRF guard refuses
    # unless a setup allows it.
    from townsquare.networks.registry import forget_publishers

    settings.ALLOW_PRIVATE_NETWORK_TARGETS = True
    yield
    forget_publishers()


@pytest.fixture
def account(membership, pds, ours, local_targets):
    from townsquare.networks.bluesky.actions import do_connect_bluesky

    return do_connect_bluesky(
        membership,
        handle="@" + ours.handle,
        app_password=pds.app_password(ours),
        service_url=pds.url,
        language="de",
    )
