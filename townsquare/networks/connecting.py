"""What every OAuth 2.0 connect flow with a fixed authorization server shares, whichever
network it is (X, LinkedIn, Facebook Pages and Instagram, Threads):

- starting: the CONNECT_ACCOUNTS check, the sign-in remembered in the session (state, PKCE
  verifier, extras such as the audience language), the network's authorization address;
- at the callback: the remembered sign-in its `state` names, the person checked again, the
  network's refusals (`error=access_denied`, LinkedIn's `user_cancelled_authorize`, no code)
  read into one refusal with a message people can act on, the network's own refusals and
  outages while asking it said in one sentence;
- saving: an account found again by the network's id kept in its credentials, else by its
  handle (an account posted by reminder keeps its history), its tokens stored without ever
  losing a refresh token, and an audit record;
- the pages: the connect page (form, "is the app configured?", the callback address to
  register) and the callback that ends on the workspace's accounts page.

Each network keeps what is its own: its app, what it asks after the token exchange, which
scopes it checks. The pure part (states, PKCE, token requests) is `networks/oauth2/`; this
is its Django side.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, MutableMapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from townsquare.audit.record import record, snapshot
from townsquare.lib.errors import ActionError
from townsquare.networks.base import NetworkError, Reauth, Rejected
from townsquare.networks.credentials import read_credentials, store_credentials
from townsquare.networks.models import SocialAccount
from townsquare.networks.oauth2 import state as sign_in
from townsquare.networks.oauth2.tokens import OAuthApp, authorization_url
from townsquare.networks.pages import connector_template
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm, has_perm

# An authorization code is short; anything longer is not one.
MAX_CODE_CHARS = 1000
# What the networks answer when the person declined in their dialog: RFC 6749's
# `access_denied` (X, Meta, Threads), LinkedIn's `user_cancelled_authorize` (the member
# pressed Cancel on the consent screen) and `user_cancelled_login` (on the sign-in screen).
DECLINED_ERRORS = frozenset({"access_denied", "user_cancelled_authorize", "user_cancelled_login"})
AUDIT_FIELDS = ("network", "handle", "display_name", "language", "connected_at")


class ConnectRefused(ActionError):
    """The callback could not connect an account; `workspace` is where to say so, if known."""

    def __init__(self, message: str, *, code: str, workspace: str = "") -> None:
        super().__init__(message, code=code)
        self.workspace = workspace


def pending_sign_in(
    session: MutableMapping[str, Any], key: str, params: Mapping[str, str], network_name: str
) -> sign_in.PendingSignIn:
    """The sign-in the callback's `state` names, taken out of the session (single use)."""
    try:
        return sign_in.finish_sign_in(session, key, str(params.get("state") or ""))
    except sign_in.StateProblem as problem:
        if problem.reason == "expired":
            raise ConnectRefused(
                _("The sign-in with %(network)s took too long. Please start again.")
                % {"network": network_name},
                code="state_expired",
                workspace=str((problem.entry or {}).get("workspace") or ""),
            ) from None
        raise ConnectRefused(
            _("This sign-in with %(network)s is unknown or was already used. Please start again.")
            % {"network": network_name},
            code="state_unknown",
        ) from None


def allowed_membership(user: Any, pending: sign_in.PendingSignIn) -> Membership:
    """The membership that started the sign-in, checked again now: the person may have left
    the workspace or lost the permission meanwhile; the session may be someone else's."""
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


def authorization_code(params: Mapping[str, str], network_name: str, workspace: str) -> str:
    """The callback's code, or the refusal the network's `error` parameter means."""
    if params.get("error"):
        declined = params.get("error") in DECLINED_ERRORS
        raise ConnectRefused(
            _("The %(network)s account was not connected: the authorisation was declined.")
            % {"network": network_name},
            code="access_denied" if declined else "oauth_error",
            workspace=workspace,
        )
    code = str(params.get("code") or "")
    if not code or len(code) > MAX_CODE_CHARS:
        raise ConnectRefused(
            _("%(network)s sent no authorisation code. Please start again.")
            % {"network": network_name},
            code="no_code",
            workspace=workspace,
        )
    return code


