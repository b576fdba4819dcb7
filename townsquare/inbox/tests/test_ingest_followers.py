"""A contact keeps the newest follower count its network gave, so that rules with a follower
minimum can apply; a message that says nothing about followers never erases a known count."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from townsquare.inbox.ingest_store import store_messages
from townsquare.inbox.models import Contact, Message, Rule
from townsquare.networks.base import InboxMessage
from townsquare.networks.models import SocialAccount

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def said(
    message_id: str,
    followers: int | None,
    *,
    minutes: int = 0,
    author: str = "@jana@social.example",
) -> InboxMessage:
    return InboxMessage(
        network_message_id=message_id,
        conversation_id=message_id,
        kind="mention",
        author_handle=author,
        author_name="Jana",
        text="Wann öffnet die Rösterei wieder?",
        created_at=T0 + timedelta(minutes=minutes),
        author_followers=followers,
    )


@pytest.fixture
def account(workspace_a):
    return SocialAccount.objects.create(
        workspace=workspace_a, network="mastodon", handle="@kaffee@social.example"
    )


def jana() -> Contact:
    return Contact.objects.get(handle="@jana@social.example")


def test_a_new_contact_gets_the_follower_count_of_its_message(account):
    store_messages(account, [said("m1", 1200)])
    assert jana().follower_count == 1200


def test_the_newest_count_in_a_page_wins(account):
    store_messages(account, [said("m2", 1300, minutes=5), said("m1", 1200)])
    assert jana().follower_count == 1300


def test_a_later_count_replaces_an_earlier_one(account):
    store_messages(account, [said("m1", 1200)])
    store_messages(account, [said("m2", 40, minutes=5)])
    assert jana().follower_count == 40


def test_an_unknown_count_never_overwrites_a_known_one(account):
    store_messages(account, [said("m1", 1200)])
    store_messages(account, [said("m2", None, minutes=5), said("m3", None, minutes=6)])
    assert jana().follower_count == 1200
    store_messages(account, [said("m4", 1250, minutes=7), said("m5", None, minutes=8)])
    assert jana().follower_count == 1250


def test_a_network_without_followers_leaves_the_count_empty(account):
    store_messages(account, [said("m1", None)])
    assert jana().follower_count is None


def test_a_rule_with_a_follower_minimum_applies_to_the_message_that_brought_the_count(
    account, workspace_a
):
    Rule.objects.create(
        workspace=workspace_a,
        name="Große Konten zuerst",
        position=0,
        conditions={"min_followers": 1000},
        actions={"priority": 2},
    )
    store_messages(
        account,
        [
            said("m1", 1200),
            said("m2", 40, minutes=1, author="@ben@social.example"),
            said("m3", None, minutes=2, author="@cem@social.example"),
        ],
    )
    priorities = dict(Message.objects.values_list("network_message_id", "conversation__priority"))
    assert priorities == {"m1": 2, "m2": 0, "m3": 0}
