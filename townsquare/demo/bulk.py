"""Demo data for the bulk import: in each demo workspace an uploaded file waiting to be
imported, made from the workspace's own example file plus one row naming an account the
workspace does not have, so the report shows a row error and "import only the valid rows".
An upload is kept for a day; a run finds the one still kept and adds nothing."""

from __future__ import annotations

from django.utils import timezone

from townsquare.bulk.actions import do_upload_import
from townsquare.bulk.example import example_rows
from townsquare.bulk.export import to_csv
from townsquare.bulk.models import BulkImport
from townsquare.lib.errors import ActionError
from townsquare.workspaces.models import Membership, Workspace

FILE_NAMES = {"de": "redaktionsplan-dezember.csv", "en": "december-posts.csv"}
BAD_ROW = {
    "de": "Gewinnspiel zum Wochenende: Verraten Sie uns Ihre liebste Kaffeesorte!",
    "en": "Weekend giveaway: tell us about your favourite trail!",
}


def seed_bulk(workspaces: list[Workspace]) -> None:
    for workspace in workspaces:
        owner = (
            Membership.objects.filter(workspace=workspace, role="owner")
            .select_related("user", "workspace")
            .first()
        )
        if owner is None:
            continue
        language = "de" if workspace.language == "de" else "en"
        name = FILE_NAMES[language]
        kept = BulkImport.objects.filter(
            workspace=workspace, filename=name, expires_at__gte=timezone.now()
        )
        if kept.exists():
            continue
        rows = example_rows(workspace)
        rows.append({**rows[-1], "accounts": "@ehemaliges_konto", "text": BAD_ROW[language]})
        try:
            do_upload_import(owner, to_csv(rows).encode("utf-8"), name)
        except ActionError:
            continue  # a demo without accounts: nothing to show
