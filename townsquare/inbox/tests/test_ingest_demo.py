"""The demo inbox: German and English conversations of every kind, triaged by the engine
as a poll would store them, some answered, some open, some late; twice is once."""

import pytest
from django.utils import timezone

from townsquare.demo.accounts import seed_accounts
from townsquare.demo.inbox import seed_inbox
from townsquare.demo.people import seed_people
from townsquare.inbox.models import Contact, Conversation, Message

pytestmark = pytest.mark.django_db


def test_the_demo_inbox_is_realistic_triaged_and_refreshing_it_adds_nothing():
    _user, workspaces = seed_people("demo-pass-123456")
    seed_accounts(workspaces)
    seed_inbox(workspaces)
    counts = (Message.objects.count(), Conversation.objects.count(), Contact.objects.count())
    seed_inbox(workspaces)
    assert counts == (
        Message.objects.count(),
        Conversation.objects.count(),
        Contact.objects.count(),
    )
    by_language = {w.language: w for w in workspaces}
    for language, workspace in by_language.items():
        inbound = Message.objects.filter(workspace=workspace).exclude(kind="outbound")
        assert inbound.count() >= 8
        assert all(m.triage_model_version and m.category for m in inbound)
        assert {m.language for m in inbound} >= {language}
        assert inbound.filter(category="complaint").exists()
        assert inbound.filter(category="question").exists()
        assert inbound.filter(spam="spam").exists()
        networks = set(inbound.values_list("account__network", flat=True))
        assert len(networks) >= 2
        conversations = Conversation.objects.filter(workspace=workspace)
        assert conversations.filter(is_private=True).count() == 1
        answered = conversations.filter(first_responded_at__isnull=False)
        assert answered.count() >= 3 and all(c.waiting_since is None for c in answered)
        assert Message.objects.filter(workspace=workspace, kind="outbound").count() >= 3
        assert conversations.filter(
            first_responded_at__isnull=True, first_response_due_at__lt=timezone.now()
        ).exists(), "some are past their response time"
        assert conversations.filter(waiting_since__isnull=False, is_spam=False).count() >= 3
        most_urgent = conversations.order_by("-urgency").first()
        leak = "Datenleck" if language == "de" else "data leak"
        assert leak in most_urgent.messages.first().text
        repeated = Contact.objects.filter(workspace=workspace).order_by("-last_seen_at")
        assert any(c.messages.filter(category="complaint").count() == 2 for c in repeated)
