"""Importing posts from a file: upload (parsed, mapped by guess, checked), change the column
mapping (checked again), and import (all rows, or only the valid ones).

The import is all or nothing for the rows it takes: one transaction; with "only the valid
rows" each row has its own savepoint, so a row refused at the last moment (its media file
turned out to be too large for a network) is left out whole. An import that was imported
returns its result again, so a second submit imports nothing twice.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from townsquare.approvals.access import settings_of
from townsquare.approvals.review_actions import do_submit_for_review
from townsquare.audit.record import record
from townsquare.bulk import fetch as fetching
from townsquare.bulk.messages import parse_error_message
from townsquare.bulk.models import BulkImport
from townsquare.bulk.parsing import FIELDS, ParseError, guess_mapping, parse_file
from townsquare.bulk.rows import Checked, PlannedRow, check_rows, problem
from townsquare.content.actions import do_save_post
from townsquare.content.models import Post
from townsquare.lib.errors import ActionError
from townsquare.publishing.actions import do_schedule_post
from townsquare.queues.queue_actions import do_add_to_queue
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm, has_perm

# How many unexpired imports a workspace keeps; older ones make room for a new upload.
KEEP_PER_WORKSPACE = 20

FETCH_MESSAGES = {
    "media_http_status": gettext_lazy(
        "The media file %(url)s could not be fetched: the server answered HTTP %(status)s."
    ),
    "media_too_large": gettext_lazy(
        "The media file %(url)s is larger than %(max_mb)s MB; Townsquare does not fetch it."
    ),
    "media_address_refused": gettext_lazy(
        "The media file %(url)s is on a private or local address; Townsquare fetches "
        "only from public addresses."
    ),
    "media_unreachable": gettext_lazy(
        "The media file %(url)s could not be fetched: the server did not answer."
    ),
    "media_empty": gettext_lazy("The media file %(url)s is empty."),
}


def current(texts: dict[str, str]) -> str:
    """The wording of a stored problem in the active language."""
    language = (translation.get_language() or "en")[:2]
    return texts.get(language) or texts.get("en", "")


def _report(imp: BulkImport, checked: Checked) -> None:
    imp.problems = checked.problems
    imp.valid_rows = len(checked.plans)


@transaction.atomic
def do_upload_import(membership: Membership, data: bytes, filename: str = "") -> BulkImport:
    """Read the file, guess the columns, check every row; the file is kept for a day."""
    require(membership, Perm.WRITE_DRAFTS)
    try:
        table = parse_file(data, filename)
    except ParseError as error:
        raise ActionError(
            current(parse_error_message(error)),
            code=error.code,
            status=413 if error.code == "file_too_large" else 400,
        ) from None
    workspace = membership.workspace
    BulkImport.objects.filter(workspace=workspace, expires_at__lt=timezone.now()).delete()
    old = BulkImport.objects.filter(workspace=workspace).order_by("-created_at")
    stale = list(old.values_list("pk", flat=True)[KEEP_PER_WORKSPACE - 1 :])
    if stale:
        BulkImport.objects.filter(pk__in=stale).delete()
    imp = BulkImport(
        workspace=workspace,
        created_by=membership.user,
        filename=filename[:255],
        format=table.format,
        headers=list(table.headers),
        rows=[
            {"number": row.number, "cells": list(row.cells), "shape": row.shape_problem}
            for row in table.rows
        ],
        mapping=guess_mapping(table.headers),
    )
    _report(imp, check_rows(membership, imp.rows, imp.mapping))
    imp.save()
    record(
        actor=membership.user,
        action="bulk.upload",
        target=imp,
        workspace=workspace,
        after={"file": imp.filename, "rows": imp.row_count, "valid_rows": imp.valid_rows},
    )
    return imp


def _refuse_imported(imp: BulkImport) -> None:
    if imp.state == BulkImport.State.IMPORTING:
        raise ActionError(
            _("This file is being imported right now; its columns cannot change."),
            code="importing",
            status=409,
        )
    if imp.state == BulkImport.State.IMPORTED:
        raise ActionError(
            _("This file has already been imported. Upload it again to import it once more."),
            code="already_imported",
            status=409,
        )


@transaction.atomic
def do_set_mapping(
    membership: Membership, imp: BulkImport, mapping: dict[str, int | None]
) -> BulkImport:
    """Which column holds which field; every row is checked again."""
    require(membership, Perm.WRITE_DRAFTS)
    imp = BulkImport.objects.select_for_update().get(pk=imp.pk)
    _refuse_imported(imp)
    unknown = set(mapping) - set(FIELDS)
    if unknown:
        raise ActionError(
            _("Unknown field: %(names)s.") % {"names": ", ".join(sorted(unknown))},
            code="unknown_field",
        )
    used: dict[int, str] = {}
    clean: dict[str, int | None] = dict.fromkeys(FIELDS)
    for name in FIELDS:
        index = mapping.get(name, imp.mapping.get(name))
        if index is None:
            continue
        if (
            not isinstance(index, int)
            or isinstance(index, bool)
            or not 0 <= index < len(imp.headers)
        ):
            raise ActionError(
                _("The file has no column %(index)s.") % {"index": index}, code="unknown_column"
            )
        if index in used:
            raise ActionError(
                _('The column "%(column)s" is chosen for two fields.')
                % {"column": imp.headers[index] or index + 1},
                code="column_twice",
            )
        used[index] = name
        clean[name] = index
    imp.mapping = clean
    _report(imp, check_rows(membership, imp.rows, imp.mapping))
    imp.save(update_fields=["mapping", "problems", "valid_rows"])
    return imp


class _Refused(Exception):
    def __init__(self, problems: list[dict[str, Any]]) -> None:
        super().__init__("refused")
        self.problems = problems


def _errors_refusal(imp: BulkImport) -> ActionError:
    rows = len(imp.error_rows)
    if imp.file_problems:
        return ActionError(current(imp.file_problems[0]), code="columns_missing", status=422)
    return ActionError(
        ngettext(
            "%(count)s row has errors. Correct the file, or import only the valid rows.",
            "%(count)s rows have errors. Correct the file, or import only the valid rows.",
            rows,
        )
        % {"count": rows},
        code="rows_invalid",
        status=422,
    )


# An import that has not finished after this long died with its worker: it may start again.
STALE_AFTER = timedelta(minutes=20)


def do_start_import(membership: Membership, imp: BulkImport, *, only_valid: bool) -> BulkImport:
    """Start the import in the background (a page or an API request would not live long
    enough for a thousand rows). Refused at once when the report already says so; a second
    start while one runs, or after it finished, changes nothing."""
    require(membership, Perm.WRITE_DRAFTS)
    imp.refresh_from_db()
    now = timezone.now()
    if imp.state == BulkImport.State.IMPORTED:
        return imp
    running = imp.state == BulkImport.State.IMPORTING
    if running and imp.started_at and imp.started_at > now - STALE_AFTER:
        return imp
    if imp.file_problems or (imp.error_rows and not only_valid):
        raise _errors_refusal(imp)
    if not imp.valid_rows:
        raise ActionError(
            _("No row of this file can be imported; correct the rows shown."),
            code="nothing_to_import",
            status=422,
        )
    claimed = BulkImport.objects.filter(
        pk=imp.pk, state=imp.state, started_at=imp.started_at
    ).update(
        state=BulkImport.State.IMPORTING,
        started_at=now,
        started_by=membership,
        only_valid=only_valid,
        language=(translation.get_language() or "")[:8],
        refusal="",
    )
    if claimed:
        from townsquare.bulk.tasks import run_import

        transaction.on_commit(lambda: run_import.enqueue(imp.pk))
    imp.refresh_from_db()
    return imp


def do_commit_import(membership: Membership, imp: BulkImport, *, only_valid: bool) -> BulkImport:
    """Create the posts: a row with a time is scheduled, a row without one goes to the
    queue (a member who may not schedule imports it as a draft). Rows are checked again
    first; media addresses are fetched now, outside the transaction."""
    require(membership, Perm.WRITE_DRAFTS)
    if imp.state == BulkImport.State.IMPORTED:
        return imp
    checked = check_rows(membership, imp.rows, imp.mapping)
    _report(imp, checked)
    if checked.problems and (not only_valid or imp.file_problems):
        imp.save(update_fields=["problems", "valid_rows"])
        raise _errors_refusal(imp)
    plans = checked.plans
    files: dict[str, Any] = {}
    try:
        plans, failed = _fetch_media(plans, files)
        if failed:
            imp.problems = sorted(imp.problems + failed, key=lambda p: p["row"] or 0)
            imp.valid_rows = len(plans)
            if not only_valid:
                imp.save(update_fields=["problems", "valid_rows"])
                raise _errors_refusal(imp)
        if not plans:
            imp.save(update_fields=["problems", "valid_rows"])
            raise ActionError(
                _("No row of this file can be imported; correct the rows shown."),
                code="nothing_to_import",
                status=422,
            )
        try:
            return _import(membership, imp, plans, files, only_valid=only_valid)
        except _Refused as refused:
            imp.problems = sorted(imp.problems + refused.problems, key=lambda p: p["row"] or 0)
            imp.valid_rows = max(0, imp.valid_rows - len({p["row"] for p in refused.problems}))
            imp.save(update_fields=["problems", "valid_rows"])
            raise _errors_refusal(imp) from None
    finally:
        for upload in files.values():
            upload.close()


def _fetch_media(
    plans: list[PlannedRow], files: dict[str, Any]
) -> tuple[list[PlannedRow], list[dict[str, Any]]]:
    urls = list(
        dict.fromkeys(ref.value for plan in plans for ref in plan.media if ref.kind == "url")
    )
    if len(urls) > fetching.MAX_URLS_PER_IMPORT:
        raise ActionError(
            _(
                "The file names %(count)s media addresses; Townsquare fetches up to %(max)s "
                "in one import. Split the file."
            )
            % {"count": len(urls), "max": fetching.MAX_URLS_PER_IMPORT},
            code="too_many_media_urls",
        )
    errors: dict[str, fetching.FetchError] = {}
    for url in urls:
        try:
            files[url] = fetching.fetch(url)
        except fetching.FetchError as error:
            errors[url] = error
    kept, failed = [], []
    for plan in plans:
        bad = [ref.value for ref in plan.media if ref.value in errors]
        for url in bad:
            error = errors[url]
            shown = url if len(url) <= 100 else url[:99] + "…"
            failed.append(
                problem(
                    plan.number,
                    "media",
                    error.code,
                    FETCH_MESSAGES[error.code],
                    url=shown,
                    **error.params,
                )
            )
        if not bad:
            kept.append(plan)
    return kept, failed


@transaction.atomic
def _import(
    membership: Membership,
    imp: BulkImport,
    plans: list[PlannedRow],
    files: dict[str, Any],
    *,
    only_valid: bool,
) -> BulkImport:
    locked = BulkImport.objects.select_for_update().get(pk=imp.pk)
    if locked.state == BulkImport.State.IMPORTED:
        return locked  # the same import submitted twice: the first one did it
    counts = {"scheduled": 0, "queued": 0, "drafts": 0, "in_review": 0}
    posts: list[int] = []
    refused: list[dict[str, Any]] = []
    for plan in plans:
        try:
            with transaction.atomic():
                post, how = _import_row(membership, plan, files)
        except _Refused as row_refused:
            refused.extend(row_refused.problems)
        except (ActionError, ValidationError) as error:
            message = error.message if isinstance(error, ActionError) else "; ".join(error.messages)
            code = error.code if isinstance(error, ActionError) else "invalid"
            refused.append(
                {"row": plan.number, "field": "row", "code": code, "en": message, "de": message}
            )
        else:
            posts.append(post.pk)
            counts[how] += 1
            continue
        if not only_valid:
            raise _Refused(refused)
    if not posts:
        raise _Refused(refused)
    skipped = sorted({p["row"] for p in imp.problems if p.get("row")} | {p["row"] for p in refused})
    locked.problems = sorted(imp.problems + refused, key=lambda p: p["row"] or 0)
    locked.valid_rows = len(posts)
    locked.state = BulkImport.State.IMPORTED
    locked.imported_at = timezone.now()
    # An imported file is kept as long as its result is useful to look at.
    locked.expires_at = max(locked.expires_at, timezone.now() + timedelta(days=1))
    locked.result = {"posts": posts, **counts, "skipped": skipped}
    locked.save()
    record(
        actor=membership.user,
        action="bulk.import",
        target=locked,
        workspace=membership.workspace,
        after={"file": locked.filename, "posts": len(posts), **counts, "skipped": len(skipped)},
    )
    return locked


def _import_row(
    membership: Membership, plan: PlannedRow, files: dict[str, Any]
) -> tuple[Post, str]:
    from townsquare.media.actions import do_upload_media

    media_ids: list[int] = []
    for ref in plan.media:
        if ref.kind == "id":
            media_ids.append(int(ref.value))
            continue
        upload = files[ref.value]
        upload.seek(0)
        asset, _created = do_upload_media(membership, upload, alt_text=ref.alt_text)
        media_ids.append(asset.pk)
    post = do_save_post(
        membership, plan.post_input(tuple(dict.fromkeys(media_ids))), [a.pk for a in plan.accounts]
    )
    errors = []
    for variant in post.variants.select_related("account"):
        for found in variant.problems:
            if found.get("severity") == "error":
                account = variant.account
                errors.append(
                    {
                        "row": plan.number,
                        "field": "media" if plan.media else "text",
                        "code": found.get("code", "invalid"),
                        **{
                            language: f"{_label(account.network, language)} {account.handle}: "
                            f"{found.get('message_' + language, '')}"
                            for language in ("en", "de")
                        },
                    }
                )
    if errors:
        raise _Refused(errors)
    if approvals_on(membership):
        # Nothing unapproved is scheduled: the row goes to review, its time proposed.
        do_submit_for_review(membership, post, plan.wall, membership.workspace.time_zone)
        return post, "in_review"
    if plan.wall is not None:
        do_schedule_post(membership, post, plan.wall, membership.workspace.time_zone)
        return post, "scheduled"
    return post, _queue_or_keep(membership, post)


def approvals_on(membership: Membership) -> bool:
    return bool(settings_of(membership.workspace).enabled)


def _label(network: str, language: str) -> str:
    from townsquare.networks.catalog import network_label

    with translation.override(language):
        return network_label(network)


def _queue_or_keep(membership: Membership, post: Post) -> str:
    """A row without a time goes to the next free slot of its accounts' queue; a member
    who may not schedule imports it as a draft."""
    if not has_perm(membership.role, Perm.SCHEDULE_POSTS):
        return "drafts"
    do_add_to_queue(membership, post)
    return "queued"
