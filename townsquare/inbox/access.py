"""Tenant reads of the inbox: everything is looked up through the acting membership, so one
workspace never sees another's conversations, contacts or register."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from townsquare.inbox.models import (
    Contact,
    Conversation,
    Department,
    FeedbackTopic,
    Message,
    Reply,
    Rule,
    SavedReply,
    Team,
)
from townsquare.workspaces.models import Membership


def access_conversations(membership: Membership) -> QuerySet[Conversation]:
    return Conversation.objects.filter(workspace=membership.workspace)


def access_conversation(membership: Membership, conversation_id: int) -> Conversation:
    """The conversation of the membership's workspace, or 404 (also for another's)."""
    found = (
        access_conversations(membership)
        .select_related("account", "contact", "assignee", "team", "rule")
        .filter(pk=conversation_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


def access_messages(membership: Membership) -> QuerySet[Message]:
    return Message.objects.filter(workspace=membership.workspace)


def access_message(membership: Membership, message_id: int) -> Message:
    found = access_messages(membership).select_related("conversation").filter(pk=message_id).first()
    if found is None:
        raise Http404
    return found


def access_contacts(membership: Membership) -> QuerySet[Contact]:
    return Contact.objects.filter(workspace=membership.workspace)


def access_contact(membership: Membership, contact_id: int) -> Contact:
    found = access_contacts(membership).filter(pk=contact_id).first()
    if found is None:
        raise Http404
    return found


def access_teams(membership: Membership) -> QuerySet[Team]:
    return Team.objects.filter(workspace=membership.workspace)


def access_team(membership: Membership, team_id: int) -> Team:
    found = access_teams(membership).filter(pk=team_id).first()
    if found is None:
        raise Http404
    return found


def access_departments(membership: Membership) -> QuerySet[Department]:
    return Department.objects.filter(workspace=membership.workspace)


def access_department(membership: Membership, department_id: int) -> Department:
    found = access_departments(membership).filter(pk=department_id).first()
    if found is None:
        raise Http404
    return found


def access_rules(membership: Membership) -> QuerySet[Rule]:
    return Rule.objects.filter(workspace=membership.workspace)


def access_rule(membership: Membership, rule_id: int) -> Rule:
    found = access_rules(membership).filter(pk=rule_id).first()
    if found is None:
        raise Http404
    return found


def access_saved_replies(membership: Membership) -> QuerySet[SavedReply]:
    return SavedReply.objects.filter(workspace=membership.workspace)


def access_topics(membership: Membership) -> QuerySet[FeedbackTopic]:
    return FeedbackTopic.objects.filter(workspace=membership.workspace)


def access_saved_reply(membership: Membership, saved_reply_id: int) -> SavedReply:
    found = access_saved_replies(membership).filter(pk=saved_reply_id).first()
    if found is None:
        raise Http404
    return found


def access_replies(membership: Membership) -> QuerySet[Reply]:
    return Reply.objects.filter(workspace=membership.workspace)


def access_reply(membership: Membership, reply_id: int) -> Reply:
    found = access_replies(membership).select_related("conversation").filter(pk=reply_id).first()
    if found is None:
        raise Http404
    return found
