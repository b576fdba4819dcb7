"""The import of a checked file, run by a worker: do_commit_import as the person who started
it, in their language; a refusal is kept on the import for the page and the API to show."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.tasks import task
from django.utils import translation
from django.utils.translation import gettext as _

from townsquare.bulk.actions import do_commit_import
from townsquare.bulk.models import BulkImport
from townsquare.lib.errors import ActionError

logger = logging.getLogger(__name__)


@task
def run_import(import_id: int) -> str:
    imp = (
        BulkImport.objects.select_related("started_by__user", "started_by__workspace", "workspace")
        .filter(pk=import_id, state=BulkImport.State.IMPORTING)
        .first()
    )
    if imp is None:
        return "gone"
    membership = imp.started_by
    language = (
        imp.language
        or (getattr(membership.user, "language", "") if membership else "")
        or imp.workspace.language
    )
    with translation.override(language):
        if membership is None or membership.workspace_id != imp.workspace_id:
            _refuse(imp, _("The person who started the import is no longer a member."))
            return "refused"
        try:
            do_commit_import(membership, imp, only_valid=imp.only_valid)
        except ActionError as error:
            _refuse(imp, error.message)
            return "refused"
        except PermissionDenied:
            _refuse(imp, _("Your role no longer allows importing posts."))
            return "refused"
        except Exception:
            logger.exception("import %s failed", import_id)
            _refuse(imp, _("The import failed unexpectedly; nothing was imported. Try again."))
            raise
    return "imported"


def _refuse(imp: BulkImport, message: str) -> None:
    BulkImport.objects.filter(pk=imp.pk, state=BulkImport.State.IMPORTING).update(
        state=BulkImport.State.CHECKED, refusal=message
    )
