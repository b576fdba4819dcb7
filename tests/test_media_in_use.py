"""A media file that a post uses cannot be deleted from under the post: the API answers 409
and the library's delete page says which posts use it, instead of a server error."""

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from townsquare.api.actions import do_create_api_token
from townsquare.content.actions import PostInput, do_save_post
from townsquare.media.actions import do_upload_media
from townsquare.media.models import MediaAsset
from townsquare.media.tests.samples import png
from townsquare.networks.models import SocialAccount

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def used_picture(membership, workspace_a):
    account = SocialAccount.objects.create(
        workspace=workspace_a, network="mastodon", handle="@alpha@social.example"
    )
    asset, _created = do_upload_media(membership, ContentFile(png(), name="bohnen.png"))
    do_save_post(
        membership,
        PostInput(text="Frische Bohnen aus Huila", media_ids=(asset.pk,)),
        [account.pk],
    )
    return asset


def test_deleting_a_picture_a_post_uses_is_a_409_naming_the_post(alice, workspace_a, used_picture):
    _token, raw = do_create_api_token(alice, name="t", workspace_slugs=[workspace_a.slug])

    response = Client().delete(
        f"/api/v1/workspaces/{workspace_a.slug}/media/{used_picture.pk}",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )

    assert response.status_code == 409, response.content
    error = response.json()["error"]
    assert error["code"] == "in_use"
    assert "Frische Bohnen aus Huila" in error["message"]
    assert MediaAsset.objects.filter(pk=used_picture.pk).exists()


def test_the_delete_page_names_the_posts_using_the_picture_and_offers_no_dead_end(
    alice_client, workspace_a, used_picture
):
    url = reverse("media_delete", args=[workspace_a.slug, used_picture.pk])

    page = alice_client.get(url)

    assert page.status_code == 200
    text = page.content.decode()
    assert "Frische Bohnen aus Huila" in text
    assert "Delete for good" not in text  # the button that could only fail is not offered


def test_deleting_a_used_picture_in_the_library_shows_why_instead_of_a_server_error(
    alice_client, workspace_a, used_picture
):
    url = reverse("media_delete", args=[workspace_a.slug, used_picture.pk])

    response = alice_client.post(url)

    assert response.status_code == 409
    assert "Frische Bohnen aus Huila" in response.content.decode()
    assert MediaAsset.objects.filter(pk=used_picture.pk).exists()


def test_an_unused_picture_is_still_deleted(alice_client, membership, workspace_a):
    asset, _created = do_upload_media(membership, ContentFile(png(), name="frei.png"))
    url = reverse("media_delete", args=[workspace_a.slug, asset.pk])

    assert "Delete for good" in alice_client.get(url).content.decode()
    response = alice_client.post(url)

    assert response.status_code == 302
    assert not MediaAsset.objects.filter(pk=asset.pk).exists()
