"""The one outbound HTTP client factory: timeouts always, no redirects, no proxies from the
environment, and a guard on every connection it opens.

Every connector, webhook and link card gets its client from `outbound_client()`. Its
connections go through `GuardedBackend`: the host name is resolved once, each address is
checked (`lib/addresses.py`), and the socket is opened to exactly the address that was
checked. A name that answers "public" to the check and "127.0.0.1" a moment later (DNS
rebinding) therefore cannot reach the machine's own network: there is no second lookup.
TLS is still verified against the host name of the URL (and sent as SNI), not the address.
Nothing is cached: each new connection of the pool is resolved and checked again.

Loopback and private addresses are refused unless ALLOW_PRIVATE_NETWORK_TARGETS is on (tests
with their servers on loopback, installations that post into their own intranet). Even
then, link-local addresses (cloud metadata services), unspecified and multicast addresses,
and names reserved for examples (`.invalid`, `example.com`...) are refused; those names are
refused without asking DNS.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import typing
from urllib.parse import urlsplit

import httpcore
import httpx
from django.conf import settings

from townsquare.lib.addresses import (
    Address,
    is_local_name,
    is_loopback,
    is_never_allowed,
    is_never_real_name,
    is_public,
    normalised_host,
)

DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=3.0)
USER_AGENT = "Townsquare"


class UnsafeTarget(ValueError):
    """The address points somewhere Townsquare must not send requests to. The message names
    the host, never the path or query (which may hold a secret, as webhook addresses do)."""


def private_targets_allowed() -> bool:
    return bool(settings.ALLOW_PRIVATE_NETWORK_TARGETS)


# --- checking a host -------------------------------------------------------------------------


def checked_addresses(host: str, port: int, *, loopback_only: bool = False) -> list[str]:
    """The addresses of `host` that a connection may use, from one lookup; UnsafeTarget if
    any address it resolves to is not allowed (a name with one bad answer is refused whole).

    `loopback_only`: only this machine (the test network's connector).
    """
    name = normalised_host(host)
    if not name:
        raise UnsafeTarget("The address has no host.")
    if is_never_real_name(name):
        raise UnsafeTarget(f"{name} is a reserved name that never points to a real server.")
    allow_private = loopback_only or private_targets_allowed()
    addresses = _numeric(name, port)
    if addresses is None:  # a name, not an address
        if not allow_private and is_local_name(name):
            raise UnsafeTarget(f"{name} names a machine of the local network.")
        addresses = _resolve(name, port)
    for address in addresses:
        if loopback_only:
            allowed = is_loopback(address)
        elif allow_private:
            allowed = not is_never_allowed(address)
        else:
            allowed = is_public(address)
        if not allowed:
            raise UnsafeTarget(f"{name} resolves to a non-public address ({address}).")
    return [str(address) for address in addresses]


def _numeric(host: str, port: int) -> list[Address] | None:
    """The address a numeric host stands for, without DNS: also the forms the C library
    reads as IPv4 (2130706433, 0x7f.1, 0177.0.0.1), which a name check would not see."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)
    except (OSError, UnicodeError, ValueError):
        return None
    return _addresses(host, infos)


def _resolve(host: str, port: int) -> list[Address]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError, ValueError):  # unknown, or not a valid host name
        raise UnsafeTarget(f"{host} cannot be resolved.") from None
    return _addresses(host, infos)


def _addresses(host: str, infos: typing.Sequence[typing.Any]) -> list[Address]:
    found: list[Address] = []
    for info in infos:
        try:
            address = ipaddress.ip_address(info[4][0])
        except ValueError:
            raise UnsafeTarget(f"{host} resolves to an unreadable address.") from None
        if address not in found:
            found.append(address)
    if not found:
        raise UnsafeTarget(f"{host} cannot be resolved.")
    return found


def _host_and_port(url: str) -> tuple[str, int]:
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError for a port that is not a number
    except ValueError:
        raise UnsafeTarget("Not a valid web address.") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeTarget("Only http and https addresses are allowed.")
    return parts.hostname, port or (443 if parts.scheme == "https" else 80)


def check_target(url: str) -> None:
    """Refuse an address early, with a reason, where a person enters it (connect forms).

    Only a first answer: the connection checks again itself, whatever this said. Where
    private targets are allowed, names are not looked up here (tests use names that do not
    resolve, with their own transports).
    """
    host, port = _host_and_port(url)
    if private_targets_allowed():
        return
    checked_addresses(host, port)


def plainly_private(host: str) -> bool:
    """A host that is visibly inside the machine's own network, without asking DNS:
    a local name, or an address in any of its spellings that is not public."""
    if not host:
        return False
    addresses = _numeric(normalised_host(host), 0)
    if addresses is None:
        return is_local_name(host)
    return not all(is_public(address) for address in addresses)


# --- connecting ------------------------------------------------------------------------------


class GuardedBackend(httpcore.NetworkBackend):
    """Opens each connection to an address that `checked_addresses` allowed, never to the
    name itself. httpcore starts TLS on the returned stream with the URL's host name as
    server name, so certificates are verified for the name."""

    def __init__(self, *, loopback_only: bool = False) -> None:
        self._loopback_only = loopback_only
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = checked_addresses(host, port, loopback_only=self._loopback_only)
        refused: httpcore.ConnectError | None = None
        for address in addresses:
            try:
                return self._inner.connect_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except httpcore.ConnectError as error:  # refused or unreachable: the next one
                refused = error
        assert refused is not None  # checked_addresses never returns an empty list
        raise refused

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        raise UnsafeTarget("Unix sockets are not an outbound target.")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport with its connection pool on `GuardedBackend`."""

    def __init__(
        self,
        *,
        loopback_only: bool = False,
        verify: ssl.SSLContext | bool = True,
        limits: httpx.Limits | None = None,
    ) -> None:
        limits = limits or httpx.Limits(max_connections=100, max_keepalive_connections=20)
        # SSL_CERT_FILE and SSL_CERT_DIR (an installation's own CA bundle) still count.
        ssl_context = httpx.create_ssl_context(verify=verify, trust_env=True)
        super().__init__(verify=ssl_context, trust_env=False, limits=limits)
        # httpx offers no argument for the network backend: the pool is made again with it.
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend(loopback_only=loopback_only),
        )


def outbound_client(
    *,
    timeout: httpx.Timeout = DEFAULT_TIMEOUT,
    headers: dict[str, str] | None = None,
    transport: httpx.BaseTransport | None = None,
    loopback_only: bool = False,
    verify: ssl.SSLContext | bool = True,
) -> httpx.Client:
    """A client for requests leaving Townsquare. Thread-safe; keep it for its pool.

    Redirects are not followed (a redirected write could be carried out twice, and each hop
    of a link card is checked by its caller); proxies from the environment are ignored
    (a proxy would make the connection instead of the guard). `transport` replaces the
    guarded one: for tests with `httpx.MockTransport` only.
    """
    return httpx.Client(
        timeout=timeout,
        follow_redirects=False,
        trust_env=False,
        headers={"User-Agent": USER_AGENT, **(headers or {})},
        transport=transport or GuardedTransport(loopback_only=loopback_only, verify=verify),
    )


def guarded_post(
    url: str, json: object, timeout: httpx.Timeout = DEFAULT_TIMEOUT
) -> httpx.Response:
    _host_and_port(url)  # a malformed address is refused with a reason, not an httpx error
    with outbound_client(timeout=timeout) as http:
        return http.post(url, json=json)
