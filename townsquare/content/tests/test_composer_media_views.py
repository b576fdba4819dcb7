"""Pictures in the composer: each network's preview shows them with their alt text and within
its limits; a file is added with its alt text without leaving the composer; a picture a
network refuses is converted only when the person asks, and the copy is attached."""

import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from townsquare.content.models import Post
from townsquare.media.actions import do_upload_media
from townsquare.media.models import MediaAsset
from townsquare.media.processing import UploadLimits
from townsquare.media.tests import samples
from townsquare.networks.models import SocialAccount

pytestmark = pytest.mark.django_db

TEXT = "Samstag ist Herbstaktion: zwei Tassen Filterkaffee zum Preis von einer."


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def bluesky(workspace_a):
    return SocialAccount.objects.create(workspace=workspace_a, network="bluesky", handle="@a")


@pytest.fixture
def instagram(workspace_a):
    return SocialAccount.objects.create(workspace=workspace_a, network="instagram", handle="a.k")


def picture(membership, n=0, alt="", data=None, name=None):
    data = data or samples.png(size=(64 + n, 48), colour=(10 * n % 255, 90, 40))
    asset, _created = do_upload_media(
        membership, ContentFile(data, name=name or f"bild-{n}.png"), alt_text=alt
    )
    return asset


def form(accounts, media=(), **extra):
    return {
        "text": TEXT,
        "language": "de",
        "accounts": [str(a.pk) for a in accounts],
        "media": [str(m.pk) for m in media],
        **extra,
    }


def card(html, network):
    match = re.search(rf'<article class="preview preview-{network}".*?</article>', html, re.S)
    assert match, f"no {network} card"
    return match.group(0)


def test_each_preview_shows_the_pictures_its_network_would_show_with_their_alt_text(
    alice_client, membership, workspace_a, bluesky, instagram
):
    pictures = [picture(membership, n, alt=f"Tasse Nummer {n}") for n in range(5)]
    html = alice_client.post(
        f"/w/{workspace_a.slug}/compose/preview/", form([bluesky, instagram], pictures)
    ).content.decode()
    bluesky_card, instagram_card = card(html, "bluesky"), card(html, "instagram")
    # Bluesky shows four pictures at most; Instagram's carousel takes all five.
    assert bluesky_card.count("<img ") == 4 and "1 more file is not shown" in bluesky_card
    assert instagram_card.count("<img ") == 5 and "not shown" not in instagram_card
    for n in range(4):
        assert f'alt="Tasse Nummer {n}"' in bluesky_card
        assert f"/media/{pictures[n].pk}/thumbnail/" in bluesky_card
    assert "Tasse Nummer 4" not in bluesky_card
    assert "preview-media-carousel" in instagram_card and "5/5" in instagram_card


def test_a_picture_without_alt_text_is_pointed_out_in_the_preview(
    alice_client, membership, workspace_a, bluesky
):
    html = alice_client.post(
        f"/w/{workspace_a.slug}/compose/preview/", form([bluesky], [picture(membership)])
    ).content.decode()
    assert "No alt text: people who cannot see the picture learn nothing from it." in html


def test_the_saved_post_shows_its_pictures_in_every_card(
    alice_client, membership, workspace_a, bluesky
):
    asset = picture(membership, alt="Sticker zur Herbstaktion")
    response = alice_client.post(
        f"/w/{workspace_a.slug}/compose/", form([bluesky], [asset], action="save")
    )
    page = alice_client.get(response["Location"]).content.decode()
    assert 'alt="Sticker zur Herbstaktion"' in card(page, "bluesky")


def test_a_file_is_added_with_its_alt_text_from_the_composer_and_attached(
    alice_client, membership, workspace_a, bluesky
):
    earlier = picture(membership, 1, alt="Die erste Tasse")
    upload = SimpleUploadedFile("sticker.png", samples.transparent_png(), "image/png")
    response = alice_client.post(
        f"/w/{workspace_a.slug}/compose/",
        form(
            [bluesky],
            [earlier],
            action="upload",
            upload=upload,
            upload_alt="Blaues Rechteck auf durchsichtigem Grund",
            hashtags="#Kaffee",
        ),
    )
    html = response.content.decode()
    added = MediaAsset.objects.get(original_name="sticker.png")
    assert added.alt_text == "Blaues Rechteck auf durchsichtigem Grund"
    assert response.status_code == 200 and not Post.objects.exists(), "nothing saved yet"
    assert re.search(rf'value="{added.pk}"\s+checked', html), "the new file is attached"
    assert re.search(rf'value="{earlier.pk}"\s+checked', html), "the earlier one stays"
    assert TEXT in html and 'value="#Kaffee"' in html, "what was typed is kept"
    assert "sticker.png is attached." in html
    assert "Not saved yet" in html


