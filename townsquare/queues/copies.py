"""Copies of a post that Townsquare makes itself: a series' further occurrences and the
reposts of an evergreen post."""

from __future__ import annotations

from typing import Any

from townsquare.content.models import Post, PostMedia, Variant
from townsquare.workspaces.models import Membership

COPIED_VARIANT_FIELDS = (
    "text",
    "parts",
    "content_warning",
    "edited_by_hand",
    "adapted_from",
    "changes",
    "warnings",
    "problems",
    "link_card_url",
)


def copy_post(membership: Membership | None, post: Post, author: Any = None) -> Post:
    """A new draft with the post's text, plan fields, variants and media."""
    from townsquare.media.actions import do_record_usage

    copy = Post.objects.create(
        workspace=post.workspace,
        master_text=post.master_text,
        language=post.language,
        link_url=post.link_url,
        hashtags=list(post.hashtags),
        hashtag_sets=list(post.hashtag_sets),
        content_warning=post.content_warning,
        campaign_id=post.campaign_id,
        pillar_id=post.pillar_id,
        audience_id=post.audience_id,
        created_by=author if author is not None else post.created_by,
    )
    for variant in post.variants.filter(account__removed_at=None):
        Variant.objects.create(
            post=copy,
            account_id=variant.account_id,
            **{name: getattr(variant, name) for name in COPIED_VARIANT_FIELDS},
        )
    for attachment in post.attachments.select_related("asset"):
        PostMedia.objects.create(post=copy, asset=attachment.asset, position=attachment.position)
        do_record_usage(membership, attachment.asset, delta=1)
    # With approvals on, a copy that says exactly what was approved is approved too;
    # anything else goes through review like any post.
    from townsquare.approvals.review_actions import inherit_approval

    inherit_approval(post, copy)
    return copy
