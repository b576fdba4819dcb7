from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from townsquare.publishing.models import Publication
from townsquare.workspaces.models import Membership


def access_publications(membership: Membership) -> QuerySet[Publication]:
    return Publication.objects.filter(workspace=membership.workspace).select_related("account")


def access_publication(membership: Membership, publication_id: Any) -> Publication:
    try:
        return access_publications(membership).get(pk=int(publication_id))
    except (Publication.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
