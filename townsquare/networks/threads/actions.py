"""Connecting a Threads profile: start Threads' own OAuth sign-in, and finish it at the
callback.

The connect page and the callback (views.py) call these; what every connect flow shares is
networks/connecting.py. The sign-in is the authorization code with `state` and the Threads
app secret; Meta documents no PKCE for it. The code gives a short-lived token (one hour),
exchanged at once for a long-lived one (60 days), which renews itself (client.py). Scopes
are comma-separated in Meta's examples, so the authorization address says them so.

Meta's token answers do not list the granted permissions; a permission the person left out
or Meta's app review did not approve shows on the first call that needs it, named
(payloads.permission_message). Reconnecting keeps the account: found by its Threads user
id, else by its handle (an account posted by reminder keeps its history).
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import Any

from django.utils.translation import gettext as _

from townsquare.networks import connecting
from townsquare.networks.connecting import ConnectedAccount, ConnectRefused
from townsquare.networks.models import SocialAccount
from townsquare.networks.oauth2.tokens import OAuthApp, TokenSet
from townsquare.networks.registry import get_publisher, publishes_automatically
from townsquare.networks.threads.connector import ThreadsPublisher, configured_app
from townsquare.workspaces.models import Membership

NETWORK = "threads"
SESSION_KEY = "threads_oauth_pending"
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
    return connecting.start_sign_in(
        membership,
        session,
        SESSION_KEY,
        lambda: _app(app, redirect_uri),
        language=language,
        pkce=False,
        scope_separator=",",
    )


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
    callback = connecting.checked_callback(user, session, SESSION_KEY, params, NAME)
    slug = callback.workspace
    # Meta appends "#_" to the redirect; a browser keeps fragments out of the query, but a
    # code copied by hand may carry it.
    code = callback.code.removesuffix("#_")
    the_app = _app(app, redirect_uri, slug)
    chosen, own = (connector, False) if connector else _connector()
    try:
        tokens, user_id, profile = _ask_threads(chosen, the_app, code, slug)
    finally:
        if own:
            chosen.close()  # made for this sign-in only
    return connecting.save_connected(
        callback.membership,
        callback.pending,
        ConnectedAccount(
            network=NETWORK,
            handle=str(profile.get("username") or user_id),
            display_name=str(profile.get("name") or ""),
            id_key="user_id",
            network_id=user_id,
            access_token=tokens.access_token,
            # The long-lived token renews itself: it is its own refresh credential.
            refresh_token=tokens.refresh_token or tokens.access_token,
            expires_at=tokens.expires_at,
            # The countdown the health page shows: 60 days, moved forward by every renewal.
            token_expires_at=tokens.expires_at,
        ),
    )


def _ask_threads(
    connector: ThreadsPublisher, app: OAuthApp, code: str, slug: str
) -> tuple[TokenSet, str, dict[str, Any]]:
    with connecting.asking(NAME, slug):
        tokens, user_id = connector.sign_in_tokens(app, code)
        profile = connector.profile(tokens.access_token)
    profile_id = str(profile.get("id") or "")
    if user_id and profile_id != user_id:
        raise ConnectRefused(
            _("Threads answered for another profile than the one that signed in."),
            code="token_refused",
            workspace=slug,
        )
    return tokens, profile_id, profile


def _connector() -> tuple[ThreadsPublisher, bool]:
    """The registry's publisher (one HTTP connection pool per process, as for publishing),
    and whether it was made for this sign-in only (to be closed after it)."""
    if publishes_automatically(NETWORK):
        shared = get_publisher(NETWORK)
        if not isinstance(shared, ThreadsPublisher):
            raise TypeError("The registry's Threads publisher is not ThreadsPublisher")
        return shared, False
    return ThreadsPublisher(), True


def _app(app: OAuthApp | None, redirect_uri: str, workspace: str = "") -> OAuthApp:
    if app is not None:
        return app
    return connecting.installation_app(lambda: configured_app(redirect_uri), NAME, workspace)
