"""Posts and their per-account variants, and the workspace's writing aids.

A Post holds the one master message; a Variant holds what goes to one account, adapted by
the engine (content/adapt.py) or edited by hand. The engine's changes and the validator's
problems are stored with the variant so every screen and API shows the same explanation.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

ADDRESS_CHOICES = [("any", _("No rule")), ("du", _("Informal (du)")), ("sie", _("Formal (Sie)"))]
EMOJI_CHOICES = [("free", _("Any number")), ("few", _("A few")), ("none", _("No emoji"))]
HASHTAG_POLICY_CHOICES = [
    ("keep_inline", _("Keep where written")),
    ("move_to_end", _("Move to the end")),
    ("none", _("Remove all")),
]
POST_STATES = [("draft", _("Draft"))]


class Contact(models.Model):
    """One person or brand with a handle per network, referenced as @[Name] in posts."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=120)
    handles = models.JSONField(_("handles"), default=dict, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="one_contact_per_name")
        ]

    def __str__(self) -> str:
        return self.name


class HashtagSet(models.Model):
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="hashtag_sets"
    )
    name = models.CharField(_("name"), max_length=80)
    hashtags = models.JSONField(_("hashtags"), default=list)
    networks = models.JSONField(_("only for networks"), default=list, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Snippet(models.Model):
    """A reusable piece of text (a signature, a disclaimer, a call to action)."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="snippets"
    )
    name = models.CharField(_("name"), max_length=80)
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PostTemplate(models.Model):
    """A starting point for a recurring kind of post."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="post_templates"
    )
    name = models.CharField(_("name"), max_length=80)
    text = models.TextField(_("text"))
    hashtags = models.JSONField(_("hashtags"), default=list, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Post(models.Model):
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="posts"
    )
    master_text = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    link_url = models.URLField(_("link"), max_length=2000, blank=True)
    hashtags = models.JSONField(_("hashtags"), default=list, blank=True)
    hashtag_sets = models.JSONField(_("hashtag sets"), default=list, blank=True)
    content_warning = models.CharField(_("content warning"), max_length=500, blank=True)
    state = models.CharField(max_length=16, choices=POST_STATES, default="draft")
    # Where the post belongs in the social media plan.
    campaign = models.ForeignKey(
        "planning.Campaign",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
        verbose_name=_("campaign"),
    )
    pillar = models.ForeignKey(
        "planning.Pillar",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
        verbose_name=_("content pillar"),
    )
    audience = models.ForeignKey(
        "planning.Audience",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
        verbose_name=_("audience"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        first_line = self.master_text.strip().splitlines()[0] if self.master_text.strip() else ""
        return first_line[:60] or f"Post {self.pk}"


class Variant(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="variants")
    account = models.ForeignKey(
        "networks.SocialAccount", on_delete=models.CASCADE, related_name="variants"
    )
    text = models.TextField(blank=True)
    parts = models.JSONField(default=list)
    content_warning = models.CharField(max_length=500, blank=True)
    edited_by_hand = models.BooleanField(default=False)
    adapted_from = models.TextField(blank=True, help_text="the master text last adapted from")
    changes = models.JSONField(default=list, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    problems = models.JSONField(default=list, blank=True)
    link_card_url = models.URLField(max_length=2000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["account__network", "account__handle"]
        constraints = [
            models.UniqueConstraint(fields=["post", "account"], name="one_variant_per_account")
        ]

    def __str__(self) -> str:
        return f"{self.post} -> {self.account}"

    @property
    def has_errors(self) -> bool:
        return any(p.get("severity") == "error" for p in self.problems)


class PostMedia(models.Model):
    """A file of the media library attached to a post, in the order it is shown."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    asset = models.ForeignKey("media.MediaAsset", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["post", "asset"], name="one_attachment_per_asset")
        ]

    def __str__(self) -> str:
        return f"{self.post} #{self.position}"
