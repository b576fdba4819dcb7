"""Scheduling in the real composer: one press of Schedule saves and schedules, the post then
says when it goes out, a time in the past is refused with a clear message, and the whole
composer speaks German to a German user, without codes or English left over."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from townsquare.content.models import Post
from townsquare.networks.models import SocialAccount
from townsquare.publishing.models import Publication
from townsquare.publishing.schedule import utc_to_local
from townsquare.ui.tests.test_translations import PO_FILE, read_po

pytestmark = pytest.mark.browser

MESSAGE = "Ab Freitag rösten wir wieder samstags: kommen Sie vorbei und schauen Sie zu."
FRIDAY = "2031-12-12T09:00"


@pytest.fixture
def mastodon(workspace_a):
    return SocialAccount.objects.create(
        workspace=workspace_a, network="mastodon", handle="@alpha@social.example"
    )


def write(page, workspace):
    page.goto(f"/w/{workspace.slug}/compose/")
    page.locator("#master-text").fill(MESSAGE)
    page.get_by_role("checkbox", name="Mastodon").check()
    expect(page.locator("#previews article.preview")).to_have_count(1)


def test_schedule_saves_and_schedules_in_one_step_and_the_post_says_when(
    page, sign_in, alice, workspace_a, mastodon, tmp_path
):
    sign_in(page, "alice@example.com", "alice-pass-123")
    write(page, workspace_a)
    expect(page.get_by_text("Time in Europe/Berlin")).to_be_visible()
    page.get_by_label("Publish at").fill(FRIDAY)
    page.get_by_role("button", name="Schedule", exact=True).click()

    title = "Scheduled for Fri 12 Dec 2031, 09:00 (Europe/Berlin)"
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page).to_have_title(re.compile(re.escape(title)))
    expect(page.get_by_label("Publish at")).to_have_value(FRIDAY)
    (pub,) = Publication.objects.filter(post=Post.objects.get())
    assert pub.status == "scheduled" and pub.local_due == FRIDAY
    page.screenshot(path=tmp_path / "scheduled.png", full_page=True)
    page.log.assert_clean()


def test_a_time_in_the_past_is_refused_in_the_form_with_a_clear_message(
    page, sign_in, alice, workspace_a, mastodon
):
    sign_in(page, "alice@example.com", "alice-pass-123")
    before = utc_to_local(timezone.now(), "Europe/Berlin").strftime("%Y-%m-%dT%H:%M")
    write(page, workspace_a)
    after = utc_to_local(timezone.now(), "Europe/Berlin").strftime("%Y-%m-%dT%H:%M")
    when = page.get_by_label("Publish at")
    assert when.get_attribute("min") in (before, after), "the minimum is now, in Berlin"
    past = utc_to_local(timezone.now() - timedelta(days=1), "Europe/Berlin")
    when.fill(past.strftime("%Y-%m-%dT%H:%M"))

    # The browser refuses it before sending...
    page.get_by_role("button", name="Schedule", exact=True).click()
    assert when.evaluate("field => !field.validity.valid && field.validationMessage !== ''")
    assert "/posts/" not in page.url and not Post.objects.exists()

    # ...and the form says why when a browser sends it anyway.
    page.locator("#compose-form").evaluate("form => { form.noValidate = true; }")
    page.get_by_role("button", name="Schedule", exact=True).click()
    error = page.locator(".when-field [role=alert]")
    expect(error).to_contain_text("has already passed in Europe/Berlin")
    expect(error).to_contain_text("or press Publish now")
    expect(page.locator("#master-text")).to_have_value(MESSAGE)
    assert not Post.objects.exists()


def english_left_over(text: str) -> list[str]:
    """Interface texts of the German catalogue that appear in English in `text`."""
    found = []
    for entry in read_po(PO_FILE):
        english, german = entry.msgid, entry.msgstr.get(0, "")
        if entry.msgid_plural or "%" in english or "{" in english or english == german:
            continue
        words = english.split()
        if len(words) < 2 and len(english) < 6:
            continue  # single short words ("Link", "Post") are the same in German or names
        if re.search(rf"(?<![\w@/.-]){re.escape(english)}(?![\w-])", text):
            found.append(english)
    return found


def test_the_composer_speaks_german_without_codes_or_english_left_over(
    page, sign_in, alice, workspace_a
):
    alice.language = "de"
    alice.save()
    for network, handle in (
        ("instagram", "alpha.kaffee"),
        ("matrix_room", "#alpha:matrix.example"),
        ("linkedin_page", "Alpha GmbH"),
    ):
        SocialAccount.objects.create(workspace=workspace_a, network=network, handle=handle)
    sign_in(page, "alice@example.com", "alice-pass-123")
    page.goto(f"/w/{workspace_a.slug}/compose/")
    page.locator("#master-text").fill(MESSAGE + " https://alpha.example/samstag")
    for account in page.locator("input[name=accounts]").all():
        account.check()
    expect(page.locator("#previews article.preview")).to_have_count(3)
    expect(page.locator("article.preview-instagram")).to_contain_text(
        "Instagram braucht mindestens ein Bild oder Video"
    )

    main = page.locator("main").inner_text()
    assert english_left_over(main) == []
    assert "Matrix-Raum" in main and "LinkedIn (Seite)" in main
    assert "Zeit in Europe/Berlin" in main
    visible_codes = re.findall(r"(?<![\w@#/.:-])[a-z]+_[a-z_]+(?![\w/.-])", main)
    assert visible_codes == [], "problem codes are shown as their messages"
    page.log.assert_clean()
