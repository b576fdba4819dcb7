"""The posts' counters summed per account and local day, for dashboards over long periods.

Two years of a busy workspace are 100,000 posts; summing them at every opening of the
overview is most of its time. PostDayTotal holds the same sums a day at a time (about a
third of the rows), kept by the database itself: triggers on TrackedPost's table add a
post when it is written, move it when its counters, day or account change, and take it
away when it is deleted (migration 0005), whichever code writes the post. post_rollup.py
reads them, and says when they cannot be used (figures of a campaign or a pillar).

A counter no post of the day reported stays unknown, not 0: each sum has the number of
posts that reported it (`*_known`) beside it.
"""

from __future__ import annotations

from django.db import models

# The counters summed per day (the post's own visibility counters and its engagements).
DAY_TOTAL_COUNTERS = ("impressions", "views", "reach", "link_clicks")


class PostLocalZone(models.Model):
    """The zone the workspace's posts' local days and hours were worked out in. It differs
    from the workspace's zone only between a change of the workspace's zone and the
    rework of its posts (post_rollup.rezone); dashboards meanwhile count the slow way."""

    workspace = models.OneToOneField(
        "workspaces.Workspace",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="post_local_zone",
    )
    time_zone = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.workspace_id}: {self.time_zone}"


def _sum_fields() -> dict[str, models.Field]:  # type: ignore[type-arg]
    # Plain (signed) integers: the triggers subtract, and a check would only hide a bug.
    out: dict[str, models.Field] = {}  # type: ignore[type-arg]
    for name in DAY_TOTAL_COUNTERS:
        out[name] = models.BigIntegerField(default=0)
        out[f"{name}_known"] = models.IntegerField(default=0)
    return out


class PostDayTotal(models.Model):
    """The posts of one account published on one local day of its workspace, summed."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="post_day_totals"
    )
    account = models.ForeignKey(
        "networks.SocialAccount", on_delete=models.CASCADE, related_name="post_day_totals"
    )
    network = models.CharField(max_length=32)
    local_day = models.DateField()
    posts = models.IntegerField(default=0)
    engagements = models.BigIntegerField(default=0)
    # Engagements of the posts whose impressions are known (the engagement rate's numerator).
    engaged_with_impressions = models.BigIntegerField(default=0)
    locals().update(_sum_fields())

    class Meta:
        constraints = [
            # The day first: led by the account, SQLite would pick this index to group the
            # sums by account and read the table row by row instead of the covering index.
            models.UniqueConstraint(
                fields=["local_day", "account", "network"], name="one_post_day_total"
            )
        ]
        indexes = [
            # Every sum the dashboards take, so that they read the index alone.
            models.Index(
                fields=[
                    "workspace",
                    "local_day",
                    "network",
                    "account",
                    "posts",
                    "engagements",
                    "engaged_with_impressions",
                    *DAY_TOTAL_COUNTERS,
                    *(f"{name}_known" for name in DAY_TOTAL_COUNTERS),
                ],
                name="post_day_total_by_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.account_id} on {self.local_day}: {self.posts}"
