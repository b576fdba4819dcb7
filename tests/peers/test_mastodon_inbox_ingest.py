"""The inbox poll against `mastodon-mock` on loopback: a person mentions us and writes to us
privately, the poll stores each once, triaged (the private one as a private conversation),
and the next poll stores nothing new."""

from __future__ import annotations

import pytest

from townsquare.inbox.ingest import ingest_account
from townsquare.inbox.models import Message

# The servers never read Townsquare's database, so each test runs in a transaction of its own.
pytestmark = [pytest.mark.peers, pytest.mark.django_db]
pytest_plugins = ["mastodon_fixtures"]


def test_a_mention_and_a_private_message_are_stored_once_and_a_second_poll_adds_nothing(
    mastodon_account, mastodon_instance, mastodon_ours, mastodon_them
):
    assert ingest_account(mastodon_account).error == ""  # the inbox starts now
    mention = mastodon_instance.call(
        mastodon_them,
        "POST",
        "/api/v1/statuses",
        json={
            "status": f"@{mastodon_ours.username} Wann öffnet ihr morgen den Laden?",
            "visibility": "public",
        },
    )
    direct = mastodon_instance.call(
        mastodon_them,
        "POST",
        "/api/v1/statuses",
        json={
            "status": f"@{mastodon_ours.username} Ganz privat: Meine Lieferung ist kaputt.",
            "visibility": "direct",
        },
    )

    outcome = ingest_account(mastodon_account)
    assert outcome.error == "" and outcome.stored == 2
    public = Message.objects.get(account=mastodon_account, network_message_id=mention["id"])
    private = Message.objects.get(account=mastodon_account, network_message_id=direct["id"])
    assert public.kind == "mention" and not public.conversation.is_private
    assert private.kind == "direct" and private.conversation.is_private
    assert public.category and public.triage_model_version and private.category
    assert public.contact_id == private.contact_id, "one person, one contact"

    again = ingest_account(mastodon_account)
    assert again.stored == 0 and again.error == ""
    assert Message.objects.filter(account=mastodon_account).count() == 2
