"""The social media plan: per workspace, and optionally per campaign.

A Plan holds what the community manager decided before anything is published: the networks
(each with its rationale, tone and cadence), the audiences, the goals with numbers and
dates, and the content pillars with their target shares. Every saved change is a
PlanVersion (who, when, a snapshot), so the plan's history can be read as a diff. Posts
carry their campaign, pillar and audience, which the calendar, the compliance check and
analytics read.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from townsquare.networks.catalog import NETWORK_CHOICES

ADDRESS_CHOICES = [("any", _("No rule")), ("du", _("Informal (du)")), ("sie", _("Formal (Sie)"))]
FORMALITY_CHOICES = [
    ("casual", _("Casual")),
    ("neutral", _("Neutral")),
    ("formal", _("Formal")),
]
EMOJI_CHOICES = [("free", _("Any number")), ("few", _("A few")), ("none", _("No emoji"))]
HASHTAG_POLICY_CHOICES = [
    ("keep_inline", _("Keep where written")),
    ("move_to_end", _("Move to the end")),
    ("none", _("Remove all")),
]
# A network's tone, or a campaign's plan, may leave a choice to the plan above it.
INHERIT = ("", _("As the plan above says"))
TONE_DEFAULTS = {
    "address": "any",
    "formality": "neutral",
    "emoji_policy": "free",
    "max_emoji": 3,
    "hashtag_policy": "keep_inline",
}
GOAL_METRICS = [
    ("follower_growth", _("Follower growth")),
    ("reach", _("Reach")),
    ("views", _("Views")),
    ("engagement_rate", _("Engagement rate (%)")),
    ("response_time", _("Response time (hours)")),
    ("publications", _("Publications")),
]


class Campaign(models.Model):
    """A stretch of publications with one purpose and dates, e.g. a product launch."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="campaigns"
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    colour = models.CharField(_("colour"), max_length=7, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="campaign_name_unique"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Pillar(models.Model):
    """A content pillar (a recurring theme) and the share of publications it should have."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="pillars"
    )
    name = models.CharField(_("name"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    target_share = models.PositiveSmallIntegerField(_("target share (%)"), default=0)
    colour = models.CharField(_("colour"), max_length=7, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="pillar_name_unique"),
            models.CheckConstraint(condition=Q(target_share__lte=100), name="pillar_share_le_100"),
        ]

    def __str__(self) -> str:
        return self.name


class Audience(models.Model):
    """A persona: who they are, what they care about, and where they are."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="audiences"
    )
    name = models.CharField(_("name"), max_length=80)
    who = models.TextField(_("who they are"), blank=True)
    cares_about = models.TextField(_("what they care about"), blank=True)
    networks = models.JSONField(_("where they are"), default=list, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="audience_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Plan(models.Model):
    """The plan of a workspace (no campaign) or of one of its campaigns.

    A campaign's plan names only what differs; what it leaves out comes from the
    workspace's plan.
    """

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="plans"
    )
    campaign = models.OneToOneField(
        Campaign, null=True, blank=True, on_delete=models.CASCADE, related_name="plan"
    )
    summary = models.TextField(_("what the plan is for"), blank=True)
    # Empty: the workspace's time zone.
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    # Compliance counts weeks from the one this day is in: before it there was no plan to
    # follow, so those weeks are no gaps. Made on the day the plan is first saved or read.
    starts_on = models.DateField(_("the plan starts on"), default=timezone.localdate)
    # The plan's tone for every network that has none of its own. A campaign's plan may
    # leave a choice empty (or max_emoji None): then the workspace's plan decides.
    address = models.CharField(
        _("form of address (German)"),
        max_length=8,
        choices=[INHERIT, *ADDRESS_CHOICES],
        blank=True,
        default="",
    )
    formality = models.CharField(
        _("formality"), max_length=8, choices=[INHERIT, *FORMALITY_CHOICES], blank=True, default=""
    )
    emoji_policy = models.CharField(
        _("emoji"), max_length=8, choices=[INHERIT, *EMOJI_CHOICES], blank=True, default=""
    )
    max_emoji = models.PositiveSmallIntegerField(
        _("at most this many emoji"), null=True, blank=True
    )
    hashtag_policy = models.CharField(
        _("hashtags"),
        max_length=16,
        choices=[INHERIT, *HASHTAG_POLICY_CHOICES],
        blank=True,
        default="",
    )
    # Network key -> at most this many hashtags (no key: what the network recommends).
    max_hashtags = models.JSONField(_("hashtags per network"), default=dict, blank=True)
    call_to_action = models.CharField(_("call to action"), max_length=200, blank=True)
    avoid_words = models.JSONField(_("words to avoid"), default=list, blank=True)
    prefer_words = models.JSONField(_("words to prefer"), default=list, blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace"],
                condition=Q(campaign__isnull=True),
                name="one_plan_per_workspace",
            ),
        ]

    def __str__(self) -> str:
        return f"Plan of {self.campaign or self.workspace}"


