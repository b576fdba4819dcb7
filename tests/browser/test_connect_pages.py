"""The accounts page and the connect pages of every network, in a real browser: every control
labelled, reachable with the keyboard, nothing blocked by the Content-Security-Policy, and a
broken connection shown with the way to fix it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from townsquare.networks.credentials import store_credentials
from townsquare.networks.models import SocialAccount

pytestmark = pytest.mark.browser

CONNECT_PAGES = ("Connect Bluesky", "Connect Mastodon", "Connect Matrix")


def test_every_connect_page_is_labelled_and_a_broken_login_shows_the_way_back(
    page, sign_in, alice, workspace_a, unlabelled_controls
):
    broken = SocialAccount.objects.create(
        workspace=workspace_a,
        network="mastodon",
        handle="@alpha@social.example",
        connected_at=timezone.now() - timedelta(days=20),
        last_success_at=timezone.now() - timedelta(days=2),
        needs_reconnect=True,
    )
    store_credentials(broken, {"access_token": "revoked"})
    sign_in(page, "alice@example.com", "alice-pass-123")
    accounts = f"/w/{workspace_a.slug}/settings/accounts/"
    page.goto(accounts)
    row = page.get_by_role("row").filter(has_text="@alpha@social.example")
    expect(row).to_contain_text("Access revoked: connect it again")
    expect(row).to_contain_text("last worked 2")
    assert unlabelled_controls(page) == []

    for name in CONNECT_PAGES:
        page.goto(accounts)
        link = page.get_by_role("link", name=name)
        link.focus()
        page.keyboard.press("Enter")  # reachable with the keyboard
        expect(page.get_by_role("heading", level=1)).to_contain_text(name.split()[-1])
        assert unlabelled_controls(page) == [], name

    page.goto(accounts)
    row = page.get_by_role("row").filter(has_text="@alpha@social.example")
    row.get_by_role("link", name="Connect again").click()
    expect(page).to_have_url(re.compile(r"/settings/accounts/mastodon/connect/$"))
    page.log.assert_clean()
