"""Helpers shared by the test network's tests: accounts, variants and raw posts."""

from __future__ import annotations

import httpx

from townsquare.networks.base import Credentials, VariantToPublish
from townsquare.networks.testnet.server import TestNetwork

AUTH = {"Authorization": "Bearer token-alpha"}


def account_on(network: TestNetwork, handle: str = "alpha", **extra: str) -> Credentials:
    return Credentials(
        account_id=1,
        network="testnet",
        handle=handle,
        access_token=f"token-{handle}",
        instance_url=network.url,
        extra=extra,
    )


def variant(*parts: str) -> VariantToPublish:
    return VariantToPublish(variant_id=1, account_id=1, network="testnet", parts=parts)


def post(client: httpx.Client, key: str, text: str = "Hello", **fields: object) -> httpx.Response:
    return client.post(
        "/posts", json={"text": text, "idempotency_key": key, "account": "alpha", **fields}
    )
