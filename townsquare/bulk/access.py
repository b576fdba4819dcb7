"""Tenant reads of import files: only the workspace's own, only while they are kept."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from townsquare.bulk.models import BulkImport
from townsquare.lib.bounds import id_from_text
from townsquare.workspaces.models import Membership


def access_bulk_imports(membership: Membership) -> QuerySet[BulkImport]:
    return BulkImport.objects.filter(workspace=membership.workspace, expires_at__gte=timezone.now())


def access_bulk_import(membership: Membership, import_id: Any) -> BulkImport:
    pk = import_id if isinstance(import_id, int) else id_from_text(str(import_id))
    if pk is None:
        raise Http404
    try:
        return access_bulk_imports(membership).get(pk=pk)
    except BulkImport.DoesNotExist:
        raise Http404 from None
