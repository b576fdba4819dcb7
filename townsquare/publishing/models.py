"""Publications (one per variant and account) and the attempts to publish them.

The database is the truth: a row moves draft -> scheduled -> publishing -> published |
failed | unknown (or cancelled), and every write that ends an attempt is fenced by the
lease token of the worker that holds the row. On a network without a connector a due row
moves scheduled -> by_hand instead: a person is reminded, posts it and marks it as posted.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from townsquare.publishing.schedule import Status

STATUS_CHOICES = [
    (Status.DRAFT.value, _("Draft")),
    (Status.SCHEDULED.value, _("Scheduled")),
    (Status.PUBLISHING.value, _("Publishing")),
    (Status.PUBLISHED.value, _("Published")),
    (Status.FAILED.value, _("Failed")),
    (Status.UNKNOWN.value, _("Check on the network")),
    (Status.CANCELLED.value, _("Cancelled")),
    (Status.BY_HAND.value, _("Waiting to be posted by hand")),
]


def new_key() -> str:
    return uuid.uuid4().hex


class PublishingSettings(models.Model):
    workspace = models.OneToOneField(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="publishing_settings"
    )
    hold_when_late = models.BooleanField(
        _("hold late posts"),
        default=False,
        help_text=_("Hold a post that could not go out on time instead of publishing it late."),
    )
    late_after_minutes = models.PositiveIntegerField(_("late after (minutes)"), default=60)
    notify_by_email = models.BooleanField(_("email on failures"), default=True)
    webhook_url = models.URLField(_("webhook for failures"), blank=True, max_length=2000)

    def __str__(self) -> str:
        return f"Publishing settings of {self.workspace}"


class Publication(models.Model):
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="publications"
    )
    post = models.ForeignKey("content.Post", on_delete=models.CASCADE, related_name="publications")
    # A variant removed from its post cancels the publication; the row stays as history.
    variant = models.OneToOneField(
        "content.Variant", null=True, on_delete=models.SET_NULL, related_name="publication"
    )
    account = models.ForeignKey(
        "networks.SocialAccount", on_delete=models.CASCADE, related_name="publications"
    )
    status = models.CharField(max_length=16, choices=STATUS_CHOICES, default=Status.DRAFT.value)
    # When it is meant to go out: the UTC instant and the wall time in the zone of intent,
    # so that a change of the zone's rules can be recomputed from what the person chose.
    due_at = models.DateTimeField(null=True, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC")
    local_due = models.CharField(max_length=32, blank=True)
    # When the next attempt may start: the due time, or later after a retry or a rate limit.
    run_at = models.DateTimeField(null=True, blank=True, db_index=True)
    idempotency_key = models.CharField(max_length=64, unique=True, default=new_key)
    lease_token = models.CharField(max_length=80, null=True, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Set under the lease just before a network call whose outcome is not yet recorded.
    sending_started_at = models.DateTimeField(null=True, blank=True)
    attempt_count = models.PositiveIntegerField(default=0)
    part_ids = models.JSONField(default=list, blank=True)
    external_id = models.CharField(max_length=255, blank=True)
    external_url = models.URLField(max_length=2000, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    error_code = models.CharField(max_length=64, blank=True)
    error_message = models.TextField(blank=True)
    needs_person = models.BooleanField(default=False)
    # Posting by hand (networks without a connector): when the reminder went out, and to
    # whom (the author; null: the workspace's owners and managers).
    reminded_at = models.DateTimeField(null=True, blank=True)
    reminded_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["status", "run_at"], name="publication_due")]

    def __str__(self) -> str:
        return (
            f"{self.account} {self.status} {self.due_at:%Y-%m-%d %H:%M}"
            if self.due_at
            else f"{self.account} {self.status}"
        )


class Attempt(models.Model):
    """One try to publish (or to reconcile), written before the network is called."""

    OUTCOMES = [
        ("started", _("started")),
        ("published", _("published")),
        ("rejected", _("rejected")),
        ("retry", _("will retry")),
        ("reauth", _("needs reconnecting")),
        ("unknown", _("outcome unknown")),
        ("found", _("found on the network")),
        ("not_found", _("not found on the network")),
        ("skipped", _("skipped")),
    ]

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="attempts")
    kind = models.CharField(max_length=16, default="publish")
    part_index = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=OUTCOMES, default="started")
    error_class = models.CharField(max_length=64, blank=True)
    message = models.TextField(blank=True)
    lease_token = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["started_at", "id"]

    def __str__(self) -> str:
        return f"{self.publication_id} #{self.pk} {self.outcome}"
