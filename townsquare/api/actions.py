"""Create and revoke personal API tokens."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from townsquare.api.models import ApiToken
from townsquare.audit.record import record
from townsquare.lib.errors import ActionError
from townsquare.workspaces.access import access_workspaces

TOKEN_PREFIX = "tsq_"  # noqa: S105 - a visible prefix, so leaked tokens are recognisable


def hash_api_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def do_create_api_token(
    user: Any, *, name: str, workspace_slugs: list[str]
) -> tuple[ApiToken, str]:
    name = name.strip()
    if not name:
        raise ActionError(_("A token needs a name."), code="name_required")
    workspaces = list(access_workspaces(user).filter(slug__in=workspace_slugs))
    if not workspaces or len(workspaces) != len(set(workspace_slugs)):
        raise ActionError(
            _("Choose at least one of your workspaces for this token."), code="workspaces_required"
        )
    secret = secrets.token_urlsafe(32)
    token = f"{TOKEN_PREFIX}{secret}"
    api_token = ApiToken.objects.create(
        user=user, name=name, prefix=token[:12], token_hash=hash_api_token(token)
    )
    api_token.workspaces.set(workspaces)
    for workspace in workspaces:
        record(
            actor=user,
            action="api_token.create",
            target=api_token,
            workspace=workspace,
            after={"name": name, "prefix": api_token.prefix},
        )
    return api_token, token


@transaction.atomic
def do_revoke_api_token(user: Any, token_id: int) -> ApiToken:
    api_token = ApiToken.objects.filter(user=user, pk=token_id, revoked_at=None).first()
    if api_token is None:
        raise ActionError(_("No such token."), code="not_found", status=404)
    api_token.revoked_at = timezone.now()
    api_token.save(update_fields=["revoked_at"])
    for workspace in api_token.workspaces.all():
        record(actor=user, action="api_token.revoke", target=api_token, workspace=workspace)
    return api_token


def authenticate_api_token(raw: str) -> ApiToken | None:
    if not raw.startswith(TOKEN_PREFIX):
        return None
    api_token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_api_token(raw), revoked_at=None, user__is_active=True)
        .first()
    )
    if api_token is None:
        return None
    now = timezone.now()
    # One write per minute at most: the hot path of every API call stays read-only.
    if api_token.last_used_at is None or (now - api_token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
    return api_token