# --- Starting ------------------------------------------------------------------------------------


def installation_app(
    configured_app: Callable[[], OAuthApp], network_name: str, workspace: str = ""
) -> OAuthApp:
    """The installation's app for the network (its `configured_app` raises Reauth without
    one), or a refusal that says an administrator has to add it."""
    try:
        return configured_app()
    except Reauth:
        raise ConnectRefused(
            _(
                "This installation has no %(network)s app configured; "
                "an administrator has to add it."
            )
            % {"network": network_name},
            code="no_app",
            workspace=workspace,
        ) from None


def start_sign_in(
    membership: Membership,
    session: MutableMapping[str, Any],
    session_key: str,
    app: Callable[[], OAuthApp],
    *,
    extra: Mapping[str, str] | None = None,
    language: str = "",
    pkce: bool = True,
    scope_separator: str = " ",
) -> str:
    """Remember a sign-in for `membership`'s workspace and return the network's authorization
    address. The permission is checked before anything else, the app (`app()`, which may
    refuse: no app configured, a bad choice on the form) next. `extra` and the audience
    `language` come back with the callback (PendingSignIn.extra). Without `pkce` the address
    carries no challenge: networks that take the client secret instead (LinkedIn, Meta).
    Scopes are space-separated as RFC 6749 says, unless the network documents another
    `scope_separator` (Threads: commas)."""
    require(membership, Perm.CONNECT_ACCOUNTS)
    the_app = app()
    remembered = dict(extra or {})
    if language:
        remembered["language"] = language[:10]
    pending, challenge = sign_in.start_sign_in(
        session,
        session_key,
        workspace=membership.workspace.slug,
        user_id=membership.user_id,
        extra=remembered,
    )
    scopes = {"scope": scope_separator.join(the_app.scopes)} if scope_separator != " " else None
    return authorization_url(the_app, pending.state, challenge if pkce else "", extra=scopes)


@dataclass(frozen=True)
class Callback:
    """A callback checked: the sign-in it finishes, who may connect, and the code."""

    pending: sign_in.PendingSignIn
    membership: Membership
    code: str

    @property
    def workspace(self) -> str:
        return self.membership.workspace.slug


def checked_callback(
    user: Any,
    session: MutableMapping[str, Any],
    session_key: str,
    params: Mapping[str, str],
    network_name: str,
) -> Callback:
    """The checks every OAuth callback shares, in their order: the remembered sign-in, the
    person's permission now, the code (or the network's refusal)."""
    pending = pending_sign_in(session, session_key, params, network_name)
    membership = allowed_membership(user, pending)
    code = authorization_code(params, network_name, membership.workspace.slug)
    return Callback(pending=pending, membership=membership, code=code)


@contextmanager
def asking(network_name: str, workspace: str) -> Iterator[None]:
    """Around the requests after the callback (token exchange, who signed in): the network's
    refusal, or its being unreachable, as a refusal to show on the accounts page."""
    try:
        yield
    except (Rejected, Reauth) as error:
        raise ConnectRefused(
            _("%(network)s refused the sign-in: %(reason)s")
            % {"network": network_name, "reason": error.message},
            code="token_refused",
            workspace=workspace,
        ) from None
    except NetworkError:
        raise ConnectRefused(
            _("%(network)s could not be reached. Please try again in a moment.")
            % {"network": network_name},
            code="unreachable",
            workspace=workspace,
        ) from None


# --- Saving --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConnectedAccount:
    """One account a sign-in gave, as the network described it. `id_key`/`network_id` name
    the account at the network (kept in the credentials' `extra`, e.g. "user_id"), which finds
    it again when it reconnects under another handle. `token_expires_at` is the countdown the
    health page shows (None: the token does not lapse)."""

    network: str
    handle: str
    display_name: str
    id_key: str
    network_id: str
    access_token: str
    refresh_token: str = ""
    expires_at: datetime | None = None
    token_expires_at: datetime | None = None
    extra: Mapping[str, str] = field(default_factory=dict)


