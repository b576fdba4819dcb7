"""A post whose outcome is unknown stays as it was sent until a person settles it:
reconciliation looks for the text that went out, so no edit path may change it."""

import pytest

from townsquare.content.actions import (
    PostInput,
    do_delete_post,
    do_edit_variant,
    do_reset_variant,
    do_save_post,
)
from townsquare.lib.errors import ActionError
from townsquare.publishing.actions import do_schedule_post, do_settle_unknown
from townsquare.publishing.models import Publication

pytestmark = pytest.mark.django_db


@pytest.fixture
def unknown_post(membership, make_post):
    post = make_post("So ging es hinaus.")
    do_schedule_post(membership, post, None)
    Publication.objects.update(status="unknown", needs_person=True)
    return post


@pytest.mark.parametrize("edit", ["save", "edit_variant", "reset_variant", "delete"])
def test_a_post_whose_outcome_is_unknown_cannot_be_changed(
    membership, unknown_post, testnet_account, edit
):
    variant = unknown_post.variants.get()
    change = {
        "save": lambda: do_save_post(
            membership, PostInput(text="Anders."), [testnet_account.pk], unknown_post
        ),
        "edit_variant": lambda: do_edit_variant(membership, variant, "Anders."),
        "reset_variant": lambda: do_reset_variant(membership, variant),
        "delete": lambda: do_delete_post(membership, unknown_post),
    }[edit]
    with pytest.raises(ActionError) as refused:
        change()
    assert (refused.value.code, refused.value.status) == ("outcome_unknown", 409)
    assert "network" in refused.value.message
    variant.refresh_from_db()
    assert variant.text == "So ging es hinaus."


def test_the_api_refuses_to_edit_a_post_whose_outcome_is_unknown(
    alice_client, workspace_a, unknown_post
):
    variant = unknown_post.variants.get()
    path = f"/api/v1/workspaces/{workspace_a.slug}/variants/{variant.pk}"
    response = alice_client.put(path, {"text": "Anders."}, content_type="application/json")
    assert response.status_code == 409, response.content
    assert response.json()["error"]["code"] == "outcome_unknown"


def test_once_settled_the_post_can_be_changed_again(membership, unknown_post):
    do_settle_unknown(membership, Publication.objects.get(), published=False)
    variant = do_edit_variant(membership, unknown_post.variants.get(), "Anders.")
    assert variant.text == "Anders."
