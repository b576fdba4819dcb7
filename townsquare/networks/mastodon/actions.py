"""Connecting a Mastodon account: start the OAuth sign-in, and finish it at the callback.

Nothing is stored until the instance has given a token and told who the account is; every
refusal along the way is an `ActionError` with a message for the accounts page.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, MutableMapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from townsquare.audit.record import record, snapshot
from townsquare.lib.errors import ActionError
from townsquare.lib.http import UnsafeTarget, check_target
from townsquare.networks.base import NetworkError, Reauth, Rejected
from townsquare.networks.credentials import store_credentials
from townsquare.networks.mastodon import oauth, payloads
from townsquare.networks.mastodon.api import MastodonApi
from townsquare.networks.models import MastodonApp, SocialAccount
from townsquare.networks.rules.account_limits import mastodon_instance_overrides
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm, has_perm

NETWORK = "mastodon"
AUDIT_FIELDS = ("network", "handle", "display_name", "language", "connected_at")


class ConnectRefused(ActionError):
    """The callback could not connect an account; `workspace` is where to say so, if known."""

    def __init__(self, message: str, *, code: str, workspace: str = "") -> None:
        super().__init__(message, code=code)
        self.workspace = workspace


def do_start_mastodon_connect(
    membership: Membership,
    session: MutableMapping[str, Any],
    *,
    instance: str,
    redirect_uri: str,
    language: str = "",
    connector: object | None = None,
) -> str:
    """Register Townsquare on the instance if needed, remember the sign-in, and return the
    instance's authorisation address to send the person to."""
    require(membership, Perm.CONNECT_ACCOUNTS)
    try:
        base = payloads.instance_url(instance)
    except payloads.BadInstance:
        raise ActionError(
            _("Enter the address of a Mastodon server, such as mastodon.social."),
            code="bad_instance",
        ) from None
    try:
        check_target(base)
    except UnsafeTarget:
        raise ActionError(
            _("Townsquare may not connect to this server address."), code="unsafe_instance"
        ) from None
    api = _api(connector)
    try:
        app = oauth.app_for(api, base, redirect_uri)
    except NetworkError:
        raise ActionError(
            _("This server did not answer like a Mastodon server. Check the address."),
            code="unreachable",
            status=503,
        ) from None
    verifier, challenge = oauth.pkce_pair() if oauth.supports_pkce(api, base) else ("", "")
    state = oauth.new_state()
    oauth.remember(
        session,
        oauth.Pending(
            state=state,
            workspace=membership.workspace.slug,
            user_id=membership.user_id,
            instance=base,
            created=time.time(),
            app_id=app.pk,
            verifier=verifier,
            language=language,
        ),
    )
    return oauth.authorize_url(app, state, challenge)


def do_finish_mastodon_connect(
    user: Any,
    session: MutableMapping[str, Any],
    params: Mapping[str, str],
    *,
    connector: object | None = None,
) -> SocialAccount:
    """Check the callback against the remembered sign-in, get the token, add the account."""
    try:
        pending = oauth.take(session, str(params.get("state") or ""))
    except oauth.StateProblem as problem:
        workspace = problem.pending.workspace if problem.pending else ""
        if problem.reason == "expired":
            raise ConnectRefused(
                _("The sign-in with Mastodon took too long. Please start again."),
                code="state_expired",
                workspace=workspace,
            ) from None
        raise ConnectRefused(
            _("This sign-in with Mastodon is unknown or was already used. Please start again."),
            code="state_unknown",
        ) from None
    membership = _membership(user, pending)
    slug = membership.workspace.slug
    if params.get("error"):
        code = "access_denied" if params.get("error") == "access_denied" else "oauth_error"
        raise ConnectRefused(
            _("The Mastodon account was not connected: the authorisation was declined."),
            code=code,
            workspace=slug,
        )
    code_value = str(params.get("code") or "")
    if not code_value or len(code_value) > 1000:
        raise ConnectRefused(
            _("Mastodon sent no authorisation code. Please start again."),
            code="no_code",
            workspace=slug,
        )
    app = MastodonApp.objects.filter(pk=pending.app_id, instance_url=pending.instance).first()
    if app is None:
        raise ConnectRefused(
            _("This sign-in with Mastodon is unknown or was already used. Please start again."),
            code="state_unknown",
            workspace=slug,
        )
    api = _api(connector)
    token, account_json, limits, domain = _ask_instance(api, app, code_value, pending, slug)
    return _save(membership, pending, token, account_json, limits, domain, app)


