"""Media of a workspace: folders, assets (images and videos) and tags.

Tags are rows (MediaTag, unique per workspace) rather than a JSON list on the asset: the
tag filter then is a plain join that works the same on SQLite and PostgreSQL (SQLite has
no JSON containment lookup), and the list of a workspace's tags is one indexed query.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from townsquare.media.facts import Kind
from townsquare.workspaces.models import Workspace

ALT_TEXT_MAX = 1500
KIND_CHOICES = [(Kind.IMAGE.value, _("Image")), (Kind.VIDEO.value, _("Video"))]


class MediaFolder(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="media_folders")
    name = models.CharField(_("name"), max_length=120)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        verbose_name=_("parent folder"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            # Two constraints because NULL parents never collide in a plain unique index.
            models.UniqueConstraint(
                fields=["workspace", "parent", "name"],
                condition=Q(parent__isnull=False),
                name="media_folder_unique_in_parent",
            ),
            models.UniqueConstraint(
                fields=["workspace", "name"],
                condition=Q(parent__isnull=True),
                name="media_folder_unique_at_top",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def path(self) -> str:
        names, folder, seen = [], self, set()
        while folder is not None and folder.pk not in seen:
            seen.add(folder.pk)
            names.append(folder.name)
            folder = folder.parent
        return " / ".join(reversed(names))


class MediaTag(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="media_tags")
    name = models.CharField(_("name"), max_length=40)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="media_tag_unique")
        ]

    def __str__(self) -> str:
        return self.name


class MediaAsset(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="media")
    folder = models.ForeignKey(
        MediaFolder,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assets",
        verbose_name=_("folder"),
    )
    # Stored as <workspace id>/<year>/<random>.<ext>; the uploaded name never reaches disk.
    file = models.FileField(max_length=255)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    kind = models.CharField(_("kind"), max_length=8, choices=KIND_CHOICES)
    mime_type = models.CharField(_("type"), max_length=64)
    size_bytes = models.PositiveBigIntegerField(_("size"))
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    duration_seconds = models.FloatField(_("duration"), null=True, blank=True)
    video_codec = models.CharField(_("video codec"), max_length=32, blank=True)
    # Of the bytes as uploaded: the same file uploaded twice is found, not stored twice.
    sha256 = models.CharField(max_length=64)
    alt_text = models.TextField(_("alt text"), max_length=ALT_TEXT_MAX, blank=True)
    tags = models.ManyToManyField(MediaTag, blank=True, related_name="assets")
    usage_count = models.PositiveIntegerField(_("used"), default=0)
    thumbnail = models.FileField(max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "sha256"], name="media_unique_content")
        ]
        indexes = [models.Index(fields=["workspace", "kind", "-created_at"])]

    def __str__(self) -> str:
        return self.original_name or f"{self.kind} {self.pk}"

    @property
    def tag_names(self) -> list[str]:
        return [t.name for t in self.tags.all()]

    @property
    def duration_display(self) -> str:
        """0:07, 1:30, 1:02:03"""
        if self.duration_seconds is None:
            return ""
        total = round(self.duration_seconds)
        hours, rest = divmod(total, 3600)
        minutes, seconds = divmod(rest, 60)
        return f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes}:{seconds:02}"
