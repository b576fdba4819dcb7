"""The demo shows the composer offering a copy of a picture a network would refuse: a PNG
sticker for Instagram (German brand), a 2.6 MB PNG photo for Bluesky (English brand)."""

import pytest
from django.urls import reverse

from townsquare.content.models import Post
from townsquare.demo.accounts import seed_accounts
from townsquare.demo.composer import DRAFTS, seed_composer
from townsquare.demo.people import seed_people
from townsquare.media.models import MediaAsset

pytestmark = pytest.mark.django_db


def test_the_demo_drafts_offer_a_copy_that_fits_and_nothing_is_converted(
    client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    user, workspaces = seed_people("demo-pass-123456")
    seed_accounts(workspaces)
    seed_composer(workspaces)
    seed_composer(workspaces)  # twice: nothing is added twice
    assert MediaAsset.objects.count() == 2 and Post.objects.count() == 2
    assert set(MediaAsset.objects.values_list("mime_type", flat=True)) == {"image/png"}

    client.force_login(user)
    for workspace, network in (
        ("Morgenrot Kaffeerösterei", "instagram"),
        ("Northwind Outdoor", "bluesky"),
    ):
        space = next(w for w in workspaces if w.name == workspace)
        post = Post.objects.get(workspace=space, master_text=DRAFTS[space.language].text)
        variant = post.variants.get(account__network=network)
        assert variant.has_errors, f"{network} would refuse the picture as it is"
        page = client.get(reverse("content_post", args=[space.slug, post.pk])).content.decode()
        asset = post.attachments.get().asset
        assert f'name="convert" value="{asset.pk}:{variant.account_id}"' in page
