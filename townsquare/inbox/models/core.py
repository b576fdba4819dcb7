"""Contacts, conversations and messages: what people say to the workspace's accounts.

A message is stored once per account and network message id (a re-read message is never a
second item); a conversation is one thread (or one private chat) on one account; a contact is
one person on one network, with their history across conversations.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Contact(models.Model):
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="inbox_contacts"
    )
    network = models.CharField(_("network"), max_length=32)
    # The network's stable name for the person (a Bluesky handle or DID, a Mastodon acct,
    # a Matrix user id).
    handle = models.CharField(_("handle"), max_length=255)
    display_name = models.CharField(_("name"), max_length=255, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    follower_count = models.PositiveIntegerField(_("followers"), null=True, blank=True)
    first_seen_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    # Set when the person's data was anonymised (retention or a deletion request): the row
    # stays so that counts and the register keep their history without naming anyone.
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "network", "handle"], name="inbox_contact_unique_handle"
            )
        ]
        indexes = [models.Index(fields=["workspace", "-last_seen_at"])]

    def __str__(self) -> str:
        return self.display_name or self.handle


class ConversationStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("inbox status", "Open")
    WAITING = "waiting", pgettext_lazy("inbox status", "Waiting for the company")
    CLOSED = "closed", pgettext_lazy("inbox status", "Closed")


class Priority(models.IntegerChoices):
    NORMAL = 0, pgettext_lazy("inbox priority", "Normal")
    HIGH = 1, pgettext_lazy("inbox priority", "High")
    URGENT = 2, pgettext_lazy("inbox priority", "Urgent")


class Conversation(models.Model):
    """One thread (or private chat) on one account: the unit that is assigned and answered."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="inbox_conversations"
    )
    account = models.ForeignKey(
        "networks.SocialAccount", on_delete=models.CASCADE, related_name="inbox_conversations"
    )
    network_conversation_id = models.CharField(max_length=512)
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations"
    )
    # A private chat: answers go back privately, never as a public post.
    is_private = models.BooleanField(default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=ConversationStatus, default=ConversationStatus.OPEN
    )
    priority = models.SmallIntegerField(_("priority"), choices=Priority, default=Priority.NORMAL)
    labels = models.JSONField(_("labels"), default=list, blank=True)
    team = models.ForeignKey(
        "inbox.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inbox_assignments",
    )
    # The rule that routed it (its SLA targets), kept for the SLA clock and the explanation.
    rule = models.ForeignKey(
        "inbox.Rule", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_message_at = models.DateTimeField()
    last_message_at = models.DateTimeField()
    # The newest message from the user side not yet answered; null when answered.
    waiting_since = models.DateTimeField(null=True, blank=True)
    first_response_due_at = models.DateTimeField(null=True, blank=True)
    resolution_due_at = models.DateTimeField(null=True, blank=True)
    first_responded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Triage of the conversation: that of its most telling inbound message.
    category = models.CharField(_("category"), max_length=16, blank=True)
    sentiment = models.CharField(_("sentiment"), max_length=16, blank=True)
    urgency = models.SmallIntegerField(_("urgency"), default=0)
    is_spam = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account", "network_conversation_id"],
                name="inbox_conversation_unique_thread",
            )
        ]
        indexes = [
            # The inbox list, newest first, unfiltered: its first page is read from this
            # index instead of sorting every conversation of the workspace (measured with
            # 100,000 on PostgreSQL: 590 ms without, 1 ms with).
            models.Index(
                fields=["workspace", "-last_message_at", "-id"], name="inbox_conversation_recent"
            ),
            # Filtered by status, category or both, in the list's own order (with the id,
            # so that no sort is left): a status nobody is in was read through every
            # conversation (SQLite, 100,000: 430 ms; with these 0.1 ms).
            models.Index(
                fields=["workspace", "status", "-last_message_at", "-id"],
                name="inbox_conversation_status",
            ),
            models.Index(
                fields=["workspace", "category", "-last_message_at", "-id"],
                name="inbox_conversation_category",
            ),
            models.Index(
                fields=["workspace", "status", "category", "-last_message_at", "-id"],
                name="inbox_conversation_triage",
            ),
            # "Mine": a person with few conversations among many.
            models.Index(
                fields=["workspace", "assignee", "-last_message_at", "-id"],
                name="inbox_conversation_assigned",
            ),
            models.Index(fields=["workspace", "assignee", "status"]),
            models.Index(fields=["workspace", "first_response_due_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.account_id}:{self.network_conversation_id}"


class MessageKind(models.TextChoices):
    MENTION = "mention", pgettext_lazy("inbox message kind", "Mention")
    COMMENT = "comment", pgettext_lazy("inbox message kind", "Comment")
    REPLY = "reply", pgettext_lazy("inbox message kind", "Reply")
    DIRECT = "direct", pgettext_lazy("inbox message kind", "Private message")
    # Our own answer, sent from Townsquare (or seen on the network as the account's own).
    OUTBOUND = "outbound", pgettext_lazy("inbox message kind", "Our answer")


class Message(models.Model):
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="inbox_messages"
    )
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    account = models.ForeignKey(
        "networks.SocialAccount", on_delete=models.CASCADE, related_name="inbox_messages"
    )
    network_message_id = models.CharField(max_length=512)
    in_reply_to_id = models.CharField(max_length=512, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=MessageKind)
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    author_handle = models.CharField(max_length=255)
    author_name = models.CharField(max_length=255, blank=True)
    text = models.TextField(_("text"))
    created_at = models.DateTimeField()  # the network's time
    received_at = models.DateTimeField(auto_now_add=True)
    # Who sent it from Townsquare (outbound only).
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    # --- triage (inbound only); `triage` holds confidences, reasons and urgency parts.
    language = models.CharField(_("language"), max_length=8, blank=True)
    category = models.CharField(_("category"), max_length=16, blank=True)
    sentiment = models.CharField(_("sentiment"), max_length=16, blank=True)
    spam = models.CharField(max_length=8, blank=True)  # ok | spam | abuse
    urgency = models.SmallIntegerField(_("urgency"), default=0)
    triage = models.JSONField(default=dict, blank=True)
    triage_model_version = models.CharField(max_length=64, blank=True)
    # Labels a person set by hand win over the model's and are kept when it is re-run.
    corrected = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account", "network_message_id"], name="inbox_message_unique_id"
            )
        ]
        indexes = [
            models.Index(fields=["conversation", "created_at"]),
            models.Index(fields=["workspace", "-created_at"]),
            models.Index(fields=["contact", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.network_message_id}"

    @property
    def inbound(self) -> bool:
        return self.kind != MessageKind.OUTBOUND


class InboxCursor(models.Model):
    """Where the last poll of an account's inbox stopped, and how the polls are going."""

    account = models.OneToOneField(
        "networks.SocialAccount", on_delete=models.CASCADE, related_name="inbox_cursor"
    )
    cursor = models.TextField(blank=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    next_poll_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveSmallIntegerField(default=0)
    # Set when polling stopped after repeated failures (or a login the network refused): no
    # retry loop runs on its own; a person reconnects the account or asks to try again.
    paused_at = models.DateTimeField(null=True, blank=True)
    # Shown on the accounts page and the inbox: a person can see why no messages arrive.
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["next_poll_at"], name="inbox_cursor_due")]

    def __str__(self) -> str:
        return f"cursor of {self.account_id}"
