"""Connecting an X account: start the OAuth 2.0 sign-in, and finish it at the callback.

The connect page and the callback (views.py) call these; what every connect flow shares is
networks/connecting.py. Nothing is stored until X has given a token with every scope
Townsquare needs and said who the account is. Reconnecting keeps the account: it is found by
its X user id, else by its handle (an account posted by reminder so far keeps its history),
and a refresh token is never lost (credentials.store_credentials).
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import Any

from django.utils.translation import gettext as _

from townsquare.networks import connecting
from townsquare.networks.connecting import ConnectedAccount, ConnectRefused
from townsquare.networks.models import SocialAccount
from townsquare.networks.oauth2.tokens import OAuthApp, TokenSet
from townsquare.networks.registry import get_publisher
from townsquare.networks.x import payloads, reading, tier
from townsquare.networks.x.connector import XPublisher, configured_app
from townsquare.workspaces.models import Membership

__all__ = ["ConnectRefused", "do_finish_x_connect", "do_start_x_connect"]

NETWORK = "x"
NETWORK_NAME = "X"
SESSION_KEY = "x_oauth_pending"


def do_start_x_connect(
    membership: Membership,
    session: MutableMapping[str, Any],
    *,
    redirect_uri: str,
    language: str = "",
    app: OAuthApp | None = None,
) -> str:
    """Remember the sign-in and return X's authorization address to send the person to."""
    return connecting.start_sign_in(
        membership,
        session,
        SESSION_KEY,
        lambda: _app(app, redirect_uri),
        language=language,
        pkce=True,
    )


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
    callback = connecting.checked_callback(user, session, SESSION_KEY, params, NETWORK_NAME)
    the_app = _app(app, redirect_uri, callback.workspace)
    x = connector or _shared_connector()
    with connecting.asking(NETWORK_NAME, callback.workspace):
        tokens = x.sign_in_tokens(the_app, callback.code, callback.pending.verifier)
        _check_scopes(tokens, callback.workspace)
        user_json = x.signed_in_user(tokens.access_token)
    subscription = reading.subscription_of(user_json)
    account = connecting.save_connected(
        callback.membership,
        callback.pending,
        ConnectedAccount(
            network=NETWORK,
            handle="@" + str(user_json["username"]),
            display_name=str(user_json.get("name") or ""),
            id_key="user_id",
            network_id=str(user_json["id"]),
            access_token=tokens.access_token,
            refresh_token=tokens.refresh_token,
            expires_at=tokens.expires_at,
            token_expires_at=tokens.expires_at,
            extra={"subscription_type": subscription} if subscription else {},
        ),
    )
    # The text limit follows the subscription read at sign-in (Premium: long posts).
    tier.store_tier_at_connect(account, subscription)
    return account


def _app(app: OAuthApp | None, redirect_uri: str, workspace: str = "") -> OAuthApp:
    if app is not None:
        return app
    return connecting.installation_app(
        lambda: configured_app(redirect_uri), NETWORK_NAME, workspace
    )


def _shared_connector() -> XPublisher:
    # The registry's instance: one HTTP connection pool per process, as for publishing.
    connector = get_publisher(NETWORK)
    if not isinstance(connector, XPublisher):
        raise TypeError("The registry's X publisher is not XPublisher")
    return connector


def _check_scopes(tokens: TokenSet, workspace: str) -> None:
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
            workspace=workspace,
        )
