"""Security headers as Chromium receives them: every page carries a Permissions-Policy the
browser accepts without complaint, and no page seen while signed in may be stored."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_signed_in_pages_arrive_unstorable_and_every_page_with_an_accepted_permissions_policy(
    page, sign_in, alice, workspace_a
):
    sign_in(page, "alice@example.com", "alice-pass-123")
    expect(page.get_by_role("heading", level=1)).to_have_text("Alpha Kaffee")
    page.get_by_role("link", name="Notifications").click()
    expect(page).to_have_url(re.compile(r"/notifications/$"))
    signed_in = [url for url, _headers in page.log.documents]

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in to Townsquare")).to_be_visible()

    headers = dict(page.log.documents)
    assert len(signed_in) >= 2
    for url in signed_in[1:]:  # the first is the sign-in page itself
        assert "no-store" in headers[url].get("cache-control", ""), url
    for url, seen in page.log.documents:
        assert "camera=()" in seen.get("permissions-policy", ""), url
    # Chromium reports a policy it cannot parse, or a feature it does not know, as an error.
    page.log.assert_clean()
