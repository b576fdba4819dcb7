"""Personal API tokens: listed, made and revoked in a signed-in browser session only (an
API token is refused on these routes; see auth.py)."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from townsquare.api.actions import do_create_api_token, do_revoke_api_token
from townsquare.api.models import ApiToken
from townsquare.lib.bounds import Id

router = Router(tags=["tokens"])


class TokenIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    workspaces: list[str] = Field(min_length=1, description="Workspace slugs")


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    workspaces: list[str]
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreated(TokenOut):
    token: str = Field(description="Shown once; store it now.")


def _out(t: ApiToken) -> dict[str, object]:
    return {
        "id": t.pk,
        "name": t.name,
        "prefix": t.prefix,
        "workspaces": [w.slug for w in t.workspaces.all()],
        "created_at": t.created_at,
        "last_used_at": t.last_used_at,
        "revoked_at": t.revoked_at,
    }


@router.get("/tokens", response=list[TokenOut])
def list_tokens(request: HttpRequest) -> list[dict[str, object]]:
    tokens = ApiToken.objects.filter(user=request.auth).prefetch_related("workspaces")
    return [_out(t) for t in tokens]


@router.post("/tokens", response={201: TokenCreated})
def create_token(request: HttpRequest, body: TokenIn) -> tuple[int, dict[str, object]]:
    api_token, raw = do_create_api_token(
        request.auth, name=body.name, workspace_slugs=body.workspaces
    )
    return Status(201, {**_out(api_token), "token": raw})


@router.delete("/tokens/{token_id}", response={204: None})
def revoke_token(request: HttpRequest, token_id: Id) -> Status:
    do_revoke_api_token(request.auth, token_id)
    return Status(204, None)
