"""Objects of the foreign workspace for the tenancy and query probes (inbox routes)."""

from django.utils import timezone

from townsquare.inbox.models import Contact, Conversation, Message, Reply, SavedReply
from townsquare.networks.models import SocialAccount
from townsquare.testing.tenancy import probe_kwarg


def _foreign_conversation(world):
    account, _ = SocialAccount.objects.get_or_create(
        workspace=world.foreign, network="mastodon", handle="@probe@example.social"
    )
    now = timezone.now()
    contact, _ = Contact.objects.get_or_create(
        workspace=world.foreign,
        network="mastodon",
        handle="@someone@example.social",
        defaults={"first_seen_at": now, "last_seen_at": now},
    )
    conversation, _ = Conversation.objects.get_or_create(
        account=account,
        network_conversation_id="probe-thread",
        defaults={
            "workspace": world.foreign,
            "contact": contact,
            "first_message_at": now,
            "last_message_at": now,
        },
    )
    Message.objects.get_or_create(
        account=account,
        network_message_id="probe-message",
        defaults={
            "workspace": world.foreign,
            "conversation": conversation,
            "kind": "mention",
            "contact": contact,
            "author_handle": contact.handle,
            "text": "Nur für B",
            "created_at": now,
        },
    )
    return conversation


@probe_kwarg("conversation_id")
def foreign_conversation(world):
    return _foreign_conversation(world).pk


@probe_kwarg("reply_id")
def foreign_reply(world):
    conversation = _foreign_conversation(world)
    reply, _ = Reply.objects.get_or_create(
        workspace=world.foreign,
        conversation=conversation,
        in_reply_to=conversation.messages.first(),
        defaults={"text": "Antwort nur für B", "status": "failed"},
    )
    return reply.pk


@probe_kwarg("saved_reply_id")
def foreign_saved_reply(world):
    saved, _ = SavedReply.objects.get_or_create(
        workspace=world.foreign, title="Nur für B", defaults={"language": "en", "text": "Hi"}
    )
    return saved.pk


@probe_kwarg("team_id")
def foreign_team(world):
    from townsquare.inbox.models import Team

    team, _ = Team.objects.get_or_create(workspace=world.foreign, name="Nur B")
    return team.pk


@probe_kwarg("department_id")
def foreign_department(world):
    from townsquare.inbox.models import Department

    department, _ = Department.objects.get_or_create(workspace=world.foreign, name="Nur B")
    return department.pk


@probe_kwarg("rule_id")
def foreign_rule(world):
    from townsquare.inbox.models import Rule

    rule, _ = Rule.objects.get_or_create(workspace=world.foreign, name="Nur B")
    return rule.pk


@probe_kwarg("topic_id")
def foreign_topic(world):
    from townsquare.inbox.models import FeedbackItem, FeedbackTopic

    conversation = _foreign_conversation(world)
    topic, _ = FeedbackTopic.objects.get_or_create(workspace=world.foreign, title="Nur für B")
    FeedbackItem.objects.get_or_create(
        message=conversation.messages.first(),
        defaults={
            "workspace": world.foreign,
            "topic": topic,
            "category": "question",
            "created_at": timezone.now(),
        },
    )
    return topic.pk


@probe_kwarg("contact_id")
def foreign_contact(world):
    return _foreign_conversation(world).contact_id