def existing_account(
    workspace: Any, network: str, id_key: str, network_id: str, handle: str
) -> SocialAccount | None:
    """The workspace's account of `network` to reconnect: the one whose credentials name
    `network_id`, else the one with `handle` (added by hand so far); locked for the update.
    Removed accounts stay removed: connecting again adds a new one."""
    accounts = SocialAccount.objects.select_for_update().filter(
        workspace=workspace, network=network, removed_at__isnull=True
    )
    if network_id:
        for account in accounts:
            try:
                stored = read_credentials(account)
            except Exception:
                # Unreadable (a key that is gone): the handle still finds it below.
                stored = {}
            extra = stored.get("extra")
            if isinstance(extra, dict) and str(extra.get(id_key) or "") == network_id:
                return account
    return accounts.filter(handle__iexact=handle).first() if handle else None


def save_connected(
    membership: Membership, pending: sign_in.PendingSignIn, found: ConnectedAccount
) -> SocialAccount:
    """Add the account, or bring an existing one back: connected now, no reconnect needed,
    its tokens stored (a refresh token the network did not send again is kept), and an
    audit record with the account before and after."""
    now = timezone.now()
    with transaction.atomic():
        account = existing_account(
            membership.workspace, found.network, found.id_key, found.network_id, found.handle
        )
        before = snapshot(account, AUDIT_FIELDS) if account else None
        if account is None:
            account = SocialAccount(workspace=membership.workspace, network=found.network)
        account.handle = found.handle[:255]
        account.display_name = found.display_name[:255]
        if pending.extra.get("language"):
            account.language = pending.extra["language"]
        account.connected_at = now
        account.last_success_at = now
        account.needs_reconnect = False
        account.token_expires_at = found.token_expires_at
        account.save()
        store_credentials(
            account,
            {
                "access_token": found.access_token,
                "refresh_token": found.refresh_token,
                "expires_at": found.expires_at.isoformat() if found.expires_at else None,
                "extra": {found.id_key: found.network_id, **found.extra},
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


# --- Pages ---------------------------------------------------------------------------------------


def callback_uri(request: HttpRequest, url_name: str) -> str:
    """The callback address as the network's app must list it (they compare it exactly)."""
    return request.build_absolute_uri(reverse(url_name))


def connect_page(
    request: HttpRequest,
    membership: Membership,
    *,
    form: forms.Form,
    configured: bool,
    start: Callable[[Mapping[str, Any]], str],
    folder: Path,
    callback_url_name: str,
    template: str = "connect.html",
) -> HttpResponse:
    """Settings > Accounts > Connect <network>: a valid POST while the app is configured
    starts the sign-in (`start(cleaned_data)` returns the address to send the person to);
    otherwise the page, with the callback address the operator must register. A POST that
    cannot start answers 400."""
    if request.method == "POST" and configured and form.is_valid():
        try:
            target = start(form.cleaned_data)
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            return redirect(target)
    context = {
        "membership": membership,
        "workspace": membership.workspace,
        "form": form,
        "configured": configured,
        "callback_uri": callback_uri(request, callback_url_name),
        "settings_tab": "accounts",
    }
    refused = request.method == "POST" and (bool(form.errors) or not configured)
    return HttpResponse(
        connector_template(folder, template).render(context, request),
        status=400 if refused else 200,
    )


def callback_page(
    request: HttpRequest, finish: Callable[[], SocialAccount | Sequence[SocialAccount]]
) -> HttpResponse:
    """The callback: GET only; `finish()` connects. A refusal is shown on the workspace's
    accounts page (or the home page when the workspace is not known), success names the
    accounts connected."""
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    try:
        connected = finish()
    except ActionError as error:
        messages.error(request, error.message)
        workspace = error.workspace if isinstance(error, ConnectRefused) else ""
        if workspace:
            return redirect("workspace_accounts", workspace=workspace)
        return redirect("home")
    accounts = [connected] if isinstance(connected, SocialAccount) else list(connected)
    names = ", ".join(str(account) for account in accounts)
    messages.success(
        request,
        ngettext("%(accounts)s is connected.", "%(accounts)s are connected.", len(accounts))
        % {"accounts": names},
    )
    return redirect("workspace_accounts", workspace=accounts[0].workspace.slug)
