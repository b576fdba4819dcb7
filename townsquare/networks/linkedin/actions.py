"""Connecting LinkedIn pages (and members' profiles): start the OAuth 2.0 sign-in, and
finish it at the callback.

The connect page and the callback (views.py) call these. LinkedIn's web flow is the
authorization code with `state` and the client secret; PKCE is offered only to native apps
LinkedIn enables on request, so none is sent.

A page: the member signs in, and every page they administer (or only the one chosen when
starting) becomes an account of the workspace. Nothing is stored until LinkedIn has given a
token with every scope Townsquare needs. Reconnecting keeps the account: it is found by
its organisation URN, else by its handle (an account posted by reminder keeps its
history), and a refresh token is never lost (credentials.store_credentials).
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from townsquare.lib.errors import ActionError
from townsquare.networks import connecting
from townsquare.networks.base import Credentials
from townsquare.networks.connecting import ConnectedAccount, ConnectRefused
from townsquare.networks.linkedin import payloads
from townsquare.networks.linkedin.connector import (
    LinkedInPagePublisher,
    LinkedInProfilePublisher,
    configured_app,
)
from townsquare.networks.models import SocialAccount
from townsquare.networks.oauth2 import state as sign_in
from townsquare.networks.oauth2.tokens import OAuthApp, TokenSet
from townsquare.networks.registry import get_publisher, publishes_automatically
from townsquare.workspaces.models import Membership

NETWORKS = ("linkedin_page", "linkedin_profile")
SESSION_KEY = "linkedin_oauth_pending"
NAME = "LinkedIn"
# A member may administer many pages; one sign-in connects at most this many.
MAX_PAGES_PER_SIGN_IN = 20


def do_start_linkedin_connect(
    membership: Membership,
    session: MutableMapping[str, Any],
    *,
    redirect_uri: str,
    network: str = "linkedin_page",
    organization_id: str = "",
    language: str = "",
    app: OAuthApp | None = None,
) -> str:
    """Remember the sign-in and return LinkedIn's authorization address. `organization_id`
    (digits) connects only that page; without it every page the member administers."""

    def chosen_app() -> OAuthApp:
        # Checked after the permission (connecting.start_sign_in), before the app.
        if network not in NETWORKS:
            raise ActionError(_("LinkedIn has no such kind of account."), code="bad_network")
        if organization_id and not (organization_id.isdigit() and len(organization_id) <= 20):
            raise ActionError(_("This is not the number of a LinkedIn page."), code="bad_page")
        return _app(app, redirect_uri, network)

    extra = {"network": network}
    if organization_id and network == "linkedin_page":
        extra["organization"] = organization_id
    # No PKCE: LinkedIn's web apps prove themselves with the client secret.
    return connecting.start_sign_in(
        membership, session, SESSION_KEY, chosen_app, extra=extra, language=language, pkce=False
    )


def do_finish_linkedin_connect(
    user: Any,
    session: MutableMapping[str, Any],
    params: Mapping[str, str],
    *,
    redirect_uri: str,
    connector: LinkedInPagePublisher | LinkedInProfilePublisher | None = None,
    app: OAuthApp | None = None,
) -> list[SocialAccount]:
    """Check the callback against the remembered sign-in, get the tokens, add the accounts."""
    callback = connecting.checked_callback(user, session, SESSION_KEY, params, NAME)
    slug = callback.workspace
    network = callback.pending.extra.get("network", "linkedin_page")
    if network not in NETWORKS:
        raise ConnectRefused(_("Please start again."), code="state_unknown", workspace=slug)
    the_app = _app(app, redirect_uri, network, slug)
    chosen, own = (connector, False) if connector else _connector(network)
    try:
        tokens, refresh_expiry, found = _ask_linkedin(
            chosen, the_app, callback.code, callback.pending, slug
        )
    finally:
        if own:
            chosen.close()  # made for this sign-in only
    with transaction.atomic():
        return [
            connecting.save_connected(
                callback.membership,
                callback.pending,
                _connected(network, tokens, refresh_expiry, urn, handle, name),
            )
            for urn, handle, name in found
        ]


def _connected(
    network: str,
    tokens: TokenSet,
    refresh_expiry: datetime | None,
    urn: str,
    handle: str,
    name: str,
) -> ConnectedAccount:
    extra = {"refresh_expires_at": refresh_expiry.isoformat()} if refresh_expiry else {}
    return ConnectedAccount(
        network=network,
        handle=handle,
        display_name=name,
        id_key="author_urn",
        network_id=urn,
        access_token=tokens.access_token,
        refresh_token=tokens.refresh_token,
        expires_at=tokens.expires_at,
        # The countdown the health page shows: without a refresh token the account lasts as
        # long as its access token (60 days); with one, renewals move it forward.
        token_expires_at=tokens.expires_at,
        extra=extra,
    )


def _ask_linkedin(
    connector: LinkedInPagePublisher | LinkedInProfilePublisher,
    app: OAuthApp,
    code: str,
    pending: sign_in.PendingSignIn,
    slug: str,
) -> tuple[TokenSet, datetime | None, list[tuple[str, str, str]]]:
    """The tokens, when the refresh token lapses, and the accounts to connect (URN, handle,
    name); nothing stored yet."""
    with connecting.asking(NAME, slug):
        tokens, refresh_expiry = connector.sign_in_tokens(app, code)
        _check_scopes(tokens, app.scopes, connector.network, slug)
        creds = Credentials(
            account_id=0, network=connector.network, handle="", access_token=tokens.access_token
        )
        if isinstance(connector, LinkedInPagePublisher):
            found = _pages(connector, creds, pending.extra.get("organization", ""), slug)
        else:
            found = [_member(connector, tokens.access_token)]
    return tokens, refresh_expiry, found


def _app(app: OAuthApp | None, redirect_uri: str, network: str, workspace: str = "") -> OAuthApp:
    if app is not None:
        return app
    return connecting.installation_app(
        lambda: configured_app(redirect_uri, network=network), NAME, workspace
    )


def _connector(network: str) -> tuple[LinkedInPagePublisher | LinkedInProfilePublisher, bool]:
    """The registry's publisher (one HTTP connection pool per process, as for publishing),
    and whether it was made for this sign-in only (to be closed after it)."""
    wanted = LinkedInPagePublisher if network == "linkedin_page" else LinkedInProfilePublisher
    if publishes_automatically(network):
        shared = get_publisher(network)
        if not isinstance(shared, wanted):
            raise TypeError(f"The registry's {network} publisher is not {wanted.__name__}")
        return shared, False
    return wanted(), True


def _check_scopes(tokens: TokenSet, wanted: tuple[str, ...], network: str, slug: str) -> None:
    missing = tokens.missing(wanted)
    if not missing:
        return
    # LinkedIn grants a scope only when the app's product is approved (the Community
    # Management API for pages; Share on LinkedIn and OpenID Connect for profiles): say
    # which, not a generic permissions error.
    if network == "linkedin_page":
        message = _(
            "LinkedIn did not grant every permission Townsquare needs (%(scopes)s). "
            "The LinkedIn app needs the Community Management API product approved for "
            "these scopes; then connect again."
        )
    else:
        message = _(
            "LinkedIn did not grant every permission Townsquare needs (%(scopes)s). "
            "The LinkedIn app needs the products Share on LinkedIn and Sign In with "
            "LinkedIn using OpenID Connect for these scopes; then connect again."
        )
    raise ConnectRefused(
        message % {"scopes": ", ".join(missing)}, code="scope_missing", workspace=slug
    )


def _pages(
    connector: LinkedInPagePublisher, creds: Credentials, chosen: str, slug: str
) -> list[tuple[str, str, str]]:
    """(organisation URN, handle, name) of the pages to connect."""
    urns = connector.administered(creds)
    if chosen:
        urns = [urn for urn in urns if payloads.organization_id(urn) == chosen]
    if not urns:
        raise ConnectRefused(
            _(
                "The LinkedIn member who signed in is not an administrator of the page "
                "(or of any page). Ask a page administrator to connect it."
            ),
            code="no_pages",
            workspace=slug,
        )
    found = []
    for urn in urns[:MAX_PAGES_PER_SIGN_IN]:
        page = connector.organization(creds, urn)
        vanity = page.get("vanityName")
        name = page.get("localizedName")
        handle = vanity if isinstance(vanity, str) and vanity else payloads.organization_id(urn)
        found.append((urn, handle[:255], name[:255] if isinstance(name, str) else ""))
    return found


def _member(connector: LinkedInProfilePublisher, access_token: str) -> tuple[str, str, str]:
    member = connector.signed_in_member(access_token)
    name = str(member.get("name") or "")[:255]
    urn = f"urn:li:person:{member['sub']}"
    return urn, name or urn, name
