"""Calendar feeds: a secret address per workspace (or campaign) that calendar apps
subscribe to without signing in. Only the token's SHA-256 is stored; the address is shown
once, when it is made, and a revoked token answers 404 like one that never existed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class FeedToken(models.Model):
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="feed_tokens"
    )
    # Only this campaign's posts; null: every post of the workspace.
    campaign = models.ForeignKey(
        "planning.Campaign",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="feed_tokens",
        verbose_name=pgettext_lazy("calendar feed", "campaign"),
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=16)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked_at is None
