"""Posting slots, recurring series and evergreen posts.

A slot is a weekly wall time of one account in the workspace's zone ("Monday 09:00"). A
series is a recurrence rule (RRULE) with one post per occurrence: a publication belongs to
exactly one variant, so each occurrence is a post of its own, a copy of the first. An
evergreen post comes back into the queue, as a copy, once its last publication is older
than its gap, until it has been reposted its maximum number of times.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class Slot(models.Model):
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="posting_slots"
    )
    account = models.ForeignKey(
        "networks.SocialAccount", on_delete=models.CASCADE, related_name="posting_slots"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=WEEKDAYS)
    time = models.TimeField(_("time"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["account_id", "weekday", "time"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "weekday", "time"], name="one_slot_per_account_and_time"
            )
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.get_weekday_display()} {self.time:%H:%M}"


class Series(models.Model):
    """A recurring post: the rule and the wall time of its first occurrence."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="post_series"
    )
    rrule = models.CharField(_("repeat rule"), max_length=500)
    first_local = models.CharField(max_length=16)  # "YYYY-MM-DDTHH:MM", wall time
    time_zone = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.rrule} from {self.first_local}"


class SeriesOccurrence(models.Model):
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="occurrences")
    post = models.OneToOneField(
        "content.Post", on_delete=models.CASCADE, related_name="series_occurrence"
    )
    index = models.PositiveIntegerField()
    local_time = models.CharField(max_length=16)  # "YYYY-MM-DDTHH:MM", wall time
    skipped = models.BooleanField(default=False)
    edited = models.BooleanField(default=False)

    class Meta:
        ordering = ["series_id", "index"]
        constraints = [
            models.UniqueConstraint(fields=["series", "index"], name="one_occurrence_per_index")
        ]

    def __str__(self) -> str:
        return f"{self.series_id} #{self.index} {self.local_time}"


EVERGREEN_STATES = [
    ("active", _("Active")),
    ("done", _("All reposts made")),
    ("stopped", _("Stopped")),
    ("error", _("Needs attention")),
]


class Evergreen(models.Model):
    """A post that comes back: a copy queued once the last one is older than the gap."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="evergreen_posts"
    )
    post = models.OneToOneField("content.Post", on_delete=models.CASCADE, related_name="evergreen")
    min_gap_days = models.PositiveIntegerField(_("minimum gap (days)"), default=30)
    max_reposts = models.PositiveIntegerField(_("reposts at most"), default=3)
    reposts = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=16, choices=EVERGREEN_STATES, default="active")
    last_error = models.TextField(blank=True)
    # The reposts are queued in this person's name (who marked the post as evergreen).
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Evergreen {self.post_id} ({self.reposts}/{self.max_reposts})"


class EvergreenRepost(models.Model):
    evergreen = models.ForeignKey(Evergreen, on_delete=models.CASCADE, related_name="copies")
    post = models.OneToOneField(
        "content.Post", on_delete=models.CASCADE, related_name="evergreen_copy"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Repost {self.post_id} of {self.evergreen_id}"
