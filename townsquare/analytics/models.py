"""The counters Townsquare keeps: per post (a series of snapshots, dense in its first days)
and per account (one snapshot a day), plus each account's collection state.

History lives here, not at the networks (most keep a few weeks at best). Every counter is
a nullable column named after the canonical metric (metric_names.py): NULL means the
network did not report it, which is not the same as 0. `raw` keeps the network's own names
and values as read, and `metric_map_version` which map translated them, so a metric that a
network renamed or replaced can be traced and compared.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from townsquare.analytics.metric_names import ACCOUNT_METRICS, POST_METRICS


class Source(models.TextChoices):
    COLLECTED = "collected", _("collected from the network")
    IMPORTED = "imported", _("imported from the network's export")
    DEMO = "demo", _("sample data")


def _counter_fields(names: tuple[str, ...]) -> dict[str, models.Field]:  # type: ignore[type-arg]
    return {name: models.PositiveBigIntegerField(null=True, blank=True) for name in names}


class TrackedPost(models.Model):
    """A post of the workspace on a network whose counters are kept: published through
    Townsquare (`publication` set), or made outside it (`publication` empty: found by a
    collection, source "collected", or imported from the network's export). Carries its
    newest counters, so dashboards read one row per post."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="tracked_posts"
    )
    account = models.ForeignKey(
        "networks.SocialAccount", on_delete=models.CASCADE, related_name="tracked_posts"
    )
    network = models.CharField(max_length=32)
    network_post_id = models.CharField(max_length=255)
    publication = models.OneToOneField(
        "publishing.Publication",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tracked_post",
    )
    published_at = models.DateTimeField()
    text_excerpt = models.CharField(max_length=300, blank=True)
    url = models.URLField(max_length=2000, blank=True)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.COLLECTED)
    # Sum of the engagement metrics of the newest snapshot (unknown ones count as 0).
    engagements = models.PositiveBigIntegerField(default=0)
    metrics_at = models.DateTimeField(null=True, blank=True)  # when the newest counters were read
    metric_map_version = models.CharField(max_length=32, blank=True)
    # When the next snapshot is due: dense in the first days, then daily, then weekly.
    next_snapshot_at = models.DateTimeField(null=True, blank=True)
    # `published_at` in the workspace's zone (post_rollup.py): the local day and the hour of
    # the week (Monday 00:00 = 0), worked out once when the post is written instead of for
    # every post at every reading of a dashboard. Kept in the zone PostLocalZone names.
    local_day = models.DateField()
    local_slot = models.PositiveSmallIntegerField()
    locals().update(_counter_fields(POST_METRICS))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account", "network_post_id"], name="one_tracked_post_per_network_id"
            )
        ]
        indexes = [
            models.Index(fields=["workspace", "published_at"], name="tracked_post_by_time"),
            # The dashboards' sums per period read only these columns: with all of them in
            # one index the database never visits the table (SQLite: a quarter's sums over
            # 25,000 posts 61.6 -> 12.2 ms).
            models.Index(
                fields=[
                    "workspace",
                    "published_at",
                    "network",
                    "account",
                    "engagements",
                    "impressions",
                    "views",
                    "reach",
                    "link_clicks",
                ],
                name="tracked_post_dashboard",
            ),
            models.Index(fields=["next_snapshot_at"], name="tracked_post_due"),
            # The top posts of a period: walked from the most engaging down until enough fall
            # in the period, instead of sorting every post of a long period.
            models.Index(
                fields=["workspace", "engagements", "published_at", "id"],
                name="tracked_post_top",
            ),
            # The weekday x hour heatmap of a period: read from the index alone.
            models.Index(
                fields=[
                    "workspace",
                    "local_day",
                    "network",
                    "account",
                    "local_slot",
                    "engagements",
                ],
                name="tracked_post_slots",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.network}:{self.network_post_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        fields = kwargs.get("update_fields")
        if fields is None or "published_at" in fields:
            from townsquare.analytics.post_rollup import set_local_times

            set_local_times([self], self.workspace)
            if fields is not None:
                kwargs["update_fields"] = {*fields, "local_day", "local_slot"}
        super().save(*args, **kwargs)


class PostSnapshot(models.Model):
    """A post's counters at one moment (cumulative since it was published)."""

    post = models.ForeignKey(TrackedPost, on_delete=models.CASCADE, related_name="snapshots")
    taken_at = models.DateTimeField()
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.COLLECTED)
    raw = models.JSONField(default=dict, blank=True)
    metric_map_version = models.CharField(max_length=32, blank=True)
    locals().update(_counter_fields(POST_METRICS))

    class Meta:
        indexes = [models.Index(fields=["post", "taken_at"], name="post_snapshot_by_time")]

    def __str__(self) -> str:
        return f"{self.post_id} at {self.taken_at:%Y-%m-%d %H:%M}"


class AccountSnapshot(models.Model):
    """An account's counters for one day (the newest reading of that day wins)."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="account_snapshots"
    )
    account = models.ForeignKey(
        "networks.SocialAccount", on_delete=models.CASCADE, related_name="snapshots"
    )
    day = models.DateField()
    taken_at = models.DateTimeField()
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.COLLECTED)
    raw = models.JSONField(default=dict, blank=True)
    metric_map_version = models.CharField(max_length=32, blank=True)
    locals().update(_counter_fields(ACCOUNT_METRICS))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "day"], name="one_account_snapshot_a_day")
        ]
        indexes = [models.Index(fields=["workspace", "day"], name="account_snapshot_by_day")]

    def __str__(self) -> str:
        return f"{self.account_id} on {self.day}"


class CollectionState(models.Model):
    """Where the collection of one account stands: shown as each figure's freshness, and as
    a problem a person can act on when reading fails."""

    account = models.OneToOneField(
        "networks.SocialAccount", on_delete=models.CASCADE, related_name="collection_state"
    )
    backfilled_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    # Empty: collection stopped until a person acts (connects the account again, or asks to
    # try again after a refusal); see collection.py.
    next_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    # The first failure of the current streak ("failing since"); empty once reading works.
    failing_since = models.DateTimeField(null=True, blank=True)
    last_error_code = models.CharField(max_length=64, blank=True)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"collection of {self.account_id}"


# Scheduled reports and the posts' daily totals live in their own modules; Django finds
# models through this one.
from townsquare.analytics.models_reports import ReportFrequency, ReportSchedule  # noqa: E402
from townsquare.analytics.models_rollup import PostDayTotal, PostLocalZone  # noqa: E402

__all__ = [
    "AccountSnapshot",
    "CollectionState",
    "PostDayTotal",
    "PostLocalZone",
    "PostSnapshot",
    "ReportFrequency",
    "ReportSchedule",
    "Source",
    "TrackedPost",
]
