"""A small inbox for the page, reply and API tests: conversations with triaged messages
stored as ingest stores them, and a stand-in connector that records what it is asked to
send (registered in place of the network's connector for the test)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from townsquare.inbox.models import Contact, Conversation, Message
from townsquare.networks import registry
from townsquare.networks.base import Credentials, InboxMessage, PublishedResult
from townsquare.networks.models import SocialAccount

EXAMPLE_TRIAGE = {
    "language": {"value": "de", "confidence": 0.97, "reasons": []},
    "category": {
        "value": "complaint",
        "confidence": 0.91,
        "reasons": ['Wort "schon wieder" (wiederholtes Problem)'],
    },
    "sentiment": {"value": "negative", "confidence": 0.7, "reasons": ['Wort "ärgerlich"']},
    "spam": {"value": "ok", "confidence": 0.55, "reasons": []},
    "urgency": {"score": 45, "parts": [["repeated_complaint", 25], ["negative_complaint", 20]]},
    "truncated": False,
}


def make_conversation(
    account: SocialAccount,
    text: str = "Die Lieferung ist schon wieder zu spät, sehr ärgerlich!",
    *,
    handle: str = "@lena@example.social",
    name: str = "Lena Vogel",
    category: str = "complaint",
    sentiment: str = "negative",
    private: bool = False,
    at: datetime | None = None,
    language: str = "de",
    urgency: int = 45,
    thread: str = "",
) -> Conversation:
    at = at or timezone.now() - timedelta(minutes=5)
    contact, _created = Contact.objects.get_or_create(
        workspace=account.workspace,
        network=account.network,
        handle=handle,
        defaults={"display_name": name, "first_seen_at": at, "last_seen_at": at},
    )
    key = thread or f"thread-{Conversation.objects.count() + 1}"
    conversation = Conversation.objects.create(
        workspace=account.workspace,
        account=account,
        network_conversation_id=key,
        contact=contact,
        is_private=private,
        first_message_at=at,
        last_message_at=at,
        waiting_since=at,
        category=category,
        sentiment=sentiment,
        urgency=urgency,
    )
    add_message(
        conversation, text, at=at, language=language, category=category, sentiment=sentiment
    )
    return conversation


def add_message(
    conversation: Conversation,
    text: str,
    *,
    at: datetime | None = None,
    language: str = "de",
    category: str = "complaint",
    sentiment: str = "negative",
) -> Message:
    at = at or timezone.now()
    contact = conversation.contact
    triage = {
        **EXAMPLE_TRIAGE,
        "language": {"value": language, "confidence": 0.97, "reasons": []},
        "category": {**EXAMPLE_TRIAGE["category"], "value": category},
        "sentiment": {**EXAMPLE_TRIAGE["sentiment"], "value": sentiment},
    }
    return Message.objects.create(
        workspace=conversation.workspace,
        conversation=conversation,
        account=conversation.account,
        network_message_id=f"m-{conversation.pk}-{Message.objects.count() + 1}",
        kind="direct" if conversation.is_private else "mention",
        contact=contact,
        author_handle=contact.handle if contact else "@someone",
        author_name=contact.display_name if contact else "",
        text=text,
        created_at=at,
        language=language,
        category=category,
        sentiment=sentiment,
        spam="ok",
        urgency=conversation.urgency,
        triage=triage,
        triage_model_version="default-test",
    )


@dataclass
class FakeInbox:
    """Answers like a connector: records (message, text) and returns a network id."""

    sent: list[tuple[InboxMessage, str]] = field(default_factory=list)
    fail_with: Exception | None = None

    def fetch_inbox(self, creds: Credentials, cursor: str | None) -> tuple[list[Any], None]:
        return [], None

    def reply(self, creds: Credentials, message: InboxMessage, text: str) -> PublishedResult:
        if self.fail_with is not None:
            raise self.fail_with
        self.sent.append((message, text))
        return PublishedResult(
            network_post_id=f"answer-{len(self.sent)}",
            url=f"https://example.social/answers/{len(self.sent)}",
            published_at=datetime.now(UTC),
        )


@pytest.fixture
def account(workspace_a):
    return SocialAccount.objects.create(
        workspace=workspace_a, network="mastodon", handle="@kaffee@example.social"
    )


@pytest.fixture
def fake_inbox(monkeypatch):
    fake = FakeInbox()
    monkeypatch.setitem(registry._instances, "mastodon", fake)
    return fake


@pytest.fixture
def bob_membership(workspace_a, bob):
    from townsquare.workspaces.models import Membership

    return Membership.objects.get(workspace=workspace_a, user=bob)


@pytest.fixture
def viewer(workspace_a):
    from django.contrib.auth import get_user_model

    from townsquare.workspaces.models import Membership

    user = get_user_model().objects.create_user("vera@example.com", "vera-pass-123", name="Vera")
    return Membership.objects.create(workspace=workspace_a, user=user, role="viewer")
