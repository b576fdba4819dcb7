"""Pages of bulk import and export: upload, column mapping with the row-by-row report,
import (all rows, or only the valid ones), an example file, and the export."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from townsquare.bulk import actions
from townsquare.bulk.access import access_bulk_import, access_bulk_imports
from townsquare.bulk.example import example_csv
from townsquare.bulk.export import export_rows, file_name
from townsquare.bulk.export import render as render_export
from townsquare.bulk.forms import ExportForm, MappingForm, UploadForm
from townsquare.bulk.messages import field_labels
from townsquare.bulk.models import BulkImport
from townsquare.bulk.parsing import FIELDS
from townsquare.lib.errors import ActionError
from townsquare.publishing.schedule import utc_to_local
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm, has_perm
from townsquare.workspaces.views import workspace_view

# How many problems the report shows on the page (the API and the command line give all).
SHOWN_PROBLEMS = 500


@workspace_view(Perm.WRITE_DRAFTS)
def upload(request: HttpRequest, membership: Membership) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            file = form.cleaned_data["file"]
            try:
                imp = actions.do_upload_import(membership, file.read(), file.name or "")
            except ActionError as error:
                form.add_error("file", error.message)
            else:
                return redirect(
                    "bulk_import_detail", workspace=membership.workspace.slug, import_id=imp.pk
                )
        status = 400
    recent = access_bulk_imports(membership).filter(created_by=membership.user)[:5]
    return render(
        request,
        "bulk/upload.html",
        {
            "membership": membership,
            "workspace": membership.workspace,
            "form": form,
            "recent": recent,
            "fields": _field_help(),
        },
        status=status,
    )


def _field_help() -> list[tuple[str, str, str]]:
    labels = field_labels()
    help_texts = {
        "accounts": _(
            'Handles or ids, separated by "|" or ","; "network:handle" where a '
            "handle is on two networks. Required."
        ),
        "time": _(
            "YYYY-MM-DD HH:MM in the workspace's time zone, or ISO 8601 with an offset. "
            "Blank: the post goes to the queue."
        ),
        "text": _("The master text; it is adapted for each network as in the composer. Required."),
        "language": _("de or en; blank: the workspace's language."),
        "link": _("A web address for the link card."),
        "hashtags": _("Separated by spaces or commas, with or without #."),
        "media": _(
            'Media library ids or https:// addresses, separated by "|"; alt text '
            "may follow an address after a space."
        ),
        "campaign": _("The name of a campaign of this workspace."),
        "pillar": _("The name of a content pillar of this workspace."),
        "audience": _("The name of an audience of this workspace."),
    }
    return [(name, str(labels[name]), str(help_texts[name])) for name in FIELDS]


@workspace_view(Perm.WRITE_DRAFTS, lookups={"import_id": access_bulk_import})
def detail(request: HttpRequest, membership: Membership, import_id: BulkImport) -> HttpResponse:
    imp = import_id
    slug = membership.workspace.slug
    if getattr(request, "htmx", False) and request.method == "GET":
        # The page asks while the import runs: the same fragment until it is done, then
        # the whole page again.
        if imp.state == BulkImport.State.IMPORTING:
            return render(
                request, "bulk/_importing.html", {"workspace": membership.workspace, "imp": imp}
            )
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    form = MappingForm(bulk_import=imp)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "map":
                form = MappingForm(request.POST, bulk_import=imp)
                if form.is_valid():
                    actions.do_set_mapping(membership, imp, form.mapping())
                    messages.success(request, _("Columns saved; every row was checked again."))
                    return redirect("bulk_import_detail", workspace=slug, import_id=imp.pk)
                status = 400
            elif action in ("import_all", "import_valid"):
                actions.do_start_import(membership, imp, only_valid=action == "import_valid")
                return redirect("bulk_import_detail", workspace=slug, import_id=imp.pk)
            else:
                messages.error(request, _("Choose what to do: save the columns, or import."))
                status = 400
        except ActionError as error:
            messages.error(request, error.message)
            imp.refresh_from_db()
            form = MappingForm(bulk_import=imp)
            status = error.status if 400 <= error.status < 500 else 400
    return render(
        request,
        "bulk/detail.html",
        _detail_context(membership, imp, form),
        status=status,
    )


def _result_line(imp: BulkImport) -> str:
    result = imp.result
    count = len(result.get("posts", []))
    line = ngettext(
        "%(count)s post imported: %(scheduled)s scheduled, %(queued)s in the queue, "
        "%(drafts)s drafts.",
        "%(count)s posts imported: %(scheduled)s scheduled, %(queued)s in the queue, "
        "%(drafts)s drafts.",
        count,
    ) % {
        "count": count,
        "scheduled": result.get("scheduled", 0),
        "queued": result.get("queued", 0),
        "drafts": result.get("drafts", 0),
    }
    if result.get("in_review"):
        line += " " + ngettext(
            "%(count)s post waits for approval.",
            "%(count)s posts wait for approval.",
            result["in_review"],
        ) % {"count": result["in_review"]}
    return line


def _detail_context(membership: Membership, imp: BulkImport, form: MappingForm) -> dict:
    language = actions.current
    labels = field_labels()
    problems = [
        {
            "row": p.get("row"),
            "field": str(labels.get(p.get("field", ""), p.get("field", ""))),
            "message": language({"en": p.get("en", ""), "de": p.get("de", "")}),
        }
        for p in imp.problems[:SHOWN_PROBLEMS]
    ]
    error_rows = len(imp.error_rows)
    return {
        "membership": membership,
        "workspace": membership.workspace,
        "imp": imp,
        "form": form,
        "problems": problems,
        "more_problems": max(0, len(imp.problems) - SHOWN_PROBLEMS),
        "error_rows": error_rows,
        "file_problems": bool(imp.file_problems),
        "imported": imp.state == BulkImport.State.IMPORTED,
        "importing": imp.state == BulkImport.State.IMPORTING,
        "result_line": _result_line(imp) if imp.state == BulkImport.State.IMPORTED else "",
        "skipped": imp.result.get("skipped", []),
        "row_word": _("Entry") if imp.format == "json" else _("Row"),
        "can_schedule": has_perm(membership.role, Perm.SCHEDULE_POSTS),
        "approvals": actions.approvals_on(membership),
    }


@workspace_view(Perm.WRITE_DRAFTS, methods=("GET",))
def example(request: HttpRequest, membership: Membership) -> HttpResponse:
    """An example file for this workspace, to fill in and import."""
    response = HttpResponse(
        example_csv(membership.workspace), content_type="text/csv; charset=utf-8"
    )
    name = _("townsquare-import-example.csv")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@workspace_view(Perm.VIEW, methods=("GET",))
def export(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The export form; with a format chosen (the form's button), the file itself."""
    asked = "format" in request.GET
    form = ExportForm(request.GET if asked else None, membership=membership)
    if asked and form.is_valid():
        fmt = form.cleaned_data["format"]
        body, content_type = render_export(export_rows(membership, form.filters()), fmt)
        response = HttpResponse(body, content_type=content_type)
        today = utc_to_local(timezone.now(), membership.workspace.time_zone).date()
        name = file_name(membership.workspace.slug, fmt, today)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(
        request,
        "bulk/export.html",
        {"membership": membership, "workspace": membership.workspace, "form": form},
        status=400 if asked else 200,
    )
