"""The one outbound HTTP client factory: timeouts always, and an SSRF guard for addresses
that come from users (webhook URLs, pages fetched for link cards).

A guarded client refuses hosts that resolve to loopback, private, link-local, multicast or
reserved addresses, unless ALLOW_PRIVATE_NETWORK_TARGETS is on (tests and local setups).
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

import httpx
from django.conf import settings

DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=3.0)


class UnsafeTarget(ValueError):
    """The URL points somewhere Townsquare must not send requests to."""


def check_target(url: str) -> None:
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError for a port that is not a number
    except ValueError:
        raise UnsafeTarget(f"Not a valid address: {url!r}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeTarget(f"Only http and https addresses are allowed: {url!r}")
    if settings.ALLOW_PRIVATE_NETWORK_TARGETS:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, ValueError):  # unknown, or not a valid host name
        raise UnsafeTarget(f"{parts.hostname} cannot be resolved.") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise UnsafeTarget(f"{parts.hostname} resolves to a non-public address ({address}).")


def client(timeout: httpx.Timeout = DEFAULT_TIMEOUT) -> httpx.Client:
    return httpx.Client(
        timeout=timeout, follow_redirects=False, headers={"User-Agent": "Townsquare"}
    )


def guarded_post(
    url: str, json: object, timeout: httpx.Timeout = DEFAULT_TIMEOUT
) -> httpx.Response:
    check_target(url)
    with client(timeout) as http:
        return http.post(url, json=json)
