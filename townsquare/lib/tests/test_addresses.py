"""Which addresses count as public, whatever their spelling."""

import ipaddress

import pytest

from townsquare.lib.addresses import carried_ipv4, is_local_name, is_never_real_name, is_public


@pytest.mark.parametrize(
    "address",
    ["8.8.8.8", "2a00:1450:4001:80b::200e", "::ffff:8.8.8.8", "64:ff9b::808:808"],
)
def test_public_addresses_stay_usable_in_every_form(address):
    assert is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    ("address", "carried"),
    [
        ("::7f00:1", "127.0.0.1"),
        ("::ffff:10.0.0.1", "10.0.0.1"),
        ("2002:a9fe:a9fe::", "169.254.169.254"),
        ("64:ff9b::7f00:1", "127.0.0.1"),
        ("64:ff9b:1::a00:1", "10.0.0.1"),
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", "127.0.0.1"),
    ],
)
def test_an_ipv6_address_is_no_more_public_than_the_ipv4_address_it_carries(address, carried):
    ip = ipaddress.ip_address(address)
    assert ipaddress.ip_address(carried) in carried_ipv4(ip)
    assert not is_public(ip)


def test_special_use_names_are_known_without_dns():
    assert is_never_real_name("pds.demo.invalid") and is_never_real_name("Hooks.Example.COM.")
    assert not is_never_real_name("example.community")
    assert is_local_name("localhost") and is_local_name("nas.home.arpa")
    assert is_local_name("intranet"), "a single label is completed with the search domains"
    assert not is_local_name("mastodon.social")
