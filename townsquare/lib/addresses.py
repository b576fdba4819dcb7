"""Which addresses and host names an outbound request may go to (pure: no Django, no I/O).

An IPv6 address can carry an IPv4 address (IPv4-mapped, IPv4-compatible, 6to4, NAT64,
Teredo); the operating system or a gateway may deliver a packet for it to that IPv4 address,
so such an address is only as public as every IPv4 address it carries. Python's own
`is_global` takes `::7f00:1` (127.0.0.1 in the IPv4-compatible form) and `64:ff9b::7f00:1`
(NAT64) for public.
"""

from __future__ import annotations

import ipaddress
from ipaddress import IPv4Address, IPv6Address

Address = IPv4Address | IPv6Address

_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
_NAT64_WELL_KNOWN = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")  # RFC 8215; the IPv4 address is last

# Special-use names (RFC 2606, 6761, 8375, 9476) that never name a server on the internet.
# The first group never resolves anywhere, so it is refused even where private targets are
# allowed; the second names machines of the local network.
NEVER_REAL_SUFFIXES = ("invalid", "example", "example.com", "example.net", "example.org")
LOCAL_SUFFIXES = ("localhost", "test", "local", "internal", "home.arpa", "lan", "onion", "alt")


def carried_ipv4(address: IPv6Address) -> tuple[IPv4Address, ...]:
    """The IPv4 addresses an IPv6 address stands for, if it is of one of the forms above."""
    carried: list[IPv4Address] = []
    if address.ipv4_mapped is not None:
        carried.append(address.ipv4_mapped)
    elif address in _IPV4_COMPATIBLE:
        carried.append(IPv4Address(int(address) & 0xFFFFFFFF))
    if address.sixtofour is not None:
        carried.append(address.sixtofour)
    if address.teredo is not None:
        carried.extend(address.teredo)  # the relay server and the client behind it
    if address in _NAT64_WELL_KNOWN or address in _NAT64_LOCAL:
        carried.append(IPv4Address(int(address) & 0xFFFFFFFF))
    return tuple(carried)


def is_public(address: Address) -> bool:
    """A unicast address on the public internet, and so is every IPv4 address it carries."""
    if isinstance(address, IPv6Address):
        if address.ipv4_mapped is not None:
            return is_public(address.ipv4_mapped)
        if address.scope_id:
            return False
        carried = carried_ipv4(address)
        if carried and not all(is_public(inner) for inner in carried):
            return False
    return address.is_global and not address.is_multicast


def is_never_allowed(address: Address) -> bool:
    """Addresses refused even where private targets are allowed: nothing to connect to
    (unspecified, multicast, broadcast) or the link itself (169.254.169.254 is where cloud
    machines find their credentials)."""
    inner: tuple[Address, ...] = (address,)
    if isinstance(address, IPv6Address):
        inner = (address, *carried_ipv4(address))
    return any(
        one.is_unspecified
        or one.is_multicast
        or one.is_link_local
        or one == IPv4Address("255.255.255.255")
        for one in inner
    )


def is_loopback(address: Address) -> bool:
    if isinstance(address, IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def normalised_host(host: str) -> str:
    """Lower case, without brackets, the trailing dot of a fully qualified name or an IPv6
    zone."""
    return host.strip("[]").rstrip(".").lower()


def _under(host: str, suffixes: tuple[str, ...]) -> bool:
    return any(host == suffix or host.endswith("." + suffix) for suffix in suffixes)


def is_never_real_name(host: str) -> bool:
    """A name reserved for documentation and examples, or one that must never resolve."""
    return _under(normalised_host(host), NEVER_REAL_SUFFIXES)


def is_local_name(host: str) -> bool:
    """A name of the local machine or network: special-use suffixes, or a single label
    (resolved through the machine's search domains, i.e. inside its own network)."""
    name = normalised_host(host)
    return _under(name, LOCAL_SUFFIXES) or "." not in name
