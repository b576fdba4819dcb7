"""Connecting Matrix rooms: check the login (an access token, or a password that is used once
and never stored), then add each chosen room as an account sharing the encrypted token."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from townsquare.audit.record import record, snapshot
from townsquare.lib.errors import ActionError
from townsquare.lib.http import UnsafeTarget, check_target
from townsquare.networks.base import NetworkError, Reauth, Rejected
from townsquare.networks.credentials import store_credentials
from townsquare.networks.matrix.connector import MatrixPublisher
from townsquare.networks.models import SocialAccount
from townsquare.networks.rules.account_limits import matrix_media_config_overrides
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm

NETWORK = "matrix_room"
AUDIT_FIELDS = ("network", "handle", "display_name", "language", "connected_at")
MAX_ROOMS = 200


@dataclass(frozen=True)
class MatrixLogin:
    """A checked login, waiting for the person to choose rooms. The token is a secret."""

    homeserver: str
    access_token: str
    user_id: str
    device_id: str

    def __repr__(self) -> str:
        return f"MatrixLogin({self.homeserver!r}, {self.user_id!r})"


@dataclass(frozen=True)
class Room:
    room_id: str
    name: str
    alias: str

    @property
    def handle(self) -> str:
        return self.alias or self.room_id

    @property
    def label(self) -> str:
        return self.name or self.alias or self.room_id


def _connector(connector: MatrixPublisher | None) -> MatrixPublisher:
    if connector is not None:
        return connector
    from townsquare.networks.registry import get_publisher

    found = get_publisher(NETWORK)
    assert isinstance(found, MatrixPublisher)
    return found


def check_matrix_login(
    membership: Membership,
    *,
    homeserver: str,
    access_token: str = "",
    user_id: str = "",
    password: str = "",
    connector: MatrixPublisher | None = None,
) -> MatrixLogin:
    """Log in (with a password) or check the token, and say who it belongs to."""
    require(membership, Perm.CONNECT_ACCOUNTS)
    server = clean_homeserver(homeserver)
    token, user, secret = access_token.strip(), user_id.strip(), password.strip()
    if not token and not (user and secret):
        raise ActionError(
            _("Enter an access token, or a user id and a password."), code="login_required"
        )
    matrix = _connector(connector)
    device_id = ""
    try:
        if not token:
            answer = matrix.login(server, user, secret)
            token = str(answer.get("access_token") or "")
            device_id = str(answer.get("device_id") or "")
            if not token:
                raise ActionError(
                    _("The Matrix homeserver did not return an access token."), code="no_token"
                )
        who = matrix.whoami(server, token)
    except Reauth:
        raise ActionError(
            _("The Matrix homeserver did not accept this access token."), code="login_refused"
        ) from None
    except Rejected as error:
        raise ActionError(
            _("The Matrix homeserver refused the login: %(reason)s") % {"reason": error.message},
            code="login_refused",
        ) from None
    except NetworkError:
        raise ActionError(
            _("The Matrix homeserver could not be reached. Please try again in a moment."),
            code="unreachable",
            status=503,
        ) from None
    who_user = who.get("user_id")
    if not isinstance(who_user, str) or not who_user.startswith("@"):
        raise ActionError(
            _("The Matrix homeserver's answer could not be read."), code="bad_answer", status=502
        )
    return MatrixLogin(
        homeserver=server,
        access_token=token,
        user_id=who_user,
        device_id=str(who.get("device_id") or device_id),
    )


def joined_rooms(login: MatrixLogin, connector: MatrixPublisher | None = None) -> list[Room]:
    try:
        rooms = _connector(connector).joined_rooms(login.homeserver, login.access_token)
    except NetworkError:
        raise ActionError(
            _("The rooms of this Matrix user could not be read. Please try again."),
            code="unreachable",
            status=503,
        ) from None
    found = [Room(r["room_id"], r["name"], r["alias"]) for r in rooms[:MAX_ROOMS]]
    return sorted(found, key=lambda room: room.label.lower())


def do_connect_matrix_rooms(
    membership: Membership,
    login: MatrixLogin,
    rooms: list[Room],
    *,
    language: str = "",
    connector: MatrixPublisher | None = None,
) -> list[SocialAccount]:
    """Add each room as an account (or reconnect it), all with the same encrypted login."""
    require(membership, Perm.CONNECT_ACCOUNTS)
    if not rooms:
        raise ActionError(_("Choose at least one room."), code="no_room")
    limits = _media_limits(login, connector)
    now = timezone.now()
    accounts = []
    with transaction.atomic():
        for room in rooms:
            account = (
                SocialAccount.objects.select_for_update()
                .filter(
                    workspace=membership.workspace,
                    network=NETWORK,
                    handle__in={room.handle, room.room_id},
                )
                .first()
            )
            before = snapshot(account, AUDIT_FIELDS) if account else None
            if account is None:
                account = SocialAccount(workspace=membership.workspace, network=NETWORK)
            account.handle = room.handle
            account.display_name = room.name[:255]
            if language:
                account.language = language
            if limits:
                account.reported_limits = limits
            account.connected_at = now
            account.last_success_at = now
            account.needs_reconnect = False
            account.save()
            store_credentials(
                account,
                {
                    "access_token": login.access_token,
                    "instance_url": login.homeserver,
                    "extra": {
                        "user_id": login.user_id,
                        "device_id": login.device_id,
                        "room_id": room.room_id,
                    },
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
            accounts.append(account)
    return accounts


def _media_limits(login: MatrixLogin, connector: MatrixPublisher | None) -> dict[str, object]:
    # The homeserver's upload limit replaces our default; without an answer the default stays.
    try:
        config = _connector(connector).client.call(
            login.homeserver,
            login.access_token,
            "GET",
            "/_matrix/client/v1/media/config",
            idempotent=True,
        )
    except NetworkError:
        return {}
    return matrix_media_config_overrides(config)


def clean_homeserver(homeserver: str) -> str:
    server = homeserver.strip().rstrip("/")
    parts = urlsplit(server)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/"):
        raise ActionError(
            _("Enter the address of the Matrix homeserver, such as https://matrix.example.org."),
            code="bad_homeserver",
        )
    try:
        check_target(server)
    except UnsafeTarget:
        raise ActionError(
            _("Townsquare may not connect to this server address."), code="unsafe_homeserver"
        ) from None
    return server
