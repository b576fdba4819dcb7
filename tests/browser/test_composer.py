"""Composing in the real UI: one message, three networks, three correct previews."""

import pytest
from playwright.sync_api import expect

from townsquare.networks.models import SocialAccount

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MESSAGE = (
    "Ab heute gibt es unsere Herbströstung in allen Filialen. Sie ist kräftig, schokoladig und "
    "passt perfekt zu einem langen Sonntagsfrühstück. Wir haben sie drei Monate mit unseren "
    "Baristas getestet und viele Rückmeldungen eingearbeitet. Diese Woche gibt es sie zum "
    "Einführungspreis, solange der Vorrat reicht. Mehr dazu: "
    "https://alpha.example/herbst"
)


def test_a_post_is_composed_for_three_networks_with_a_correct_preview_each(
    page, sign_in, alice, workspace_a
):
    for network, handle in (
        ("bluesky", "@alpha.bsky.social"),
        ("x", "@AlphaKaffee"),
        ("instagram", "alpha.kaffee"),
    ):
        SocialAccount.objects.create(workspace=workspace_a, network=network, handle=handle)
    sign_in(page, "alice@example.com", "alice-pass-123")
    page.goto(f"/w/{workspace_a.slug}/compose/")
    page.get_by_label("Message").fill(MESSAGE)
    page.get_by_label("Language").select_option("de")
    for name in ("Bluesky", "X ·", "Instagram"):
        page.get_by_role("checkbox", name=name).check()

    previews = page.locator("#previews article.preview")
    expect(previews).to_have_count(3)  # the live preview arrived without a page load
    bluesky = page.locator("article.preview-bluesky")
    x = page.locator("article.preview-x")
    instagram = page.locator("article.preview-instagram")
    # Bluesky: 300 graphemes, so a numbered thread with a link card.
    expect(bluesky.locator(".post-part")).to_have_count(2)
    expect(bluesky).to_contain_text("1/2")
    expect(bluesky).to_contain_text("Link card: https://alpha.example/herbst")
    # X: the URL weighs 23, so the whole text fits the 280 limit in one post or a thread.
    expect(x.locator(".count").first).to_contain_text("/ 280")
    # Instagram: the link cannot be clicked there, so it is replaced, and a picture is needed.
    expect(instagram.locator(".post-text")).not_to_contain_text("https://alpha.example")
    expect(instagram.locator(".post-text")).to_contain_text("Link in der Bio")
    expect(instagram.locator(".problem-error")).to_contain_text(
        "Instagram needs at least one image or video"
    )

    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Draft")
    expect(page.locator("article.preview")).to_have_count(3)
    page.log.assert_clean()


def test_the_composer_is_usable_with_the_keyboard_alone(
    page, sign_in, alice, workspace_a, unlabelled_controls
):
    SocialAccount.objects.create(
        workspace=workspace_a, network="mastodon", handle="@alpha@social.example"
    )
    sign_in(page, "alice@example.com", "alice-pass-123")
    page.goto(f"/w/{workspace_a.slug}/compose/")
    page.get_by_label("Message").focus()
    page.keyboard.type("Hallo vom Tastatur-Test!")
    checkbox = page.get_by_role("checkbox", name="Mastodon")
    checkbox.focus()
    page.keyboard.press("Space")
    expect(page.locator("article.preview-mastodon")).to_contain_text("Hallo vom Tastatur-Test!")
    page.get_by_role("button", name="Save draft").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Draft")
    assert unlabelled_controls(page) == []
