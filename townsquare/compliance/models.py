"""What the weekly plan check has sent: one row per workspace and week, so that the check
goes out once, however many schedulers run and however often they pass."""

from django.db import models


class PlanCheck(models.Model):
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="plan_checks"
    )
    # The Monday of the week the check was sent in (the workspace's zone).
    week_start = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)
    gaps = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-week_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "week_start"], name="one_plan_check_per_week"
            ),
        ]

    def __str__(self) -> str:
        return f"Plan check of {self.workspace_id} for {self.week_start}"
