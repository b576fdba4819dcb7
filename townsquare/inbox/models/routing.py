"""Who handles what: the workspace's inbox settings, teams, company departments, the rules
that route messages to them (with their SLA targets), and the record of each forward."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class InboxSettings(models.Model):
    workspace = models.OneToOneField(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="inbox_settings"
    )
    # {"mon": [["09:00", "17:00"]], ...} in the workspace's time zone; empty: around the clock.
    business_hours = models.JSONField(_("business hours"), default=dict, blank=True)
    # Older messages are anonymised (text and author removed, counts kept). Null: kept.
    retention_days = models.PositiveIntegerField(
        _("keep messages for (days)"), null=True, blank=True
    )
    replies_need_approval = models.BooleanField(_("replies need approval"), default=False)
    # Users who get the weekly digest of the register.
    digest_recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+"
    )
    # How many times the usual rate of unanswered or negative messages raises the alarm.
    spike_factor = models.FloatField(_("storm alarm factor"), default=3.0)

    def __str__(self) -> str:
        return f"inbox settings of {self.workspace_id}"


class Team(models.Model):
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="inbox_teams"
    )
    name = models.CharField(_("name"), max_length=100)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    # Round robin: the member who got the last conversation.
    last_assigned = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="inbox_team_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """A part of the company that answers users' questions (support, product, legal...),
    reached by e-mail or a signed webhook; people there need no Townsquare login."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="inbox_departments"
    )
    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    webhook_url = models.URLField(_("webhook address"), max_length=500, blank=True)
    # Standard Webhooks secret ("whsec_" + base64), stored encrypted.
    webhook_secret_encrypted = models.TextField(blank=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "name"], name="inbox_department_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Rule(models.Model):
    """Conditions -> actions, applied in `position` order to each new inbound message.

    `conditions`: {"category": [...], "sentiment": [...], "min_urgency": 50, "spam": [...],
    "language": [...],
    "keywords": [...], "emoji_only": true, "has_link": true, "network": [...], "account": [ids],
    "author": [...], "min_followers": 1000, "business_hours": "inside"|"outside"}; all given
    conditions must hold. `actions`: {"assign_team": id, "assign_user": id,
    "assign_mode": "round_robin"|"open_load", "labels": [...], "priority": 0-2,
    "hide": true, "delete": true, "forward_department": id}.
    """

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="inbox_rules"
    )
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveIntegerField(default=0)
    active = models.BooleanField(_("active"), default=True)
    # Later rules still run after this one unless it says stop.
    stop_after = models.BooleanField(_("stop after this rule"), default=False)
    conditions = models.JSONField(default=dict, blank=True)
    actions = models.JSONField(default=dict, blank=True)
    # SLA targets in business minutes; null: none.
    first_response_minutes = models.PositiveIntegerField(null=True, blank=True)
    resolution_minutes = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class ForwardStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("forward status", "Sending")
    SENT = "sent", pgettext_lazy("forward status", "Sent")
    FAILED = "failed", pgettext_lazy("forward status", "Could not be sent")


class Forward(models.Model):
    """A conversation handed to a department, by e-mail or webhook; the attempt and its
    outcome stay visible on the conversation (a failed forward is shown, never retried
    silently forever)."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="inbox_forwards"
    )
    conversation = models.ForeignKey(
        "inbox.Conversation", on_delete=models.CASCADE, related_name="forwards"
    )
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="forwards")
    rule = models.ForeignKey(
        Rule, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    # One forward per way of reaching the department, so a retried webhook never sends the
    # e-mail twice: "email" or "webhook".
    channel = models.CharField(max_length=8, default="email")
    status = models.CharField(max_length=16, choices=ForwardStatus, default=ForwardStatus.PENDING)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"forward {self.conversation_id} -> {self.department_id}"


class RuleMatch(models.Model):
    """A rule that applied to an inbound message: which conditions held (the explanation
    shown on the conversation), what it did, and what it could not do ("hiding is not
    possible on Mastodon")."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="inbox_rule_matches"
    )
    conversation = models.ForeignKey(
        "inbox.Conversation", on_delete=models.CASCADE, related_name="rule_matches"
    )
    message = models.ForeignKey(
        "inbox.Message", on_delete=models.CASCADE, related_name="rule_matches"
    )
    rule = models.ForeignKey(
        Rule, null=True, blank=True, on_delete=models.SET_NULL, related_name="matches"
    )
    # Kept so the explanation survives the rule's deletion or renaming.
    rule_name = models.CharField(max_length=120)
    # [{"key": "keywords", "wanted": [...], "seen": "refund"}, ...]
    checks = models.JSONField(default=list, blank=True)
    # [{"action": "assign_user", "user": 3}, {"action": "labels", "labels": [...]}, ...]
    done = models.JSONField(default=list, blank=True)
    # [{"action": "hide", "problem": "not_supported", "network": "mastodon"}, ...]
    problems = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["conversation", "created_at"])]

    def __str__(self) -> str:
        return f"{self.rule_name} on {self.message_id}"


class SlaKind(models.TextChoices):
    FIRST_RESPONSE = "first_response", pgettext_lazy("sla", "First response")
    RESOLUTION = "resolution", pgettext_lazy("sla", "Resolution")


class SlaBreach(models.Model):
    """A conversation that missed an SLA target; one row per target, so people are told
    once per breach however often the job runs and however many schedulers run it."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="inbox_sla_breaches"
    )
    conversation = models.ForeignKey(
        "inbox.Conversation", on_delete=models.CASCADE, related_name="sla_breaches"
    )
    kind = models.CharField(max_length=16, choices=SlaKind)
    due_at = models.DateTimeField()
    notified_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "kind", "due_at"], name="inbox_sla_breach_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} of {self.conversation_id} due {self.due_at}"


class StormAlarm(models.Model):
    """A brewing storm: far more unanswered or negative messages in an hour than usual.
    Open while `ended_at` is null; managers are told once when it starts."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="inbox_storms"
    )
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    # Messages in the hour that raised it (and the most seen while it lasted).
    count = models.PositiveIntegerField()
    peak_count = models.PositiveIntegerField()
    normal_per_hour = models.FloatField()
    factor = models.FloatField()

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace"],
                condition=models.Q(ended_at__isnull=True),
                name="inbox_one_open_storm",
            )
        ]

    def __str__(self) -> str:
        return f"storm in {self.workspace_id} since {self.started_at}"
