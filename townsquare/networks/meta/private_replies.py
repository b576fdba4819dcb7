"""Private replies: one message from a Facebook Page (in Messenger) or an Instagram account
(in Instagram Direct) to the author of a comment, within 7 days of the comment.

Shapes: Messenger Platform "Private Replies" (developers.facebook.com/docs/messenger-platform/
discovery/private-replies: `POST /{page-id}/messages`, `pages_messaging`) and Instagram Platform
"Send a Private Reply to a Commenter" (developers.facebook.com/docs/instagram-platform/
private-replies: `POST /{ig-user-id}/messages` on graph.facebook.com with Facebook Login);
both take `recipient: {comment_id}` and `message: {text}` and answer as the Send API does.
"""

from __future__ import annotations

from townsquare.networks.base import Credentials, InboxMessage, PublishedResult, Rejected
from townsquare.networks.meta import payloads
from townsquare.networks.meta.client import GraphClient


def send(
    client: GraphClient, creds: Credentials, sender: str, message: InboxMessage, text: str
) -> PublishedResult:
    """One private message to the author of a comment, sent as `sender` (the Page, or the
    Instagram account): refused before any request when it cannot be sent (not a comment,
    the 7 days over), and a refusal for a permission names the one private replies need.
    Meta allows one private reply per comment; the inbox keeps track of the one sent."""
    if not text.strip():
        raise Rejected("There is nothing to send.", code="empty")
    if message.kind not in ("comment", "reply"):
        raise Rejected(
            "Only a comment can be answered privately; answer this one publicly.",
            code="private_reply_kind",
        )
    if not payloads.private_reply_open(message.created_at, client._now()):
        raise Rejected(
            "The 7 days for a private answer to this comment are over; only a public answer "
            "is possible.",
            code="private_reply_closed",
        )
    body = payloads.private_reply_body(message.network_message_id, text)
    try:
        made = client._write(creds, f"{sender}/messages", body)
    except payloads.MissingPermission as error:
        needed = payloads.PRIVATE_REPLY_PERMISSION[client.network]
        raise payloads.MissingPermission(
            f"Meta refused the private answer: it needs the permission {needed} (granted "
            "when the account is connected, after the Meta app has passed App Review for it). "
            "Connect the account again after granting it, or answer publicly.",
            permission=needed,
            detail=error.detail,
        ) from None
    sent_id = payloads.private_reply_id(made)
    return PublishedResult(sent_id, "", client._now(), (sent_id,))
