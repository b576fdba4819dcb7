"""Fixtures and makers shared by the routing, rules, SLA and forwarding tests (imported by
them; holds no tests itself)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from townsquare.inbox.models import Contact, Conversation, Message, Rule, Team
from townsquare.networks.models import SocialAccount
from townsquare.workspaces.models import Membership

_counter = {"n": 0}


def member(workspace, email: str, role: str = "editor", name: str = ""):
    user = get_user_model().objects.create_user(email, "pass-123-pass", name=name or email)
    Membership.objects.create(workspace=workspace, user=user, role=role)
    return user


@pytest.fixture
def inbox_account(workspace_a):
    return SocialAccount.objects.create(
        workspace=workspace_a, network="mastodon", handle="@kaffee@example.social"
    )


def make_message(
    account: SocialAccount,
    text: str,
    *,
    category: str = "",
    sentiment: str = "",
    urgency: int = 0,
    language: str = "de",
    author: str = "@lena@example.social",
    followers: int | None = None,
    at: datetime | None = None,
    thread: str = "",
    kind: str = "mention",
    conversation: Conversation | None = None,
) -> Message:
    _counter["n"] += 1
    moment = at or timezone.now()
    contact, _ = Contact.objects.get_or_create(
        workspace=account.workspace,
        network=account.network,
        handle=author,
        defaults={"first_seen_at": moment, "last_seen_at": moment, "display_name": "Lena"},
    )
    if followers is not None:
        contact.follower_count = followers
        contact.save(update_fields=["follower_count"])
    if conversation is None:
        conversation = Conversation.objects.create(
            workspace=account.workspace,
            account=account,
            network_conversation_id=thread or f"thread-{_counter['n']}",
            contact=contact,
            first_message_at=moment,
            last_message_at=moment,
            waiting_since=moment,
            category=category,
            sentiment=sentiment,
            urgency=urgency,
        )
    return Message.objects.create(
        workspace=account.workspace,
        conversation=conversation,
        account=account,
        network_message_id=f"msg-{_counter['n']}",
        kind=kind,
        contact=contact,
        author_handle=author,
        author_name="Lena",
        text=text,
        created_at=moment,
        language=language,
        category=category,
        sentiment=sentiment,
        urgency=urgency,
        spam="ok",
    )


def make_rule(
    workspace, name: str, conditions: dict[str, Any], actions: dict[str, Any], **kw
) -> Rule:
    position = Rule.objects.filter(workspace=workspace).count()
    return Rule.objects.create(
        workspace=workspace,
        name=name,
        position=kw.pop("position", position),
        conditions=conditions,
        actions=actions,
        **kw,
    )


def make_team(workspace, name: str, users) -> Team:
    team = Team.objects.create(workspace=workspace, name=name)
    team.members.set(users)
    return team
