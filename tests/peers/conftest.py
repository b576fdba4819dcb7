"""Real servers on loopback for the connectors' tests (`-m peers`).

The AT Protocol network is installed on first use (minutes; cached afterwards) and started
once per test session. Without the npm registry, PostgreSQL or Redis the tests are skipped
with the reason; a network that installs but does not start is a failure.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

HERE = Path(__file__).resolve().parent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "peers: runs against a real server started on loopback")


def _harness() -> ModuleType:
    # Loaded by path: a folder named "atproto" on sys.path would shadow the SDK of that name.
    name = "townsquare_peers_atproto_harness"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, HERE / "atproto" / "harness.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def _load_by_path(name: str, path: Path) -> ModuleType:
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


# The browser fixtures (Chromium driving the live server), for the tests that connect an
# account through the real UI against a real server.
_browser = _load_by_path("townsquare_browser_fixtures", HERE.parent / "browser" / "conftest.py")
chromium = _browser.chromium
page = _browser.page
sign_in = _browser.sign_in


@pytest.fixture(scope="session")
def atproto_network(request: pytest.FixtureRequest):
    harness = _harness()
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")

    def log(line: str) -> None:
        if reporter is not None:
            reporter.write_line(line)
        else:
            print(line, file=sys.__stderr__, flush=True)

    try:
        directory = harness.ensure_installed(log)
        network = harness.start(directory, log)
    except harness.PeerUnavailable as error:
        pytest.skip(f"AT Protocol network not available here: {error}")
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
