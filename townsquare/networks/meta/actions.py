"""Connecting Facebook Pages and Instagram professional accounts: start Facebook Login, and
finish it at the callback.

No page calls these yet (docs/networks/facebook_page.md, "Registering"). The web flow is
Facebook Login's authorization code with `state`, the code exchanged on the server with
the app secret. No PKCE: Meta documents PKCE only for its OIDC code flow, marked "still in
testing", which returns an ID token for identity, not the Page permissions Townsquare needs.

The code becomes a short-lived user token, then a long-lived one (about 60 days); the Page
tokens read with it (GET /me/accounts) do not expire. Every Page the person may act for
(or only the one chosen when starting) becomes a `facebook_page` account; for
`instagram`, every Instagram professional account linked to such a Page. Nothing is
stored until Meta has granted every permission needed; a missing one is named.
Reconnecting keeps the account: it is found by its Page or Instagram id, else its handle.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from townsquare.audit.record import record, snapshot
from townsquare.lib.errors import ActionError
from townsquare.networks.base import NetworkError, Reauth, Rejected
from townsquare.networks.connecting import (
    ConnectRefused,
    allowed_membership,
    authorization_code,
    pending_sign_in,
)
from townsquare.networks.credentials import read_credentials, store_credentials
from townsquare.networks.meta import payloads
from townsquare.networks.meta.client import GraphClient, configured_app
from townsquare.networks.models import SocialAccount
from townsquare.networks.oauth2 import state as sign_in
from townsquare.networks.oauth2.tokens import OAuthApp, authorization_url
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm

NETWORKS = ("facebook_page", "instagram")
SESSION_KEY = "meta_oauth_pending"
AUDIT_FIELDS = ("network", "handle", "display_name", "language", "connected_at")
NAME = "Meta"
MAX_ACCOUNTS_PER_SIGN_IN = 20


def do_start_meta_connect(
    membership: Membership,
    session: MutableMapping[str, Any],
    *,
    redirect_uri: str,
    network: str = "facebook_page",
    page_id: str = "",
    language: str = "",
    app: OAuthApp | None = None,
) -> str:
    """Remember the sign-in and return Facebook Login's address. `page_id` connects only
    that Page (or the Instagram account linked to it)."""
    require(membership, Perm.CONNECT_ACCOUNTS)
    if network not in NETWORKS:
        raise ActionError(_("Meta has no such kind of account."), code="bad_network")
    if page_id and not payloads.is_graph_id(page_id):
        raise ActionError(_("This is not the id of a Facebook Page."), code="bad_page")
    the_app = _app(app, redirect_uri, network)
    extra = {"network": network}
    if page_id:
        extra["page"] = page_id
    if language:
        extra["language"] = language[:10]
    pending, _challenge = sign_in.start_sign_in(
        session,
        SESSION_KEY,
        workspace=membership.workspace.slug,
        user_id=membership.user_id,
        extra=extra,
    )
    # No PKCE (see the module's docstring): the code is only worth something with the secret.
    return authorization_url(the_app, pending.state, "")


def do_finish_meta_connect(
    user: Any,
    session: MutableMapping[str, Any],
    params: Mapping[str, str],
    *,
    redirect_uri: str,
    connector: GraphClient | None = None,
    app: OAuthApp | None = None,
) -> list[SocialAccount]:
    """Check the callback against the remembered sign-in, get the tokens, add the accounts."""
    pending = pending_sign_in(session, SESSION_KEY, params, NAME)
    membership = allowed_membership(user, pending)
    slug = membership.workspace.slug
    code = authorization_code(params, NAME, slug)
    network = pending.extra.get("network", "facebook_page")
    if network not in NETWORKS:
        raise ConnectRefused(_("Please start again."), code="state_unknown", workspace=slug)
    the_app = _app(app, redirect_uri, network)
    client = connector or GraphClient()
    try:
        found = _ask_meta(client, the_app, code, network, pending.extra.get("page", ""), slug)
    finally:
        if connector is None:
            client.close()  # made for this sign-in only
    with transaction.atomic():
        return [_save(membership, pending, network, entry) for entry in found]


def _ask_meta(
    client: GraphClient, app: OAuthApp, code: str, network: str, chosen: str, slug: str
) -> list[dict[str, str]]:
    try:
        tokens, granted = client.sign_in(app, code)
        _check_permissions(granted, app.scopes, slug)
        pages = client.managed_pages(tokens.access_token)
    except (Rejected, Reauth) as error:
        raise ConnectRefused(
            _("Meta refused the sign-in: %(reason)s") % {"reason": error.message},
            code="token_refused",
            workspace=slug,
        ) from None
    except NetworkError:
        raise ConnectRefused(
            _("Meta could not be reached. Please try again in a moment."),
            code="unreachable",
            workspace=slug,
        ) from None
    if chosen:
        pages = [p for p in pages if p["page_id"] == chosen]
    if network == "instagram":
        pages = [p for p in pages if p["ig_user_id"]]
        if not pages:
            raise ConnectRefused(
                _(
                    "No Instagram professional account is linked to a Facebook Page you manage. "
                    "Link the Instagram account to the Page in Meta's settings, then connect again."
                ),
                code="no_instagram",
                workspace=slug,
            )
    elif not pages:
        raise ConnectRefused(
            _(
                "The person who signed in manages no Facebook Page (or did not allow "
                "Townsquare any)."
            ),
            code="no_pages",
            workspace=slug,
        )
    return pages[:MAX_ACCOUNTS_PER_SIGN_IN]


def _app(app: OAuthApp | None, redirect_uri: str, network: str) -> OAuthApp:
    if app is not None:
        return app
    try:
        return configured_app(redirect_uri, network=network)
    except Reauth:
        raise ActionError(
            _("This installation has no Meta app configured; an administrator has to add it."),
            code="no_app",
        ) from None


def _check_permissions(granted: frozenset[str], wanted: tuple[str, ...], slug: str) -> None:
    missing = [scope for scope in wanted if scope not in granted]
    if missing:
        # Declined in the dialog, or not offered at all because the app lacks Advanced
        # Access (App Review) for it: name them, not a generic permissions error.
        raise ConnectRefused(
            _(
                "Meta did not grant every permission Townsquare needs (%(scopes)s). Allow them "
                "when connecting; if Facebook did not offer them, the Meta app needs App Review "
                "(Advanced Access) for these permissions."
            )
            % {"scopes": ", ".join(missing)},
            code="scope_missing",
            workspace=slug,
        )


def _existing(
    workspace: Any, network: str, key: str, network_id: str, handle: str
) -> SocialAccount | None:
    accounts = SocialAccount.objects.select_for_update().filter(
        workspace=workspace, network=network, removed_at__isnull=True
    )
    for account in accounts:
        try:
            stored = read_credentials(account)
        except Exception:
            stored = {}
        extra = stored.get("extra")
        if isinstance(extra, dict) and extra.get(key) == network_id:
            return account
    return accounts.filter(handle__iexact=handle).first() if handle else None


def _save(
    membership: Membership, pending: sign_in.PendingSignIn, network: str, page: dict[str, str]
) -> SocialAccount:
    now = timezone.now()
    if network == "instagram":
        key, network_id = "ig_user_id", page["ig_user_id"]
        handle, name = page["ig_username"] or network_id, page["ig_username"]
    else:
        key, network_id = "page_id", page["page_id"]
        handle, name = page["username"] or page["page_id"], page["name"]
    account = _existing(membership.workspace, network, key, network_id, handle)
    before = snapshot(account, AUDIT_FIELDS) if account else None
    if account is None:
        account = SocialAccount(workspace=membership.workspace, network=network)
    account.handle = handle[:255]
    account.display_name = name[:255]
    if pending.extra.get("language"):
        account.language = pending.extra["language"]
    account.connected_at = now
    account.last_success_at = now
    account.needs_reconnect = False
    # A Page token from a long-lived user token has no expiry: no countdown to show.
    account.token_expires_at = None
    account.save()
    extra = {"page_id": page["page_id"]}
    if network == "instagram":
        extra["ig_user_id"] = page["ig_user_id"]
    store_credentials(
        account,
        {
            "access_token": page["access_token"],
            "refresh_token": "",
            "expires_at": None,
            "extra": extra,
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
