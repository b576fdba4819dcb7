import json

import pytest
from django.core.files.base import ContentFile

from townsquare.content.actions import PostInput, do_save_post
from townsquare.lib.errors import ActionError
from townsquare.media.actions import do_upload_media
from townsquare.media.tests.samples import noisy_jpeg
from townsquare.networks.models import SocialAccount

pytestmark = pytest.mark.django_db


@pytest.fixture
def instagram(workspace_a):
    return SocialAccount.objects.create(
        workspace=workspace_a, network="instagram", handle="alpha.kaffee"
    )


def upload(membership, alt=""):
    asset, _created = do_upload_media(
        membership, ContentFile(noisy_jpeg((1080, 1350)), name="roast.jpg"), alt_text=alt
    )
    return asset


def errors(variant):
    return {p["code"] for p in variant.problems if p["severity"] == "error"}


def test_an_image_satisfies_instagram_and_is_counted_as_used(membership, instagram):
    asset = upload(membership, alt="Geröstete Bohnen in einer Schale")
    post = do_save_post(
        membership, PostInput(text="Neue Röstung!", media_ids=(asset.pk,)), [instagram.pk]
    )
    assert errors(post.variants.get()) == set()
    asset.refresh_from_db()
    assert asset.usage_count == 1
    do_save_post(membership, PostInput(text="Neue Röstung!"), [instagram.pk], post=post)
    asset.refresh_from_db()
    assert asset.usage_count == 0
    assert errors(post.variants.get()) == {"media_required"}


def test_missing_alt_text_is_pointed_out(membership, instagram):
    asset = upload(membership)
    post = do_save_post(
        membership, PostInput(text="Bild ohne Beschreibung", media_ids=(asset.pk,)), [instagram.pk]
    )
    codes = {p["code"] for p in post.variants.get().problems}
    assert "alt_text_missing" in codes


def test_media_of_another_workspace_cannot_be_attached(membership, instagram, carol, workspace_b):
    from townsquare.workspaces.models import Membership

    foreign = upload(Membership.objects.get(user=carol, workspace=workspace_b))
    with pytest.raises(ActionError) as raised:
        do_save_post(membership, PostInput(text="x", media_ids=(foreign.pk,)), [instagram.pk])
    assert raised.value.code == "unknown_media"


def test_the_api_and_the_composer_take_media(alice_client, membership, workspace_a, instagram):
    asset = upload(membership, alt="Bohnen")
    body = {"text": "Mit Bild", "accounts": [instagram.pk], "media": [asset.pk]}
    created = alice_client.post(
        f"/api/v1/workspaces/{workspace_a.slug}/posts",
        json.dumps(body),
        content_type="application/json",
    )
    assert created.status_code == 201
    assert not [p for p in created.json()["variants"][0]["problems"] if p["severity"] == "error"]
    page = alice_client.get(f"/w/{workspace_a.slug}/compose/").content.decode()
    assert f'name="media" value="{asset.pk}"' in page
