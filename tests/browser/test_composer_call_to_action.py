"""The plan's call to action in the composer: suggested under the preview, added in one click."""

import pytest
from playwright.sync_api import expect

from townsquare.networks.models import SocialAccount
from townsquare.planning.models import Plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_plans_call_to_action_is_added_to_the_message_in_one_click(
    page, sign_in, alice, workspace_a
):
    SocialAccount.objects.create(workspace=workspace_a, network="mastodon", handle="@alpha")
    Plan.objects.create(workspace=workspace_a, call_to_action="Jetzt Tisch reservieren")
    sign_in(page, "alice@example.com", "alice-pass-123")
    page.goto(f"/w/{workspace_a.slug}/compose/")
    page.get_by_label("Message").fill("Unsere Herbströstung ist da.")
    page.get_by_label("Language").select_option("de")
    page.get_by_role("checkbox", name="Mastodon").check()

    card = page.locator("article.preview-mastodon")
    expect(card.locator(".warnings")).to_contain_text("“Jetzt Tisch reservieren”")
    card.get_by_role("button", name="Add call to action").click()

    expect(page.get_by_label("Message")).to_have_value(
        "Unsere Herbströstung ist da.\n\nJetzt Tisch reservieren"
    )
    expect(card.locator(".post-text")).to_contain_text("Jetzt Tisch reservieren")
    expect(card.get_by_role("button", name="Add call to action")).to_have_count(0)
    page.log.assert_clean()
