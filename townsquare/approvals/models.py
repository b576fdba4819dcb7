"""Approvals: the workspace's rule, each post's review, decisions, comments and client links.

The review state of a post lives here, beside the post (one row per post), so that the
content app needs no knowledge of approvals. "Scheduled" is not stored: an approved post
whose publications are scheduled is scheduled.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MODE_NONE = "none"
MODE_ONE = "one"
MODE_TWO = "two"
MODE_CHOICES = [
    (MODE_NONE, _("No approval: editors schedule directly")),
    (MODE_ONE, _("One approver")),
    (MODE_TWO, _("Two approvers (two different people, neither the author)")),
]

DRAFT = "draft"
IN_REVIEW = "in_review"
CHANGES_REQUESTED = "changes_requested"
APPROVED = "approved"
ON_HOLD = "on_hold"
STATE_CHOICES = [
    (DRAFT, _("Draft")),
    (IN_REVIEW, _("In review")),
    (CHANGES_REQUESTED, _("Changes requested")),
    (APPROVED, _("Approved")),
    (ON_HOLD, _("On hold")),
]

APPROVE = "approve"
REQUEST_CHANGES = "changes"
DECISION_CHOICES = [(APPROVE, _("approved")), (REQUEST_CHANGES, _("asked for changes"))]

DEFAULT_LINK_DAYS = 7
MAX_LINK_DAYS = 30
MAX_COMMENT_CHARS = 5000


class ApprovalSettings(models.Model):
    workspace = models.OneToOneField(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="approval_settings"
    )
    mode = models.CharField(_("approval"), max_length=8, choices=MODE_CHOICES, default=MODE_NONE)
    client_approval = models.BooleanField(
        _("the client approves too"),
        default=False,
        help_text=_(
            "Through a link that needs no account: the client sees the post as each network "
            "will show it and approves it or asks for changes."
        ),
    )
    link_days = models.PositiveSmallIntegerField(
        _("client links are valid for (days)"), default=DEFAULT_LINK_DAYS
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Approvals of {self.workspace}"

    @property
    def enabled(self) -> bool:
        return self.mode != MODE_NONE

    @property
    def approvers_needed(self) -> int:
        return {MODE_ONE: 1, MODE_TWO: 2}.get(self.mode, 0)


class PostReview(models.Model):
    post = models.OneToOneField("content.Post", on_delete=models.CASCADE, related_name="review")
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="post_reviews"
    )
    state = models.CharField(max_length=20, choices=STATE_CHOICES, default=DRAFT)
    # Each submission after a change starts a round; only this round's decisions count.
    round = models.PositiveIntegerField(default=0)
    # What was submitted (text, variants, media): a change of it sends the post back.
    fingerprint = models.CharField(max_length=64, blank=True)
    # The time the author proposes: the wall time in its zone, and the instant (UTC).
    proposed_local = models.CharField(max_length=16, blank=True)
    proposed_zone = models.CharField(max_length=64, blank=True)
    proposed_due_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    state_changed_at = models.DateTimeField(null=True, blank=True)
    held_from = models.CharField(max_length=20, blank=True)
    last_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["workspace", "state"], name="review_by_state")]

    def __str__(self) -> str:
        return f"Review of post {self.post_id}: {self.state}"


class ReviewDecision(models.Model):
    review = models.ForeignKey(PostReview, on_delete=models.CASCADE, related_name="decisions")
    round = models.PositiveIntegerField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_client = models.BooleanField(default=False)
    decision = models.CharField(max_length=8, choices=DECISION_CHOICES)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.review_id} round {self.round}: {self.decision}"


class Comment(models.Model):
    """An internal comment on a post (or the client's words through the link)."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="post_comments"
    )
    post = models.ForeignKey("content.Post", on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_client = models.BooleanField(default=False)
    body = models.TextField()
    mentioned = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]


class ClientLink(models.Model):
    """A link for the client, who has no account. Only the token's hash is stored."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="client_links"
    )
    review = models.ForeignKey(PostReview, on_delete=models.CASCADE, related_name="client_links")
    round = models.PositiveIntegerField()
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(max_length=8, choices=DECISION_CHOICES, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Client link for post {self.review.post_id}"
