"""What the triage learns per workspace: the manager's corrections and the models trained on
them (versioned; an older version can be made active again)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TriageCorrection(models.Model):
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="triage_corrections"
    )
    message = models.ForeignKey(
        "inbox.Message", on_delete=models.CASCADE, related_name="corrections"
    )
    task = models.CharField(max_length=16)  # category | sentiment | spam
    old_value = models.CharField(max_length=16, blank=True)
    new_value = models.CharField(max_length=16)
    # The text learnt from; anonymisation blanks it here too (the trained model keeps only
    # weights).
    text = models.TextField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.task}: {self.old_value} -> {self.new_value}"


class TriageModelVersion(models.Model):
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="triage_models"
    )
    version = models.CharField(_("version"), max_length=64)
    blob = models.BinaryField()
    active = models.BooleanField(default=False)
    examples = models.PositiveIntegerField(default=0)
    # Accuracy and macro-F1 on the corrections held out when it was trained.
    metrics = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "version"], name="inbox_triage_model_unique_version"
            ),
            models.UniqueConstraint(
                fields=["workspace"],
                condition=models.Q(active=True),
                name="inbox_triage_model_one_active",
            ),
        ]

    def __str__(self) -> str:
        return self.version
