"""Tenant reads of posts, variants and writing aids."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet
from django.http import Http404

from townsquare.content.models import (
    Contact,
    HashtagSet,
    Post,
    PostTemplate,
    Snippet,
    Variant,
)
from townsquare.workspaces.models import Membership


def access_posts(membership: Membership) -> QuerySet[Post]:
    return Post.objects.filter(workspace=membership.workspace)


def access_post(membership: Membership, post_id: Any) -> Post:
    return _get(access_posts(membership), post_id)


def access_variant(membership: Membership, variant_id: Any) -> Variant:
    variants = Variant.objects.filter(post__workspace=membership.workspace).select_related(
        "post", "account"
    )
    return _get(variants, variant_id)


WRITING_AIDS: dict[str, type[Model]] = {
    "templates": PostTemplate,
    "snippets": Snippet,
    "hashtag-sets": HashtagSet,
    "contacts": Contact,
}


def access_writing_aids(membership: Membership, kind: str) -> QuerySet[Any]:
    if kind not in WRITING_AIDS:
        raise Http404
    return WRITING_AIDS[kind]._default_manager.filter(workspace=membership.workspace)


def access_writing_aid(membership: Membership, kind: str, aid_id: Any) -> Model:
    return _get(access_writing_aids(membership, kind), aid_id)


def _get(queryset: QuerySet[Any], pk: Any) -> Any:
    try:
        return queryset.get(pk=int(pk))
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
