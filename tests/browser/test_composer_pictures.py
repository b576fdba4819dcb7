"""Pictures in the real composer: a file is added with its alt text without leaving the page,
every network's preview shows it, a refused upload is explained in place, and a PNG that
Instagram would refuse is converted to JPEG only when the person asks."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from townsquare.content.models import Post
from townsquare.media.models import MediaAsset
from townsquare.media.tests import samples
from townsquare.networks.models import SocialAccount

pytestmark = pytest.mark.browser

MESSAGE = "Samstag ist Herbstaktion: zwei Tassen Filterkaffee zum Preis von einer."
ALT = "Orangefarbener Sticker „Herbstaktion“ auf durchsichtigem Grund"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def accounts(workspace_a):
    return [
        SocialAccount.objects.create(workspace=workspace_a, network=network, handle=handle)
        for network, handle in (("bluesky", "@alpha.bsky.social"), ("instagram", "alpha.kaffee"))
    ]


def open_composer(page, sign_in, workspace):
    sign_in(page, "alice@example.com", "alice-pass-123")
    page.goto(f"/w/{workspace.slug}/compose/")
    page.get_by_label("Message").fill(MESSAGE)
    page.get_by_role("checkbox", name="Bluesky").check()
    page.get_by_role("checkbox", name="Instagram").check()
    expect(page.locator("#previews article.preview")).to_have_count(2)


def test_a_png_is_added_with_alt_text_and_converted_to_jpeg_for_instagram_when_asked(
    page, sign_in, alice, workspace_a, accounts, tmp_path
):
    open_composer(page, sign_in, workspace_a)
    page.get_by_label("Add a picture or video").set_input_files(
        {"name": "sticker.png", "mimeType": "image/png", "buffer": samples.transparent_png()}
    )
    page.get_by_label("Alt text for it").fill(ALT)
    page.get_by_role("button", name="Add and attach").click()

    expect(page.locator("#compose-media .media-note")).to_contain_text("sticker.png is attached.")
    expect(page.get_by_label("Message")).to_have_value(MESSAGE)  # nothing typed is lost
    bluesky = page.locator("article.preview-bluesky")
    instagram = page.locator("article.preview-instagram")
    expect(bluesky.get_by_role("img", name=ALT)).to_be_visible()
    expect(bluesky).to_contain_text(ALT)
    expect(instagram.get_by_role("img", name=ALT)).to_be_visible()
    convert = instagram.get_by_role("button", name="Convert to JPEG for Instagram")
    expect(convert).to_be_visible()
    expect(bluesky.get_by_role("button", name=re.compile("^Convert"))).to_have_count(0)
    assert MediaAsset.objects.count() == 1, "nothing is converted before the person asks"
    page.screenshot(path=tmp_path / "offer.png", full_page=True)

    convert.click()
    note = page.locator("#compose-media .media-note")
    expect(note).to_contain_text("PNG became JPEG; transparent areas are white now")
    expect(note).to_contain_text("replaces the original in this post")
    expect(instagram.get_by_role("button", name=re.compile("^Convert"))).to_have_count(0)
    expect(instagram.get_by_role("img", name=ALT)).to_be_visible()
    copy = MediaAsset.objects.get(mime_type="image/jpeg")
    expect(page.locator(f'#compose-media input[name=media][value="{copy.pk}"]')).to_be_checked()
    expect(page.get_by_label("Message")).to_have_value(MESSAGE)

    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Draft")
    post = Post.objects.get()
    assert [a.asset_id for a in post.attachments.all()] == [copy.pk]
    assert not post.variants.get(account__network="instagram").has_errors
    expect(page.locator("article.preview-instagram").get_by_role("img", name=ALT)).to_be_visible()
    page.screenshot(path=tmp_path / "converted.png", full_page=True)
    page.log.assert_clean()


def test_a_refused_upload_is_explained_in_place_and_keeps_what_was_typed(
    page, sign_in, alice, workspace_a, accounts
):
    open_composer(page, sign_in, workspace_a)
    page.get_by_label("Add a picture or video").set_input_files(
        {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"not a picture " * 10}
    )
    page.get_by_label("Alt text for it").fill("Mein Alternativtext")
    page.get_by_role("button", name="Add and attach").click()

    error = page.locator("#compose-media [role=alert]")
    expect(error).to_contain_text("notes.txt: ")
    expect(error).to_contain_text("Townsquare accepts")
    expect(page.get_by_label("Alt text for it")).to_have_value("Mein Alternativtext")
    expect(page.get_by_label("Message")).to_have_value(MESSAGE)
    expect(page.get_by_role("checkbox", name="Instagram")).to_be_checked()
    assert not MediaAsset.objects.exists() and not Post.objects.exists()
    page.log.assert_clean()
