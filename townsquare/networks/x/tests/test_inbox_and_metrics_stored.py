"""X's mentions and counters through Townsquare's own machinery: the inbox stores the
mentions in their conversations and keeps the cursor, collection stores the counters under
X's metric map and the account's text limit follows its subscription. Answers are the
captured ones of docs.x.com and X's OpenAPI description (fake_x.py checks each request)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from townsquare.analytics.collection import collect_account
from townsquare.analytics.models import AccountSnapshot
from townsquare.inbox.ingest import cursor_of, ingest_account
from townsquare.inbox.models.core import Conversation, Message
from townsquare.networks.credentials import store_credentials
from townsquare.networks.models import SocialAccount
from townsquare.networks.x.tests.fake_x import NOW, FakeX, answer

pytestmark = pytest.mark.django_db

MENTIONS = "GET /2/users/2244994945/mentions"


@pytest.fixture
def account(workspace_a):
    account = SocialAccount.objects.create(workspace=workspace_a, network="x", handle="@kaffeehaus")
    store_credentials(
        account,
        {
            "access_token": "at-1",
            "refresh_token": "rt-1",
            # Valid long past the fake's clock and the real one: no renewal is asked.
            "expires_at": datetime(2099, 1, 1, tzinfo=UTC).isoformat(),
            "extra": {"user_id": "2244994945"},
        },
    )
    account.refresh_from_db()
    return account


def test_mentions_land_in_their_conversations_and_the_cursor_moves_on(account):
    fake = FakeX(routes={MENTIONS: answer("users_mentions__ok_200.json")})
    outcome = ingest_account(account, source=fake.connector(), now=NOW)

    assert outcome.error == "" and outcome.stored == 2
    assert fake.invalid == []
    reply = Message.objects.get(network_message_id="1301573587187331070")
    assert reply.kind == "reply" and reply.author_handle == "@ana_example"
    assert reply.conversation.network_conversation_id == "1445880548472328192"
    assert Conversation.objects.filter(account=account).count() == 2
    assert not Message.objects.filter(network_message_id="1301573587187331060").exists()
    assert cursor_of(account).cursor == "1301573587187331074"

    # The next poll asks only for what came after.
    again = FakeX(routes={MENTIONS: answer("users_mentions__ok_200.json", body={"meta": {}})})
    ingest_account(account, source=again.connector(), now=NOW)
    assert again.sent(MENTIONS)[0].url.params["since_id"] == "1301573587187331074"


def test_a_rate_limited_poll_is_tried_again_after_xs_reset(account):
    fake = FakeX(routes={MENTIONS: answer("tweets_create__rate_limited_429.json")})
    outcome = ingest_account(account, source=fake.connector(), now=NOW)
    cursor = cursor_of(account)
    assert outcome.error and not outcome.paused
    # x-rate-limit-reset is 15 minutes after the fake's clock: no poll before.
    assert cursor.next_poll_at is not None
    assert (cursor.next_poll_at - NOW).total_seconds() >= 1796645700 - NOW.timestamp() - 1


def test_collection_stores_xs_counters_and_the_premium_limit(account):
    fake = FakeX(
        routes={
            "GET /2/users/me": answer("users_me__metrics_200.json"),
            "GET /2/users/2244994945/tweets": answer("users_tweets__metrics_200.json"),
            "GET /2/tweets": answer("tweets_lookup__private_metrics_200.json"),
        }
    )
    outcome = collect_account(account, source=fake.connector(), now=NOW)

    assert fake.invalid == []
    assert outcome.error == "" and outcome.account_snapshot and outcome.post_snapshots >= 1
    day = AccountSnapshot.objects.get(account=account)
    assert day.followers == 583423 and day.metric_map_version == "x/1"
    account.refresh_from_db()
    assert account.reported_limits == {"text_max": 25_000}
