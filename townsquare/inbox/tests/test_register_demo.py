"""The demo register: the demo inbox's feedback in topics, one answered with drafts waiting,
one closed; seeding twice adds nothing."""

import pytest

from townsquare.demo.accounts import seed_accounts
from townsquare.demo.inbox import seed_inbox
from townsquare.demo.inbox_register import seed_inbox_register
from townsquare.demo.people import seed_people
from townsquare.inbox.models import FeedbackItem, FeedbackTopic, Reply

pytestmark = pytest.mark.django_db


def test_the_demo_register_has_topics_an_answered_one_and_a_closed_one():
    _user, workspaces = seed_people("demo-pass-123456")
    seed_accounts(workspaces)
    seed_inbox(workspaces)
    seed_inbox_register(workspaces)
    counts = (FeedbackItem.objects.count(), FeedbackTopic.objects.count(), Reply.objects.count())
    seed_inbox_register(workspaces)
    assert counts == (
        FeedbackItem.objects.count(),
        FeedbackTopic.objects.count(),
        Reply.objects.count(),
    )
    for workspace in workspaces:
        topics = FeedbackTopic.objects.filter(workspace=workspace)
        assert topics.count() >= 3
        assert not FeedbackItem.objects.filter(workspace=workspace, message__spam="spam").exists()
        answered = topics.get(status="answered")
        drafts = Reply.objects.filter(feedback_topic=answered, status="draft")
        assert drafts.exists()
        assert topics.filter(status="closed").count() == 1
        # The repeated complaint of one person is one topic with both their messages.
        assert answered.items.count() == 2
        greeting = "Hallo" if workspace.language == "de" else "Hi"
        assert all(d.text.startswith(greeting) for d in drafts)
