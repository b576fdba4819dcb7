"""Connecting Facebook Pages and Instagram professional accounts: start Facebook Login, and
finish it at the callback.

The connect page and its callback are views.py. The web flow is
Facebook Login's authorization code with `state`, the code exchanged on the server with
the app secret. No PKCE: Meta documents PKCE only for its OIDC code flow, marked "still in
testing", which returns an ID token for identity, not the Page permissions Townsquare needs.

The code becomes a short-lived user token, then a long-lived one (about 60 days); the Page
tokens read with it (GET /me/accounts) do not expire. Every Page the person may act for
(or only the one chosen when starting) becomes a `facebook_page` account; for
`instagram`, every Instagram professional account linked to such a Page. Nothing is
stored until Meta has granted every permission needed; a missing one is named.
Reconnecting keeps the account: it is found by its Page or Instagram id, else its handle.
While the installation receives webhooks (META_WEBHOOK_VERIFY_TOKEN), the sign-in also asks
for pages_manage_metadata and subscribes each Page to the app, so that comments arrive at
/webhooks/meta/ at once; without that permission they are polled, as always.
While META_PRIVATE_REPLIES is on, it also asks for the messaging permission of the kind
connected (pages_messaging, instagram_manage_messages), optional as well: each account
records whether it was granted, and only those are offered a private answer in the inbox.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, MutableMapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from townsquare.lib.errors import ActionError
from townsquare.networks import connecting
from townsquare.networks.base import NetworkError
from townsquare.networks.connecting import ConnectedAccount, ConnectRefused
from townsquare.networks.meta import payloads
from townsquare.networks.meta.client import GraphClient, configured_app
from townsquare.networks.models import SocialAccount
from townsquare.networks.oauth2.tokens import OAuthApp
from townsquare.networks.registry import UnknownNetwork, get_publisher
from townsquare.workspaces.models import Membership

logger = logging.getLogger(__name__)

NETWORKS = ("facebook_page", "instagram")
SESSION_KEY = "meta_oauth_pending"
NAME = "Meta"
# Asked for when the installation wants them, never required: connecting works without them.
OPTIONAL_SCOPES = frozenset(payloads.WEBHOOK_SCOPES) | frozenset(
    payloads.PRIVATE_REPLY_PERMISSION.values()
)
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

    def chosen_app() -> OAuthApp:
        # Checked after the permission (connecting.start_sign_in), before the app.
        if network not in NETWORKS:
            raise ActionError(_("Meta has no such kind of account."), code="bad_network")
        if page_id and not payloads.is_graph_id(page_id):
            raise ActionError(_("This is not the id of a Facebook Page."), code="bad_page")
        return _app(app, redirect_uri, network)

    extra = {"network": network}
    if page_id:
        extra["page"] = page_id
    # No PKCE (see the module's docstring): the code is only worth something with the secret.
    return connecting.start_sign_in(
        membership, session, SESSION_KEY, chosen_app, extra=extra, language=language, pkce=False
    )


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
    callback = connecting.checked_callback(user, session, SESSION_KEY, params, NAME)
    slug = callback.workspace
    network = callback.pending.extra.get("network", "facebook_page")
    if network not in NETWORKS:
        raise ConnectRefused(_("Please start again."), code="state_unknown", workspace=slug)
    the_app = _app(app, redirect_uri, network, slug)
    client, own = (connector, False) if connector else _client_for(network)
    try:
        found, granted = _ask_meta(
            client, the_app, callback.code, network, callback.pending.extra.get("page", ""), slug
        )
        with transaction.atomic():
            accounts = [
                connecting.save_connected(
                    callback.membership, callback.pending, _connected(network, entry, granted)
                )
                for entry in found
            ]
        if set(payloads.WEBHOOK_SCOPES) & set(the_app.scopes):
            _subscribe_to_webhooks(client, found, granted)
    finally:
        if own:
            client.close()  # made for this sign-in only
    return accounts


def _subscribe_to_webhooks(
    client: GraphClient, pages: list[dict[str, str]], granted: frozenset[str]
) -> None:
    """Subscribe each Page to the app's webhooks. Never fails the connection: without the
    permission, or when Meta refuses, comments still arrive by polling."""
    if not set(payloads.WEBHOOK_SCOPES) <= granted:
        logger.info("meta: pages_manage_metadata not granted; comments are polled only")
        return
    for page in {entry["page_id"]: entry for entry in pages}.values():
        try:
            client.subscribe_page(page["page_id"], page["access_token"])
        except NetworkError as error:
            logger.warning(
                "meta: subscribing Page %s to webhooks failed: %s", page["page_id"], error
            )


def _client_for(network: str) -> tuple[GraphClient, bool]:
    """The network's shared publisher (its connection pool, and what tests put in its place),
    or a client of its own for this sign-in; True when the caller must close it."""
    try:
        shared = get_publisher(network)
    except UnknownNetwork:
        shared = None
    if isinstance(shared, GraphClient):
        return shared, False
    return GraphClient(), True


def _ask_meta(
    client: GraphClient, app: OAuthApp, code: str, network: str, chosen: str, slug: str
) -> tuple[list[dict[str, str]], frozenset[str]]:
    with connecting.asking(NAME, slug):
        tokens, granted = client.sign_in(app, code)
        required = tuple(s for s in app.scopes if s not in OPTIONAL_SCOPES)
        _check_permissions(granted, required, slug)
        pages = client.managed_pages(tokens.access_token)
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
    return pages[:MAX_ACCOUNTS_PER_SIGN_IN], granted


def _app(app: OAuthApp | None, redirect_uri: str, network: str, workspace: str = "") -> OAuthApp:
    if app is not None:
        return app
    return connecting.installation_app(
        lambda: configured_app(redirect_uri, network=network), NAME, workspace
    )


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


def _connected(network: str, page: dict[str, str], granted: frozenset[str]) -> ConnectedAccount:
    # Whether this account may answer comments privately (META_PRIVATE_REPLIES): read from
    # the permissions Meta reports granted (GET /me/permissions), so a reconnect without it
    # takes it away again.
    facts: dict[str, str] = {}
    if payloads.PRIVATE_REPLY_PERMISSION[network] in granted:
        facts[payloads.PRIVATE_REPLY_EXTRA] = "granted"
    if network == "instagram":
        return ConnectedAccount(
            network=network,
            handle=page["ig_username"] or page["ig_user_id"],
            display_name=page["ig_username"],
            id_key="ig_user_id",
            network_id=page["ig_user_id"],
            access_token=page["access_token"],
            extra={"page_id": page["page_id"], **facts},
        )
    # A Page token from a long-lived user token has no expiry: no countdown to show, and
    # no refresh token (ConnectedAccount's defaults).
    return ConnectedAccount(
        network=network,
        handle=page["username"] or page["page_id"],
        display_name=page["name"],
        id_key="page_id",
        network_id=page["page_id"],
        access_token=page["access_token"],
        extra=facts,
    )
