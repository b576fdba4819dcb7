"""Best time to post in the real composer: ticking an account brings its suggested times,
a click on one fills the date and time field (and nothing is sent), and the queue's
suggested slot is added with one click."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from townsquare.analytics.tests.suggest_world import history
from townsquare.content.models import Post
from townsquare.networks.models import SocialAccount
from townsquare.queues.models import Slot

pytestmark = pytest.mark.browser


@pytest.fixture
def mastodon(workspace_a):
    account = SocialAccount.objects.create(
        workspace=workspace_a, network="mastodon", handle="@alpha@social.example"
    )
    history(account)
    return account


def test_a_suggested_time_fills_the_publish_field(page, sign_in, alice, workspace_a, mastodon):
    sign_in(page, "alice@example.com", "alice-pass-123")
    page.goto(f"/w/{workspace_a.slug}/compose/")
    suggestions = page.locator("#suggested-times")
    expect(suggestions).to_contain_text("Choose the accounts to see the best times")
    page.locator("#master-text").fill("Neue Röstung ab Samstag: kommen Sie vorbei.")
    page.get_by_role("checkbox", name="Mastodon").check()
    buttons = suggestions.locator("button[name=suggested_when]")
    expect(buttons).to_have_count(3)
    expect(suggestions).to_contain_text("From 36 of your posts in the last 16 weeks")
    second = buttons.nth(1)
    value = second.get_attribute("value")
    expect(second).to_contain_text(", ")
    second.click()
    expect(page.get_by_label("Publish at")).to_have_value(value)
    # Filled in place: the page was not sent, the text is still there.
    expect(page.locator("#master-text")).to_have_value(
        "Neue Röstung ab Samstag: kommen Sie vorbei."
    )
    assert not Post.objects.exists()
    page.log.assert_clean()


def test_a_suggested_slot_is_added_with_one_click(page, sign_in, alice, workspace_a, mastodon):
    sign_in(page, "alice@example.com", "alice-pass-123")
    page.goto(f"/w/{workspace_a.slug}/settings/queue/")
    page.get_by_role("button", name="Add Tuesday 18:00").click()
    expect(page.get_by_text("Slot added")).to_be_visible()
    assert Slot.objects.filter(account=mastodon, weekday=1).count() == 1
    expect(page.get_by_role("button", name="Add Tuesday 18:00")).to_have_count(0)
    page.log.assert_clean()


def test_without_javascript_a_suggested_time_comes_back_filled_in(
    chromium, live_server, sign_in, alice, workspace_a, mastodon
):
    context = chromium.new_context(
        java_script_enabled=False, locale="en-GB", base_url=live_server.url
    )
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(live_server.url) else route.abort()
        ),
    )
    page = context.new_page()
    try:
        sign_in(page, "alice@example.com", "alice-pass-123")
        page.goto(f"/w/{workspace_a.slug}/compose/")
        page.locator("#master-text").fill("Neue Röstung ab Samstag.")
        page.get_by_role("checkbox", name="Mastodon").check()
        page.get_by_role("button", name="Preview", exact=True).click()
        first = page.locator("button[name=suggested_when]").first
        value = first.get_attribute("value")
        first.click()
        expect(page.get_by_label("Publish at")).to_have_value(value)
        expect(page.locator("#master-text")).to_have_value("Neue Röstung ab Samstag.")
        expect(page.get_by_role("checkbox", name="Mastodon")).to_be_checked()
    finally:
        context.close()
