"""The delete button of the post page says what it does: a draft is deleted; a scheduled
post is cancelled and deleted (it will not go out); a published one stays on the networks."""

from __future__ import annotations

import pytest
from django.urls import reverse

from townsquare.content.models import Post, Variant
from townsquare.networks.models import SocialAccount
from townsquare.publishing.models import Publication

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(workspace_a, alice):
    return Post.objects.create(workspace=workspace_a, master_text="Hallo", created_by=alice)


def with_publication(post, status):
    account = SocialAccount.objects.create(workspace=post.workspace, network="bluesky", handle="@a")
    variant = Variant.objects.create(post=post, account=account, text="Hallo", parts=["Hallo"])
    Publication.objects.create(
        workspace=post.workspace, post=post, variant=variant, account=account, status=status
    )


def delete_form(client, post) -> str:
    html = client.get(reverse("content_post", args=[post.workspace.slug, post.pk])).content
    return html.decode().split('class="danger-zone"')[1].split("</form>")[0]


def test_a_draft_is_deleted_as_a_draft(alice_client, post):
    assert "Delete draft" in delete_form(alice_client, post)
    response = alice_client.post(
        reverse("content_post_delete", args=[post.workspace.slug, post.pk]), follow=True
    )
    assert "Draft deleted." in response.content.decode()


def test_a_scheduled_post_says_it_will_be_cancelled_and_not_published(alice_client, post):
    with_publication(post, "scheduled")
    form = delete_form(alice_client, post)
    assert "Delete draft" not in form
    assert "Cancel and delete the post" in form and "It will not be published" in form
    response = alice_client.post(
        reverse("content_post_delete", args=[post.workspace.slug, post.pk]), follow=True
    )
    assert "Post deleted." in response.content.decode()
    assert not Publication.objects.exists()


def test_a_published_post_says_it_stays_on_the_networks(alice_client, post):
    with_publication(post, "published")
    form = delete_form(alice_client, post)
    assert "Delete from Townsquare" in form and "stays on the networks" in form
