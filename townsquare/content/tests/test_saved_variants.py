"""Saved variants are checked as they will be sent, against the rules in force now: a hand
edit over the limit, a text too long for a thread, a limit lowered since saving."""

from __future__ import annotations

import pytest

from townsquare.content.actions import PostInput, do_edit_variant, do_save_post
from townsquare.content.service import validate_saved_variant
from townsquare.lib.errors import ActionError
from townsquare.networks.models import SocialAccount
from townsquare.publishing.actions import do_schedule_post

pytestmark = pytest.mark.django_db

SENTENCE = "Wir rösten jeden Morgen frisch in Leipzig, und Sie schmecken den Unterschied. "


def account(workspace, network, **fields):
    return SocialAccount.objects.create(
        workspace=workspace, network=network, handle=f"@{network}", **fields
    )


def errors(problems):
    return [p for p in problems if p["severity"] == "error"]


def test_a_hand_edit_over_the_limit_is_an_error_and_cannot_be_scheduled(membership, workspace_a):
    mastodon = account(workspace_a, "mastodon")
    post = do_save_post(membership, PostInput(text="Kurz."), [mastodon.pk])

    variant = do_edit_variant(membership, post.variants.get(), "a" * 649)

    (error,) = errors(variant.problems)
    assert error["code"] == "text_too_long" and error["span"] == [500, 649]
    assert "649" in error["message_en"] and "500" in error["message_en"]
    assert variant.has_errors
    with pytest.raises(ActionError) as refused:
        do_schedule_post(membership, post, None)
    assert refused.value.code == "variants_invalid"


def test_a_saved_variant_is_checked_against_the_limit_in_force_now(membership, workspace_a):
    mastodon = account(workspace_a, "mastodon", reported_limits={"text_max": 1000})
    post = do_save_post(membership, PostInput(text="a" * 649), [mastodon.pk])
    variant = post.variants.get()
    assert not variant.has_errors, "the instance allowed 1000 when the post was saved"

    mastodon.reported_limits = {"text_max": 500}
    mastodon.save()

    problems = validate_saved_variant(variant)
    assert [p.code for p in problems if p.is_error] == ["text_too_long"]
    assert "Mastodon allows 500" in problems[0].message_en


def test_a_hand_edit_is_checked_with_the_posts_link_like_the_post_that_is_sent(
    membership, workspace_a
):
    instagram = account(workspace_a, "instagram")
    data = PostInput(text="Neue Bohnen.", link_url="https://morgenrot.example/herbst")
    post = do_save_post(membership, data, [instagram.pk])

    variant = do_edit_variant(membership, post.variants.get(), "Neue Bohnen, Link in der Bio.")

    assert "link_in_bio" in {p["code"] for p in variant.problems}


def test_a_text_too_long_for_a_thread_is_an_error_that_blocks_scheduling(membership, workspace_a):
    x = account(workspace_a, "x")
    text = (SENTENCE * 1300)[:100_000]
    post = do_save_post(membership, PostInput(text=text), [x.pk])

    variant = post.variants.get()
    assert len(variant.parts) > 25, "the whole text is kept, nothing is cut away unseen"
    (error,) = errors(variant.problems)
    assert error["code"] == "thread_too_many_parts"
    assert error["message_en"] == (
        f"Too long for a thread on X: {len(variant.parts)} parts, at most 25. Shorten the text."
    )
    assert error["message_de"].endswith("höchstens 25. Kürzen Sie den Text.")
    with pytest.raises(ActionError):
        do_schedule_post(membership, post, None)


def test_a_thread_within_the_limit_is_ready(membership, workspace_a):
    x = account(workspace_a, "x")
    post = do_save_post(membership, PostInput(text=SENTENCE * 20), [x.pk])

    variant = post.variants.get()
    assert 1 < len(variant.parts) <= 25
    assert errors(variant.problems) == []
