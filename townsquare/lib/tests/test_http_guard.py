"""The outbound guard: only public http(s) addresses, and a malformed one is refused, never
a crash."""

import pytest

from townsquare.lib.http import UnsafeTarget, check_target


@pytest.mark.parametrize(
    "url",
    [
        "http://[::1",
        "https://example.org:port/",
        "ftp://example.org/",
        "https://",
        "http://127.0.0.1/",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]:8000/",
        "http://localhost/",
        "https://exa mple.org/",
    ],
)
def test_unsafe_or_malformed_addresses_are_refused(url, settings):
    settings.ALLOW_PRIVATE_NETWORK_TARGETS = False
    with pytest.raises(UnsafeTarget):
        check_target(url)


def test_a_test_setup_may_allow_loopback_but_never_a_malformed_address(settings):
    settings.ALLOW_PRIVATE_NETWORK_TARGETS = True
    check_target("http://127.0.0.1:8000/")
    with pytest.raises(UnsafeTarget):
        check_target("http://[::1")


# Addresses that carry 127.0.0.1, 10.0.0.1 or 169.254.169.254 in another spelling: each is
# judged by the IPv4 address it stands for. A comment names the form.
DISGUISED = [
    "http://[::7f00:1]/",  # IPv4-compatible
    "http://[::ffff:127.0.0.1]/",  # IPv4-mapped
    "http://[::ffff:a9fe:a9fe]/latest/meta-data",  # IPv4-mapped, hexadecimal
    "http://[2002:7f00:1::]/",  # 6to4
    "http://[2002:a00:1::1]/",  # 6to4, 10.0.0.1
    "http://[64:ff9b::7f00:1]/",  # NAT64, well-known prefix
    "http://[64:ff9b::a00:1]/",  # NAT64, 10.0.0.1
    "http://[64:ff9b:1::7f00:1]/",  # NAT64, local-use prefix
    "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/",  # Teredo, client 127.0.0.1
    "http://2130706433/",  # decimal
    "http://0x7f.1/",  # hexadecimal, short form
    "http://0x7f000001/",  # hexadecimal
    "http://017700000001/",  # octal
    "http://0177.0.0.1/",  # octal, dotted
    "http://127.1/",  # short form
    "http://224.0.0.1/",  # multicast
    "http://[ff02::1]/",  # multicast
]


@pytest.mark.parametrize("url", DISGUISED)
def test_an_address_in_disguise_is_judged_by_the_address_it_carries(url, settings):
    settings.ALLOW_PRIVATE_NETWORK_TARGETS = False
    with pytest.raises(UnsafeTarget):
        check_target(url)


@pytest.mark.parametrize("url", DISGUISED)
def test_the_client_refuses_an_address_in_disguise_before_connecting(url, settings, monkeypatch):
    import httpx

    from townsquare.lib.http import outbound_client
    from townsquare.lib.tests.outbound_support import Network, install

    settings.ALLOW_PRIVATE_NETWORK_TARGETS = False
    network = install(monkeypatch, Network())
    with outbound_client() as http, pytest.raises((UnsafeTarget, httpx.InvalidURL)):
        http.get(url)
    assert network.dialled == []


@pytest.mark.parametrize(
    "url",
    ["https://pds.demo.invalid/", "https://mastodon.example/", "https://hooks.example.com/x"],
)
def test_names_reserved_for_examples_are_refused_without_asking_dns(url, settings, monkeypatch):
    from townsquare.lib.http import outbound_client
    from townsquare.lib.tests.outbound_support import Network, install

    settings.ALLOW_PRIVATE_NETWORK_TARGETS = True  # even where private targets are allowed
    network = install(monkeypatch, Network())
    looked_up: list[object] = []
    resolver = __import__("socket").getaddrinfo
    monkeypatch.setattr(
        "socket.getaddrinfo", lambda *a, **k: looked_up.append(a[0]) or resolver(*a, **k)
    )
    with outbound_client() as http, pytest.raises(UnsafeTarget, match="reserved"):
        http.get(url)
    assert looked_up == [] and network.dialled == []
