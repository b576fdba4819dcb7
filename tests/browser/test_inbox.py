"""The inbox in the real UI, in German: filter the complaints, open one, correct its
category with one click, answer with a saved reply and see the answer sent (through a
stand-in connector that records it)."""

import re

import pytest
from playwright.sync_api import expect

from townsquare.inbox.models import Message, Reply
from townsquare.inbox.saved_reply_actions import do_save_saved_reply
from townsquare.inbox.tests.inbox_world import FakeInbox, make_conversation
from townsquare.networks import registry
from townsquare.networks.models import SocialAccount

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMPLAINT = "Die Lieferung ist schon wieder zu spät, sehr ärgerlich!"
QUESTION = "Habt ihr am Samstag geöffnet?"


def test_filter_open_correct_and_answer_with_a_saved_reply_in_german(
    page, sign_in, alice, membership, workspace_a, settings, monkeypatch, unlabelled_controls
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    fake = FakeInbox()
    monkeypatch.setitem(registry._instances, "mastodon", fake)
    alice.language = "de"
    alice.save(update_fields=["language"])
    account = SocialAccount.objects.create(
        workspace=workspace_a, network="mastodon", handle="@kaffee@example.social"
    )
    complaint = make_conversation(account, COMPLAINT)
    make_conversation(
        account,
        QUESTION,
        handle="@max@example.social",
        name="Max",
        category="question",
        sentiment="neutral",
    )
    do_save_saved_reply(
        membership,
        title="Lieferung verspätet",
        language="de",
        text="Hallo {name}, das tut uns leid! Wir sehen sofort nach.",
    )

    sign_in(page, "alice@example.com", "alice-pass-123")
    page.goto(f"/w/{workspace_a.slug}/inbox/")
    expect(page.get_by_role("heading", name="Posteingang")).to_be_visible()
    expect(page.get_by_text(QUESTION)).to_be_visible()
    assert unlabelled_controls(page) == []
    page.get_by_label("Kategorie").select_option(label="Beschwerde")
    page.get_by_role("button", name="Filtern").click()
    expect(page.get_by_text(QUESTION)).to_have_count(0)
    page.get_by_role("link", name=COMPLAINT).click()

    expect(page.get_by_role("heading", name="Lena Vogel")).to_be_visible()
    assert unlabelled_controls(page) == []
    page.locator("summary", has_text="Einordnung").first.click()
    expect(page.get_by_text("sicher (91 %)")).to_be_visible()
    page.locator("[data-correct='category-question']").click()
    expect(page.get_by_text("Einordnung korrigiert.")).to_be_visible()
    message = Message.objects.get(conversation=complaint)
    assert message.category == "question" and message.corrected == {"category": "question"}

    page.wait_for_load_state("load")  # the saved replies' script listens from then on
    page.get_by_label("Gespeicherte Antwort").select_option(label="Lieferung verspätet (de)")
    expect(page.locator("[data-reply-box]")).to_have_value(
        "Hallo Lena Vogel, das tut uns leid! Wir sehen sofort nach."
    )
    page.get_by_role("button", name="Antwort senden").click()
    expect(page.get_by_text("Ihre Antwort wird gesendet.")).to_be_visible()
    page.reload()
    expect(page.locator(".inbox-outbound")).to_contain_text("Hallo Lena Vogel, das tut uns leid!")
    assert Reply.objects.get().status == "sent"
    assert [text for _message, text in fake.sent] == [
        "Hallo Lena Vogel, das tut uns leid! Wir sehen sofort nach."
    ]
    page.log.assert_clean()


def test_keyboard_moves_through_the_list_shows_help_and_opens(page, sign_in, workspace_a):
    account = SocialAccount.objects.create(
        workspace=workspace_a, network="mastodon", handle="@kaffee@example.social"
    )
    make_conversation(account, COMPLAINT)
    make_conversation(account, QUESTION, handle="@max@example.social", name="Max")
    sign_in(page, "alice@example.com", "alice-pass-123")
    page.goto(f"/w/{workspace_a.slug}/inbox/")
    page.keyboard.press("?")
    expect(page.locator("#inbox-help")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#inbox-help")).to_be_hidden()
    rows = page.locator("[data-inbox-row]")
    page.locator("h1").click()
    page.keyboard.press("j")
    expect(rows.nth(0)).to_have_class(re.compile("inbox-current"))
    page.keyboard.press("j")
    expect(rows.nth(1)).to_have_class(re.compile("inbox-current"))
    page.keyboard.press("k")
    expect(rows.nth(0)).to_have_class(re.compile("inbox-current"))
    page.keyboard.press("o")
    expect(page.get_by_role("heading", name="Max")).to_be_visible()
    # The heading shows while the page is still loading; the shortcuts' script (deferred)
    # listens only from the end of parsing, so wait for the page to finish loading.
    page.wait_for_load_state("load")
    page.keyboard.press("r")
    expect(page.locator("[data-reply-box]")).to_be_focused()
    page.log.assert_clean()
