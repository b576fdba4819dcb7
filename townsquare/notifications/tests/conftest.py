import pytest
from django.contrib.auth import get_user_model

from townsquare.content.models import Post, Variant
from townsquare.networks.models import SocialAccount
from townsquare.publishing.models import Publication
from townsquare.workspaces.models import Membership


@pytest.fixture
def people(workspace_a, alice, bob):
    """alice owns A, bob edits it and wrote the post, dave manages, erin only views."""
    users = get_user_model().objects
    dave = users.create_user("dave@example.com", "dave-pass-123", name="Dave", language="de")
    erin = users.create_user("erin@example.com", "erin-pass-123", name="Erin")
    Membership.objects.create(workspace=workspace_a, user=dave, role="manager")
    Membership.objects.create(workspace=workspace_a, user=erin, role="viewer")
    return {"alice": alice, "bob": bob, "dave": dave, "erin": erin}


@pytest.fixture
def failed_publication(workspace_a, people):
    account = SocialAccount.objects.create(
        workspace=workspace_a, network="mastodon", handle="@kaffee"
    )
    post = Post.objects.create(
        workspace=workspace_a,
        master_text="Unser neuer Röstkaffee ist da.",
        language="de",
        created_by=people["bob"],
    )
    variant = Variant.objects.create(post=post, account=account, text="x", parts=["x"])
    return Publication.objects.create(
        workspace=workspace_a,
        post=post,
        variant=variant,
        account=account,
        status="failed",
        error_code="rejected",
        error_message="Text too long for this instance.",
    )
