from django.conf import settings
from django.db import models
from django.db.models import Manager
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from townsquare.networks.catalog import ACCOUNT_NETWORK_CHOICES, NETWORK_CHOICES
from townsquare.networks.registry import account_publishes_automatically


class ActiveAccounts(Manager["SocialAccount"]):
    """Accounts that have not been removed: what every list, form and job works with."""

    def get_queryset(self) -> models.QuerySet["SocialAccount"]:
        return super().get_queryset().filter(removed_at__isnull=True)


class SocialAccount(models.Model):
    """One account, page, channel or room of a workspace on one network.

    `reported_limits` holds what the network itself reported when the account was connected
    (a Mastodon instance's `max_characters`, for example); those win over our defaults.
    Credentials are stored encrypted (see lib/crypto.py) by the connectors.

    A removed account keeps its row (`removed_at`), so its published history, its cancelled
    posts and their variants stay readable; `objects` no longer lists it, `all_objects`
    does, and related lookups (publication.account) still find it.
    """

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="social_accounts"
    )
    # Hidden test networks are valid here so engine tests can use real accounts on them.
    network = models.CharField(_("network"), max_length=32, choices=ACCOUNT_NETWORK_CHOICES)
    handle = models.CharField(_("handle"), max_length=255)
    display_name = models.CharField(_("display name"), max_length=255, blank=True)
    language = models.CharField(
        _("audience language"), max_length=8, choices=settings.LANGUAGES, blank=True
    )
    reported_limits = models.JSONField(default=dict, blank=True)
    credentials_encrypted = models.TextField(blank=True)
    # The account's own id on its network where something arriving from the network names it
    # (a Meta webhook delivery names the Page or Instagram account): found by an index
    # instead of reading every account's credentials. Read from the credentials on first
    # need, and forgotten whenever they are replaced (networks/credentials.py).
    network_account_id = models.CharField(max_length=64, blank=True, default="")
    connected_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    token_expires_at = models.DateTimeField(null=True, blank=True)
    needs_reconnect = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = ActiveAccounts()
    all_objects = Manager["SocialAccount"]()

    class Meta:
        ordering = ["network", "handle"]
        # Related lookups (publication.account) find removed accounts too.
        base_manager_name = "all_objects"
        constraints = [
            # A removed account does not block adding the same handle again.
            models.UniqueConstraint(
                fields=["workspace", "network", "handle"],
                condition=models.Q(removed_at__isnull=True),
                name="one_account_per_handle",
            )
        ]
        indexes = [
            models.Index(fields=["network", "network_account_id"], name="account_by_network_id")
        ]

    def __str__(self) -> str:
        return f"{self.get_network_display()} {self.handle}"

    @property
    def label(self) -> str:
        name = self.display_name or self.handle
        return gettext("%(name)s (removed)") % {"name": name} if self.removed_at else name

    @property
    def publishes_automatically(self) -> bool:
        """False: Townsquare has no connector for the network, or (X) the account was never
        connected; a person is reminded to post by hand when the post is due."""
        return account_publishes_automatically(
            self.network, connected=bool(self.credentials_encrypted)
        )


class RuleOverride(models.Model):
    """A workspace's own value for a rule that no official source states."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="rule_overrides"
    )
    network = models.CharField(max_length=32, choices=NETWORK_CHOICES)
    rule = models.CharField(max_length=64)
    value = models.JSONField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "network", "rule"], name="one_override_per_rule"
            )
        ]

    def __str__(self) -> str:
        return f"{self.network}.{self.rule} = {self.value!r}"


class MastodonApp(models.Model):
    """Townsquare's OAuth application on one Mastodon instance, for one callback address.

    Registered once (`POST /api/v1/apps`) and reused by every workspace of the installation;
    the client secret is stored encrypted with the key ring, like account credentials.
    """

    instance_url = models.CharField(max_length=300)
    redirect_uri = models.CharField(max_length=500)
    client_id = models.CharField(max_length=300)
    client_secret_encrypted = models.TextField()
    scopes = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["instance_url", "redirect_uri"], name="one_mastodon_app_per_callback"
            )
        ]

    def __str__(self) -> str:
        return f"Mastodon app on {self.instance_url}"
