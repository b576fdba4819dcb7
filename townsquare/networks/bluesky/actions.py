"""Connecting a Bluesky account: log in once with a handle and an app password, keep the
session (and the app password, to log in again when the session ends) encrypted."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from townsquare.audit.record import record, snapshot
from townsquare.lib.errors import ActionError
from townsquare.lib.http import UnsafeTarget, check_target
from townsquare.networks.base import NetworkError, Reauth, Rejected
from townsquare.networks.bluesky.xrpc import DEFAULT_SERVICE, Session
from townsquare.networks.credentials import store_credentials
from townsquare.networks.models import SocialAccount
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm

NETWORK = "bluesky"
AUDIT_FIELDS = ("network", "handle", "display_name", "language", "connected_at")


def do_connect_bluesky(
    membership: Membership,
    *,
    handle: str,
    app_password: str,
    service_url: str = "",
    language: str = "",
    connector: object | None = None,
) -> SocialAccount:
    """Check the login with Bluesky, then add the account (or reconnect it) with its session.

    The network is asked before the transaction opens: a slow PDS must not hold the
    database's write lock.
    """
    require(membership, Perm.CONNECT_ACCOUNTS)
    identifier = handle.strip().lstrip("@").lower()
    if not identifier:
        raise ActionError(_("Enter the account's handle."), code="handle_required")
    if not app_password.strip():
        raise ActionError(_("Enter an app password."), code="password_required")
    service = _service(service_url)
    session = _log_in(connector, service, identifier, app_password.strip())
    now = timezone.now()
    with transaction.atomic():
        account = (
            SocialAccount.objects.select_for_update()
            .filter(
                workspace=membership.workspace,
                network=NETWORK,
                handle__in={session.handle, identifier, "@" + session.handle},
            )
            .first()
        )
        before = snapshot(account, AUDIT_FIELDS) if account else None
        if account is None:
            account = SocialAccount(workspace=membership.workspace, network=NETWORK)
        account.handle = session.handle or identifier
        if language:
            account.language = language
        account.connected_at = now
        account.last_success_at = now
        account.needs_reconnect = False
        expires = session.expires_at
        account.token_expires_at = datetime.fromtimestamp(expires, UTC) if expires else None
        account.save()
        store_credentials(
            account,
            {
                "access_token": session.access_jwt,
                "refresh_token": session.refresh_jwt,
                "instance_url": service,
                "extra": {"did": session.did, "app_password": app_password.strip()},
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


def _service(service_url: str) -> str:
    service = (service_url.strip() or DEFAULT_SERVICE).rstrip("/")
    parts = urlsplit(service)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/"):
        raise ActionError(
            _("Enter the address of the Bluesky server, such as https://bsky.social."),
            code="bad_service",
        )
    try:
        check_target(service)
    except UnsafeTarget:
        raise ActionError(
            _("Townsquare may not connect to this server address."), code="unsafe_service"
        ) from None
    return service


def _log_in(connector: object | None, service: str, identifier: str, password: str) -> Session:
    if connector is None:
        from townsquare.networks.registry import get_publisher

        connector = get_publisher(NETWORK)
    xrpc = connector.xrpc  # type: ignore[attr-defined]
    try:
        session: Session = xrpc.create_session(service, identifier, password)
    except Reauth:
        raise ActionError(
            _("Bluesky did not accept this handle and app password."), code="login_refused"
        ) from None
    except Rejected as error:
        raise ActionError(
            _("Bluesky refused the login: %(reason)s") % {"reason": error.message},
            code="login_refused",
        ) from None
    except NetworkError:
        raise ActionError(
            _("The Bluesky server could not be reached. Please try again in a moment."),
            code="unreachable",
            status=503,
        ) from None
    return session
