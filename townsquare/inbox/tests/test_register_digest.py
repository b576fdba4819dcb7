"""The weekly digest: top topics, new complaints and items past their response time, by
e-mail to the digest recipients in each one's language, once a week."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from townsquare.inbox.models import Conversation, InboxSettings, RegisterDigest
from townsquare.inbox.register_jobs import digest_due, send_weekly_digests
from townsquare.inbox.tests import inbox_world
from townsquare.inbox.tests.register_world import recorded

pytestmark = pytest.mark.django_db

account = inbox_world.account

# A Wednesday; Monday 07:00 in Berlin is before the digest hour.
WEDNESDAY = datetime(2026, 12, 9, 10, 0, tzinfo=UTC)
EARLY_MONDAY = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)


@pytest.fixture
def digest_settings(account, alice, bob):
    settings, _ = InboxSettings.objects.get_or_create(workspace=account.workspace)
    alice.language = "de"
    alice.save(update_fields=["language"])
    bob.language = "en"
    bob.save(update_fields=["language"])
    settings.digest_recipients.set([alice, bob])
    return settings


def test_the_digest_names_top_topics_complaints_and_late_ones_in_each_language(
    account, digest_settings, monkeypatch
):
    monkeypatch.setattr("django.utils.timezone.now", lambda: WEDNESDAY)
    dark, parcel = recorded(account)
    # Recorded "a day ago" by the real clock: move the items into this test's week.
    for item in dark.items.all() | parcel.items.all():
        item.created_at = WEDNESDAY - timedelta(days=1)
        item.save(update_fields=["created_at"])
    late = parcel.items.first().message.conversation
    Conversation.objects.filter(pk=late.pk).update(
        first_response_due_at=WEDNESDAY - timedelta(hours=1)
    )
    assert send_weekly_digests(WEDNESDAY) == 2
    by_address = {m.to[0]: m for m in mail.outbox}
    german, english = by_address["alice@example.com"], by_address["bob@example.com"]
    assert german.subject == "[Alpha Kaffee] Wöchentliche Feedback-Übersicht"
    assert "Die wichtigsten Themen:" in german.body and dark.title in german.body
    assert "Neue Beschwerden: 2" in german.body
    assert "Unterhaltungen über ihrer Antwortzeit: 1" in german.body
    assert english.subject == "[Alpha Kaffee] Weekly feedback digest"
    assert "(3 new, New)" in english.body
    assert "/inbox/register/" in english.body


def test_the_digest_goes_out_once_a_week(account, digest_settings):
    assert send_weekly_digests(WEDNESDAY) == 2
    assert send_weekly_digests(WEDNESDAY + timedelta(hours=3)) == 0
    assert len(mail.outbox) == 2
    assert RegisterDigest.objects.get().week == "2026-W50"
    assert send_weekly_digests(WEDNESDAY + timedelta(days=7)) == 2  # the next week's


def test_not_before_monday_morning_and_not_without_recipients(account, digest_settings):
    assert digest_due(digest_settings, EARLY_MONDAY) is None
    digest_settings.digest_recipients.clear()
    assert send_weekly_digests(WEDNESDAY) == 0
    assert not mail.outbox
