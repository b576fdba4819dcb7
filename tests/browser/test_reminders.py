"""Posting by hand in the real UI, in German: from the reminder in the notifications to the
text to copy, a wrong address refused, and "Als gepostet markieren" publishing the post."""

import pytest
from playwright.sync_api import expect

from townsquare.content.actions import PostInput, do_save_post
from townsquare.networks.models import SocialAccount
from townsquare.publishing.actions import do_schedule_post
from townsquare.publishing.models import Publication
from townsquare.publishing.reminders import send_due_reminders

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "Heute frisch geröstet: Kenia Nyeri, fruchtig und hell. Ab 10 Uhr im Laden."


def test_a_reminder_leads_to_the_text_and_mark_as_posted_publishes_the_post(
    page, sign_in, alice, membership, workspace_a, unlabelled_controls
):
    alice.language = "de"
    alice.save()
    account = SocialAccount.objects.create(
        workspace=workspace_a, network="x", handle="@AlphaKaffee"
    )
    post = do_save_post(membership, PostInput(text=TEXT, language="de"), [account.pk])
    do_schedule_post(membership, post, None)
    send_due_reminders()  # what the scheduler does when the post is due

    sign_in(page, "alice@example.com", "alice-pass-123")
    expect(
        page.get_by_text("1 Beitrag wartet darauf, von Hand gepostet zu werden.")
    ).to_be_visible()
    page.goto(f"/w/{workspace_a.slug}/notifications/")
    page.get_by_role("button", name="Jetzt von Hand auf X @AlphaKaffee posten").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Von Hand auf X posten")
    expect(page.get_by_label("Text des Beitrags")).to_have_value(TEXT)
    assert unlabelled_controls(page) == []

    address = page.get_by_label("Adresse des Beitrags im Netzwerk")
    address.fill("ftp://x.com/AlphaKaffee/status/1")
    page.get_by_role("button", name="Als gepostet markieren").click()
    expect(page.get_by_role("alert")).to_contain_text("beginnend mit https:// oder http://")
    assert Publication.objects.get().status == "by_hand"

    address = page.get_by_label("Adresse des Beitrags im Netzwerk")
    expect(address).to_have_value("ftp://x.com/AlphaKaffee/status/1")
    address.fill("https://x.com/AlphaKaffee/status/1861")
    page.get_by_role("button", name="Als gepostet markieren").click()

    expect(page.get_by_text("Als gepostet markiert. Vielen Dank!")).to_be_visible()
    expect(page.locator("table.publications .status")).to_have_text("Veröffentlicht")
    expect(page.get_by_role("link", name="Im Netzwerk ansehen")).to_have_attribute(
        "href", "https://x.com/AlphaKaffee/status/1861"
    )
    pub = Publication.objects.get()
    assert (pub.status, pub.external_url) == ("published", "https://x.com/AlphaKaffee/status/1861")
    page.log.assert_clean()
