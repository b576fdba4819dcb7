"""Connecting an X account: start the OAuth 2.0 sign-in, and finish it at the callback.

The connect page and the callback (views.py) call these. Nothing is stored until X has given
a token with every scope Townsquare needs and said who the account is. Reconnecting keeps the
account: it is found by its X user id, else by its handle (an account posted by reminder so
far keeps its history), and a refresh token is never lost (credentials.store_credentials).
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from townsquare.audit.record import record, snapshot
from townsquare.networks import connecting
from townsquare.networks.base import NetworkError, Reauth, Rejected
from townsquare.networks.connecting import ConnectRefused
from townsquare.networks.credentials import read_credentials, store_credentials
from townsquare.networks.models import SocialAccount
from townsquare.networks.oauth2 import state as sign_in
from townsquare.networks.oauth2.tokens import OAuthApp, TokenSet, authorization_url
from townsquare.networks.registry import get_publisher
from townsquare.networks.x import payloads
from townsquare.networks.x.connector import XPublisher, configured_app

__all__ = ["ConnectRefused", "do_finish_x_connect", "do_start_x_connect"]
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm

NETWORK = "x"
NETWORK_NAME = "X"
SESSION_KEY = "x_oauth_pending"
AUDIT_FIELDS = ("network", "handle", "display_name", "language", "connected_at")


def do_start_x_connect(
    membership: Membership,
    session: MutableMapping[str, Any],
    *,
    redirect_uri: str,
    language: str = "",
    app: OAuthApp | None = None,
) -> str:
    """Remember the sign-in and return X's authorization address to send the person to."""
    require(membership, Perm.CONNECT_ACCOUNTS)
    the_app = _app(app, redirect_uri)
    pending, challenge = sign_in.start_sign_in(
        session,
        SESSION_KEY,
        workspace=membership.workspace.slug,
        user_id=membership.user_id,
        extra={"language": language[:10]} if language else {},
    )
    return authorization_url(the_app, pending.state, challenge)


def do_finish_x_connect(
    user: Any,
    session: MutableMapping[str, Any],
    params: Mapping[str, str],
    *,
    redirect_uri: str,
    connector: XPublisher | None = None,
    app: OAuthApp | None = None,
) -> SocialAccount:
    """Check the callback against the remembered sign-in, get the tokens, add the account."""
    # The checks every OAuth callback shares (networks/connecting.py).
    pending = connecting.pending_sign_in(session, SESSION_KEY, params, NETWORK_NAME)
    membership = connecting.allowed_membership(user, pending)
    slug = membership.workspace.slug
    code = connecting.authorization_code(params, NETWORK_NAME, slug)
    the_app = _app(app, redirect_uri, slug)
    x = connector or _shared_connector()
    tokens, user_json = _ask_x(x, the_app, code, pending.verifier, slug)
    return _save(membership, pending, tokens, user_json)


def _app(app: OAuthApp | None, redirect_uri: str, workspace: str = "") -> OAuthApp:
    if app is not None:
        return app
    try:
        return configured_app(redirect_uri)
    except Reauth:
        raise ConnectRefused(
            _("This installation has no X app configured; an administrator has to add it."),
            code="no_app",
            workspace=workspace,
        ) from None


def _shared_connector() -> XPublisher:
    # The registry's instance: one HTTP connection pool per process, as for publishing.
    connector = get_publisher(NETWORK)
    if not isinstance(connector, XPublisher):
        raise TypeError("The registry's X publisher is not XPublisher")
    return connector


def _ask_x(
    x: XPublisher, app: OAuthApp, code: str, verifier: str, slug: str
) -> tuple[TokenSet, dict[str, Any]]:
    """The tokens and who signed in; nothing stored yet."""
    try:
        tokens = x.sign_in_tokens(app, code, verifier)
        missing = tokens.missing(payloads.SCOPES)
        if missing:
            # A scope unticked in X's dialog or not enabled for the app: say which, not a
            # generic permissions error.
            raise ConnectRefused(
                _(
                    "X did not grant every permission Townsquare needs (%(scopes)s). "
                    "Please connect again and allow them; if X does not offer them, the "
                    "X app's settings need read and write access."
                )
                % {"scopes": ", ".join(missing)},
                code="scope_missing",
                workspace=slug,
            )
        user_json = x.signed_in_user(tokens.access_token)
    except (Rejected, Reauth) as error:
        raise ConnectRefused(
            _("X refused the sign-in: %(reason)s") % {"reason": error.message},
            code="token_refused",
            workspace=slug,
        ) from None
    except NetworkError:
        raise ConnectRefused(
            _("X could not be reached. Please try again in a moment."),
            code="unreachable",
            workspace=slug,
        ) from None
    return tokens, user_json


def _existing(workspace: Any, user_id: str, handle: str) -> SocialAccount | None:
    accounts = SocialAccount.objects.select_for_update().filter(
        workspace=workspace, network=NETWORK, removed_at__isnull=True
    )
    for account in accounts:
        try:
            stored = read_credentials(account)
        except Exception:
            stored = {}
        extra = stored.get("extra")
        if isinstance(extra, dict) and str(extra.get("user_id") or "") == user_id:
            return account
    return accounts.filter(handle__iexact=handle).first()


def _save(
    membership: Membership,
    pending: sign_in.PendingSignIn,
    tokens: TokenSet,
    user_json: dict[str, Any],
) -> SocialAccount:
    user_id = str(user_json["id"])
    handle = "@" + str(user_json["username"])
    now = timezone.now()
    with transaction.atomic():
        account = _existing(membership.workspace, user_id, handle)
        before = snapshot(account, AUDIT_FIELDS) if account else None
        if account is None:
            account = SocialAccount(workspace=membership.workspace, network=NETWORK)
        account.handle = handle
        account.display_name = str(user_json.get("name") or "")[:255]
        if pending.extra.get("language"):
            account.language = pending.extra["language"]
        account.connected_at = now
        account.last_success_at = now
        account.needs_reconnect = False
        account.token_expires_at = tokens.expires_at
        account.save()
        store_credentials(
            account,
            {
                "access_token": tokens.access_token,
                "refresh_token": tokens.refresh_token,
                "expires_at": tokens.expires_at.isoformat() if tokens.expires_at else None,
                "extra": {"user_id": user_id},
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
