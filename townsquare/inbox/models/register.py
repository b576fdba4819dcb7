"""The feedback register: users' questions, complaints, suggestions and proposals, grouped
into topics by similarity and tracked until every user in a topic has been told the
company's answer."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TopicStatus(models.TextChoices):
    NEW = "new", pgettext_lazy("feedback status", "New")
    FORWARDED = "forwarded", pgettext_lazy("feedback status", "Forwarded")
    ANSWERED = "answered", pgettext_lazy("feedback status", "Answered by the company")
    INFORMED = "informed", pgettext_lazy("feedback status", "Users informed")
    CLOSED = "closed", pgettext_lazy("feedback status", "Closed")


class FeedbackTopic(models.Model):
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="feedback_topics"
    )
    title = models.CharField(_("title"), max_length=200)
    # The most common category of its items (question, complaint, suggestion).
    category = models.CharField(_("category"), max_length=16, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=TopicStatus, default=TopicStatus.NEW
    )
    department = models.ForeignKey(
        "inbox.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The company's answer, recorded by a person; replies to every user are drafted from it.
    company_answer = models.TextField(_("the company's answer"), blank=True)
    # The answer per language ({"de": "...", "en": "..."}): each user is told it in theirs.
    company_answers = models.JSONField(default=dict, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Mean embedding of its items (float32 bytes), to place new items.
    centroid = models.BinaryField(null=True, blank=True)
    # A person renamed, merged or split it: automatic grouping leaves its title alone.
    edited = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["workspace", "status", "-updated_at"])]

    def __str__(self) -> str:
        return self.title


class FeedbackItem(models.Model):
    """One user's question, complaint, suggestion or proposal (one inbound message)."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="feedback_items"
    )
    topic = models.ForeignKey(
        FeedbackTopic, null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )
    # Null once the message was deleted on the user's request: the item stays, naming no one,
    # so the topic's counts and trend keep their history.
    message = models.OneToOneField(
        "inbox.Message",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_item",
    )
    category = models.CharField(_("category"), max_length=16)
    language = models.CharField(_("language"), max_length=8, blank=True)
    embedding = models.BinaryField(null=True, blank=True)
    # When this user was told the company's answer (the reply that told them).
    informed_at = models.DateTimeField(null=True, blank=True)
    informed_by_reply = models.ForeignKey(
        "inbox.Reply", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    # Anonymised or deleted on request: the item stays counted in its topic, naming no one.
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["workspace", "-created_at"]),
            models.Index(fields=["topic", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"feedback {self.pk}"


class RegisterDigest(models.Model):
    """The weekly digest of a workspace's register, one row per ISO week it went out: the
    job sends each week's digest once, also when it runs often or twice at the same time."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="+"
    )
    week = models.CharField(max_length=10)  # ISO year and week, "2026-W49"
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "week"], name="inbox_digest_once_a_week")
        ]

    def __str__(self) -> str:
        return f"digest {self.workspace_id} {self.week}"
