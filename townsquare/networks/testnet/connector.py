"""Publisher for the test network (server.py): the reference connector for the engine's tests.

It does what every real HTTP connector will do, with nothing network-specific in the way:
one httpx client with timeouts, idempotency keys on every write, errors classified by
`networks.http_errors`. A thread is a reply chain: part i answers part i-1, and part i is sent
with the key f"{key}:{i}", so a retried thread continues where it stopped on a network that
honours keys, and `find_published` can look each part up.

Credentials: `instance_url` is the server's base URL (loopback only: this connector refuses
any other host, so a test can never reach the internet), `access_token` the bearer token,
`handle` the account name. `extra["read_timeout_s"]` overrides the read timeout per account.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from townsquare.content.validate import validate_variant, variant_input_from
from townsquare.lib.http import UnsafeTarget, outbound_client
from townsquare.networks.base import (
    Capabilities,
    Credentials,
    OutcomeUnknown,
    PublishedResult,
    Reauth,
    Rejected,
    RetryLater,
    VariantToPublish,
)
from townsquare.networks.http_errors import error_for_exception, error_for_status
from townsquare.networks.rules.model import NetworkRules
from townsquare.networks.rules.problems import Problem

CONNECT_TIMEOUT_S = 2.0
DEFAULT_READ_TIMEOUT_S = 10.0
# Lookups stop here: a thread longer than any network allows cannot be waiting to be found.
MAX_THREAD_PARTS = 100
_LOCAL_HOSTS = frozenset({"localhost"})


class TestNetPublisher:
    """Publishes to the test network. Thread-safe: httpx clients may be shared by threads."""

    __test__ = False  # a class, not a pytest test case

    def __init__(
        self,
        *,
        read_timeout: float = DEFAULT_READ_TIMEOUT_S,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._read_timeout = read_timeout
        # Only this machine: every connection must resolve to a loopback address, whatever
        # the name says (lib/http.py checks and pins each one).
        self._client = outbound_client(
            timeout=httpx.Timeout(read_timeout, connect=CONNECT_TIMEOUT_S),
            transport=transport,
            loopback_only=True,
        )

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(publish=True, threads=True, delete=True, find_published=True)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> TestNetPublisher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def validate(self, variant: VariantToPublish, rules: NetworkRules) -> Sequence[Problem]:
        return validate_variant(variant_input_from(variant), rules)

    def publish(
        self, creds: Credentials, variant: VariantToPublish, idempotency_key: str
    ) -> PublishedResult:
        if not variant.parts:
            raise Rejected("There is nothing to publish.", code="empty")
        posts: list[dict[str, Any]] = []
        # A variant may answer an existing post (a comment, or the rest of a thread that is
        # published part by part); older VariantToPublish shapes have no such field.
        answers = str(getattr(variant, "reply_to_id", "") or "") or None
        for index, text in enumerate(variant.parts):
            body = {
                "text": text,
                "reply_to": posts[-1]["id"] if posts else answers,
                "idempotency_key": part_key(idempotency_key, index),
                "account": creds.handle,
            }
            response = self._request(creds, "POST", "/posts", json=body, idempotent=False)
            posts.append(_post_from(response, written=True))
        return _result(posts)

    def check_connection(self, creds: Credentials) -> None:
        self._request(creds, "GET", "/me", params={"account": creds.handle}, idempotent=True)

    def find_published(
        self,
        creds: Credentials,
        idempotency_key: str,
        *,
        expected: VariantToPublish | None = None,
        sent_after: datetime | None = None,
    ) -> PublishedResult | None:
        """The post made with this key, or None if the network has none.

        For a thread, every part found in a row: fewer parts than the variant has means the
        thread stopped part-way, which the caller can see from `part_ids`.
        """
        posts: list[dict[str, Any]] = []
        for index in range(MAX_THREAD_PARTS):
            response = self._request(
                creds,
                "GET",
                "/posts",
                params={"idempotency_key": part_key(idempotency_key, index)},
                idempotent=True,
                missing_ok=True,
            )
            if response is None:
                break
            posts.append(_post_from(response, written=False))
        return _result(posts) if posts else None

    def delete(self, creds: Credentials, network_post_id: str) -> None:
        # Deleting what is already gone is the outcome the caller wanted: 404 is fine.
        self._request(
            creds, "DELETE", f"/posts/{network_post_id}", idempotent=True, missing_ok=True
        )

    # --- HTTP ---------------------------------------------------------------------------------

    def _request(
        self,
        creds: Credentials,
        method: str,
        path: str,
        *,
        idempotent: bool,
        missing_ok: bool = False,
        **kwargs: Any,
    ) -> httpx.Response | None:
        base = _base_url(creds)
        timeout = httpx.Timeout(_read_timeout(creds, self._read_timeout), connect=CONNECT_TIMEOUT_S)
        try:
            response = self._client.request(
                method,
                base + path,
                headers={"Authorization": f"Bearer {creds.access_token}"},
                timeout=timeout,
                **kwargs,
            )
        except UnsafeTarget as exc:
            raise Reauth(
                "The test network runs on this machine only; this account points elsewhere.",
                detail=str(exc),
            ) from None
        except (httpx.HTTPError, httpx.InvalidURL, OSError) as exc:
            raise error_for_exception(exc, idempotent=idempotent) from exc
        if missing_ok and response.status_code == 404:
            return None
        error = error_for_status(
            response.status_code, response.headers, response.content, idempotent=idempotent
        )
        if error is not None:
            raise error
        return response


def part_key(idempotency_key: str, index: int) -> str:
    """The idempotency key of part `index` of a post (0 for a single post)."""
    return f"{idempotency_key}:{index}"


def _base_url(creds: Credentials) -> str:
    url = creds.instance_url.rstrip("/")
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not _is_loopback(host):
        # Not a network fault but a wrong account: it has to be connected again, correctly.
        raise Reauth(
            "The test network runs on this machine only; this account points elsewhere.",
            detail=f"instance_url={creds.instance_url!r}",
        )
    return url


def _is_loopback(host: str) -> bool:
    if host in _LOCAL_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _read_timeout(creds: Credentials, default: float) -> float:
    raw = creds.extra.get("read_timeout_s", "")
    try:
        value = float(raw) if raw else default
    except ValueError:
        return default
    return value if value > 0 else default


def _post_from(response: httpx.Response | None, *, written: bool) -> dict[str, Any]:
    assert response is not None
    try:
        post = response.json()
        valid = isinstance(post, dict) and isinstance(post.get("id"), str) and post["id"]
    except ValueError:
        valid = False
    if valid:
        return post  # type: ignore[no-any-return]
    detail = f"HTTP {response.status_code}: {response.text[:500]}"
    if written:
        # The network said yes but not to what: the post exists, its id is unknown.
        raise OutcomeUnknown("The network's answer could not be read.", detail=detail)
    raise RetryLater("The network's answer could not be read.", detail=detail)


def _result(posts: list[dict[str, Any]]) -> PublishedResult:
    first = posts[0]
    return PublishedResult(
        network_post_id=first["id"],
        url=str(first.get("url", "")),
        published_at=_parse_time(first.get("created_at")),
        part_ids=tuple(post["id"] for post in posts),
    )


def _parse_time(raw: object) -> datetime:
    if isinstance(raw, str):
        try:
            moment = datetime.fromisoformat(raw)
        except ValueError:
            moment = None
        if moment is not None:
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return datetime.now(UTC)
