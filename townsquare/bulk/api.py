"""API of bulk import and export: upload a file (the report comes back), change the column
mapping, import (all rows or only the valid ones), and export the posts as CSV or JSON."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema, Status, UploadedFile
from pydantic import Field

from townsquare.bulk import actions
from townsquare.bulk.access import access_bulk_import
from townsquare.bulk.export import ExportFilter, export_rows, file_name, render
from townsquare.bulk.models import BulkImport
from townsquare.bulk.parsing import MAX_COLUMNS
from townsquare.lib.bounds import Id
from townsquare.lib.errors import ActionError
from townsquare.planning.models import Campaign
from townsquare.publishing.schedule import utc_to_local
from townsquare.workspaces.access import require
from townsquare.workspaces.roles import Perm

router = Router(tags=["bulk"])

Column = int | None


class ImportProblemOut(Schema):
    row: int | None = Field(description="Row (CSV, the header is row 1) or entry (JSON)")
    field: str
    code: str
    message_en: str
    message_de: str


class ImportResultOut(Schema):
    posts: list[int]
    scheduled: int
    queued: int
    drafts: int
    in_review: int = 0
    skipped: list[int]


class ImportOut(Schema):
    id: int
    filename: str
    format: str
    state: Literal["checked", "importing", "imported"]
    rows: int
    valid_rows: int
    headers: list[str]
    mapping: dict[str, Column]
    problems: list[ImportProblemOut]
    result: ImportResultOut | None = None
    refusal: str = Field("", description="Why the last import was refused (nothing imported)")
    expires_at: datetime


class MappingIn(Schema):
    """The column (0 = the first) that holds each field; null: not in the file. A field
    left out keeps its column."""

    accounts: Column = Field(None, ge=0, lt=MAX_COLUMNS)
    time: Column = Field(None, ge=0, lt=MAX_COLUMNS)
    text: Column = Field(None, ge=0, lt=MAX_COLUMNS)
    language: Column = Field(None, ge=0, lt=MAX_COLUMNS)
    link: Column = Field(None, ge=0, lt=MAX_COLUMNS)
    hashtags: Column = Field(None, ge=0, lt=MAX_COLUMNS)
    media: Column = Field(None, ge=0, lt=MAX_COLUMNS)
    campaign: Column = Field(None, ge=0, lt=MAX_COLUMNS)
    pillar: Column = Field(None, ge=0, lt=MAX_COLUMNS)
    audience: Column = Field(None, ge=0, lt=MAX_COLUMNS)


class CommitIn(Schema):
    only_valid: bool = Field(
        False, description="Import the valid rows and leave the rows with errors out."
    )


def _out(imp: BulkImport) -> ImportOut:
    return ImportOut(
        id=imp.pk,
        filename=imp.filename,
        format=imp.format,
        state=imp.state,
        rows=imp.row_count,
        valid_rows=imp.valid_rows,
        headers=imp.headers,
        mapping=imp.mapping,
        problems=[
            ImportProblemOut(
                row=p.get("row"),
                field=p.get("field", ""),
                code=p.get("code", ""),
                message_en=p.get("en", ""),
                message_de=p.get("de", ""),
            )
            for p in imp.problems
        ],
        result=ImportResultOut(**imp.result) if imp.result else None,
        refusal=imp.refusal,
        expires_at=imp.expires_at,
    )


@router.post("/workspaces/{workspace}/imports", response={201: ImportOut})
def upload_import(request: HttpRequest, workspace: str, file: File[UploadedFile]) -> Status:
    """Upload a CSV or JSON file of posts (multipart/form-data, up to 2 MB and 1,000 rows).
    The columns are guessed from the header and every row is checked: the answer is the
    report. A file that cannot be read is a 400 (413 when too large) that says why."""
    membership = request.membership  # type: ignore[attr-defined]
    require(membership, Perm.WRITE_DRAFTS)
    if file.size is not None and file.size > 2 * 1024 * 1024:
        raise ActionError(
            _("The file is larger than 2 MB; split it into smaller files."),
            code="file_too_large",
            status=413,
        )
    imp = actions.do_upload_import(membership, file.read(), file.name or "")
    return Status(201, _out(imp))


@router.get("/workspaces/{workspace}/imports/{import_id}", response=ImportOut)
def get_import(request: HttpRequest, workspace: str, import_id: Id) -> ImportOut:
    """An uploaded file's report (kept for a day after the upload)."""
    membership = request.membership  # type: ignore[attr-defined]
    require(membership, Perm.WRITE_DRAFTS)
    return _out(access_bulk_import(membership, import_id))


