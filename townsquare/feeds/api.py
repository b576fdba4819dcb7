"""API of calendar feeds: list, make (the address is in the answer once) and revoke.

A feed address is a key of its own that outlives no revocation of it, but would outlive
the revocation of the API token that made it; so making one needs the signed-in browser
session, like API tokens. Listing and revoking work with a token as well.
"""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from townsquare.feeds.access import access_feed, access_feeds
from townsquare.feeds.actions import do_create_feed, do_revoke_feed, feed_url
from townsquare.feeds.models import FeedToken
from townsquare.lib.bounds import Id
from townsquare.lib.errors import ActionError

router = Router(tags=["feeds"])


class FeedIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    campaign: Id | None = Field(None, description="Only this campaign's posts")


class FeedOut(Schema):
    id: int
    name: str
    prefix: str
    campaign: int | None
    created_by: str | None
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class FeedCreated(FeedOut):
    url: str = Field(description="The feed's address. Shown once; store it now.")


def _out(f: FeedToken) -> dict[str, object]:
    return {
        "id": f.pk,
        "name": f.name,
        "prefix": f.prefix,
        "campaign": f.campaign_id,
        "created_by": f.created_by.email if f.created_by else None,
        "created_at": f.created_at,
        "last_used_at": f.last_used_at,
        "revoked_at": f.revoked_at,
    }


@router.get("/workspaces/{workspace}/feeds", response=list[FeedOut])
def list_feeds(request: HttpRequest, workspace: str) -> list[dict[str, object]]:
    return [_out(f) for f in access_feeds(request.membership)]


@router.post("/workspaces/{workspace}/feeds", response={201: FeedCreated})
def create_feed(request: HttpRequest, workspace: str, body: FeedIn) -> Status:
    if getattr(request, "api_token", None) is not None:
        raise ActionError(
            _(
                "Calendar feeds are made in a signed-in session (Settings > Calendar feeds): "
                "a feed made with an API token would outlive the token's revocation."
            ),
            code="session_required",
            status=403,
        )
    feed, raw = do_create_feed(
        request.membership,
        name=body.name,
        campaign_id=body.campaign,
    )
    return Status(201, {**_out(feed), "url": feed_url(raw)})


@router.delete("/workspaces/{workspace}/feeds/{feed_id}", response={204: None})
def revoke_feed(request: HttpRequest, workspace: str, feed_id: Id) -> Status:
    membership = request.membership
    do_revoke_feed(membership, access_feed(membership, feed_id))
    return Status(204, None)
