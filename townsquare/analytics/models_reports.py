"""Reports sent by e-mail on a schedule: weekly (the past Monday-to-Sunday week) or monthly
(the past calendar month), as a PDF to chosen members of the workspace.

A send that fails is kept on the schedule in words (`last_error`) and tried again at the next
pass an hour later, three times at most; then the schedule moves on to the next period and
the failure stays visible until a send succeeds.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportFrequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly, on Mondays, for the past week")
    MONTHLY = "monthly", _("Monthly, on the 1st, for the past month")


class ReportSchedule(models.Model):
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="report_schedules"
    )
    frequency = models.CharField(_("how often"), max_length=16, choices=ReportFrequency.choices)
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("recipients")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    next_send_at = models.DateTimeField(db_index=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["frequency", "id"]

    def __str__(self) -> str:
        return f"{self.get_frequency_display()} ({self.workspace_id})"