@router.put("/workspaces/{workspace}/imports/{import_id}/mapping", response=ImportOut)
def set_mapping(request: HttpRequest, workspace: str, import_id: Id, body: MappingIn) -> ImportOut:
    """Choose the columns; every row is checked again."""
    membership = request.membership  # type: ignore[attr-defined]
    imp = access_bulk_import(membership, import_id)
    mapping: dict[str, Any] = body.model_dump(exclude_unset=True)
    return _out(actions.do_set_mapping(membership, imp, mapping))


@router.post(
    "/workspaces/{workspace}/imports/{import_id}/commit", response={200: ImportOut, 202: ImportOut}
)
def commit_import(request: HttpRequest, workspace: str, import_id: Id, body: CommitIn) -> Status:
    """Start the import: 202 with state `importing`; read the import again until its state
    is `imported` (with the result) or back to `checked` (with `refusal`: nothing was
    imported). Rows with errors refuse the whole import at once (422, rows_invalid) unless
    only_valid is true. Rows with a time are scheduled, rows without one go to the queue.
    Committing again while it runs or after it finished changes nothing (200 once done)."""
    membership = request.membership  # type: ignore[attr-defined]
    imp = access_bulk_import(membership, import_id)
    imp = actions.do_start_import(membership, imp, only_valid=body.only_valid)
    return Status(200 if imp.state == BulkImport.State.IMPORTED else 202, _out(imp))


EXPORT_RESPONSE = {
    "responses": {
        200: {
            "description": "The posts, in the columns an import reads.",
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/json": {
                    "schema": {
                        "type": "array",
                        "items": {"type": "object", "additionalProperties": {"type": "string"}},
                    }
                },
            },
        }
    }
}


DAY = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


class ExportQuery(Schema):
    format: Literal["csv", "json"] = "csv"
    start: str | None = Field(
        None, pattern=DAY, description="First day, YYYY-MM-DD, in the workspace's zone"
    )
    end: str | None = Field(None, pattern=DAY, description="Last day (inclusive), YYYY-MM-DD")
    status: Literal["draft", "scheduled", "published", "failed", "unknown"] | None = None
    campaign: Id | None = Field(None, description="The id of a campaign of the workspace")


def _day(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ActionError(
            _("%(value)s is not a day of the calendar (%(name)s).")
            % {"value": value, "name": name},
            code="invalid_date",
            status=422,
        ) from None


@router.get(
    "/workspaces/{workspace}/exports/posts", openapi_extra=EXPORT_RESPONSE, response={200: None}
)
def export_posts(request: HttpRequest, workspace: str, query: Query[ExportQuery]) -> HttpResponse:
    """The workspace's posts as CSV or JSON (filters: the date range of their time in the
    workspace's zone, status, campaign id). The file imports back."""
    membership = request.membership  # type: ignore[attr-defined]
    require(membership, Perm.VIEW)
    start, end = _day(query.start, "start"), _day(query.end, "end")
    chosen = None
    if query.campaign is not None:
        chosen = Campaign.objects.filter(workspace=membership.workspace, pk=query.campaign).first()
        if chosen is None:
            raise ActionError(
                _("This workspace has no campaign with the id %(id)s.") % {"id": query.campaign},
                code="unknown_campaign",
                status=422,
            )
    if start and end and end < start:
        raise ActionError(_("The end lies before the start."), code="invalid_range", status=422)
    rows = export_rows(
        membership, ExportFilter(start=start, end=end, status=query.status, campaign=chosen)
    )
    body, content_type = render(rows, query.format)
    response = HttpResponse(body, content_type=content_type)
    today = utc_to_local(timezone.now(), membership.workspace.time_zone).date()
    name = file_name(membership.workspace.slug, query.format, today)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
