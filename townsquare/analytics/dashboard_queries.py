"""What the post and variant dashboards read beyond the KPI readers: the inbox conversations
about one post, and the publications of one message across accounts. Every read starts
from the acting membership's workspace."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from townsquare.analytics.access import access_tracked_posts
from townsquare.analytics.models import TrackedPost
from townsquare.content.models import Post
from townsquare.inbox.access import access_conversations, access_messages
from townsquare.inbox.models import Conversation
from townsquare.workspaces.models import Membership


def conversations_about(membership: Membership, post: TrackedPost) -> QuerySet[Conversation]:
    """The inbox conversations answering the post: a thread named after it, or one holding
    a message in reply to it."""
    replying = (
        access_messages(membership)
        .filter(account_id=post.account_id, in_reply_to_id=post.network_post_id)
        .values("conversation_id")
    )
    return (
        access_conversations(membership)
        .filter(account_id=post.account_id)
        .filter(Q(network_conversation_id=post.network_post_id) | Q(pk__in=replying))
        .select_related("contact")
        .order_by("-last_message_at", "-pk")
    )


def variants_of(membership: Membership, post: Post) -> list[TrackedPost]:
    """The tracked publications of one message, one per account it went out on."""
    return list(
        access_tracked_posts(membership)
        .filter(publication__post=post)
        .select_related("account")
        .order_by("network", "account__handle", "pk")
    )
