"""The feedback register in the real UI, in German: open a topic, record the company's
answer, and see a reply drafted to each user in their language."""

import pytest
from playwright.sync_api import expect

from townsquare.inbox.models import Reply
from townsquare.inbox.register import record_new
from townsquare.inbox.tests.inbox_world import make_conversation
from townsquare.inbox.tests.register_world import DARK_MODE, feedback
from townsquare.networks.models import SocialAccount

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_topic_is_answered_and_the_drafts_are_shown_in_german(
    page, sign_in, alice, membership, workspace_a, unlabelled_controls
):
    alice.language = "de"
    alice.save(update_fields=["language"])
    account = SocialAccount.objects.create(
        workspace=workspace_a, network="mastodon", handle="@kaffee@example.social"
    )
    record_new(feedback(account, DARK_MODE))
    make_conversation(account, "Toller Kaffee!", category="praise", handle="@p@x.social")
    sign_in(page, "alice@example.com", "alice-pass-123")
    page.goto(f"/w/{workspace_a.slug}/inbox/register/")
    expect(page.get_by_role("heading", name="Feedback-Register")).to_be_visible()
    page.get_by_role("link", name=DARK_MODE[0][0]).click()
    expect(page.get_by_test_id("topic-status")).to_have_text("Neu")
    assert unlabelled_controls(page) == []
    page.get_by_label("Antwort in der Sprache „de“").fill("Der Dark Mode kommt im März.")
    page.get_by_label("Antwort in der Sprache „en“ (optional)").fill("Dark mode arrives in March.")
    page.get_by_role("button", name="Antwort festhalten und Antworten entwerfen").click()
    expect(page.get_by_text("3 Antworten entworfen")).to_be_visible()
    expect(page.get_by_test_id("topic-status")).to_have_text("Vom Unternehmen beantwortet")
    expect(page.get_by_role("heading", name="Entworfene Antworten")).to_be_visible()
    expect(page.get_by_text("Hallo Lena,")).to_be_visible()
    expect(page.get_by_text("Hi Sam,")).to_be_visible()
    expect(page.get_by_role("button", name="Alle 3 Entwürfe senden")).to_be_visible()
    assert Reply.objects.filter(status="draft").count() == 3
    page.log.assert_clean()
