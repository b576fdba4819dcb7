"""The objects a workspace route names in its path, looked up before the body is read.

Authentication resolves `{workspace}` and then every id in the path through the owning
app's `access_*` function, so another workspace's object is a 404 for every method and
every body, even at the address of one's own workspace; a body is never validated (422)
against an object one cannot see. Every path parameter of a workspace route must be listed
here (a test walks the routes); the views look their objects up again, as they always do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.module_loading import import_string

from townsquare.lib.bounds import MAX_ID

# Path parameter -> the access function (membership, id) -> object, or Http404.
LOOKUPS: dict[str, str] = {
    "account_id": "townsquare.networks.access.access_account",
    "asset_id": "townsquare.media.access.access_media_asset",
    "feed_id": "townsquare.feeds.access.access_feed",
    "import_id": "townsquare.bulk.access.access_bulk_import",
    "invitation_id": "townsquare.workspaces.access.access_invitation",
    "member_id": "townsquare.workspaces.access.access_member",
    "note_id": "townsquare.calendars.access.access_note",
    "post_id": "townsquare.content.access.access_post",
    "publication_id": "townsquare.publishing.access.access_publication",
    "variant_id": "townsquare.content.access.access_variant",
    "version_id": "townsquare.planning.access.access_version",
    "pillar_id": "townsquare.planning.access.access_pillar",
    "goal_id": "townsquare.planning.access.access_goal",
    "campaign_id": "townsquare.planning.access.access_campaign",
    "audience_id": "townsquare.planning.access.access_audience",
    "slot_id": "townsquare.queues.access.access_slot",
    "series_id": "townsquare.queues.access.access_series",
    "occurrence_id": "townsquare.queues.access.access_occurrence",
    "team_id": "townsquare.inbox.access.access_team",
    "department_id": "townsquare.inbox.access.access_department",
    "rule_id": "townsquare.inbox.access.access_rule",
    "conversation_id": "townsquare.inbox.access.access_conversation",
    "reply_id": "townsquare.inbox.access.access_reply",
    "saved_reply_id": "townsquare.inbox.access.access_saved_reply",
    "topic_id": "townsquare.inbox.register.access_topic",
    "contact_id": "townsquare.inbox.access.access_contact",
    "tracked_post_id": "townsquare.analytics.access.access_tracked_post",
}


def as_id(value: Any) -> int | None:
    """The id a path segment names; None when it is no id at all (the route's own
    validation then answers 422, which says nothing about any object)."""
    text = str(value)
    if not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


def look_up_path_objects(membership: Any, kwargs: dict[str, Any]) -> None:
    for name, value in kwargs.items():
        if name == "workspace":
            continue
        if name not in LOOKUPS:
            raise LookupError(
                f"The workspace route argument {name!r} has no lookup; add its access "
                "function to LOOKUPS in townsquare/api/lookups.py."
            )
        number = as_id(value)
        if number is not None:
            lookup: Callable[[Any, int], Any] = import_string(LOOKUPS[name])
            lookup(membership, number)