class NetworkPlan(models.Model):
    """One network of a plan: why it is there, its tone, and its cadence."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="networks")
    network = models.CharField(_("network"), max_length=32, choices=NETWORK_CHOICES)
    rationale = models.TextField(_("why this network"), blank=True)
    # Tone: drives the adaptation engine for this network's accounts.
    # An empty choice (or max_emoji None): the plan's own tone decides.
    address = models.CharField(
        _("form of address (German)"),
        max_length=8,
        choices=[INHERIT, *ADDRESS_CHOICES],
        blank=True,
        default="",
    )
    formality = models.CharField(
        _("formality"), max_length=8, choices=[INHERIT, *FORMALITY_CHOICES], blank=True, default=""
    )
    emoji_policy = models.CharField(
        _("emoji"), max_length=8, choices=[INHERIT, *EMOJI_CHOICES], blank=True, default=""
    )
    max_emoji = models.PositiveSmallIntegerField(
        _("at most this many emoji"), null=True, blank=True
    )
    hashtag_policy = models.CharField(
        _("hashtags"),
        max_length=16,
        choices=[INHERIT, *HASHTAG_POLICY_CHOICES],
        blank=True,
        default="",
    )
    # None: what the network recommends.
    max_hashtags = models.PositiveSmallIntegerField(_("hashtags at most"), null=True, blank=True)
    call_to_action = models.CharField(_("call to action"), max_length=200, blank=True)
    avoid_words = models.JSONField(_("words to avoid"), default=list, blank=True)
    prefer_words = models.JSONField(_("words to prefer"), default=list, blank=True)
    # Cadence.
    posts_per_week = models.PositiveSmallIntegerField(_("publications per week"), default=0)
    preferred_days = models.JSONField(_("preferred days"), default=list, blank=True)  # 0 = Monday
    preferred_times = models.JSONField(_("preferred times"), default=list, blank=True)  # "HH:MM"

    class Meta:
        ordering = ["network"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "network"], name="one_entry_per_network"),
        ]

    def __str__(self) -> str:
        return f"{self.plan}: {self.network}"


class Goal(models.Model):
    """A goal with a number and a date, which analytics measures."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    metric = models.CharField(_("measure"), max_length=24, choices=GOAL_METRICS)
    # Empty: all of the plan's networks together.
    network = models.CharField(_("network"), max_length=32, choices=NETWORK_CHOICES, blank=True)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    baseline = models.DecimalField(
        _("starting point"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    starts_on = models.DateField(_("from"), null=True, blank=True)
    due_on = models.DateField(_("by"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self.metric} {self.target} by {self.due_on}"


class PlanVersion(models.Model):
    """A saved state of a plan: who changed it, when, and everything it said then."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    snapshot = models.JSONField(default=dict)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="one_version_number"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"
