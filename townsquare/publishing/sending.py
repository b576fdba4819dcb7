"""What the publish task needs to know about a publication at send time, read fresh."""

from __future__ import annotations

import time
from collections.abc import Sequence

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from townsquare.content.models import Post, Variant
from townsquare.content.service import account_rules, workspace_overrides
from townsquare.lib.crypto import SecretsUnavailable
from townsquare.networks.base import Credentials, MediaRef, Publisher, VariantToPublish
from townsquare.networks.credentials import credentials_for
from townsquare.networks.models import SocialAccount
from townsquare.networks.registry import UnknownNetwork, get_publisher
from townsquare.publishing.models import Publication, PublishingSettings
from townsquare.publishing.schedule import LatePolicy
from townsquare.ratelimits.limiter import acquire_for_publish, limits_for, penalise
from townsquare.workspaces.models import Workspace


class CannotSend(Exception):
    """Found before any request left: the post cannot go out through this account as it is.

    Never an unknown outcome (nothing was sent). `reconnect` says the account's login is
    the cause, so the account is marked for reconnecting too. `message` tells what happened
    and what to do; `reason` is the cause alone (for a reconciliation that cannot ask the
    network). Both are rendered in the workspace's language when they are written down.
    """

    def __init__(
        self,
        code: str,
        message: Promise,
        reason: Promise,
        *,
        reconnect: bool = False,
        **params: object,
    ) -> None:
        super().__init__(code)
        self.code = code
        self.template = message
        self.reason_template = reason
        self.params = params
        self.reconnect = reconnect

    def message_in(self, language: str) -> str:
        with translation.override(language):
            return str(self.template) % self.params

    def reason_in(self, language: str) -> str:
        with translation.override(language):
            return str(self.reason_template) % self.params

    def __str__(self) -> str:
        return self.message_in("en")


def connector_for(account: SocialAccount) -> Publisher:
    try:
        return get_publisher(account.network)
    except UnknownNetwork:
        raise CannotSend(
            "no_connector",
            _(
                "Townsquare cannot publish to %(network)s by itself, so nothing was sent. "
                "Post it there yourself, or remove this account from the post."
            ),
            _("Townsquare has no connector for %(network)s"),
            network=account.get_network_display(),
        ) from None


def credentials_of(account: SocialAccount) -> Credentials:
    if not account.credentials_encrypted:
        raise CannotSend(
            "credentials_missing",
            _(
                "Townsquare holds no login for %(account)s, so nothing was sent. Connect the "
                "account in Settings > Accounts, then schedule the post again."
            ),
            _("no login is stored for %(account)s"),
            reconnect=True,
            account=account.handle,
        )
    try:
        return credentials_for(account)
    except (SecretsUnavailable, ValueError):  # ValueError: not JSON, or a malformed date
        raise CannotSend(
            "credentials_unreadable",
            _(
                "The stored login of %(account)s cannot be read with the configured keys, so "
                "nothing was sent. Connect the account again in Settings > Accounts, then "
                "schedule the post again."
            ),
            _("the stored login of %(account)s cannot be read with the configured keys"),
            reconnect=True,
            account=account.handle,
        ) from None


def late_policy(workspace: Workspace) -> LatePolicy:
    try:
        # Usually read with the publication (select_related), so no query of its own.
        settings = workspace.publishing_settings
    except PublishingSettings.DoesNotExist:
        settings = None
    if settings is None:
        return LatePolicy()
    return LatePolicy(hold=settings.hold_when_late, after_minutes=settings.late_after_minutes)


def variant_to_publish(pub: Publication) -> VariantToPublish:
    assert pub.variant is not None
    return variant_as_sent(pub.variant, pub.post, pub.account)


def variant_as_sent(variant: Variant, post: Post, account: SocialAccount) -> VariantToPublish:
    """The variant as the network would receive it: its parts, the post's media and link."""
    parts = tuple(p for p in (variant.parts or [variant.text]) if p.strip())
    media = tuple(
        MediaRef(
            storage_key=a.asset.file.name,
            kind="gif" if a.asset.mime_type == "image/gif" else a.asset.kind,
            mime_type=a.asset.mime_type,
            size_bytes=a.asset.size_bytes,
            width=a.asset.width,
            height=a.asset.height,
            duration_s=a.asset.duration_seconds,
            alt_text=a.asset.alt_text,
        )
        for a in post.attachments.select_related("asset")
    )
    return VariantToPublish(
        media=media,
        variant_id=variant.pk,
        account_id=account.pk,
        network=account.network,
        parts=parts or (variant.text,),
        content_warning=variant.content_warning,
        link_url=variant.link_card_url or post.link_url,
        language=post.language,
    )


def part_to_publish(
    variant: VariantToPublish, index: int, part_ids: Sequence[str]
) -> VariantToPublish:
    """Part `index` of a thread as a post of its own, answering the part published before it.
    Media, title and link card belong to the first part."""
    return VariantToPublish(
        variant_id=variant.variant_id,
        account_id=variant.account_id,
        network=variant.network,
        parts=(variant.parts[index],),
        media=variant.media if index == 0 else (),
        content_warning=variant.content_warning,
        title=variant.title if index == 0 else "",
        link_url=variant.link_url if index == 0 else "",
        language=variant.language,
        reply_to_id=part_ids[-1] if part_ids else "",
    )


def validation_errors(pub: Publication, variant: VariantToPublish) -> list[str]:
    """Problems that would make the network refuse the post, checked again at send time."""
    connector = connector_for(pub.account)
    rules, _notes = account_rules(pub.account, workspace_overrides(pub.workspace))
    problems = connector.validate(variant, rules)
    return [p.message_en for p in problems if p.severity == "error"]


def rate_limit_wait(pub: Publication) -> float:
    """Seconds to wait before this account may publish again (0: go ahead)."""
    return acquire_for_publish(pub.account.network, pub.account_id)


def penalise_account(pub: Publication, after_seconds: float) -> None:
    """The network said when this account may post again: every worker waits until then.

    Only the account's own windows are blocked: one account's 429 must not hold back the
    other accounts of the workspace on the same network.
    """
    until = time.time() + after_seconds
    own = f"{pub.account.network}:account:{pub.account_id}"
    for key, _rate in limits_for(pub.account.network, pub.account_id):
        if key == own or key.startswith(own + ":"):
            penalise(key, until)