def test_adding_a_file_with_htmx_answers_with_the_picker_alone(
    alice_client, membership, workspace_a, bluesky
):
    upload = SimpleUploadedFile("sticker.png", samples.transparent_png(), "image/png")
    response = alice_client.post(
        f"/w/{workspace_a.slug}/compose/",
        form([bluesky], action="upload", upload=upload, upload_alt="Sticker"),
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<fieldset>" in html and "<html" not in html and 'name="text"' not in html
    added = MediaAsset.objects.get(original_name="sticker.png")
    assert re.search(rf'value="{added.pk}"\s+checked', html)


def test_a_file_of_the_wrong_type_is_refused_in_place_and_nothing_typed_is_lost(
    alice_client, workspace_a, bluesky
):
    upload = SimpleUploadedFile("notes.txt", b"Just some text, not a picture at all." * 3)
    response = alice_client.post(
        f"/w/{workspace_a.slug}/compose/",
        form([bluesky], action="upload", upload=upload, upload_alt="Mein Alternativtext"),
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200, "htmx swaps the picker with the error in it"
    assert 'role="alert">notes.txt: ' in html
    assert "Mein Alternativtext" in html, "the alt text typed is kept"
    assert not MediaAsset.objects.exists() and not Post.objects.exists()


def test_a_file_too_large_is_refused_in_place_with_the_limit(
    alice_client, workspace_a, bluesky, monkeypatch
):
    monkeypatch.setattr(
        "townsquare.content.composer_media.UPLOAD_LIMITS", UploadLimits(max_image_bytes=1000)
    )
    upload = SimpleUploadedFile("big.jpg", samples.noisy_jpeg(size=(200, 200)), "image/jpeg")
    response = alice_client.post(
        f"/w/{workspace_a.slug}/compose/",
        form([bluesky], action="save", upload=upload, upload_alt="Ein großes Foto"),
    )
    html = response.content.decode()
    assert "big.jpg: This image is" in html and "images may be at most 1 KB" in html
    assert TEXT in html and "Ein großes Foto" in html
    assert not Post.objects.exists(), "a failed upload does not save the post without it"
    assert not MediaAsset.objects.exists()


def test_a_chosen_file_is_added_when_the_draft_is_saved_too(alice_client, workspace_a, bluesky):
    upload = SimpleUploadedFile("sticker.png", samples.transparent_png(), "image/png")
    alice_client.post(
        f"/w/{workspace_a.slug}/compose/",
        form([bluesky], action="save", upload=upload, upload_alt="Sticker"),
    )
    post = Post.objects.get()
    assert [a.asset.original_name for a in post.attachments.all()] == ["sticker.png"]


def test_instagram_offers_a_jpeg_copy_of_a_png_and_nothing_is_converted_unasked(
    alice_client, membership, workspace_a, bluesky, instagram
):
    png = picture(membership, alt="Sticker")
    html = alice_client.post(
        f"/w/{workspace_a.slug}/compose/preview/", form([bluesky, instagram], [png])
    ).content.decode()
    assert "Convert to JPEG for Instagram" in card(html, "instagram")
    assert "Convert to" not in card(html, "bluesky"), "Bluesky takes PNG"
    alice_client.post(
        f"/w/{workspace_a.slug}/compose/", form([bluesky, instagram], [png], action="save")
    )
    assert MediaAsset.objects.count() == 1, "saving never converts"


def test_converting_attaches_the_jpeg_copy_in_place_of_the_png_and_says_what_was_done(
    alice_client, membership, workspace_a, bluesky, instagram
):
    first = picture(membership, 1, alt="Tasse", data=samples.noisy_jpeg((120, 90)), name="t.jpg")
    png = picture(membership, 2, alt="Sticker", data=samples.transparent_png(), name="s.png")
    response = alice_client.post(
        f"/w/{workspace_a.slug}/compose/",
        form([bluesky, instagram], [png, first], convert=f"{png.pk}:{instagram.pk}"),
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    copy = MediaAsset.objects.get(original_name="s (Instagram).jpg")
    assert copy.mime_type == "image/jpeg" and copy.alt_text == "Sticker"
    assert re.search(rf'value="{copy.pk}"\s+checked', html)
    assert not re.search(rf'value="{png.pk}"\s+checked', html), "the PNG is no longer attached"
    assert "PNG became JPEG" in html and "transparent areas are white now" in html
    assert "the original stays in the media library" in html
    assert not Post.objects.exists(), "converting does not save the post"
    # The copy comes first, where the PNG was; the previews now have nothing to offer.
    preview = alice_client.post(
        f"/w/{workspace_a.slug}/compose/preview/", form([bluesky, instagram], [copy, first])
    ).content.decode()
    assert "Convert to" not in preview


def test_converting_a_picture_of_another_workspace_is_refused(
    alice_client, workspace_a, instagram, carol, workspace_b
):
    from townsquare.workspaces.models import Membership

    theirs = picture(Membership.objects.get(user=carol, workspace=workspace_b))
    response = alice_client.post(
        f"/w/{workspace_a.slug}/compose/",
        form([instagram], [], convert=f"{theirs.pk}:{instagram.pk}"),
    )
    assert "This picture is no longer in the media library." in response.content.decode()
    assert MediaAsset.objects.count() == 1
