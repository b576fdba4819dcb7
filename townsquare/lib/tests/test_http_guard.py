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
