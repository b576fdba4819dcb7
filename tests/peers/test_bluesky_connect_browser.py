"""A new user connects a Bluesky account in a real browser, with an app password, against the
reference PDS on loopback: the accounts page, the connect form, a refusal, then success."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from townsquare.networks.models import SocialAccount

pytestmark = [pytest.mark.peers, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_connecting_bluesky_through_the_ui(
    page, sign_in, alice, workspace_a, pds, ours, local_targets
):
    sign_in(page, "alice@example.com", "alice-pass-123")
    page.goto(f"/w/{workspace_a.slug}/settings/accounts/")
    page.get_by_role("link", name="Connect Bluesky").click()

    page.get_by_label("Handle").fill(ours.handle)
    page.get_by_label("App password").fill("aaaa-bbbb-cccc-dddd")
    page.get_by_label("Server (optional)").fill(pds.url)
    page.get_by_role("button", name="Connect").click()
    expect(page.get_by_text("Bluesky did not accept this handle and app password.")).to_be_visible()
    assert not SocialAccount.objects.filter(workspace=workspace_a).exists()

    page.get_by_label("App password").fill(pds.app_password(ours))
    page.get_by_role("button", name="Connect").click()
    expect(page.get_by_text(f"{ours.handle} is connected.", exact=False)).to_be_visible()
    row = page.get_by_role("row").filter(has_text=ours.handle)
    expect(row).to_contain_text("connected")
    expect(row).to_contain_text("last worked")
    account = SocialAccount.objects.get(workspace=workspace_a, network="bluesky")
    assert account.handle == ours.handle and account.connected_at is not None
    # The form answers a refusal with 400 (a form with errors), which the page log counts as
    # a failed request and Chromium reports on the console; anything else must be clean.
    refused = "/bluesky/connect/"
    page.log.failed = [f for f in page.log.failed if not (f.startswith("400 ") and refused in f)]
    page.log.console_errors = [
        e for e in page.log.console_errors if not (refused in e and "status of 400" in e)
    ]
    page.log.assert_clean()
