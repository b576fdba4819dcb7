"""Connecting a Threads profile: start Threads' own OAuth sign-in, and finish it at the
callback.

No page calls these yet (docs/networks/threads.md, "Registering"). The sign-in is the
authorization code with `state` and the Threads app secret; Meta documents no PKCE for it.
The code gives a short-lived token (one hour), exchanged at once for a long-lived one (60
days), which renews itself (client.py). Scopes are comma-separated in Meta's examples, so
the authorization address says them so.

Meta's token answers do not list the granted permissions; a permission the person left out
or Meta's app review did not approve shows on the first call that needs it, named
(payloads.permission_message). Reconnecting keeps the account: found by its Threads user
id, else by its handle (an account posted by reminder keeps its history).
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from townsquare.audit.record import record, snapshot
from townsquare.networks.base import NetworkError, Reauth, Rejected
from townsquare.networks.connecting import (
    ConnectRefused,
    allowed_membership,
    authorization_code,
    pending_sign_in,
)
from townsquare.networks.credentials import read_credentials, store_credentials
from townsquare.networks.models import SocialAccount
from townsquare.networks.oauth2 import state as sign_in
from townsquare.networks.oauth2.tokens import OAuthApp, TokenSet, authorization_url
from townsquare.networks.threads.connector import ThreadsPublisher, configured_app
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm

NETWORK = "threads"
SESSION_KEY = "threads_oauth_pending"
AUDIT_FIELDS = ("network", "handle", "display_name", "language", "connected_at")
NAME = "Threads"


def do_start_threads_connect(
    membership: Membership,
    session: MutableMapping[str, Any],
    *,
    redirect_uri: str,
    language: str = "",
    app: OAuthApp | None = None,
) -> str:
    """Remember the sign-in and return Threads' authorization address."""
    require(membership, Perm.CONNECT_ACCOUNTS)
    the_app = _app(app, redirect_uri)
    extra = {"language": language[:10]} if language else {}
    pending, _challenge = sign_in.start_sign_in(
        session,
        SESSION_KEY,
        workspace=membership.workspace.slug,
        user_id=membership.user_id,
        extra=extra,
    )
    return authorization_url(the_app, pending.state, "", extra={"scope": ",".join(the_app.scopes)})


def do_finish_threads_connect(
    user: Any,
    session: MutableMapping[str, Any],
    params: Mapping[str, str],
    *,
    redirect_uri: str,
    connector: ThreadsPublisher | None = None,
    app: OAuthApp | None = None,
) -> SocialAccount:
    """Check the callback against the remembered sign-in, get the tokens, add the account."""
    pending = pending_sign_in(session, SESSION_KEY, params, NAME)
    membership = allowed_membership(user, pending)
    slug = membership.workspace.slug
    # Meta appends "#_" to the redirect; a browser keeps fragments out of the query, but a
    # code copied by hand may carry it.
    code = authorization_code(params, NAME, slug).removesuffix("#_")
    the_app = _app(app, redirect_uri)
    chosen = connector or ThreadsPublisher()
    try:
        tokens, user_id, profile = _ask_threads(chosen, the_app, code, slug)
    finally:
        if connector is None:
            chosen.close()  # made for this sign-in only
    with transaction.atomic():
        return _save(membership, pending, tokens, user_id, profile)


def _ask_threads(
    connector: ThreadsPublisher, app: OAuthApp, code: str, slug: str
) -> tuple[TokenSet, str, dict[str, Any]]:
    try:
        tokens, user_id = connector.sign_in_tokens(app, code)
        profile = connector.profile(tokens.access_token)
    except (Rejected, Reauth) as error:
        raise ConnectRefused(
            _("Threads refused the sign-in: %(reason)s") % {"reason": error.message},
            code="token_refused",
            workspace=slug,
        ) from None
    except NetworkError:
        raise ConnectRefused(
            _("Threads could not be reached. Please try again in a moment."),
            code="unreachable",
            workspace=slug,
        ) from None
    profile_id = str(profile.get("id") or "")
    if user_id and profile_id != user_id:
        raise ConnectRefused(
            _("Threads answered for another profile than the one that signed in."),
            code="token_refused",
            workspace=slug,
        )
    return tokens, profile_id, profile


def _app(app: OAuthApp | None, redirect_uri: str) -> OAuthApp:
    if app is not None:
        return app
    try:
        return configured_app(redirect_uri)
    except Reauth:
        raise ConnectRefused(
            _("This installation has no Threads app configured; an administrator has to add it."),
            code="no_app",
        ) from None


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
        if isinstance(extra, dict) and extra.get("user_id") == user_id:
            return account
    return accounts.filter(handle__iexact=handle).first()


def _save(
    membership: Membership,
    pending: sign_in.PendingSignIn,
    tokens: TokenSet,
    user_id: str,
    profile: dict[str, Any],
) -> SocialAccount:
    now = timezone.now()
    handle = str(profile.get("username") or user_id)[:255]
    account = _existing(membership.workspace, user_id, handle)
    before = snapshot(account, AUDIT_FIELDS) if account else None
    if account is None:
        account = SocialAccount(workspace=membership.workspace, network=NETWORK)
    account.handle = handle
    account.display_name = str(profile.get("name") or "")[:255]
    if pending.extra.get("language"):
        account.language = pending.extra["language"]
    account.connected_at = now
    account.last_success_at = now
    account.needs_reconnect = False
    # The countdown the health page shows: 60 days, moved forward by every renewal.
    account.token_expires_at = tokens.expires_at
    account.save()
    store_credentials(
        account,
        {
            "access_token": tokens.access_token,
            # The long-lived token renews itself: it is its own refresh credential.
            "refresh_token": tokens.refresh_token or tokens.access_token,
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
