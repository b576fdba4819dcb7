"""The queue in the real composer: a post added to the queue goes to the next free slot,
and the post then says when it goes out."""

from __future__ import annotations

from datetime import time

import pytest
from playwright.sync_api import expect

from townsquare.content.models import Post
from townsquare.networks.models import SocialAccount
from townsquare.publishing.models import Publication
from townsquare.queues.slot_actions import do_add_slot

pytestmark = pytest.mark.browser

MESSAGE = "Montagsfrage: Welche Bohne probieren Sie als Nächstes? Schreiben Sie es uns!"


@pytest.fixture
def mastodon(workspace_a):
    return SocialAccount.objects.create(
        workspace=workspace_a, network="mastodon", handle="@alpha@social.example"
    )


def test_compose_and_add_to_queue_shows_the_time_chosen(
    page, sign_in, alice, membership, workspace_a, mastodon, tmp_path
):
    for weekday in range(7):
        do_add_slot(membership, mastodon, weekday, time(9, 0))
    sign_in(page, "alice@example.com", "alice-pass-123")
    page.goto(f"/w/{workspace_a.slug}/compose/")
    page.locator("#master-text").fill(MESSAGE)
    page.get_by_role("checkbox", name="Mastodon").check()
    expect(page.locator("#previews article.preview")).to_have_count(1)
    page.get_by_role("button", name="Add to queue", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Scheduled for")
    expect(page.get_by_role("heading", level=1)).to_contain_text("09:00 (Europe/Berlin)")
    (pub,) = Publication.objects.filter(post=Post.objects.get())
    assert pub.status == "scheduled" and pub.local_due.endswith("T09:00")
    expect(page.get_by_text("Saved. Scheduled for")).to_be_visible()
    page.screenshot(path=tmp_path / "queued.png", full_page=True)
    page.log.assert_clean()


def test_a_near_duplicate_is_queued_only_when_confirmed(
    page, sign_in, alice, membership, workspace_a, mastodon
):
    for weekday in range(7):
        do_add_slot(membership, mastodon, weekday, time(9, 0))
    sign_in(page, "alice@example.com", "alice-pass-123")
    for _attempt in range(2):
        page.goto(f"/w/{workspace_a.slug}/compose/")
        page.locator("#master-text").fill(MESSAGE)
        page.get_by_role("checkbox", name="Mastodon").check()
        page.get_by_role("button", name="Add to queue", exact=True).click()
    expect(page.get_by_text("very similar to a recent one")).to_be_visible()
    assert Post.objects.count() == 1
    page.get_by_role("checkbox", name="Schedule anyway").check()
    page.get_by_role("button", name="Add to queue", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Scheduled for")
    assert Post.objects.count() == 2
    assert len(set(Publication.objects.values_list("local_due", flat=True))) == 2
