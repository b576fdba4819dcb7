from django.conf import settings
from django.db import models


class Notification(models.Model):
    """Something a person should know about, shown in the app until read."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="notifications"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    # The facts behind the title (account, network, status...), so the title can be shown
    # in the reader's language instead of the language it happened to be written in.
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "workspace", "read_at"], name="notification_unread")
        ]

    def __str__(self) -> str:
        return self.title


class WebhookDelivery(models.Model):
    """The result of one webhook call, so that Settings can show whether the receiver
    answers without anyone reading server logs."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="webhook_deliveries"
    )
    url = models.CharField(max_length=2000)
    event = models.CharField(max_length=40)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-delivered_at", "-id"]

    def __str__(self) -> str:
        return f"{self.event} -> {self.url}: {self.status_code or self.error}"

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
