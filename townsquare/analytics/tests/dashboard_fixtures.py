"""A small history for the dashboard tests: two accounts (Mastodon and Bluesky), daily
follower counts for 60 days, a message published on both (an A/B pair, campaign and
pillar set), a post of last period, snapshots, and an inbox conversation answering a post."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from townsquare.analytics.models import AccountSnapshot, CollectionState, PostSnapshot, TrackedPost
from townsquare.content.models import Post
from townsquare.inbox.models import Contact, Conversation, Message, Reply
from townsquare.lib.local_time import zone_of
from townsquare.networks.models import SocialAccount
from townsquare.planning.models import Campaign, Pillar
from townsquare.publishing.models import Publication


@dataclass
class History:
    masto: SocialAccount
    bsky: SocialAccount
    post: Post
    tracked_masto: TrackedPost
    tracked_bsky: TrackedPost
    old: TrackedPost
    conversation: Conversation
    campaign: Campaign
    pillar: Pillar


def _tracked(
    workspace, account, publication, network_post_id, when, likes, reposts, replies, **extra
):
    post = TrackedPost.objects.create(
        workspace=workspace,
        account=account,
        network=account.network,
        network_post_id=network_post_id,
        publication=publication,
        published_at=when,
        text_excerpt=f"Herbstkaffee auf {account.network}",
        likes=likes,
        reposts=reposts,
        replies=replies,
        quotes=0,
        engagements=likes + reposts + replies,
        metrics_at=timezone.now(),
        **extra,
    )
    for hours, share in ((1, 0.25), (24, 0.75), (72, 1.0)):
        PostSnapshot.objects.create(
            post=post,
            taken_at=when + timedelta(hours=hours),
            likes=int(likes * share),
            reposts=int(reposts * share),
            replies=int(replies * share),
            quotes=0,
            **{k: int(v * share) for k, v in extra.items()},
        )
    return post


def make_history(workspace, author) -> History:
    now = timezone.now()
    # Days are the workspace's local days, as the dashboards count them: in the hour before
    # midnight UTC, Berlin's today is already tomorrow.
    today = timezone.localtime(now, ZoneInfo(zone_of(workspace))).date()
    masto = SocialAccount.objects.create(
        workspace=workspace, network="mastodon", handle="@kaffee@example.social"
    )
    bsky = SocialAccount.objects.create(
        workspace=workspace, network="bluesky", handle="kaffee.example.com"
    )
    for account, base in ((masto, 500), (bsky, 300)):
        CollectionState.objects.create(account=account, last_success_at=now - timedelta(hours=2))
        for days_ago in range(60):
            AccountSnapshot.objects.create(
                workspace=workspace,
                account=account,
                day=today - timedelta(days=days_ago),
                taken_at=now - timedelta(days=days_ago),
                followers=base + 60 - days_ago,
                following=10,
                posts=40,
            )
    campaign = Campaign.objects.create(
        workspace=workspace,
        name="Herbstaktion",
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=30),
    )
    pillar = Pillar.objects.create(workspace=workspace, name="Rezepte", target_share=30)
    post = Post.objects.create(
        workspace=workspace,
        master_text="Unser Herbstkaffee ist da",
        language="de",
        campaign=campaign,
        pillar=pillar,
        state="published",
    )
    when = now - timedelta(days=3)
    publications = [
        Publication.objects.create(
            workspace=workspace,
            post=post,
            account=account,
            status="published",
            due_at=when,
            published_at=when,
        )
        for account in (masto, bsky)
    ]
    tracked_masto = _tracked(workspace, masto, publications[0], "m-1", when, 40, 10, 5)
    tracked_bsky = _tracked(workspace, bsky, publications[1], "b-1", when, 20, 4, 2)
    old = _tracked(workspace, masto, None, "m-0", now - timedelta(days=40), 8, 1, 1)
    contact = Contact.objects.create(
        workspace=workspace,
        network="mastodon",
        handle="@gast@example.social",
        display_name="Gast",
        first_seen_at=now,
        last_seen_at=now,
    )
    asked = when + timedelta(hours=1)
    conversation = Conversation.objects.create(
        workspace=workspace,
        account=masto,
        network_conversation_id="c-1",
        contact=contact,
        first_message_at=asked,
        last_message_at=asked + timedelta(hours=2),
        first_responded_at=asked + timedelta(hours=2),
    )
    question = Message.objects.create(
        workspace=workspace,
        conversation=conversation,
        account=masto,
        network_message_id="q-1",
        in_reply_to_id="m-1",
        kind="reply",
        contact=contact,
        author_handle=contact.handle,
        text="Gibt es den auch entkoffeiniert?",
        created_at=asked,
        sentiment="positive",
    )
    answer = Message.objects.create(
        workspace=workspace,
        conversation=conversation,
        account=masto,
        network_message_id="a-1",
        in_reply_to_id="q-1",
        kind="outbound",
        author_handle=masto.handle,
        text="Ja, ab Montag!",
        created_at=asked + timedelta(hours=2),
        sent_by=author,
    )
    Reply.objects.create(
        workspace=workspace,
        conversation=conversation,
        in_reply_to=question,
        text="Ja, ab Montag!",
        status="sent",
        author=author,
        sent_at=asked + timedelta(hours=2),
        sent_message=answer,
    )
    return History(
        masto, bsky, post, tracked_masto, tracked_bsky, old, conversation, campaign, pillar
    )
