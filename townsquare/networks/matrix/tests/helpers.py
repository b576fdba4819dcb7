"""A MatrixPublisher talking to a scripted homeserver (httpx.MockTransport)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import httpx

from townsquare.networks.base import Credentials
from townsquare.networks.matrix.connector import MatrixPublisher

# Real answers of Synapse (and the spec's rate-limit example); the file names its sources.
RESPONSES = json.loads((Path(__file__).parent / "fixtures" / "responses.json").read_text())
HOMESERVER = "https://matrix.example.org"
ROOM = "!room:example.org"
OURS = "@townsquare:example.org"


def answer(name: str, headers: dict[str, str] | None = None) -> httpx.Response:
    recorded = RESPONSES[name]
    return httpx.Response(recorded["status"], json=recorded["body"], headers=headers)


def creds() -> Credentials:
    return Credentials(
        account_id=1,
        network="matrix_room",
        handle="#kaffee:example.org",
        access_token="secret-token",
        instance_url=HOMESERVER,
        extra={"user_id": OURS, "device_id": "DEV", "room_id": ROOM},
    )


def publisher(handler: Callable[[httpx.Request], httpx.Response]) -> MatrixPublisher:
    return MatrixPublisher(
        transport=httpx.MockTransport(handler),
        media_reader=lambda key: b"\x89PNG fake picture bytes",
    )
