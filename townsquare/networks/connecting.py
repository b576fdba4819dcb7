"""What every OAuth 2.0 connect flow with a fixed authorization server does at the callback,
whichever network it is (LinkedIn today; X and Meta can use it the same way): take the
remembered sign-in its `state` names, check that the person may still connect accounts to
that workspace, and read LinkedIn-, X- or Meta-style refusals (`error=access_denied`, no
code) into one refusal with a message people can act on.

The pure part (states, PKCE, token requests) is `networks/oauth2/`; this is its Django side.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import Any

from django.utils.translation import gettext as _

from townsquare.lib.errors import ActionError
from townsquare.networks.oauth2 import state as sign_in
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm, has_perm

# An authorization code is short; anything longer is not one.
MAX_CODE_CHARS = 1000


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
        declined = params.get("error") in ("access_denied", "user_cancelled_login")
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
