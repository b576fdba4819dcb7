"""The OAuth authorization-code flow with a Mastodon instance: app, state, PKCE, token.

Townsquare registers itself once per instance and callback address (`MastodonApp`, the
client secret encrypted). A sign-in starts with a random `state` kept in the person's session
together with the workspace, the user, the instance and the time; it is single use, expires
after ten minutes and is compared in constant time (the shared `networks/oauth2/state.py`).
PKCE (S256) is used when the instance says it supports it in
`/.well-known/oauth-authorization-server`; older instances have no such document and get the
plain flow.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from townsquare.networks.base import NetworkError
from townsquare.networks.credentials import key_ring
from townsquare.networks.mastodon.api import MastodonApi
from townsquare.networks.models import MastodonApp
from townsquare.networks.oauth2 import state as shared_state
from townsquare.networks.oauth2.tokens import OAuthApp, authorization_url

SCOPES = "read write"
CLIENT_NAME = "Townsquare"
SESSION_KEY = "mastodon_oauth_pending"
STATE_TTL_S = shared_state.STATE_TTL_S
MAX_PENDING = shared_state.MAX_PENDING


@dataclass(frozen=True, slots=True)
class Pending:
    """One sign-in in progress, as kept in the session."""

    state: str
    workspace: str
    user_id: int
    instance: str
    created: float
    app_id: int
    verifier: str = ""
    language: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "workspace": self.workspace,
            "user_id": self.user_id,
            "instance": self.instance,
            "created": self.created,
            "app_id": self.app_id,
            "verifier": self.verifier,
            "language": self.language,
        }

    @classmethod
    def from_json(cls, data: object) -> Pending | None:
        if not isinstance(data, dict):
            return None
        try:
            return cls(
                state=str(data["state"]),
                workspace=str(data["workspace"]),
                user_id=int(data["user_id"]),
                instance=str(data["instance"]),
                created=float(data["created"]),
                app_id=int(data["app_id"]),
                verifier=str(data.get("verifier") or ""),
                language=str(data.get("language") or ""),
            )
        except (KeyError, TypeError, ValueError):
            return None

    def expired(self, now: float | None = None) -> bool:
        return shared_state.expired(self.as_json(), now=now, ttl_s=STATE_TTL_S)


class StateProblem(Exception):
    """The callback's state is missing, unknown, used or expired; `pending` if it was known."""

    def __init__(self, reason: str, pending: Pending | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.pending = pending


# --- state in the session and PKCE: the shared flow (networks/oauth2/state.py) ---------------


def remember(session: MutableMapping[str, Any], pending: Pending) -> None:
    shared_state.remember(session, SESSION_KEY, pending.as_json(), max_pending=MAX_PENDING)


def take(session: MutableMapping[str, Any], state: str, now: float | None = None) -> Pending:
    """The sign-in that `state` names, removed from the session (single use)."""
    try:
        entry = shared_state.take(session, SESSION_KEY, state, now=now, ttl_s=STATE_TTL_S)
    except shared_state.StateProblem as problem:
        raise StateProblem(problem.reason, Pending.from_json(problem.entry)) from None
    pending = Pending.from_json(entry)
    if pending is None:
        raise StateProblem("unknown")
    return pending


new_state = shared_state.new_state
pkce_pair = shared_state.pkce_pair
pkce_challenge = shared_state.pkce_challenge


def supports_pkce(api: MastodonApi, instance: str) -> bool:
    """Whether the instance advertises S256; no document (before Mastodon 4.3) means no."""
    try:
        document = api.json(
            instance, "GET", "/.well-known/oauth-authorization-server", idempotent=True
        )
    except NetworkError:
        return False
    methods = (
        document.get("code_challenge_methods_supported") if isinstance(document, dict) else None
    )
    return isinstance(methods, list) and "S256" in methods


# --- the app and the token ----------------------------------------------------------------------


def app_for(api: MastodonApi, instance: str, redirect_uri: str) -> MastodonApp:
    """Townsquare's app on `instance` for `redirect_uri`, registering it the first time."""
    existing = MastodonApp.objects.filter(instance_url=instance, redirect_uri=redirect_uri).first()
    if existing is not None:
        return existing
    body = api.json(
        instance,
        "POST",
        "/api/v1/apps",
        data={
            "client_name": CLIENT_NAME,
            "redirect_uris": redirect_uri,
            "scopes": SCOPES,
        },
        idempotent=True,  # a second registration only leaves an unused app behind
    )
    client_id = body.get("client_id") if isinstance(body, dict) else None
    client_secret = body.get("client_secret") if isinstance(body, dict) else None
    if not isinstance(client_id, str) or not isinstance(client_secret, str):
        raise NetworkError("The instance did not register Townsquare.", detail=str(body)[:500])
    try:
        with transaction.atomic():
            return MastodonApp.objects.create(
                instance_url=instance,
                redirect_uri=redirect_uri,
                client_id=client_id,
                client_secret_encrypted=key_ring().encrypt(client_secret),
                scopes=SCOPES,
            )
    except IntegrityError:
        # Registered by a parallel request meanwhile: use that one.
        return MastodonApp.objects.get(instance_url=instance, redirect_uri=redirect_uri)


def authorize_url(app: MastodonApp, state: str, challenge: str) -> str:
    return authorization_url(
        OAuthApp(
            authorize_url=f"{app.instance_url}/oauth/authorize",
            token_url=f"{app.instance_url}/oauth/token",
            client_id=app.client_id,
            redirect_uri=app.redirect_uri,
            scopes=tuple(SCOPES.split()),
        ),
        state,
        challenge,
    )


def exchange_code(api: MastodonApi, app: MastodonApp, code: str, verifier: str) -> str:
    """The access token for an authorization code (NetworkError when refused)."""
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "client_id": app.client_id,
        "client_secret": key_ring().decrypt(app.client_secret_encrypted),
        "redirect_uri": app.redirect_uri,
        "scope": SCOPES,
    }
    if verifier:
        form["code_verifier"] = verifier
    # A code works once: asking again after a timeout would fail anyway, so no retry meaning.
    body = api.json(app.instance_url, "POST", "/oauth/token", data=form, idempotent=True)
    token = body.get("access_token") if isinstance(body, dict) else None
    if not isinstance(token, str) or not token:
        raise NetworkError("The instance returned no access token.", detail=str(body)[:500])
    return token
