"""Which posts use a media file: a file a post uses cannot be deleted from under it.

A post keeps its pictures and videos by reference, so deleting one would change what a
draft or a scheduled post sends. The person is told which posts use the file, to remove it
from them first.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.utils.translation import ngettext

from townsquare.lib.errors import ActionError
from townsquare.media.models import MediaAsset

NAMED_AT_MOST = 5


def posts_using(asset: MediaAsset) -> list[Any]:
    """The posts that use the file, newest first."""
    post_model = apps.get_model("content", "Post")
    return list(
        post_model.objects.filter(
            workspace_id=asset.workspace_id, attachments__asset=asset
        ).distinct()
    )


def refuse_if_in_use(asset: MediaAsset) -> None:
    posts = posts_using(asset)
    if not posts:
        return
    names = ", ".join(f'"{post}"' for post in posts[:NAMED_AT_MOST])
    more = len(posts) - NAMED_AT_MOST
    if more > 0:
        names += " " + ngettext("and one more", "and %(count)s more", more) % {"count": more}
    message = ngettext(
        "This file is used in the post %(posts)s. Remove it from the post first.",
        "This file is used in %(count)s posts: %(posts)s. Remove it from these posts first.",
        len(posts),
    ) % {"count": len(posts), "posts": names}
    raise ActionError(message, code="in_use", status=409)
