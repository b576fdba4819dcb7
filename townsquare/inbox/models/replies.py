"""Answers from Townsquare: replies (with their approval and sending state), saved replies,
and internal notes between colleagues."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReplyStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("reply status", "Draft")
    PENDING_APPROVAL = "pending_approval", pgettext_lazy("reply status", "Waiting for approval")
    SENDING = "sending", pgettext_lazy("reply status", "Sending")
    SENT = "sent", pgettext_lazy("reply status", "Sent")
    FAILED = "failed", pgettext_lazy("reply status", "Could not be sent")
    REJECTED = "rejected", pgettext_lazy("reply status", "Rejected")


class Reply(models.Model):
    """An answer to one message of a conversation. Sending is idempotent: the connector's
    key is derived from the reply's id, and the sent message is linked once it is known."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="inbox_replies"
    )
    conversation = models.ForeignKey(
        "inbox.Conversation", on_delete=models.CASCADE, related_name="replies"
    )
    in_reply_to = models.ForeignKey(
        "inbox.Message", on_delete=models.CASCADE, related_name="replies"
    )
    text = models.TextField(_("text"))
    status = models.CharField(max_length=20, choices=ReplyStatus, default=ReplyStatus.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Drafted by the register when the company's answer was recorded.
    feedback_topic = models.ForeignKey(
        "inbox.FeedbackTopic", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_message = models.OneToOneField(
        "inbox.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    error = models.TextField(blank=True)
    # A private answer to a public comment (Messenger, Instagram Direct): Meta allows one per
    # comment within 7 days, so a second one is refused before it is stored.
    private = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"reply {self.pk} ({self.status})"


class SavedReply(models.Model):
    """A reusable answer with variables ({name}, {handle}, {account}) in one language."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="inbox_saved_replies"
    )
    title = models.CharField(_("title"), max_length=120)
    language = models.CharField(_("language"), max_length=8)
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "language", "id"]

    def __str__(self) -> str:
        return self.title


class InternalNote(models.Model):
    """A note between colleagues on a conversation; never sent to the user."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="inbox_notes"
    )
    conversation = models.ForeignKey(
        "inbox.Conversation", on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("text"))
    mentioned = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"note {self.pk}"


class Viewing(models.Model):
    """Who has a conversation open with an answer in progress: the collision warning."""

    conversation = models.ForeignKey(
        "inbox.Conversation", on_delete=models.CASCADE, related_name="viewings"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    typing = models.BooleanField(default=False)
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "user"], name="inbox_viewing_unique_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.conversation_id}"
