"""Talking to the local AT Protocol network directly, as a second app would: accounts, reads,
likes, and tokens that the real PDS considers expired."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import string
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

# The signing secret of @atproto/dev-env's PDS (its const.ts): lets a test make a token that
# the real PDS itself judges expired.
DEV_ENV_JWT_SECRET = b"jwt-secret"


@dataclass
class PdsAccount:
    did: str
    handle: str
    password: str
    access: str
    refresh: str


class Pds:
    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        self.http = httpx.Client(base_url=self.url, timeout=20, trust_env=False)

    def call(
        self, method: str, nsid: str, token: str = "", *, ok: bool = True, **kwargs: Any
    ) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = self.http.request(method, f"/xrpc/{nsid}", headers=headers, **kwargs)
        if ok and not response.is_success:
            raise AssertionError(f"{nsid}: {response.status_code} {response.text[:500]}")
        return response

    def create_account(self, prefix: str) -> PdsAccount:
        name = prefix + "".join(secrets.choice(string.ascii_lowercase) for _ in range(6))
        password = secrets.token_urlsafe(12)
        body = self.call(
            "POST",
            "com.atproto.server.createAccount",
            json={"handle": f"{name}.test", "email": f"{name}@example.com", "password": password},
        ).json()
        account = PdsAccount(
            body["did"], body["handle"], password, body["accessJwt"], body["refreshJwt"]
        )
        # The AppView knows the account a moment after the PDS does.
        wait_for(
            lambda: (
                self.call(
                    "GET",
                    "app.bsky.actor.getProfile",
                    account.access,
                    ok=False,
                    params={"actor": account.did},
                ).is_success
            ),
            what=f"the AppView to know {account.handle}",
        )
        return account

    def app_password(self, account: PdsAccount) -> str:
        name = "Townsquare " + secrets.token_hex(4)  # names are unique per account
        body = self.call(
            "POST", "com.atproto.server.createAppPassword", account.access, json={"name": name}
        ).json()
        return str(body["password"])

    def revoke_app_passwords(self, account: PdsAccount) -> None:
        listed = self.call("GET", "com.atproto.server.listAppPasswords", account.access).json()
        for entry in listed["passwords"]:
            self.call(
                "POST",
                "com.atproto.server.revokeAppPassword",
                account.access,
                json={"name": entry["name"]},
            )

    def records(self, did: str) -> list[dict[str, Any]]:
        records: list[dict[str, Any]] = []
        cursor = None
        for _ in range(50):
            params: dict[str, Any] = {"repo": did, "collection": "app.bsky.feed.post", "limit": 100}
            if cursor:
                params["cursor"] = cursor
            body = self.call("GET", "com.atproto.repo.listRecords", params=params).json()
            records += body["records"]
            cursor = body.get("cursor")
            if not cursor or not body["records"]:
                break
        return records

    def record(self, uri: str) -> dict[str, Any]:
        repo, collection, rkey = uri.removeprefix("at://").split("/")
        return self.call(
            "GET",
            "com.atproto.repo.getRecord",
            params={"repo": repo, "collection": collection, "rkey": rkey},
        ).json()

    def thread(self, token: str, uri: str) -> dict[str, Any]:
        return wait_for(
            lambda: _ok_json(
                self.call(
                    "GET",
                    "app.bsky.feed.getPostThread",
                    token,
                    ok=False,
                    params={"uri": uri, "depth": 10},
                )
            ),
            what=f"the AppView to show {uri}",
        )

    def write(self, account: PdsAccount, record: dict[str, Any], collection: str) -> dict:
        return self.call(
            "POST",
            "com.atproto.repo.createRecord",
            account.access,
            json={"repo": account.did, "collection": collection, "record": record},
        ).json()


def _ok_json(response: httpx.Response) -> dict[str, Any] | None:
    return response.json() if response.is_success else None


def wait_for[T](probe: Callable[[], T], *, what: str, timeout: float = 60.0) -> T:
    """Poll until `probe` returns something truthy; fail after `timeout` seconds (generous:
    the servers answer many times slower on a loaded machine)."""
    deadline = time.monotonic() + timeout
    delay = 0.05
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout} s waiting for {what}")
        time.sleep(delay)
        delay = min(delay * 2, 0.5)


def expired_copy(token: str, *, seconds_ago: int = 600) -> str:
    """The same access token, but issued and expired in the past, signed as the PDS signs."""
    header_b64, payload_b64, _signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload_b64 + "=" * (-len(payload_b64) % 4)))
    now = int(time.time())
    claims["iat"] = now - seconds_ago - 3600
    claims["exp"] = now - seconds_ago
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    signing_input = f"{header_b64}.{payload}".encode()
    signature = hmac.new(DEV_ENV_JWT_SECRET, signing_input, hashlib.sha256).digest()
    return f"{header_b64}.{payload}." + base64.urlsafe_b64encode(signature).decode().rstrip("=")


def facet_texts(record: dict[str, Any]) -> dict[str, str]:
    """{feature kind: the text its byte range covers} of a post record."""
    encoded = record["text"].encode()
    found = {}
    for facet in record.get("facets", []):
        kind = facet["features"][0]["$type"].split("#")[1]
        index = facet["index"]
        found[kind] = encoded[index["byteStart"] : index["byteEnd"]].decode()
    return found
