"""`townsquare posts import|export`: posts from and to CSV or JSON files."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from townsquare.bulk.actions import do_commit_import, do_upload_import
from townsquare.bulk.export import ExportFilter, export_rows, render
from townsquare.bulk.messages import field_labels
from townsquare.bulk.models import BulkImport
from townsquare.bulk.parsing import MAX_BYTES
from townsquare.lib.errors import ActionError
from townsquare.planning.models import Campaign
from townsquare.workspaces.models import Membership, Workspace


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date (YYYY-MM-DD).") from None


class Command(BaseCommand):
    help = "Import posts from a CSV or JSON file (`posts import`), or export them (`posts export`)."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser(
            "import",
            help="Check every row of FILE and import the posts. Prints the report; the exit "
            "code is 1 when a row has errors (with --only-valid the valid rows are imported "
            "all the same).",
        )
        imp.add_argument("file", type=Path, help="A CSV (UTF-8, header row) or JSON file.")
        imp.add_argument("--workspace", required=True, help="The workspace's slug.")
        imp.add_argument("--only-valid", action="store_true", help="Leave rows with errors out.")
        imp.add_argument("--dry-run", action="store_true", help="Check only; import nothing.")
        imp.add_argument("--user", help="Import as this member (e-mail); default: an owner.")
        imp.add_argument("--language", choices=["en", "de"], default="en")
        imp.add_argument("--json", action="store_true", help="Machine-readable report.")
        exp = sub.add_parser("export", help="Write the workspace's posts to standard output.")
        exp.add_argument("--workspace", required=True, help="The workspace's slug.")
        exp.add_argument("--format", choices=["csv", "json"], default="csv")
        exp.add_argument("--from", dest="start", type=_date, help="First day (YYYY-MM-DD).")
        exp.add_argument("--to", dest="end", type=_date, help="Last day (YYYY-MM-DD).")
        exp.add_argument(
            "--status", choices=["draft", "scheduled", "published", "failed", "unknown"]
        )
        exp.add_argument("--campaign", help="Only posts of this campaign (its name).")
        exp.add_argument("--user", help="Export as this member (e-mail); default: an owner.")

    def handle(self, *args: Any, **options: Any) -> None:
        membership = _membership(options["workspace"], options.get("user"))
        try:
            if options["action"] == "export":
                self._export(membership, options)
            else:
                with translation.override(options["language"]):
                    self._import(membership, options)
        except PermissionDenied:
            raise CommandError(
                f"The role {membership.role!r} of {membership.user.email} may not do this."
            ) from None

    def _export(self, membership: Membership, options: dict[str, Any]) -> None:
        campaign = None
        if options.get("campaign"):
            campaign = Campaign.objects.filter(
                workspace=membership.workspace, name__iexact=options["campaign"]
            ).first()
            if campaign is None:
                raise CommandError(f"The workspace has no campaign named {options['campaign']!r}.")
        if options.get("start") and options.get("end") and options["end"] < options["start"]:
            raise CommandError("--to lies before --from.")
        rows = export_rows(
            membership,
            ExportFilter(
                start=options.get("start"),
                end=options.get("end"),
                status=options.get("status"),
                campaign=campaign,
            ),
        )
        body, _type = render(rows, options["format"])
        self.stdout.write(body, ending="")

    def _import(self, membership: Membership, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        try:
            if path.stat().st_size > MAX_BYTES:
                raise CommandError(
                    f"{path} is larger than {MAX_BYTES // 1024} KB; split it into smaller files."
                )
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror or error}") from None
        try:
            imp = do_upload_import(membership, data, path.name)
        except ActionError as error:
            raise CommandError(f"{path.name}: {error.message}") from None
        refused = ""
        if not options["dry_run"]:
            try:
                imp = do_commit_import(membership, imp, only_valid=options["only_valid"])
            except ActionError as error:
                refused = error.message
                imp.refresh_from_db()
        self._report(imp, options, refused)
        if options["dry_run"]:
            imp.delete()
        if imp.problems:
            raise CommandError(refused or "Some rows have errors.", returncode=1)

    def _report(self, imp: BulkImport, options: dict[str, Any], refused: str) -> None:
        language = options["language"]
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "rows": imp.row_count,
                        "valid_rows": imp.valid_rows,
                        "mapping": {
                            name: (imp.headers[i] if i is not None else None)
                            for name, i in imp.mapping.items()
                        },
                        "problems": [
                            {k: p.get(k) for k in ("row", "field", "code")}
                            | {"message": p.get(language, "")}
                            for p in imp.problems
                        ],
                        "imported": imp.state == BulkImport.State.IMPORTED,
                        "result": imp.result or None,
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        labels = field_labels()
        columns = ", ".join(
            f"{labels[name]} = {imp.headers[i]!r}"
            for name, i in imp.mapping.items()
            if i is not None
        )
        self.stdout.write(f"Columns: {columns}")
        for p in imp.problems:
            where = f"Row {p['row']}" if p.get("row") else "File"
            field = str(labels.get(p.get("field", ""), p.get("field", "")))
            self.stdout.write(f"{where:<9} {field:<14} {p.get(language, '')}")
        self.stdout.write(f"{imp.valid_rows} of {imp.row_count} rows valid.")
        if imp.state == BulkImport.State.IMPORTED:
            r = imp.result
            self.stdout.write(
                f"Imported {len(r.get('posts', []))} posts: {r.get('scheduled', 0)} scheduled, "
                f"{r.get('queued', 0)} queued, {r.get('drafts', 0)} drafts, "
                f"{r.get('in_review', 0)} in review; rows left out: "
                f"{', '.join(map(str, r.get('skipped', []))) or 'none'}."
            )
        elif options["dry_run"]:
            self.stdout.write("Dry run: nothing imported.")
        elif refused:
            self.stdout.write(f"Nothing imported: {refused}")


def _membership(slug: str, email: str | None) -> Membership:
    workspace = Workspace.objects.filter(slug=slug).first()
    if workspace is None:
        raise CommandError(f"There is no workspace {slug!r}.")
    members = Membership.objects.filter(workspace=workspace).select_related("user", "workspace")
    if email:
        found = members.filter(user__email__iexact=email).first()
        if found is None:
            raise CommandError(f"{email} is not a member of {slug!r}.")
        return found
    owner = members.filter(role="owner").order_by("pk").first()
    if owner is None:
        raise CommandError(f"The workspace {slug!r} has no owner; name a member with --user.")
    return owner
