"""A small register for the tests: messages as ingest stores them, recorded by record_new."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from townsquare.inbox.models import FeedbackTopic, Message
from townsquare.inbox.register import record_new
from townsquare.inbox.tests.inbox_world import make_conversation
from townsquare.networks.models import SocialAccount

DARK_MODE = [
    ("Wann kommt endlich der Dark Mode für die App?", "de", "Lena Vogel", "question"),
    ("When will the app support dark mode?", "en", "Sam Miller", "question"),
    ("Gibt es bald ein dunkles Design in der App?", "de", "Jonas Weber", "question"),
]
PARCEL = [
    ("Mein Paket ist nach zwei Wochen immer noch nicht da.", "de", "Petra Klein", "complaint"),
    ("My parcel has not arrived after two weeks.", "en", "Amy Jones", "complaint"),
]


def feedback(
    account: SocialAccount, rows: list[tuple[str, str, str, str]], *, days_ago: int = 1
) -> list[Message]:
    messages = []
    for index, (text, language, name, category) in enumerate(rows):
        handle = "@" + name.split()[0].lower() + "@example.social"
        conversation = make_conversation(
            account,
            text,
            handle=handle,
            name=name,
            category=category,
            language=language,
            at=timezone.now() - timedelta(days=days_ago, minutes=index),
        )
        messages.append(conversation.messages.get())
    return messages


def recorded(account: SocialAccount) -> tuple[FeedbackTopic, FeedbackTopic]:
    """The dark mode and the parcel topics."""
    dark = feedback(account, DARK_MODE)
    parcel = feedback(account, PARCEL)
    record_new(dark + parcel)
    return (
        FeedbackTopic.objects.get(items__message=dark[0]),
        FeedbackTopic.objects.get(items__message=parcel[0]),
    )
