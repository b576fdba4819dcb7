"""An import file kept between its steps: uploaded, mapped, checked, imported.

The parsed rows are stored as JSON with the workspace that owns them, so the column mapping
and the report can be shown and changed without uploading again. An import expires after a
day; once imported it keeps its result, so submitting the import twice imports once.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

KEEP_FOR = timedelta(days=1)


def expiry() -> datetime:
    return timezone.now() + KEEP_FOR


class BulkImport(models.Model):
    class State(models.TextChoices):
        CHECKED = "checked", _("Checked")
        IMPORTING = "importing", _("Importing")
        IMPORTED = "imported", _("Imported")

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="bulk_imports"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=expiry, db_index=True)
    filename = models.CharField(max_length=255, blank=True)
    format = models.CharField(max_length=8)
    headers = models.JSONField(default=list)
    # [{"number": 2, "cells": [...], "shape": {...} | null}, ...]
    rows = models.JSONField(default=list)
    # field -> column index (or null)
    mapping = models.JSONField(default=dict)
    # [{"row": 2, "field": "text", "code": "...", "en": "...", "de": "..."}, ...]
    problems = models.JSONField(default=list)
    valid_rows = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=16, choices=State.choices, default=State.CHECKED)
    imported_at = models.DateTimeField(null=True, blank=True)
    # The import runs as a background task: when it started, which rows it takes, and why
    # it was refused (in the language of the person who started it).
    started_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(
        "workspaces.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    only_valid = models.BooleanField(default=False)
    language = models.CharField(max_length=8, blank=True)
    refusal = models.TextField(blank=True)
    # {"posts": [ids], "scheduled": n, "queued": n, "drafts": n, "in_review": n,
    #  "skipped": [row numbers]}
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename or f"Import {self.pk}"

    @property
    def row_count(self) -> int:
        return len(self.rows)

    @property
    def error_rows(self) -> list[int]:
        return sorted({p["row"] for p in self.problems if p.get("row")})

    @property
    def file_problems(self) -> list[dict[str, object]]:
        """Problems of the whole file (a required column not chosen), not of one row."""
        return [p for p in self.problems if not p.get("row")]
