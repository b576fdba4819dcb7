"""Every network the product offers is either published by reminder or has a connector that
can stand on its own: the protocols, a connect page, its page in docs/networks/, and answers
captured from the network's own reference (each naming its source) for a success, a refusal
(Rejected) and a login the network no longer takes (Reauth)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from townsquare.networks import registry
from townsquare.networks.account_health import CONNECT_URL_NAMES
from townsquare.networks.base import ConnectionCheck, Publisher
from townsquare.networks.catalog import NETWORK_NAMES

ROOT = Path(__file__).resolve().parents[3]
NETWORKS = ROOT / "townsquare" / "networks"
# Connectors whose answers are pinned another way, and where: the exception is visible here.
ANSWERS_ELSEWHERE = {
    "bluesky": "answers built inline in bluesky/tests/test_errors.py and run against the "
    "reference PDS in tests/peers",
}
# Networks that answer a login they no longer take with another status than 401, and the
# captured answer that shows it: Meta's Graph API says so with 400 and OAuthException 190.
REAUTH_WITHOUT_401 = {
    "facebook_page": "error__expired_token_400.json",
    "instagram": "error__expired_token_400.json",
    "threads": "error__expired_token_400.json",
}
AUTOMATIC = [n for n in sorted(NETWORK_NAMES) if registry.publishes_automatically(n)]


def folder_of(network: str) -> Path:
    """The connector's folder, from the registry's dotted path."""
    module = registry.publisher_path(network).split(".")
    return NETWORKS / module[module.index("networks") + 1]


def captured_answers(folder: Path) -> list[dict[str, Any]]:
    """Every captured answer of a connector's tests: one file per answer (`source`), or one
    file of named answers (`_source` for all)."""
    found: list[dict[str, Any]] = []
    for path in sorted((folder / "tests" / "fixtures").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if "status" in data:
            assert str(data.get("source") or "").strip(), f"{path.name} names no source"
            found.append(data)
            continue
        assert str(data.get("_source") or "").strip(), f"{path.name} names no source"
        found += [v for k, v in data.items() if not k.startswith("_") and isinstance(v, dict)]
    return found


def test_the_contract_looks_at_every_automatic_network():
    assert "x" in AUTOMATIC and "mastodon" in AUTOMATIC


@pytest.mark.parametrize("network", AUTOMATIC)
def test_a_connector_speaks_the_protocols_and_says_what_it_can(network):
    connector = registry.get_publisher(network)
    try:
        assert isinstance(connector, Publisher) and isinstance(connector, ConnectionCheck)
        assert connector.capabilities.publish
    finally:
        registry.forget_publishers()


@pytest.mark.parametrize("network", AUTOMATIC)
def test_a_connector_has_a_connect_page(network):
    assert reverse(CONNECT_URL_NAMES[network], kwargs={"workspace": "w"})


@pytest.mark.parametrize("network", AUTOMATIC)
def test_a_connector_is_documented(network):
    page = ROOT / "docs" / "networks" / f"{network}.md"
    assert page.exists(), f"docs/networks/{network}.md"
    assert len(page.read_text(encoding="utf-8")) > 1000  # more than a heading


@pytest.mark.parametrize("network", [n for n in AUTOMATIC if n not in ANSWERS_ELSEWHERE])
def test_a_connector_is_tested_on_captured_answers_for_success_refusal_and_reauth(network):
    answers = captured_answers(folder_of(network))
    statuses = [int(a["status"]) for a in answers]
    assert any(200 <= s < 300 for s in statuses), "no captured success"
    if network in REAUTH_WITHOUT_401:
        path = folder_of(network) / "tests" / "fixtures" / REAUTH_WITHOUT_401[network]
        assert json.loads(path.read_text(encoding="utf-8")) in answers, path.name
    else:
        assert 401 in statuses, "no captured answer that means Reauth"
    assert any(400 <= s < 500 and s not in (401, 429) for s in statuses), "no captured refusal"