def _membership(user: Any, pending: oauth.Pending) -> Membership:
    # Checked again now: the person may have left the workspace, or lost the permission,
    # since the sign-in started; the session may even belong to someone else by now.
    refused = ConnectRefused(
        _("You can no longer connect accounts to this workspace."), code="not_allowed"
    )
    if user is None or not user.is_authenticated or user.pk != pending.user_id:
        raise refused
    membership = (
        Membership.objects.select_related("workspace", "user")
        .filter(user=user, workspace__slug=pending.workspace)
        .first()
    )
    if membership is None or not has_perm(membership.role, Perm.CONNECT_ACCOUNTS):
        raise refused
    return membership


def _ask_instance(
    api: MastodonApi, app: MastodonApp, code: str, pending: oauth.Pending, slug: str
) -> tuple[str, dict[str, Any], dict[str, object], str]:
    """(token, the account, its reported limits, the instance's domain); nothing stored yet."""
    try:
        token = oauth.exchange_code(api, app, code, pending.verifier)
        account = api.json(
            app.instance_url,
            "GET",
            "/api/v1/accounts/verify_credentials",
            token=token,
            idempotent=True,
        )
    except (Rejected, Reauth) as error:
        raise ConnectRefused(
            _("Mastodon refused the sign-in: %(reason)s") % {"reason": error.message},
            code="token_refused",
            workspace=slug,
        ) from None
    except NetworkError:
        raise ConnectRefused(
            _("The Mastodon server could not be reached. Please try again in a moment."),
            code="unreachable",
            workspace=slug,
        ) from None
    if not isinstance(account, dict) or not account.get("id") or not account.get("acct"):
        raise ConnectRefused(
            _("The Mastodon server did not say which account signed in."),
            code="bad_account",
            workspace=slug,
        )
    try:
        instance = api.json(app.instance_url, "GET", "/api/v2/instance", idempotent=True)
    except NetworkError:
        instance = {}  # older instances: the researched defaults stay in force
    instance = instance if isinstance(instance, dict) else {}
    domain = str(instance.get("domain") or "") or app.instance_url.split("://", 1)[1]
    return token, account, mastodon_instance_overrides(instance), domain


def _save(
    membership: Membership,
    pending: oauth.Pending,
    token: str,
    account_json: dict[str, Any],
    limits: dict[str, object],
    domain: str,
    app: MastodonApp,
) -> SocialAccount:
    handle = payloads.handle_of(account_json, domain)
    now = timezone.now()
    with transaction.atomic():
        account = (
            SocialAccount.objects.select_for_update()
            .filter(workspace=membership.workspace, network=NETWORK, handle__iexact=handle)
            .first()
        )
        before = snapshot(account, AUDIT_FIELDS) if account else None
        if account is None:
            account = SocialAccount(workspace=membership.workspace, network=NETWORK)
        account.handle = handle
        account.display_name = str(account_json.get("display_name") or "")[:255]
        if pending.language:
            account.language = pending.language
        account.reported_limits = limits
        account.connected_at = now
        account.last_success_at = now
        account.needs_reconnect = False
        account.token_expires_at = None  # Mastodon's tokens live until revoked
        account.save()
        store_credentials(
            account,
            {
                "access_token": token,
                "instance_url": app.instance_url,
                "extra": {"account_id": str(account_json["id"])},
            },
        )
        record(
            actor=membership.user,
            action="account.connect",
            target=account,
            workspace=membership.workspace,
            before=before,
            after=snapshot(account, AUDIT_FIELDS),
        )
    return account


def _api(connector: object | None) -> MastodonApi:
    if connector is None:
        from townsquare.networks.registry import get_publisher

        connector = get_publisher(NETWORK)
    api: MastodonApi = connector.api  # type: ignore[attr-defined]
    return api
