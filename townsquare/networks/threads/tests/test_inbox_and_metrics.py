"""The Threads inbox (replies to the profile's posts, answered in the thread, hidden where
allowed), its metrics through the metric map, and the connection check, against the fake
with captured answers."""

from __future__ import annotations

from datetime import date

import pytest

from townsquare.analytics.metric_maps import translate
from townsquare.networks.base import (
    ConnectionCheck,
    InboxSource,
    MetricsSource,
    Publisher,
    Reauth,
    Rejected,
    UnreadableAnswer,
)
from townsquare.networks.threads.tests.fake_threads import (
    CONTAINER,
    POST,
    USER,
    FakeThreads,
    V,
    answer,
    creds,
    values_of,
)

CONVERSATION = f"GET {V}/{POST}/conversation"


@pytest.fixture
def th():
    fake = FakeThreads(
        {
            f"GET {V}/{USER}/threads": answer("threads_list__ok_200.json"),
            CONVERSATION: answer("conversation__ok_200.json"),
            f"GET {V}/{USER}/threads_insights": answer("user_insights__ok_200.json"),
            f"GET {V}/{POST}/insights": answer("media_insights__ok_200.json"),
            f"GET {V}/me": answer("me__ok_200.json"),
        }
    )
    yield fake
    assert fake.invalid == []


def test_the_connector_offers_every_protocol(th):
    connector = th.connector()
    for protocol in (Publisher, InboxSource, MetricsSource, ConnectionCheck):
        assert isinstance(connector, protocol)
    assert connector.capabilities.threads and connector.capabilities.inbox


def test_inbox_lists_replies_of_others_oldest_first(th):
    messages, cursor = th.connector().fetch_inbox(creds(), None)
    assert [m.text for m in messages] == ["When do you open?", "Thanks, see you there!"]
    first, second = messages
    assert first.kind == "comment" and first.in_reply_to_id == POST
    assert second.kind == "reply" and second.in_reply_to_id == "18050000000000002"
    assert first.conversation_id == POST and first.author_handle == "ada_l"
    assert values_of(th.sent(CONVERSATION)[0])["fields"].startswith("id,text,timestamp")
    again, same = th.connector().fetch_inbox(creds(), cursor)
    assert again == [] and same == cursor


def test_inbox_permission_missing_is_named(th):
    th.routes[CONVERSATION] = answer("error__permission_403.json")
    with pytest.raises(Reauth) as caught:
        th.connector().fetch_inbox(creds(), None)
    assert "threads_read_replies" in caught.value.message


def test_inbox_with_broken_list_is_unreadable(th):
    th.routes[CONVERSATION] = answer("conversation__ok_200.json", body={"paging": {}})
    with pytest.raises(UnreadableAnswer):
        th.connector().fetch_inbox(creds(), None)


def test_reply_answers_in_the_thread(th):
    th.routes[f"POST {V}/{USER}/threads"] = answer("threads_create__ok_200.json")
    th.routes[f"POST {V}/{USER}/threads_publish"] = answer("threads_publish__ok_200.json")
    th.routes[f"GET {V}/{POST}"] = answer("post__ok_200.json")
    messages, _ = th.connector().fetch_inbox(creds(), None)
    result = th.connector().reply(creds(), messages[1], "Gern!")
    sent = values_of(th.sent(f"POST {V}/{USER}/threads")[0])
    assert sent == {
        "media_type": "TEXT",
        "text": "Gern!",
        "reply_to_id": "18050000000000003",
        "access_token": "THQVJlonglived1",
    }
    assert values_of(th.sent(f"POST {V}/{USER}/threads_publish")[0])["creation_id"] == CONTAINER
    assert result.network_post_id == POST
    with pytest.raises(Rejected):
        th.connector().reply(creds(), messages[1], "  ")


def test_hide_reply(th):
    th.routes[f"POST {V}/18050000000000001/manage_reply"] = answer("manage_reply__ok_200.json")
    th.connector().hide_reply(creds(), "18050000000000001")
    assert values_of(th.sent(f"POST {V}/18050000000000001/manage_reply")[0])["hide"] == "true"


def test_metrics_of_posts_and_account_through_the_map(th):
    snapshots = th.connector().fetch_metrics(creds(), date(2026, 12, 1))
    account, post = snapshots
    assert account.network_post_id == "" and account.metrics == {
        "views": 12,
        "followers_count": 1204,
    }
    assert post.network_post_id == POST and post.metrics["views"] == 4523
    assert "shares" not in post.metrics  # not in the captured answer: unknown, not zero
    assert post.published_at is not None and post.text == "This is a test post"
    translated = translate("threads", post)
    assert translated.counters == {
        "views": 4523,
        "likes": 187,
        "replies": 42,
        "reposts": 23,
        "quotes": 8,
    }
    assert translated.version == "threads/1"
    assert translate("threads", account).counters == {"profile_visits": 12, "followers": 1204}
    asked = values_of(th.sent(f"GET {V}/{POST}/insights")[0])["metric"]
    assert asked == "views,likes,replies,reposts,quotes,shares"


def test_metrics_without_insights_permission_are_named(th):
    th.routes[f"GET {V}/{USER}/threads_insights"] = answer("error__permission_403.json")
    with pytest.raises(Reauth) as caught:
        th.connector().fetch_metrics(creds(), date(2026, 12, 1))
    assert "threads_manage_insights" in caught.value.message


def test_check_connection(th):
    th.connector().check_connection(creds())
    th.routes[f"GET {V}/me"] = answer("error__expired_token_400.json")
    with pytest.raises(Reauth):
        th.connector(renew=lambda old: (_ for _ in ()).throw(Reauth("gone"))).check_connection(
            creds()
        )


def test_check_connection_renews_a_token_about_to_lapse_and_spots_another_profile(th):
    from datetime import timedelta

    from townsquare.networks.threads.tests.fake_threads import NOW

    renewed = []
    soon = creds(expires_at=NOW + timedelta(days=1))
    th.connector(renew=lambda old: renewed.append(old) or creds()).check_connection(soon)
    assert len(renewed) == 1
    th.routes[f"GET {V}/me"] = answer("me__ok_200.json", body={"id": "17841409999999999"})
    with pytest.raises(Reauth):
        th.connector().check_connection(creds())
